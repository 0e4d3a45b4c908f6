"""SKOS sanity checks on ontology/measures.ttl: the measure scheme, its groups and the OxCGRT scheme."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from graph.rdf.vocab import GOVM

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
GENERATOR = ONTOLOGY / "make_measures.py"
GROUPS = {GOVM[f"group-{name}"] for name in ("containment", "health-system", "testing-tracing", "economic")}
OXCGRT_CODES = {
    f"{letter}{n}" for letter, count in (("C", 8), ("E", 4), ("H", 8), ("V", 4)) for n in range(1, count + 1)
}
REGEX_META = set(".^$*+?{}[]()|\\")


@pytest.fixture(scope="module")
def g() -> Graph:
    return Graph().parse(ONTOLOGY / "measures.ttl", format="turtle")


def _rows(name: str) -> list[dict[str, str]]:
    with (ONTOLOGY / name).open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows, f"ontology/{name} has no rows"  # a loop over them must not pass on nothing
    return rows


def _measure_ids() -> set[URIRef]:
    return {GOVM[row["id"]] for row in _rows("measures.tsv")}


def _in_scheme(g: Graph, scheme: URIRef) -> set[URIRef]:
    concepts = {s for s in g.subjects(SKOS.inScheme, scheme) if isinstance(s, URIRef)}
    assert concepts, f"no concept in {scheme}"  # a loop over them must not pass on an empty scheme
    return concepts


def _notations(g: Graph, node: URIRef) -> list[str]:
    return [str(n) for n in g.objects(node, SKOS.notation)]


def test_schemes_are_declared(g: Graph) -> None:
    assert (GOVM.scheme, RDF.type, SKOS.ConceptScheme) in g
    assert (GOVM.oxcgrt, RDF.type, SKOS.ConceptScheme) in g


def test_measure_scheme_holds_exactly_the_measures_and_groups(g: Graph) -> None:
    assert _in_scheme(g, GOVM.scheme) == _measure_ids() | GROUPS
    for measure in _measure_ids():
        assert (measure, RDF.type, SKOS.Concept) in g, measure


def test_one_preflabel_per_language(g: Graph) -> None:
    def langs(node: URIRef) -> list[str | None]:
        return [lit.language for lit in g.objects(node, SKOS.prefLabel) if isinstance(lit, Literal)]

    for concept in _in_scheme(g, GOVM.scheme):
        assert sorted(langs(concept)) == ["en", "zh-Hans"], concept
    for concept in _in_scheme(g, GOVM.oxcgrt):
        found = langs(concept)
        assert found.count("en") == 1 and len(found) == len(set(found)), concept


def test_measures_have_definitions_in_both_languages(g: Graph) -> None:
    for concept in _in_scheme(g, GOVM.scheme):
        langs = sorted(lit.language for lit in g.objects(concept, SKOS.definition) if isinstance(lit, Literal))
        assert langs == ["en", "zh-Hans"], concept


def test_oxcgrt_scheme_follows_oxcgrt_tsv(g: Graph) -> None:
    concepts = _in_scheme(g, GOVM.oxcgrt)
    notations = [n for c in concepts for n in _notations(g, c)]
    assert len(notations) == len(set(notations)) == len(concepts)  # unique, one each
    assert set(notations) == OXCGRT_CODES
    rows = _rows("oxcgrt.tsv")
    assert {row["code"] for row in rows} == OXCGRT_CODES
    for row in rows:
        concept = GOVM[f"oxcgrt-{row['code']}"]
        assert _notations(g, concept) == [row["code"]]
        assert (concept, SKOS.prefLabel, Literal(row["name"], lang="en")) in g
        assert (GOVM.oxcgrt, SKOS.hasTopConcept, concept) in g
    assert (GOVM["oxcgrt-C1"], SKOS.prefLabel, Literal("School closing", lang="en")) in g
    assert (GOVM["oxcgrt-H8"], SKOS.prefLabel, Literal("Protection of elderly people", lang="en")) in g


def test_close_matches_point_at_the_same_oxcgrt_code(g: Graph) -> None:
    oxcgrt = _in_scheme(g, GOVM.oxcgrt)
    for row in _rows("measures.tsv"):
        measure = GOVM[row["id"]]
        targets = list(g.objects(measure, SKOS.closeMatch))
        assert not list(g.objects(measure, SKOS.exactMatch)), measure
        if row["oxcgrt"] == "-":
            assert targets == [] and _notations(g, measure) == [], measure
            continue
        assert _notations(g, measure) == [row["oxcgrt"]], measure
        assert len(targets) == 1, measure
        assert targets[0] in oxcgrt
        assert _notations(g, targets[0]) == [row["oxcgrt"]], measure


def test_broader_and_narrower_are_inverse(g: Graph) -> None:
    broader = set(g.subject_objects(SKOS.broader))
    narrower = {(o, s) for s, o in g.subject_objects(SKOS.narrower)}
    assert broader == narrower
    for measure in _measure_ids():
        parents = list(g.objects(measure, SKOS.broader))
        assert len(parents) == 1 and parents[0] in GROUPS, measure
    for group in GROUPS:
        assert not list(g.objects(group, SKOS.broader)), group
        assert list(g.objects(group, SKOS.narrower)), group


def test_top_concepts_are_the_groups(g: Graph) -> None:
    assert set(g.objects(GOVM.scheme, SKOS.hasTopConcept)) == GROUPS
    assert set(g.subjects(SKOS.topConceptOf, GOVM.scheme)) == GROUPS


def test_alt_labels(g: Graph) -> None:
    for concept in _in_scheme(g, GOVM.scheme) | _in_scheme(g, GOVM.oxcgrt):
        prefs = set(g.objects(concept, SKOS.prefLabel))
        alts = list(g.objects(concept, SKOS.altLabel))
        assert not prefs & set(alts), concept
        assert not set(alts) & set(g.objects(concept, SKOS.hiddenLabel)), concept
        for alt in alts:
            assert isinstance(alt, Literal) and alt.language == "zh-Hans", (concept, alt)
            assert not REGEX_META & set(str(alt)), (concept, alt)
    for row in _rows("measures.tsv"):
        alts = {str(a) for a in g.objects(GOVM[row["id"]], SKOS.altLabel)}
        assert {t for t in row["example_triggers"].split("|") if t and t != row["zh"]} <= alts, row["id"]


def test_lexicon_phrases_become_alt_labels_but_not_regexes(g: Graph) -> None:
    alts = {str(a) for a in g.objects(GOVM["health-code-check"], SKOS.altLabel)}
    assert "亮码" in alts  # a plain lexicon alternative
    assert "[两三]码" not in alts
    gathering = {str(a) for a in g.objects(GOVM["gathering-restrictions"], SKOS.altLabel)}
    assert "庙会" in gathering and not any("聚集|活动" in a or "(?:" in a for a in gathering)


def test_generator_check_passes() -> None:
    proc = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_generator_check_fails_when_stale(tmp_path: Path) -> None:
    stale = tmp_path / "measures.ttl"
    stale.write_text((ONTOLOGY / "measures.ttl").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(GENERATOR), "--check", "--out", str(stale)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "stale" in proc.stderr
