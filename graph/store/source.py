"""A built graph as the read side takes it: its folder's Oxigraph store, or a Turtle file
loaded into memory.

load_graph        a folder holding graph.ttl, or a .ttl file -> rdflib.Graph
open_graph        the same, but a built folder's Oxigraph store when it has one (any size)
load_small_graph  load_graph, refused for a built folder too large to hold in memory
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from graph.errors import GraphNotFound, GraphTooLarge, one_line
from graph.rdf import vocab
from graph.store.store import GraphStore, read_store

GRAPH_FILE = "graph.ttl"
VIEW_LIMIT = 300_000  # triples; larger builds are drawn in parts (`build_graph.py view`)


def _build_hint() -> str:
    return "run `python build_graph.py build PATH... --out DIR` first"


Source = Graph | GraphStore
"""A built graph as the functions here take it: an rdflib Graph in memory, or a built
folder's Oxigraph store, which answers SPARQL itself over the union of its graphs."""


def open_graph(path: Path) -> Source:
    """A built folder's store when it has one (queries then read from disk, whatever the
    size of the graph); otherwise the Turtle file, loaded into memory (load_graph)."""
    path = Path(path)
    store = read_store(path) if path.is_dir() else None
    return store if store is not None else load_graph(path)


def load_small_graph(path: Path, purpose: str) -> Graph:
    """load_graph, refused (GovkgError, one line) for a built folder whose store holds more
    triples than the build draws or validates in memory (VIEW_LIMIT)."""
    path = Path(path)
    store = read_store(path) if path.is_dir() else None
    if store is not None and (size := store.triples()) > VIEW_LIMIT:
        raise GraphTooLarge(
            f"{path}: {size} triples is more than {VIEW_LIMIT} to load into memory for {purpose}; "
            "export --format nquads or turtle (streamed from the build), or draw a part with `view`"
        )
    return load_graph(path)


def load_graph(path: Path) -> Graph:
    """The graph in path: a folder holding graph.ttl, or a Turtle file."""
    path = Path(path)
    file = path / GRAPH_FILE if path.is_dir() else path
    if not file.is_file():
        where = f"{path} (no {GRAPH_FILE} in it)" if path.is_dir() else str(path)
        raise GraphNotFound(f"no built graph at {where}: {_build_hint()}")
    g = Graph()
    try:
        g.parse(file, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types
        raise GraphNotFound(f"{file} is not a readable graph ({one_line(exc)}): {_build_hint()}") from exc
    return vocab.bind_prefixes(g)
