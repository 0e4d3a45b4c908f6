"""The unit of work of a build: one article read -> its graph's N-Triples, run in a
worker process (the local pool of graph.run.pipeline, or a Dask task of
graph.run.distributed)."""

from __future__ import annotations

from graph.extract import extract
from graph.ingest.normalize import normalize
from graph.rdf.build import GraphBuilder
from graph.records import ArticleGraph, Extraction, RawArticle


def extract_article(raw: RawArticle) -> Extraction | str:
    """Normalise and extract one article (for the graph: without the offsets in the text
    as read, which it does not record); a message instead when it fails."""
    try:
        return extract(normalize(raw), original_offsets=False)
    except Exception as exc:
        return f"failed {raw.source}: {type(exc).__name__}: {exc}"


def article_triples(job: tuple[RawArticle, str]) -> ArticleGraph | str:
    """One article to the N-Triples of its graph (run in a worker process)."""
    raw, digest = job
    result = extract_article(raw)
    if isinstance(result, str):
        return result
    builder = GraphBuilder()
    builder.add(result)
    return ArticleGraph(raw.name, digest, *builder.parts())
