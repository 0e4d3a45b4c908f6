"""Run the stages over a corpus: read, normalise, extract, build, export.

    report = build_corpus(["articles/"], Path("exports"))

Bad articles are reported (one line each on stderr) and skipped; every other
article is built. Extraction is a pure function of one article, so it runs in
a process pool when jobs > 1.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from .build import GraphBuilder
from .export import write_html, write_turtle
from .extract import extract
from .normalize import normalize
from .read import iter_articles
from .records import Extraction, RawArticle, Skip

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


@dataclass
class BuildReport:
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skip_lines: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    triples: int = 0
    outputs: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"built {self.articles} article(s), {self.triples} triples"]
        if self.skipped:
            why = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
            parts.append(f"skipped {sum(self.skipped.values())} ({why})")
        if self.failed:
            parts.append(f"{len(self.failed)} failed in extraction")
        return "; ".join(parts)

    def to_json(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "triples": self.triples,
            "skipped": dict(sorted(self.skipped.items())),
            "skips": self.skip_lines,
            "failed": self.failed,
            "outputs": self.outputs,
        }


def extract_article(raw: RawArticle) -> Extraction | str:
    """Normalise and extract one article; a message instead when it fails."""
    try:
        return extract(normalize(raw))
    except Exception as exc:
        return f"failed {raw.source}: {type(exc).__name__}: {exc}"


def _extractions(raws: Iterable[RawArticle], jobs: int) -> Iterator[Extraction | str]:
    if jobs <= 1:
        yield from map(extract_article, raws)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(extract_article, raws, chunksize=8)


def build_corpus(
    paths: Sequence[str | Path],
    out_dir: Path,
    *,
    jobs: int | None = None,
    quiet: bool = False,
    html: bool = True,
    log: TextIO = sys.stderr,
) -> BuildReport:
    """Build the graph of every article under `paths` into `out_dir`."""
    report = BuildReport()
    builder = GraphBuilder()
    builder.add_scheme()

    items = iter_articles(paths)  # checks the paths now, before any progress is shown

    def usable() -> Iterator[RawArticle]:
        for item in items:
            if isinstance(item, Skip):
                report.skipped[item.reason] += 1
                report.skip_lines.append(item.line())
                _say(log, item.line(), bar)
            else:
                yield item

    bar = tqdm(desc="articles", unit=" art", disable=quiet, file=log, dynamic_ncols=True)
    for result in _extractions(usable(), jobs or os.cpu_count() or 1):
        if isinstance(result, str):
            report.failed.append(result)
            _say(log, result, bar)
        else:
            builder.add(result)
            report.articles += 1
        bar.update(1)
    bar.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    report.triples = len(builder.g)
    write_turtle(builder.g, out_dir / "graph.ttl")
    report.outputs.append(str(out_dir / "graph.ttl"))
    if html:
        write_html(builder.g, out_dir / "graph.html")
        report.outputs.append(str(out_dir / "graph.html"))
    (out_dir / "report.json").write_text(
        json.dumps(report.to_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    report.outputs.append(str(out_dir / "report.json"))
    return report


def _say(log: TextIO, line: str, bar: tqdm | None) -> None:
    """One line on stderr, without breaking the progress bar."""
    if bar is not None and not bar.disable:
        bar.write(line, file=log)
    else:
        print(line, file=log)
