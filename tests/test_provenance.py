"""graph.provenance: the sample graph as a dataset with one named graph per article."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import PROV, RDF

from graph import vocab
from graph.provenance import evidenced_triples, nquads_bytes, to_dataset, trig_bytes, write_nquads, write_trig

# rdflib 7's own TriG/N-Quads parsers still use its deprecated ConjunctiveGraph API
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

RELATIONS = (vocab.chairs, vocab.attends, vocab.conducts, vocab.mandates, vocab.holdsPost)


@pytest.fixture(scope="module")
def dataset(sample_graph: Graph) -> Dataset:
    return to_dataset(sample_graph)


def _graphs(ds: Dataset) -> dict[URIRef, Graph]:
    """Non-empty graphs of ds by identifier (the default graph under DATASET_DEFAULT_GRAPH_ID)."""
    return {g.identifier: g for g in ds.graphs() if len(g)}  # type: ignore[misc]


def _articles_of(g: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> set[URIRef]:
    """The articles of the triple's evidence nodes, or of a mandate's directives."""
    s, p, o = triple
    if p == vocab.mandates:
        nodes = [d for d in g.subjects(vocab.issuedAt, s) if (d, vocab.directs, o) in g]
    else:
        nodes = [n for n in g.subjects(RDF.subject, s) if (n, RDF.predicate, p) in g and (n, RDF.object, o) in g]
    return {
        a  # type: ignore[misc]
        for node in nodes
        for sentence in g.objects(node, vocab.inSentence)
        for a in g.objects(sentence, PROV.wasDerivedFrom)
    }


def test_one_named_graph_per_article(sample_graph: Graph, dataset: Dataset) -> None:
    articles = set(sample_graph.subjects(RDF.type, vocab.Article))
    assert len(articles) == 5
    named = set(_graphs(dataset)) - {DATASET_DEFAULT_GRAPH_ID}
    assert named == articles


def test_relations_sit_in_their_articles_graph(sample_graph: Graph, dataset: Dataset) -> None:
    graphs = _graphs(dataset)
    default = graphs[DATASET_DEFAULT_GRAPH_ID]
    checked = 0
    for p in RELATIONS:
        for s, o in sample_graph.subject_objects(p):
            triple = (s, p, o)
            articles = _articles_of(sample_graph, triple)  # type: ignore[arg-type]
            assert articles, f"no evidence for {triple}"
            for article in articles:
                assert triple in graphs[article], (triple, article)
            others = set(graphs) - articles - {DATASET_DEFAULT_GRAPH_ID}
            assert not any(triple in graphs[a] for a in others), triple
            assert triple not in default
            checked += 1
    assert checked > 100


def test_everything_else_is_in_the_default_graph(sample_graph: Graph, dataset: Dataset) -> None:
    graphs = _graphs(dataset)
    default = graphs[DATASET_DEFAULT_GRAPH_ID]
    evidenced = evidenced_triples(sample_graph)
    union = Graph()
    for g in graphs.values():
        for triple in g:
            union.add(triple)
    assert isomorphic(union, sample_graph)
    for triple in sample_graph:
        assert (triple in default) != (triple in evidenced), triple
    # types, labels and evidence nodes stay in the default graph
    assert (None, RDF.type, vocab.Evidence) in default
    assert (None, RDF.type, vocab.Official) in default


def test_keep_in_default(sample_graph: Graph) -> None:
    ds = to_dataset(sample_graph, keep_in_default=True)
    graphs = _graphs(ds)
    assert isomorphic(graphs[DATASET_DEFAULT_GRAPH_ID], sample_graph)
    assert len(graphs) == 6


def test_trig_round_trip(tmp_path: Path, dataset: Dataset) -> None:
    path = tmp_path / "graph.trig"
    write_trig(dataset, path)
    back = Dataset()
    back.parse(path, format="trig")
    ours, theirs = _graphs(dataset), _graphs(back)
    assert set(ours) == set(theirs)
    for ident, g in ours.items():
        assert isomorphic(g, theirs[ident]), ident
    assert not list(tmp_path.glob("*.tmp"))


def test_nquads_round_trip_and_sorted(tmp_path: Path, dataset: Dataset) -> None:
    path = tmp_path / "graph.nq"
    write_nquads(dataset, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    back = Dataset()
    back.parse(path, format="nquads")
    ours, theirs = _graphs(dataset), _graphs(back)
    assert set(ours) == set(theirs)
    for ident, g in ours.items():
        assert isomorphic(g, theirs[ident]), ident


def test_output_is_deterministic(tmp_path: Path, sample_graph: Graph) -> None:
    # a second graph with the same triples added in reverse order
    shuffled = Graph()
    for triple in sorted(sample_graph, reverse=True):
        shuffled.add(triple)
    write_nquads(sample_graph, tmp_path / "a.nq")
    write_nquads(shuffled, tmp_path / "b.nq")
    write_nquads(sample_graph, tmp_path / "c.nq")
    a = (tmp_path / "a.nq").read_bytes()
    assert a and a == (tmp_path / "b.nq").read_bytes() == (tmp_path / "c.nq").read_bytes()
    assert trig_bytes(to_dataset(sample_graph)) == trig_bytes(to_dataset(shuffled))
    assert nquads_bytes(to_dataset(sample_graph)) == a
    write_trig(sample_graph, tmp_path / "a.trig")
    assert (tmp_path / "a.trig").read_bytes() == trig_bytes(to_dataset(shuffled))


def test_the_scan_and_the_lookup_find_the_same_evidence(sample_graph: Graph) -> None:
    from graph.evidence import all_evidence, evidence_of

    scanned = {(triple, node) for triple, node, _ in all_evidence(sample_graph) if triple in sample_graph}
    looked_up = {
        (triple, node)
        for triple in {t for t, _ in scanned}
        for node in evidence_of(sample_graph, *triple)
    }
    assert scanned == looked_up
    kinds = {p for (_, p, _), _ in scanned}
    assert vocab.mandates in kinds and vocab.chairs in kinds  # directives and evidence nodes both
    assert all(sentence is not None for _, _, sentence in all_evidence(sample_graph))
