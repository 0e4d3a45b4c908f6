"""Places in the built sample graph: codes, classes and the chain up to a province."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.rdf import vocab as v

LEVELS = {v.Province: 1, v.City: 2, v.County: 3}


def _level(g: Graph, node: URIRef) -> int | None:
    return next((n for cls, n in LEVELS.items() if (node, RDF.type, cls) in g), None)


def test_every_division_has_a_code_and_reaches_its_province(built_samples: tuple[Path, Graph]) -> None:
    _, g = built_samples
    places = [p for cls in LEVELS for p in g.subjects(RDF.type, cls)]
    assert len(places) >= 20
    for place in places:
        code = str(g.value(place, v.adminCode))
        assert len(code) == 6 and code.isdigit(), place
        node, seen = place, 0
        while _level(g, node) != 1:  # climb to the province, each step to a higher level
            parent = g.value(node, v.reportsTo)
            assert isinstance(parent, URIRef), f"{g.value(place, RDFS.label)} stops at {g.value(node, RDFS.label)}"
            assert _level(g, parent) < _level(g, node)  # type: ignore[operator]
            node, seen = parent, seen + 1
            assert seen <= 2
        assert str(g.value(node, v.adminCode)).endswith("0000")


def test_directly_administered_city_reports_to_its_province(built_samples: tuple[Path, Graph]) -> None:
    _, g = built_samples
    (city,) = [s for s, o in g.subject_objects(v.adminCode) if str(o) == "130682"]
    assert str(g.value(city, RDFS.label)) == "定州市"
    assert str(g.value(g.value(city, v.reportsTo), RDFS.label)) == "河北省"


def test_zones_are_a_class_of_their_own(built_samples: tuple[Path, Graph]) -> None:
    _, g = built_samples
    zones = set(g.subjects(RDF.type, v.Zone))
    assert zones
    for z in zones:
        assert _level(g, z) is None  # never typed a province, city or county
        assert str(g.value(z, RDFS.label)).endswith(("区", "示范区", "开发区", "新区", "园区"))


def test_places_carry_short_and_traditional_names(built_samples: tuple[Path, Graph]) -> None:
    _, g = built_samples
    (city,) = [s for s, o in g.subject_objects(v.adminCode) if str(o) == "141000"]
    alt = {(str(a), a.language) for a in g.objects(city, SKOS.altLabel)}
    assert ("临汾", "zh-hans") in alt
    assert ("臨汾市", "zh-hant") in alt
