"""The ontology files agree with graph/rdf/vocab.py and measures.tsv."""

from __future__ import annotations

import csv
import importlib.util
import sys
from types import ModuleType

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.rdf import vocab
from graph.rdf.vocab import GOV, GOVM, SCHEMA
from graph.tables import ONTOLOGY

SHARED_TSV = ONTOLOGY.parent.parent / "shared" / "spec" / "measures.tsv"
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
ORG_POST = URIRef("http://www.w3.org/ns/org#Post")
ORG_HOLDS = URIRef("http://www.w3.org/ns/org#holds")
PROV_ENTITY = URIRef("http://www.w3.org/ns/prov#Entity")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / "govkg.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def measures() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY / "measures.ttl", format="turtle")
    return g


def _tsv_rows() -> list[dict[str, str]]:
    with (ONTOLOGY / "measures.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _vocab_terms() -> dict[str, URIRef]:
    """Module attributes of graph.rdf.vocab that are IRIs in the gov: namespace."""
    return {
        name: value
        for name, value in vars(vocab).items()
        if isinstance(value, URIRef) and str(value).startswith(str(GOV))
    }


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_measures", ONTOLOGY / "make_measures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_vocab_has_gov_terms() -> None:
    terms = _vocab_terms()
    assert len(terms) >= 30
    assert terms["Official"] == GOV.Official


def test_every_vocab_term_is_declared(ontology: Graph) -> None:
    missing = [
        f"{name} ({iri})"
        for name, iri in sorted(_vocab_terms().items())
        if not any((iri, RDF.type, kind) in ontology for kind in DECLARATIONS)
    ]
    assert not missing, f"not declared in ontology/govkg.ttl: {missing}"


def test_classes_and_properties_are_declared_as_such(ontology: Graph) -> None:
    for name, iri in _vocab_terms().items():
        expected = (OWL.Class,) if name[0].isupper() else (OWL.ObjectProperty, OWL.DatatypeProperty)
        assert any((iri, RDF.type, k) in ontology for k in expected), name


def test_declared_terms_have_labels_and_comments(ontology: Graph) -> None:
    for kind in DECLARATIONS:
        for term in ontology.subjects(RDF.type, kind):
            langs = {lit.language for lit in ontology.objects(term, RDFS.label) if isinstance(lit, Literal)}
            assert {"zh-Hans", "en"} <= langs, term
            assert ontology.value(term, RDFS.comment) is not None, term


def test_key_axioms(ontology: Graph) -> None:
    expected = [
        (GOV.Official, RDFS.subClassOf, SCHEMA.Person),
        (GOV.Meeting, RDFS.subClassOf, SCHEMA.Event),
        (GOV.Inspection, RDFS.subClassOf, SCHEMA.Event),
        (GOV.Post, RDFS.subClassOf, ORG_POST),
        (GOV.Article, RDFS.subClassOf, SCHEMA.NewsArticle),
        (GOV.Evidence, RDFS.subClassOf, PROV_ENTITY),
        (GOV.Evidence, RDFS.subClassOf, RDF.Statement),
        (GOV.holdsPost, RDFS.subPropertyOf, ORG_HOLDS),
    ]
    for triple in expected:
        assert triple in ontology, triple


def test_datatype_properties_have_ranges(ontology: Graph) -> None:
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        assert ontology.value(prop, RDFS.range) is not None, prop


def test_measures_one_zh_preflabel_per_concept(measures: Graph) -> None:
    concepts = set(measures.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for concept in concepts:
        zh = [
            lit
            for lit in measures.objects(concept, SKOS.prefLabel)
            if isinstance(lit, Literal) and lit.language == "zh-Hans"
        ]
        assert len(zh) == 1, concept
        assert (concept, SKOS.inScheme, GOVM.scheme) in measures


def test_measures_cover_every_tsv_id(measures: Graph) -> None:
    rows = _tsv_rows()
    concepts = set(measures.subjects(RDF.type, SKOS.Concept))
    assert concepts == {GOVM[row["id"]] for row in rows}
    for row in rows:
        concept = GOVM[row["id"]]
        assert (concept, SKOS.prefLabel, Literal(row["zh"], lang="zh-Hans")) in measures
        assert (concept, SKOS.prefLabel, Literal(row["en"], lang="en")) in measures
        notations = {str(n) for n in measures.objects(concept, SKOS.notation)}
        assert notations == (set() if row["oxcgrt"] == "-" else {row["oxcgrt"]})


def test_measures_ttl_is_up_to_date() -> None:
    generator = _load_generator()
    text = generator.render(generator.read_measures(ONTOLOGY / "measures.tsv"))
    assert (ONTOLOGY / "measures.ttl").read_text(encoding="utf-8") == text


@pytest.mark.skipif(not SHARED_TSV.exists(), reason="no ../shared/spec checkout")
def test_measures_tsv_matches_shared_spec() -> None:
    assert (ONTOLOGY / "measures.tsv").read_bytes() == SHARED_TSV.read_bytes()
