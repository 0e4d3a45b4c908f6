"""graph.run.validate and ontology/shapes.ttl: the sample build conforms; hand-broken copies do not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from graph.rdf import vocab
from graph.rdf.vocab import GOV, GOVR
from graph.run.validate import SH, ValidationResult, shapes_graph, top_results, validate, write_report

Breaker = Callable[[Graph], URIRef]  # breaks a copy of the graph, returns the node at fault


@pytest.fixture(scope="module")
def sample_result(sample_graph: Graph) -> ValidationResult:
    return validate(sample_graph)


def _copy(g: Graph) -> Graph:
    out = Graph()
    for triple in g:
        out.add(triple)
    return out


def _first(g: Graph, cls: URIRef) -> URIRef:
    nodes = sorted(n for n in g.subjects(RDF.type, cls) if isinstance(n, URIRef))
    assert nodes, f"the sample graph has no {cls}"
    return nodes[0]


def _focus_nodes(result: ValidationResult) -> set[URIRef]:
    rep = result.report
    return {f for res in top_results(rep) for f in rep.objects(res, SH.focusNode) if isinstance(f, URIRef)}


# ---------------------------------------------------------------- the shapes themselves


def test_shapes_parse_and_are_labelled_in_both_languages() -> None:
    shapes = shapes_graph()
    typed = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(typed) >= 50
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
    for shape in typed | set(shapes.objects(None, SH.property)):
        labels = {lbl.language for lbl in shapes.objects(shape, RDFS.label) if isinstance(lbl, Literal)}
        assert {"zh-Hans", "en"} <= labels, shape
        if any((shape, t, None) in shapes for t in targets) or (None, SH.property, shape) in shapes:
            msgs = {m.language for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)}
            assert {"zh-Hans", "en"} <= msgs, shape


def test_every_class_the_build_writes_has_a_shape(sample_graph: Graph) -> None:
    shapes = shapes_graph()
    targeted = set(shapes.objects(None, SH.targetClass))
    written = {o for o in sample_graph.objects(None, RDF.type) if isinstance(o, URIRef) and str(o).startswith(str(GOV))}
    assert written <= targeted, written - targeted


# ---------------------------------------------------------------- the samples


def test_sample_build_conforms(sample_result: ValidationResult) -> None:
    assert sample_result.conforms, sample_result.text
    assert sample_result.results == 0
    assert sample_result.messages() == []


def test_validate_does_not_change_the_graph(sample_graph: Graph) -> None:
    g = _copy(sample_graph)
    before = len(g)
    validate(g)
    assert len(g) == before


# ---------------------------------------------------------------- broken copies


def _event_with_two_articles(g: Graph) -> URIRef:
    event = _first(g, vocab.Meeting)
    own = g.value(event, PROV.wasDerivedFrom)
    other = next(a for a in sorted(g.subjects(RDF.type, vocab.Article), key=str) if a != own)
    g.add((event, PROV.wasDerivedFrom, other))
    return event


def _place_with_five_digit_code(g: Graph) -> URIRef:
    place = _first(g, vocab.County)
    code = str(g.value(place, vocab.adminCode))
    g.set((place, vocab.adminCode, Literal(code[:5])))
    return place


def _post_without_title(g: Graph) -> URIRef:
    post = _first(g, vocab.Post)
    g.remove((post, vocab.title, None))
    return post


def _evidence_without_sentence(g: Graph) -> URIRef:
    node = _first(g, vocab.Evidence)
    g.remove((node, vocab.inSentence, None))
    return node


def _sentence_without_text(g: Graph) -> URIRef:
    node = _first(g, vocab.Sentence)
    g.remove((node, vocab.sentence, None))
    return node


def _mandate_of_a_non_concept(g: Graph) -> URIRef:
    event = _first(g, vocab.Meeting)
    place = GOVR["place/141000"]  # a place, not a measure
    g.add((event, vocab.mandates, place))
    return place  # the object is at fault (the shape targets objects of gov:mandates)


def _journalist_also_official(g: Graph) -> URIRef:
    journalist = _first(g, vocab.Journalist)
    g.add((journalist, RDF.type, vocab.Official))
    return journalist


def _offsets_reversed(g: Graph) -> URIRef:
    node = _first(g, vocab.Sentence)
    g.set((node, vocab.startOffset, Literal(10_000)))
    g.set((node, vocab.endOffset, Literal(5)))
    return node


def _concept_outside_the_scheme(g: Graph) -> URIRef:
    event = _first(g, vocab.Meeting)
    stray = URIRef("https://example.org/concept/stray")
    g.add((stray, RDF.type, SKOS.Concept))
    g.add((event, vocab.mandates, stray))
    return stray


def _county_reports_to_a_county(g: Graph) -> URIRef:
    counties = sorted(c for c in g.subjects(RDF.type, vocab.County) if isinstance(c, URIRef))
    county, other = counties[0], counties[1]
    g.set((county, vocab.reportsTo, other))
    return county


BROKEN: list[tuple[str, Breaker, str]] = [
    (
        "event-two-articles",
        _event_with_two_articles,
        "A meeting or inspection needs exactly one prov:wasDerivedFrom pointing to a gov:Article"
        " (an event comes from one article)",
    ),
    (
        "place-five-digit-code",
        _place_with_five_digit_code,
        "A place has at most one gov:adminCode, a string of 6 digits",
    ),
    ("post-without-title", _post_without_title, "A post needs exactly one non-empty gov:title"),
    (
        "evidence-without-sentence",
        _evidence_without_sentence,
        "An evidence node needs exactly one gov:inSentence pointing to a gov:Sentence",
    ),
    ("sentence-without-text", _sentence_without_text, "A sentence needs exactly one non-empty gov:sentence (its text)"),
    (
        "mandates-non-concept",
        _mandate_of_a_non_concept,
        "The object of gov:mandates must be a skos:Concept in the measure scheme (skos:inScheme govm:scheme)",
    ),
    (
        "journalist-also-official",
        _journalist_also_official,
        "A node must not be both a gov:Official and a gov:Journalist",
    ),
    (
        "offsets-reversed",
        _offsets_reversed,
        "A sentence needs exactly one non-negative xsd:integer gov:startOffset, not greater than gov:endOffset",
    ),
    (
        "concept-outside-scheme",
        _concept_outside_the_scheme,
        "The object of gov:mandates must be a skos:Concept in the measure scheme (skos:inScheme govm:scheme)",
    ),
    (
        "county-under-county",
        _county_reports_to_a_county,
        "A county needs exactly one gov:reportsTo, pointing to a gov:City or (directly administered) a gov:Province",
    ),
]


@pytest.mark.parametrize(("name", "breaker", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_copy_does_not_conform(sample_graph: Graph, name: str, breaker: Breaker, message: str) -> None:
    g = _copy(sample_graph)
    culprit = breaker(g)
    result = validate(g)
    assert not result.conforms
    assert result.results == 1, result.text
    assert result.messages() == [message]
    assert len(result.messages("zh-Hans")) == 1
    assert len(result.messages(None)) == 2
    assert _focus_nodes(result) == {culprit}
    assert message in result.text


def test_write_report(tmp_path: Path, sample_graph: Graph, sample_result: ValidationResult) -> None:
    ttl, txt = write_report(sample_result, tmp_path / "ok" / "report.ttl")
    assert txt == tmp_path / "ok" / "report.txt"
    assert Graph().parse(ttl, format="turtle")
    assert txt.read_text(encoding="utf-8").startswith("conforms: yes\nresults: 0\n")

    g = _copy(sample_graph)
    post = _post_without_title(g)
    bad = validate(g)
    ttl, txt = write_report(bad, tmp_path / "bad" / "report.ttl")
    report = Graph().parse(ttl, format="turtle")
    assert (None, SH.focusNode, post) in report
    text = txt.read_text(encoding="utf-8")
    assert text.startswith("conforms: no\nresults: 1\n")
    assert "A post needs exactly one non-empty gov:title" in text
    assert str(post) in text
    assert not list(tmp_path.rglob("*.tmp"))
