"""The few exceptions govkg raises; every message names the bad value and what is valid."""

from __future__ import annotations


class GovkgError(Exception):
    """Base class: anything the CLI reports as a one-line error, with exit status
    `exit_code`."""

    exit_code: int = 1


class InputError(GovkgError):
    """An input path or article that cannot be used."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class QueryError(GovkgError):
    """A SPARQL query that cannot be read or run."""


class QueryRefused(QueryError):
    """A query refused before it reaches the engine (too large, nested too deeply, FROM)."""

    exit_code = 2


class QueryTimeout(QueryError):
    """A query stopped because it ran longer than its time limit."""

    exit_code = 3


class BuildBusy(GovkgError):
    """Another build holds the lock of the build folder."""

    exit_code = 2


class RemovalRefused(GovkgError):
    """A rebuild that would remove more than half of the built articles (without --prune)."""

    exit_code = 2


class Interrupted(GovkgError):
    """A build stopped by SIGTERM or SIGINT (exit status 128 + the signal's number)."""

    def __init__(self, message: str, signum: int) -> None:
        super().__init__(message)
        self.exit_code = 128 + signum


class StorageError(GovkgError):
    """A file or the store could not be written or read (disk full, an I/O error)."""


class GraphNotFound(GovkgError):
    """A --graph folder with no built graph in it."""


class DataError(GovkgError):
    """A shipped data table (ontology/, gazetteer) that is missing or malformed."""


class GraphTooLarge(GovkgError):
    """A built graph too large for an operation that holds it in memory."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (its type's name when it has none)."""
    return " ".join(str(exc).split()) or type(exc).__name__
