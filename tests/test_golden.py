"""The sample graph against hand-written expected facts (tests/data/samples_expected.txt).

Every check is a SPARQL query on the contract terms only (../shared/spec/CONTRACT.md):
gov:chairs / gov:attends / gov:conducts, gov:holdsPost + gov:title + gov:jurisdiction,
gov:heldIn + rdfs:label, schema:startDate / gov:monthDay, gov:follows, gov:Journalist.
Labels are compared with STR(), so a plain literal or an @zh-Hans one both match.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import PROV, RDFS

from graph.rdf.vocab import GOV, SCHEMA

EXPECTED = Path(__file__).resolve().parent / "data" / "samples_expected.txt"
ROLES = ("chairs", "attends", "conducts")
PREFIXES = {"gov": GOV, "schema": SCHEMA, "prov": PROV, "rdfs": RDFS}


@dataclass(frozen=True)
class Event:
    kind: str  # Meeting | Inspection
    place: str
    date: str | None  # YYYY-MM-DD, --MM-DD, or None


@dataclass(frozen=True)
class Fact:
    article: str
    line: int
    verb: str
    args: tuple[str, ...]
    event: Event | None  # the event line a role/follows line belongs to

    def __str__(self) -> str:
        return f"{self.article}:{self.line}: {self.verb} {' '.join(self.args)}"


@dataclass
class Article:
    name: str
    facts: list[Fact] = field(default_factory=list)


ARITY = {
    "event": (2, 3),
    "chairs": (1, 1),
    "attends": (1, 1),
    "conducts": (1, 1),
    "follows": (1, 1),
    "post": (2, 3),
    "journalist": (1, 1),
}


def parse_expected(path: Path = EXPECTED) -> list[Article]:
    """The articles of the expected-facts file, in file order (format: its header)."""
    articles: list[Article] = []
    event: Event | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            articles.append(Article(line[1:-1].strip()))
            event = None
            continue
        verb, *args = line.split()
        low, high = ARITY.get(verb, (-1, -1))
        if not low <= len(args) <= high:
            raise ValueError(f"{path.name}:{number}: cannot read {line!r}")
        if not articles:
            raise ValueError(f"{path.name}:{number}: fact before any [FILE] line")
        if verb == "event":
            event = Event(args[0], args[1], args[2] if len(args) > 2 else None)
        elif verb in (*ROLES, "follows") and event is None:
            raise ValueError(f"{path.name}:{number}: {verb} line before any event line")
        articles[-1].facts.append(Fact(articles[-1].name, number, verb, tuple(args), event))
    return articles


ARTICLES = parse_expected()
FACTS = [fact for article in ARTICLES for fact in article.facts]


def ask(g: Graph, query: str, **bindings: object) -> bool:
    init = {k: Literal(v) if isinstance(v, str) else v for k, v in bindings.items()}
    return bool(g.query(query, initNs=PREFIXES, initBindings=init).askAnswer)


def _event_pattern(event: Event) -> tuple[str, dict[str, object]]:
    """SPARQL matching ?m: the event of `event` derived from the article ?file."""
    if event.kind not in ("Meeting", "Inspection"):
        raise ValueError(f"unknown event type {event.kind!r}")
    pattern = f"""
        ?a gov:fileName ?file .
        ?m a gov:{event.kind} ; prov:wasDerivedFrom ?a ; gov:heldIn ?place .
        ?place rdfs:label ?placeLabel . FILTER(STR(?placeLabel) = ?placeName)
    """
    bindings: dict[str, object] = {"placeName": event.place}
    if event.date is None:
        pass
    elif event.date.startswith("--"):
        pattern += "?m gov:monthDay ?md . FILTER(STR(?md) = ?date)\n"
        bindings["date"] = event.date
    else:
        pattern += "?m schema:startDate ?d . FILTER(STR(?d) = ?date)\n"
        bindings["date"] = event.date
    return pattern, bindings


def fact_holds(g: Graph, fact: Fact) -> bool:
    file = fact.article
    if fact.verb == "event":
        assert fact.event is not None
        pattern, bindings = _event_pattern(fact.event)
        return ask(g, f"ASK {{ {pattern} }}", file=file, **bindings)
    if fact.verb in ROLES:
        assert fact.event is not None
        pattern, bindings = _event_pattern(fact.event)
        query = f"""ASK {{ {pattern}
            ?p gov:{fact.verb} ?m ; rdfs:label ?n . FILTER(STR(?n) = ?name) }}"""
        return ask(g, query, file=file, name=fact.args[0], **bindings)
    if fact.verb == "follows":
        assert fact.event is not None
        pattern, bindings = _event_pattern(fact.event)
        query = f"""ASK {{ {pattern}
            ?m gov:follows ?upper . ?upper gov:heldIn ?up . ?up rdfs:label ?ul .
            FILTER(STR(?ul) = ?upperPlace) }}"""
        return ask(g, query, file=file, upperPlace=fact.args[0], **bindings)
    if fact.verb == "post":
        name, title, *place = fact.args
        query = """ASK {
            ?a gov:fileName ?file .
            ?p a gov:Official ; rdfs:label ?n ; gov:holdsPost ?post . FILTER(STR(?n) = ?name)
            ?post gov:title ?t ; prov:wasDerivedFrom ?a . FILTER(STR(?t) = ?title)
        """
        bindings = {"name": name, "title": title}
        if place:
            query += "?post gov:jurisdiction ?j . ?j rdfs:label ?jl . FILTER(STR(?jl) = ?place)\n"
            bindings["place"] = place[0]
        return ask(g, query + "}", file=file, **bindings)
    if fact.verb == "journalist":
        query = "ASK { ?j a gov:Journalist ; rdfs:label ?n . FILTER(STR(?n) = ?name) }"
        return ask(g, query, name=fact.args[0])
    raise ValueError(f"unknown fact {fact}")


def test_expected_file_covers_every_sample(samples_dir: Path) -> None:
    assert sorted(a.name for a in ARTICLES) == sorted(p.name for p in samples_dir.glob("*.txt"))
    for article in ARTICLES:
        verbs = {f.verb for f in article.facts}
        assert "event" in verbs and "post" in verbs, article.name


@pytest.mark.parametrize("fact", FACTS, ids=str)
def test_expected_fact_in_graph(built_samples: tuple[Path, Graph], fact: Fact) -> None:
    _, g = built_samples
    assert fact_holds(g, fact), f"missing from the sample graph: {fact}"


def _expected_roles() -> list[tuple[str, str, frozenset[str]]]:
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    for article in ARTICLES:
        for role in ROLES:  # an empty set is an expectation too
            wanted.setdefault((article.name, role), set())
        for fact in article.facts:
            if fact.verb in ROLES:
                wanted[(article.name, fact.verb)].add(fact.args[0])
    return [(name, role, frozenset(names)) for (name, role), names in sorted(wanted.items())]


@pytest.mark.parametrize(
    ("article", "role", "expected"), _expected_roles(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_no_extra_participants(
    built_samples: tuple[Path, Graph], article: str, role: str, expected: frozenset[str]
) -> None:
    _, g = built_samples
    rows = g.query(
        f"""SELECT DISTINCT ?n WHERE {{
            ?a gov:fileName ?file .
            ?m prov:wasDerivedFrom ?a .
            ?p gov:{role} ?m ; rdfs:label ?n .
        }}""",
        initNs=PREFIXES,
        initBindings={"file": Literal(article)},
    )
    found = {str(row[0]) for row in rows}
    assert found - expected == set(), f"{article}: unexpected gov:{role} participants"


def test_no_journalist_is_an_official(built_samples: tuple[Path, Graph]) -> None:
    _, g = built_samples
    both = g.query("SELECT ?j WHERE { ?j a gov:Journalist , gov:Official }", initNs=PREFIXES)
    assert list(both) == []
    journalists = {f.args[0] for f in FACTS if f.verb == "journalist"}
    officials = {
        str(row[0]) for row in g.query("SELECT ?n WHERE { ?p a gov:Official ; rdfs:label ?n }", initNs=PREFIXES)
    }
    assert journalists & officials == set()
