"""The few exceptions govkg raises; every message names the bad value and what is valid."""

from __future__ import annotations


class GovkgError(Exception):
    """Base class: anything the CLI reports as a one-line error."""


class InputError(GovkgError):
    """An input path or article that cannot be used."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class QueryError(GovkgError):
    """A SPARQL query that cannot be read or run."""


class GraphNotFound(GovkgError):
    """A --graph folder with no built graph in it."""


class DataError(GovkgError):
    """A shipped data table (ontology/, gazetteer) that is missing or malformed."""


class GraphTooLarge(GovkgError):
    """A built graph too large for an operation that holds it in memory."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (its type's name when it has none)."""
    return " ".join(str(exc).split()) or type(exc).__name__
