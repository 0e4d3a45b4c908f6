"""Stage 6, outputs: a built graph written for other tools: the interactive HTML page
(its scripts and style in page/), the network projection, GraphML and JSON-LD."""
