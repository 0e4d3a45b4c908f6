"""Stage 7, run: the orchestration: a build over a corpus (a local process pool or a Dask
cluster), its validation against the SHACL shapes, and the push to a Graph Store."""
