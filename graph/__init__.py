"""govkg: a knowledge graph of Chinese government news.

The pipeline, one module per stage:

    graph.read       files, folders, .jsonl(.gz) -> RawArticle | Skip
    graph.normalize  RawArticle -> Document (Simplified, cleaned, offset map)
    graph.extract    Document -> Statements with Evidence (one module per extractor)
    graph.resolve    places (gazetteer) and people
    graph.build      Statements -> N-Triples lines (the only module writing RDF)
    graph.evidence   where a statement's evidence is in a built graph (read side of build)
    graph.export     Turtle, HTML (pyvis)
    graph.store      Oxigraph (a graph per article) and its SQLite archive
    graph.pipeline   runs the stages over a corpus and writes exports/
"""

from __future__ import annotations

__version__ = "0.1.0"
