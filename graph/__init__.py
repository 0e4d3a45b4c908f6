"""govkg: a knowledge graph of Chinese government news.

The pipeline, one subpackage per stage (imports point only down this list):

    graph.errors, records, files, tables   exceptions, the records between stages,
                                            atomic writes, ontology/ and its TSV reader
    graph.ingest     files, folders, .jsonl(.gz) -> RawArticle | Skip -> Document
    graph.gazetteer  China's divisions by year, zones, abbreviations; a name finder
    graph.extract    Document -> Statements with Evidence (one module per extractor)
    graph.rdf        the vocabulary, person resolution, Statements -> N-Triples, stable Turtle
    graph.store      Oxigraph (a graph per article) and its SQLite archive; a built graph opened
    graph.ask        SPARQL queries, views, analysis tables, the SPARQL endpoint
    graph.outputs    the HTML page, the network projection, GraphML, JSON-LD
    graph.run        a build over a corpus (local pool or Dask), SHACL validation, push

docs/architecture.md describes the stages and where to add to them.
"""

from __future__ import annotations

__version__ = "0.1.0"
