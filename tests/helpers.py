"""Shared helpers for the extractor tests: build a Document from hand-written
text the way the pipeline does (normalize a RawArticle), run every extractor,
and pick statements out by kind."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from graph.extract import Analysis, extract
from graph.gazetteer import gazetteer
from graph.ingest.normalize import normalize
from graph.records import (
    Document,
    EventFound,
    Follows,
    Journalist,
    Mandate,
    PlaceNamed,
    PostHeld,
    RawArticle,
    Role,
    Statement,
)

T = TypeVar("T", bound=Statement)
# Codes of places the invented test sentences name.
SHEXIAN = "130426"  # 涉县
HEBEI = "130000"
NINGXIA = "640000"
GUANGXI = "450000"
SHARED = Path(__file__).resolve().parents[2] / "shared"  # ../shared beside the repository (corpora, gold)


def doc_of(text: str, date: str | None = None, name: str = "t.txt") -> Document:
    """A normalised Document for `text` (optionally with a metadata date)."""
    return normalize(RawArticle(name=name, source=name, text=text, date=date))


def analysis(text: str, date: str | None = None) -> Analysis:
    return Analysis(doc_of(text, date), gazetteer())


def statements(text: str, date: str | None = None) -> tuple[Statement, ...]:
    return extract(doc_of(text, date)).statements


def of(sts: tuple[Statement, ...], kind: type[T]) -> list[T]:
    return [s for s in sts if isinstance(s, kind)]


def posts(sts: tuple[Statement, ...]) -> list[tuple[str, str, str | None]]:
    return [(p.person, p.title, p.place) for p in of(sts, PostHeld)]


def events(sts: tuple[Statement, ...]) -> list[EventFound]:
    return of(sts, EventFound)


def roles(sts: tuple[Statement, ...]) -> set[tuple[str, str, str]]:
    """(person, role, event key)."""
    return {(r.person, r.role, r.event) for r in of(sts, Role)}


def follows(sts: tuple[Statement, ...]) -> list[tuple[str, str, str | None]]:
    return [(f.event, f.upper_label, f.upper_place) for f in of(sts, Follows)]


def mandates(sts: tuple[Statement, ...]) -> set[str]:
    return {m.measure for m in of(sts, Mandate)}


def journalists(sts: tuple[Statement, ...]) -> list[tuple[str, str]]:
    return [(j.person, j.role) for j in of(sts, Journalist)]


def places_named(sts: tuple[Statement, ...]) -> set[str]:
    return {p.place for p in of(sts, PlaceNamed)}


def people(sts: tuple[Statement, ...]) -> set[str]:
    """Everyone the officials and events extractors name."""
    return {p.person for p in of(sts, PostHeld)} | {r.person for r in of(sts, Role)}
