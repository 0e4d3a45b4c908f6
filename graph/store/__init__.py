"""Stage 4, store: Oxigraph on disk (a named graph per article) with its SQLite archive,
the files written from it, and a built graph as the read side opens it."""
