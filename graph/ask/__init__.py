"""Stage 5, ask: the read side over a built graph: SPARQL queries and their formats,
the parts of a graph a view draws, the analysis tables and the SPARQL endpoint."""
