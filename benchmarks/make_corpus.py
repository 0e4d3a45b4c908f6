"""Make a synthetic corpus of N articles for benchmarks, as .jsonl.gz.

    python benchmarks/make_corpus.py 10k -o /tmp/corpus-10k.jsonl.gz --seed 1

Each output line is {"id", "date", "title", "text"}. Articles are made by varying
templates: the sample articles (graph/data/samples/*.txt) and, when present,
../shared/corpus/dev/*.txt. In each template, the extractor itself decides what
to vary (graph.extract.extract on the normalised template):

  * every person of a PostHeld or Role statement becomes a random name (a
    surname from ontology/surnames.txt and 1-2 given-name characters from a
    fixed pool), the same new name for every mention in one article;
  * every place of a PlaceNamed statement (each mention of its full or short
    gazetteer name) becomes a random other place of the same level;
  * dates (2022-09-15, 2022年, 9月14日) become one random date per article
    (a day or a few before it), other numbers random ones of the same length.

The substitutions are made in the template as read (Traditional Chinese,
mojibake and all, located through Document.offsets), so the normaliser has as
much work as on the real articles. Output is streamed: one article is in
memory at a time. The same --seed gives the same corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import io
import json
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from graph.extract import extract  # noqa: E402
from graph.gazetteer import Gazetteer, Place, gazetteer  # noqa: E402
from graph.ingest.normalize import normalize  # noqa: E402
from graph.ingest.read import iter_articles  # noqa: E402
from graph.records import PlaceNamed, PostHeld, RawArticle, Role  # noqa: E402

SAMPLES = REPO / "graph" / "data" / "samples"
DEV = REPO.parent / "shared" / "corpus" / "dev"
SURNAMES = REPO / "ontology" / "surnames.txt"
# given-name characters: common in names, never a word the extractors stop a name at
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞刚桂英华玉兰萍红建文辉宏志海峰波晓亮林云鹏飞斌俊鑫琳瑞凯浩宇婷雪梅"
FIRST_DAY = dt.date(2016, 1, 1)
DAYS = (dt.date(2023, 12, 31) - FIRST_DAY).days
_NUMBERS = re.compile(
    r"(?P<iso>\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
    r"|(?P<md>\d{1,2}月\d{1,2}日)"
    r"|(?P<year>\d{4})年"
    r"|(?P<month>\d{1,2})月"
    r"|(?P<day>\d{1,2})[日号]"
    r"|(?P<num>\d+)"
)

# a template is literal text and slots: ("person", name), ("place", code, full?),
# ("iso" | "md" | "year" | "month" | "day" | "num", the text replaced)
Slot = tuple[str, ...]


@dataclass(frozen=True)
class Template:
    source: str
    pieces: tuple[str | Slot, ...]
    people: int  # distinct persons varied
    places: int  # distinct places varied


def parse_count(text: str) -> int:
    """1000, 10k, 100K, 1m -> an article count."""
    t = text.strip().lower().replace("_", "")
    mult = {"k": 1000, "m": 1_000_000}.get(t[-1:], 1)
    return int(t[:-1] if mult > 1 else t) * mult


def template_paths(dev: Path | None = DEV) -> list[Path]:
    paths = sorted(SAMPLES.glob("*.txt"))
    if dev is not None and dev.is_dir():
        paths += sorted(dev.glob("*.txt"))
    return paths


def load_surnames(path: Path = SURNAMES) -> list[str]:
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words += line.split()
    return sorted(set(words))


def make_template(raw: RawArticle, gaz: Gazetteer) -> Template:
    """Find what to vary in one article and cut it into literal pieces and slots."""
    doc = normalize(raw)
    sts = extract(doc, gaz).statements
    names = {s.person for s in sts if isinstance(s, (PostHeld, Role))}
    codes = {s.place for s in sts if isinstance(s, PlaceNamed)}
    spans: list[tuple[int, int, int, Slot]] = []  # (priority, start, end, slot) in the normalised text
    for name in names:
        for m in re.finditer(re.escape(name), doc.text):
            spans.append((0, m.start(), m.end(), ("person", name)))
    for hit in gaz.find(doc.text):
        code = next((c for c in hit.codes if c in codes), None)
        if code is not None:
            spans.append((1, hit.start, hit.end, ("place", code, "full" if hit.full else "short")))
    # original spans: names first, then places, then numbers; overlaps are dropped
    taken: list[tuple[int, int, Slot]] = []
    for _, s, e, slot in sorted(spans, key=lambda x: (x[0], x[1])):
        os_, oe = doc.original_span(s, e)
        if not any(os_ < te and ts < oe for ts, te, _ in taken):
            taken.append((os_, oe, slot))
    for m in _NUMBERS.finditer(raw.text):
        kind = m.lastgroup or "num"
        s, e = m.span(kind)
        if not any(s < te and ts < e for ts, te, _ in taken):
            taken.append((s, e, (kind, m.group(kind))))
    taken.sort(key=lambda x: x[0])
    pieces: list[str | Slot] = []
    pos = 0
    for s, e, slot in taken:
        if s > pos:
            pieces.append(raw.text[pos:s])
        pieces.append(slot)
        pos = e
    pieces.append(raw.text[pos:])
    return Template(raw.source, tuple(pieces), len(names), len({c for c in codes if c in gaz.places}))


def load_templates(paths: Sequence[Path], gaz: Gazetteer | None = None) -> list[Template]:
    gaz = gaz or gazetteer()
    return [make_template(raw, gaz) for raw in iter_articles(list(paths)) if isinstance(raw, RawArticle)]


class Varier:
    """Random names, places, dates and numbers for filling templates."""

    def __init__(self, rng: random.Random, gaz: Gazetteer) -> None:
        self.rng = rng
        self.gaz = gaz
        self.surnames = load_surnames()
        by_level: dict[str, list[Place]] = {}
        for code in sorted(gaz.places):
            p = gaz.places[code]
            if len(p.name) >= 2:
                by_level.setdefault(p.level, []).append(p)
        self.by_level = by_level

    def name(self) -> str:
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))
        return self.rng.choice(self.surnames) + given

    def place(self, code: str) -> Place:
        old = self.gaz.places[code]
        choices = self.by_level[old.level]
        while True:
            new = self.rng.choice(choices)
            if new.code != code or len(choices) == 1:
                return new

    def fill(self, template: Template) -> tuple[str, str]:
        """(text, ISO date) of one new article from `template`."""
        rng = self.rng
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS + 1))
        people: dict[str, str] = {}
        places: dict[str, Place] = {}
        out: list[str] = []
        for piece in template.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            kind, value = piece[0], piece[1]
            if kind == "person":
                if value not in people:
                    people[value] = self.name()
                out.append(people[value])
            elif kind == "place":
                if value not in places:
                    places[value] = self.place(value)
                p = places[value]
                short = p.short if len(p.short) >= 2 else p.name
                out.append(p.name if piece[2] == "full" else short)
            elif kind == "iso":
                out.append(day.isoformat())
            elif kind == "year":
                out.append(str(day.year))
            elif kind == "md":
                d = day - dt.timedelta(days=rng.randint(0, 3))
                out.append(f"{d.month}月{d.day}日")
            elif kind == "month":
                out.append(str(day.month))
            elif kind == "day":
                out.append(str(rng.randint(1, 28)))
            else:
                n = len(value)
                low = 10 ** (n - 1) if n > 1 else 0
                out.append(str(rng.randint(low, 10**n - 1)))
        return "".join(out), day.isoformat()


def articles(n: int, templates: Sequence[Template], seed: int = 0) -> Iterator[dict[str, str]]:
    """N article records, cycling through the templates in a seeded random order."""
    if not templates:
        raise ValueError("no templates")
    rng = random.Random(seed)
    varier = Varier(rng, gazetteer())
    order = list(range(len(templates)))
    for i in range(n):
        if i % len(order) == 0:
            rng.shuffle(order)
        text, date = varier.fill(templates[order[i % len(order)]])
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]
        yield {"id": f"gen-{seed}-{i:07d}", "date": date, "title": title, "text": text}


def write_corpus(n: int, out: Path, seed: int = 0, dev: Path | None = DEV, log: bool = True) -> Path:
    """Write N articles to `out` (.jsonl.gz), one line at a time."""
    templates = load_templates(template_paths(dev))
    if log:
        people = sum(t.people for t in templates)
        places = sum(t.places for t in templates)
        print(
            f"{len(templates)} templates ({people} persons, {places} places varied); writing {n} articles to {out}",
            file=sys.stderr,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    # mtime=0: the same seed gives the same bytes
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) as gz:
        f = io.TextIOWrapper(gz, encoding="utf-8")
        for record in articles(n, templates, seed):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
        f.detach()
    tmp.replace(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=parse_count, help="number of articles: 1000, 10k, 100k")
    ap.add_argument("-o", "--out", type=Path, help="output .jsonl.gz (default corpus-N-sSEED.jsonl.gz)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-dev", action="store_true", help="only the bundled samples as templates")
    args = ap.parse_args(argv)
    out = args.out or Path(f"corpus-{args.n}-s{args.seed}.jsonl.gz")
    write_corpus(args.n, out, args.seed, dev=None if args.no_dev else DEV)
    return 0


if __name__ == "__main__":
    sys.exit(main())
