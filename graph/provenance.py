"""The built graph as an RDF dataset with one named graph per article.

to_dataset     split a built graph: every asserted triple named by an evidence
               node (rdf:subject / rdf:predicate / rdf:object), and every
               gov:mandates triple a directive orders, goes into the
               named graph of the article that evidence comes from
               (the prov:wasDerivedFrom of its gov:inSentence; graph IRI = the
               article IRI), into several
               if several articles state it; every other triple (types, labels,
               places, the evidence nodes themselves, the measure scheme) goes
               into the default graph. The union of all graphs is the input.
               keep_in_default=True also keeps the evidenced triples in the
               default graph (then the default graph alone is the input).
write_trig     the dataset as TriG: graphs sorted by IRI (default graph last),
               subjects and objects in a total order, so same triples -> same bytes
write_nquads   the dataset as N-Quads, lines sorted, so same triples -> same bytes

Both writers replace their file atomically (graph.export.write_atomic).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV
from rdflib.plugins.serializers.trig import TrigSerializer

from . import vocab
from .evidence import Triple, all_evidence
from .export import _canonical, _StableTurtleSerializer, write_atomic


def evidenced_triples(g: Graph) -> dict[Triple, set[URIRef]]:
    """Each asserted triple that has evidence (graph.evidence) -> the articles its
    evidence comes from (the prov:wasDerivedFrom of its sentences)."""
    out: dict[Triple, set[URIRef]] = {}
    for triple, _, sentence in all_evidence(g):
        if sentence is None or triple not in g:  # evidence for a statement the graph does not assert
            continue
        for article in g.objects(sentence, PROV.wasDerivedFrom):
            if isinstance(article, URIRef):
                out.setdefault(triple, set()).add(article)
    return out


def to_dataset(g: Graph, *, keep_in_default: bool = False) -> Dataset:
    """g split into the default graph and one named graph per article (see the module docstring)."""
    g = _canonical(g)  # stable blank-node labels, should a graph ever carry any
    ds = Dataset()
    for prefix, ns in g.namespaces():
        ds.bind(prefix, ns, override=True, replace=True)
    vocab.bind_prefixes(ds)
    placed = evidenced_triples(g)
    graphs: dict[URIRef, Graph] = {}
    for article in sorted({a for arts in placed.values() for a in arts}):
        graphs[article] = ds.graph(article)
    default = ds.default_graph
    for triple in g:
        articles = placed.get(triple)
        if articles:
            for article in articles:
                graphs[article].add(triple)
        if keep_in_default or not articles:
            default.add(triple)
    return ds


class _StableTrigSerializer(_StableTurtleSerializer, TrigSerializer):
    """rdflib's TriG serializer with export's stable subject/object order and sorted graphs."""

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        named = sorted(
            (c for c in self.contexts if c.identifier != DATASET_DEFAULT_GRAPH_ID),
            key=lambda c: str(c.identifier),
        )
        default = [c for c in self.contexts if c.identifier == DATASET_DEFAULT_GRAPH_ID][:1]
        self.contexts = named + default


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Silence the DeprecationWarnings rdflib 7's own TriG/N-Quads serializers raise (ConjunctiveGraph API)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        yield


def trig_bytes(ds: Dataset) -> bytes:
    """The dataset as UTF-8 TriG, identical bytes for identical quads."""
    stream = io.BytesIO()
    with _quiet_rdflib():
        _StableTrigSerializer(ds).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def nquads_bytes(ds: Dataset) -> bytes:
    """The dataset as UTF-8 N-Quads with the lines sorted."""
    with _quiet_rdflib():
        text = ds.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _as_dataset(g: Graph | Dataset) -> Dataset:
    return g if isinstance(g, Dataset) else to_dataset(g)


def write_trig(g: Graph | Dataset, path: Path) -> None:
    """Write g (split by to_dataset unless already a Dataset) as TriG: deterministic, atomic."""
    write_atomic(Path(path), trig_bytes(_as_dataset(g)))


def write_nquads(g: Graph | Dataset, path: Path) -> None:
    """Write g (split by to_dataset unless already a Dataset) as sorted N-Quads, atomically."""
    write_atomic(Path(path), nquads_bytes(_as_dataset(g)))
