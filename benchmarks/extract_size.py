"""Extraction time against article length: one article of 1, 2, 4 and 8 MB of text (the
given articles, or the bundled samples, repeated), each normalised and extracted as a
build's worker does it (graph.run.worker.extract_article), on one process.

    python benchmarks/extract_size.py [FOLDER_OF_TXT] [--sizes 1,2,4,8]

Prints seconds (the fastest of --repeat runs) and seconds per MB for each size, and the spread of the per-MB figures
(largest over smallest, less one): linear extraction keeps it within 20%.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.records import RawArticle
from graph.run.worker import extract_article
from graph.tables import PACKAGE


def article_of(size: int, sources: list[Path]) -> str:
    """`size` bytes of UTF-8 text: the sources' texts joined by blank lines, repeated."""
    body = "\n\n".join(p.read_text(encoding="utf-8") for p in sources)
    text = "\n\n".join([body] * (size // len(body.encode("utf-8")) + 1))
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=PACKAGE / "data" / "samples")
    parser.add_argument("--sizes", default="1,2,4,8", help="MB, comma-separated")
    parser.add_argument("--repeat", type=int, default=2, help="runs per size; the fastest counts")
    args = parser.parse_args()
    sources = sorted(args.folder.glob("*.txt"))
    if not sources:
        sys.exit(f"no .txt files in {args.folder}")
    extract_article(RawArticle("warm.txt", "warm.txt", article_of(20_000, sources)))  # load the tables
    per_mb = []
    for mb in (float(s) for s in args.sizes.split(",")):
        raw = RawArticle(f"{mb:g}mb.txt", f"{mb:g}mb.txt", article_of(int(mb * (1 << 20)), sources))
        took = float("inf")
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            result = extract_article(raw)
            took = min(took, time.perf_counter() - start)
        n = "failed" if isinstance(result, str) else f"{len(result.statements)} statements"
        per_mb.append(took / mb)
        print(f"{mb:g} MB: {took:.2f} s, {took / mb:.2f} s/MB ({n})", flush=True)
    print(f"spread of s/MB: {max(per_mb) / min(per_mb) - 1:.0%} (linear: within 20%)")


if __name__ == "__main__":
    main()
