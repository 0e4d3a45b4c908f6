"""People across articles: one node per real person.

Within an article a name is one person. Across articles two mentions are the
same person when the name and the jurisdiction agree: the most specific place
of the person's posts in that article (临汾市 for 市委副书记、市长 of 临汾), or,
for a name listed without a title (市领导甲、乙), the place the article is about;
for a national office (国务院总理), the country.
Namesakes in different jurisdictions stay apart (the 李强 among a city's leaders
is not the Premier). The key is written on the node (gov:identityKey) so every
merge can be explained, and it is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.gazetteer import Gazetteer
from graph.records import ArticleInfo, PostHeld, Role, Statement

UNKNOWN = "?"
NATIONAL = "CN"  # the key's jurisdiction for national offices (国务院总理, 中央政治局常委 …)
NATIONAL_TITLE = re.compile(r"总书记|国家主席|国家副主席|国务院|总理|国务委员|中央|全国人大|全国政协")


def person_keys(statements: Iterable[Statement], info: ArticleInfo | None, gaz: Gazetteer) -> dict[str, str]:
    """`name@code` per person named in one article's statements."""
    sts = list(statements)
    places: dict[str, list[str]] = {}
    national: set[str] = set()
    for st in sts:
        if isinstance(st, PostHeld) and st.place and gaz.get(st.place):
            places.setdefault(st.person, []).append(st.place)
        elif isinstance(st, PostHeld) and st.place is None and NATIONAL_TITLE.search(st.title):
            national.add(st.person)
    default = info.place if info and info.place else UNKNOWN
    names = sorted({st.person for st in sts if isinstance(st, (PostHeld, Role))})
    return {
        n: f"{n}@{_most_specific(places.get(n, []), gaz) or (NATIONAL if n in national else default)}" for n in names
    }


def _most_specific(codes: list[str], gaz: Gazetteer) -> str | None:
    """The lowest-level place among a person's jurisdictions (first named wins a tie)."""
    best: str | None = None
    for code in codes:
        place = gaz.get(code)
        if place is None:
            continue
        if best is None or place.rank > gaz.places[best].rank:
            best = code
    return best
