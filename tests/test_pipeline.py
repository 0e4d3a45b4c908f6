"""The whole pipeline: bad inputs, Turtle round trip, determinism, the CLI, evidence.

The sample build is shared through the session fixture `built_samples`
(tests/conftest.py); the CLI runs as a subprocess through `run_cli`.

A truncated UTF-8 file (its last character cut short, as by an interrupted
download) is kept, not skipped: graph.ingest.read decodes everything before the cut
and labels the encoding "utf-8 (truncated)"; the article and its facts are in
the graph like any other, and the build reports no skip for it.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from graph.errors import InputError
from graph.extract import extract
from graph.ingest.normalize import normalize
from graph.ingest.read import iter_articles
from graph.rdf.build import GraphBuilder
from graph.rdf.serialize import turtle_bytes
from graph.rdf.vocab import GOV, SCHEMA
from graph.records import RawArticle, Skip
from graph.run.pipeline import BuildReport, build_corpus

NS = {"gov": GOV, "schema": SCHEMA, "prov": PROV, "rdfs": RDFS, "rdf": RDF}

# --- a corpus of good and bad inputs (invented officials, one per article) ---------

GOOD_1 = (
    "临汾日报讯 3月5日，市委书记王建国主持召开市委常委会会议，研究部署当前疫情防控工作。"
    "市委副书记、市长刘振华出席会议并讲话。会议要求，各级各部门要严格落实核酸检测、"
    "戴口罩等防控措施，坚决守住不发生规模性疫情的底线。\n"
)
GOOD_2 = (
    "3月8日，临汾市委副书记、市长刘振华到尧都区调研检查疫情防控工作。他强调，要进一步压实属地责任，"
    "加强重点场所管控，做好隔离点管理，确保各项防控措施落地落实。\n"
)
GBK_TEXT = (
    "4月2日，焦作市委书记赵明远主持召开市委疫情防控工作专题会议，传达学习省委会议精神，"
    "安排部署下一阶段疫情防控工作。会议要求，要严格落实各项防控措施，加强重点人员排查管控，"
    "坚决防止疫情输入扩散。\n"
)
BIG5_TEXT = (  # Traditional script; the graph must say 陈国强
    "5月6日，臨汾市委副書記、市長陳國強主持召開市政府常務會議，聽取全市疫情防控工作彙報，"
    "研究部署下一步工作。會議強調，要堅決落實各項防控措施，嚴格核酸檢測，確保群眾生命安全和身體健康。\n"
)
TRUNCATED_TEXT = (
    "6月1日，市委书记孙立平主持召开市委常委会会议，研究部署安全生产和疫情防控工作。"
    "会议强调，要压实各方责任，严格落实核酸检测等措施，确保全市大局稳定。"
)
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

KEPT = {  # file -> officials that must be in the graph, spelled in Simplified Chinese
    "good_1.txt": {"王建国", "刘振华"},
    "good_2.txt": {"刘振华"},
    "gbk.txt": {"赵明远"},
    "big5.txt": {"陈国强"},
    "truncated.txt": {"孙立平"},
}
SKIPPED = {"empty.txt": "empty", "binary.txt": "binary"}


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-corpus")
    (folder / "good_1.txt").write_text(GOOD_1, encoding="utf-8")
    (folder / "good_2.txt").write_text(GOOD_2, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(BINARY)
    (folder / "gbk.txt").write_bytes(GBK_TEXT.encode("gbk"))
    (folder / "big5.txt").write_bytes(BIG5_TEXT.encode("big5"))
    data = TRUNCATED_TEXT.encode("utf-8")
    assert TRUNCATED_TEXT.endswith("。") and len("。".encode()) == 3
    (folder / "truncated.txt").write_bytes(data[:-2])  # one byte of the last 。 left
    with pytest.raises(UnicodeDecodeError):
        (folder / "truncated.txt").read_bytes().decode("utf-8")
    return folder


@pytest.fixture(scope="module")
def bad_build(bad_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildReport, str, Graph]:
    out = tmp_path_factory.mktemp("bad-build")
    log = io.StringIO()
    report = build_corpus([bad_corpus], out, jobs=1, quiet=True, html=True, log=log)
    g = Graph().parse(out / "graph.ttl", format="turtle")
    return report, log.getvalue(), g


def _officials_of(g: Graph, file_name: str) -> set[str]:
    """Labels of officials holding a post or a role in the article `file_name`."""
    rows = g.query(
        """SELECT DISTINCT ?n WHERE {
            ?a a gov:Article ; gov:fileName ?file .
            { ?p gov:holdsPost ?post . ?post prov:wasDerivedFrom ?a }
            UNION { ?p gov:chairs|gov:attends|gov:conducts ?m . ?m prov:wasDerivedFrom ?a }
            ?p a gov:Official ; rdfs:label ?n .
        }""",
        initNs=NS,
        initBindings={"file": Literal(file_name)},
    )
    return {str(r[0]) for r in rows}


def _articles(g: Graph) -> set[str]:
    return {str(r[0]) for r in g.query("SELECT ?f WHERE { ?a a gov:Article ; gov:fileName ?f }", initNs=NS)}


def _first_difference(a: bytes, b: bytes) -> str:
    """An assertion message: the first differing lines of two Turtle files."""
    diff = difflib.unified_diff(a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines(), lineterm="", n=1)
    return "\n".join(list(diff)[:20])


def _nonblank_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _check_bad_graph(g: Graph) -> None:
    assert _articles(g) == set(KEPT)
    for name, officials in KEPT.items():
        assert officials <= _officials_of(g, name), name
    labels = {str(o) for o in g.objects(None, RDFS.label)}
    assert not {"陳國強", "臨汾市"} & labels  # nothing Traditional left as a label


# --- bad input: in process ------------------------------------------------------------


def test_bad_input_kept_articles_and_names(bad_build: tuple[BuildReport, str, Graph]) -> None:
    report, log, g = bad_build
    assert report.articles == len(KEPT), log
    assert report.failed == []
    _check_bad_graph(g)


def test_reader_decodings(bad_corpus: Path) -> None:
    got = {}
    for item in iter_articles([bad_corpus]):
        key = Path(item.source).name
        got[key] = item.encoding if isinstance(item, RawArticle) else ("skip", item.reason)
    assert got["good_1.txt"] == got["good_2.txt"] == "utf-8"
    assert got["gbk.txt"].lower().replace("_", "") in ("gb18030", "gbk", "gb2312")
    assert got["big5.txt"].lower().replace("_", "") in ("big5", "cp950", "big5hkscs")
    assert got["empty.txt"] == ("skip", "empty")
    assert got["binary.txt"] == ("skip", "binary")


def test_truncated_utf8_is_kept_up_to_the_cut(bad_corpus: Path, bad_build: tuple[BuildReport, str, Graph]) -> None:
    (raw,) = [x for x in iter_articles([bad_corpus / "truncated.txt"])]
    assert isinstance(raw, RawArticle)
    assert raw.encoding == "utf-8 (truncated)"
    assert raw.text == TRUNCATED_TEXT[:-1]  # everything before the cut character
    _, log, g = bad_build
    assert "truncated.txt" not in log
    assert "孙立平" in _officials_of(g, "truncated.txt")


@pytest.mark.parametrize(("name", "reason"), sorted(SKIPPED.items()))
def test_skipped_file_has_one_log_line(bad_build: tuple[BuildReport, str, Graph], name: str, reason: str) -> None:
    _, log, _ = bad_build
    lines = [line for line in log.splitlines() if name in line]
    assert len(lines) == 1, log
    assert reason in lines[0]


def test_log_has_nothing_but_the_skips(bad_build: tuple[BuildReport, str, Graph]) -> None:
    _, log, _ = bad_build
    assert len(_nonblank_lines(log)) == len(SKIPPED), log


def test_summary_counts_skips_by_reason(bad_build: tuple[BuildReport, str, Graph]) -> None:
    report, _, _ = bad_build
    assert report.skipped == Counter(SKIPPED.values())
    assert "skipped 2 (1 binary, 1 empty)" in report.summary()
    assert f"built {len(KEPT)} article(s)" in report.summary()


def test_nonexistent_path_raises_in_process(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(InputError, match="no-such-folder"):
        build_corpus([missing], tmp_path / "out", jobs=1, quiet=True, html=False, log=io.StringIO())


# --- bad input: through the CLI -------------------------------------------------------


def test_cli_bad_input_quiet(run_cli, bad_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("build", bad_corpus, "--out", out, "--jobs", "1", "--quiet", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = _nonblank_lines(proc.stderr)
    assert len(lines) == len(SKIPPED), proc.stderr  # --quiet still reports each skip, nothing else
    for name, reason in SKIPPED.items():
        mine = [line for line in lines if name in line]
        assert len(mine) == 1 and reason in mine[0], proc.stderr
    _check_bad_graph(Graph().parse(out / "graph.ttl", format="turtle"))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["skipped"] == {"binary": 1, "empty": 1}
    assert report["articles"] == len(KEPT)


def test_cli_strict_fails_and_summarises(run_cli, bad_corpus: Path, tmp_path: Path) -> None:
    proc = run_cli("build", bad_corpus, "--out", tmp_path / "out", "--jobs", "1", "--strict", cwd=tmp_path)
    assert proc.returncode != 0
    assert "skipped 2 (1 binary, 1 empty)" in proc.stderr
    assert (tmp_path / "out" / "graph.ttl").is_file()  # the good articles are still built


@pytest.mark.parametrize("quiet", [True, False], ids=["quiet", "with-progress"])
def test_cli_nonexistent_path_one_line_error(run_cli, tmp_path: Path, quiet: bool) -> None:
    missing = tmp_path / "no-such-folder"
    args = ["build", missing, "--out", tmp_path / "out", "--jobs", "1"] + (["--quiet"] if quiet else [])
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode != 0
    lines = _nonblank_lines(proc.stderr)
    assert len(lines) == 1, repr(proc.stderr)
    assert str(missing) in lines[0]


# --- Turtle round trip and determinism -----------------------------------------------


@pytest.fixture(scope="module")
def samples_in_memory(samples_dir: Path) -> Graph:
    """The sample graph built in memory with GraphBuilder, never serialised."""
    builder = GraphBuilder()
    builder.add_scheme()
    for raw in iter_articles([samples_dir]):
        assert not isinstance(raw, Skip), raw.line()
        builder.add(extract(normalize(raw)))
    return builder.g


def test_turtle_round_trip_is_isomorphic(built_samples: tuple[Path, Graph], samples_in_memory: Graph) -> None:
    _, parsed = built_samples
    assert len(parsed) == len(samples_in_memory)
    assert isomorphic(parsed, samples_in_memory)


def test_in_memory_graph_serialises_to_the_same_bytes(
    built_samples: tuple[Path, Graph], samples_in_memory: Graph
) -> None:
    out_dir, _ = built_samples
    assert turtle_bytes(samples_in_memory) == (out_dir / "graph.ttl").read_bytes()


@pytest.fixture(scope="module")
def default_cli_build(
    run_cli, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`python build_graph.py` with no arguments, in a fresh folder, another hash seed, all cores."""
    cwd = tmp_path_factory.mktemp("default-build")
    proc = run_cli(cwd=cwd, env={"PYTHONHASHSEED": "4242"})
    return cwd, proc


def test_cli_without_arguments_builds_samples(default_cli_build: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    cwd, proc = default_cli_build
    assert proc.returncode == 0, proc.stderr
    assert (cwd / "exports" / "graph.ttl").stat().st_size > 0
    html = (cwd / "exports" / "graph.html").read_text(encoding="utf-8")
    assert "<html" in html.lower() and "闫晨曦" in html
    assert _articles(Graph().parse(cwd / "exports" / "graph.ttl", format="turtle")) == {
        p.name for p in (Path(__file__).resolve().parent.parent / "graph" / "data" / "samples").glob("*.txt")
    }


def test_build_is_deterministic(
    built_samples: tuple[Path, Graph], default_cli_build: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    """In process (jobs=1) and in a subprocess (other PYTHONHASHSEED, all cores): same bytes."""
    out_dir, _ = built_samples
    cwd, proc = default_cli_build
    assert proc.returncode == 0, proc.stderr
    first, second = (out_dir / "graph.ttl").read_bytes(), (cwd / "exports" / "graph.ttl").read_bytes()
    assert first == second, _first_difference(first, second)


def test_second_in_process_build_is_identical(
    built_samples: tuple[Path, Graph], samples_dir: Path, tmp_path: Path
) -> None:
    out_dir, _ = built_samples
    build_corpus([samples_dir], tmp_path, jobs=1, quiet=True, html=False, log=io.StringIO())
    first, second = (out_dir / "graph.ttl").read_bytes(), (tmp_path / "graph.ttl").read_bytes()
    assert first == second, _first_difference(first, second)


# --- CLI: help and query --------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["build"], ["query"], ["serve"]], ids=lambda c: c[0] if c else "main")
def test_help_shows_an_example(run_cli, command: list[str]) -> None:
    proc = run_cli(*command, "--help")
    assert proc.returncode == 0, proc.stderr
    assert "Example" in proc.stdout
    assert "python build_graph.py" in proc.stdout.split("Example", 1)[1]


OFFICIALS_QUERY = "SELECT ?p ?n WHERE { ?p a gov:Official ; rdfs:label ?n } ORDER BY ?n"


def _official_names(g: Graph) -> set[str]:
    return {str(n) for n in (g.value(p, RDFS.label) for p in g.subjects(RDF.type, GOV.Official)) if n is not None}


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "tsv"])
def test_query_formats(run_cli, built_samples: tuple[Path, Graph], fmt: str) -> None:
    out_dir, g = built_samples
    expected = _official_names(g)
    n_officials = len(set(g.subjects(RDF.type, GOV.Official)))
    assert "闫晨曦" in expected and n_officials > 30
    proc = run_cli("query", OFFICIALS_QUERY, "--graph", out_dir, "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["p", "n"]
        names = [r[1] for r in rows[1:]]
        assert all(r[0].startswith("https://w3id.org/govkg/resource/") for r in rows[1:])
    elif fmt == "tsv":
        rows = [line.split("\t") for line in out.splitlines()]
        assert rows[0] == ["?p", "?n"]
        names = [r[1].split('"')[1] for r in rows[1:]]
        assert all(r[0].startswith("<") and r[0].endswith(">") for r in rows[1:])
    elif fmt == "json":
        data = json.loads(out)
        assert data["head"]["vars"] == ["p", "n"]
        bindings = data["results"]["bindings"]
        names = [b["n"]["value"] for b in bindings]
        assert all(b["p"]["type"] == "uri" for b in bindings)
    else:
        assert out.splitlines()[0].split() == ["p", "n"]
        assert f"({n_officials} rows)" in out
        names = [name for name in expected if name in out]
        assert len(names) == len(expected)
    assert len(names) == n_officials
    assert set(names) == expected


def test_query_bad_sparql_one_line_error(run_cli, built_samples: tuple[Path, Graph]) -> None:
    out_dir, _ = built_samples
    proc = run_cli("query", "SELECT ?x WHERE { ?x a }", "--graph", out_dir)
    assert proc.returncode != 0
    lines = _nonblank_lines(proc.stderr)
    assert len(lines) == 1, proc.stderr
    assert "SPARQL" in lines[0] or "query" in lines[0].lower()
    assert proc.stdout == ""


# --- evidence for every statement -----------------------------------------------------

TRACED = ["chairs", "attends", "conducts", "mandates", "holdsPost"]


@pytest.mark.parametrize("prop", TRACED)
def test_every_statement_has_evidence(built_samples: tuple[Path, Graph], prop: str) -> None:
    _, g = built_samples
    predicate = URIRef(GOV[prop])
    triples = {(s, o) for s, o in g.subject_objects(predicate)}
    if prop != "conducts":
        assert len(triples) > 1, prop
    else:
        assert triples, prop
    # a mandate's evidence is a directive issued at the event that directs the measure
    evidence = (
        "?e a gov:Directive ; gov:issuedAt ?s ; gov:directs ?o ; gov:inSentence ?sn ."
        if prop == "mandates"
        else "?e a gov:Evidence ; rdf:subject ?s ; rdf:predicate ?pred ; rdf:object ?o ; gov:inSentence ?sn ."
    )
    rows = g.query(
        """SELECT DISTINCT ?s ?o WHERE {
            ?s ?pred ?o .
            """
        + evidence
        + """
            ?sn a gov:Sentence ; gov:sentence ?sentence ; prov:wasDerivedFrom ?a .
            ?a a gov:Article ; gov:fileName ?file .
            FILTER(STRLEN(STR(?sentence)) > 0)
        }""",
        initNs=NS,
        initBindings={"pred": predicate},
    )
    evidenced = {(r[0], r[1]) for r in rows}
    assert len(evidenced) == len(triples), sorted(triples - evidenced)[:5]
    assert evidenced == triples


def test_extraction_without_original_offsets_differs_only_in_them(samples_dir: Path) -> None:
    from dataclasses import replace

    checked = 0
    for raw in iter_articles([samples_dir]):
        assert isinstance(raw, RawArticle)
        doc = normalize(raw)
        full, lean = extract(doc), extract(doc, original_offsets=False)
        assert all(st.evidence.original_start >= 0 for st in full.statements)
        assert all(st.evidence.original_start == st.evidence.original_end == -1 for st in lean.statements)
        unmapped = [
            replace(st, evidence=replace(st.evidence, original_start=-1, original_end=-1)) for st in full.statements
        ]
        assert list(lean.statements) == unmapped
        builders = GraphBuilder(), GraphBuilder()
        builders[0].add(full)
        builders[1].add(lean)
        assert builders[0].ntriples() == builders[1].ntriples()  # the graph does not record them
        checked += len(lean.statements)
    assert checked > 100
