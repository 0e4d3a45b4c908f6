"""Dates: the publication date of an article and the day an event took place."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# 2022-09-15 09:01:53, 2022年9月15日, 2022/9/15, 2022.09.15 near the top or in the byline
FULL_DATE = re.compile(r"(20\d\d|19\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
# 15.09.2022 (day first, as some sites print it)
DAY_FIRST_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(20\d\d|19\d\d)(?![\d.])")
# the Republic of China's years (Taiwan): 民国112年5月17日, 112年5月17日 = 2023-05-17
ROC_DATE = re.compile(r"(?<!\d)(?:民国)?(1[01]\d|[89]\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
ROC_OFFSET = 1911
# a labelled publication line anywhere in the page chrome: 发布时间：2022-09-15, 日期：…
PUBLISHED_LABEL = re.compile(r"(?:发布|发表|更新|录入|信息)?(?:时间|日期)\s*[:：]\s*")
MONTH_DAY = re.compile(r"(?:(20\d\d|19\d\d)\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?![讯电])")
BARE_DAY = re.compile(r"(?<![\d月])(\d{1,2})[日号](?![讯电])")
# 昨天（25日）, 今(3)日 (Taiwan: today, the 3rd)
RELATIVE = re.compile(r"(昨天|昨日|今天|今日|前天|前日|今|昨)(?:[（(](\d{1,2})日?[)）]日?)?(?(2)|(?<=[天日]))")
RELATIVE_DAYS = {"今天": 0, "今日": 0, "今": 0, "昨天": -1, "昨日": -1, "昨": -1, "前天": -2, "前日": -2}
# a year named in an event's own sentence (召开2021年第4次…会议, 部署2020年工作)
YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年(?!\d{1,2}\s*月)")


@dataclass(frozen=True)
class Day:
    month: int
    day: int
    year: int | None = None
    start: int = 0
    end: int = 0

    def iso(self) -> str | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day).isoformat()
        except ValueError:
            return None

    def month_day(self) -> str | None:
        if not (1 <= self.month <= 12 and 1 <= self.day <= 31):
            return None
        return f"--{self.month:02d}-{self.day:02d}"


def publication_date(text: str, meta_date: str | None) -> dt.date | None:
    """The metadata date, else a full date in the first lines (dateline, source line)."""
    if meta_date:
        m = FULL_DATE.search(meta_date)
        if m:
            return _date(m)
    for label in PUBLISHED_LABEL.finditer(text, 0, 3000):
        m = FULL_DATE.match(text, label.end())
        if m and _date(m):
            return _date(m)
    head = text[:600]
    found = [d for d in (_date(m) for m in FULL_DATE.finditer(head)) if d]
    found += [d for d in (_day_first(m) for m in DAY_FIRST_DATE.finditer(head)) if d]
    found += [d for d in (_roc(m) for m in ROC_DATE.finditer(head)) if d]
    if not found:
        return None
    return min(found, key=lambda d: _position(head, d))


def _position(head: str, d: dt.date) -> int:
    """Where in `head` a date is first written (the earliest one wins)."""
    for pattern, build in ((FULL_DATE, _date), (DAY_FIRST_DATE, _day_first), (ROC_DATE, _roc)):
        for m in pattern.finditer(head):
            if build(m) == d:
                return m.start()
    return len(head)


def _day_first(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _roc(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)) + ROC_OFFSET, int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def find_day(text: str, start: int, end: int, published: dt.date | None) -> Day | None:
    """The first day named in text[start:end] (9月14日, 2022年9月14日, 昨天（25日）, 112年5月17日).
    Without a publication date, a year named in the same sentence gives the year."""
    region = text[start:end]
    roc = ROC_DATE.search(region)
    if roc and _roc(roc):
        d = _roc(roc)
        assert d is not None
        return Day(d.month, d.day, d.year, start + roc.start(), start + roc.end())
    m = MONTH_DAY.search(region)
    r = RELATIVE.search(region)
    if r and (m is None or r.start() < m.start()) and published is not None:
        day = published + dt.timedelta(days=RELATIVE_DAYS[r.group(1)])
        if r.group(2) and int(r.group(2)) != day.day:
            return None
        return Day(day.month, day.day, day.year, start + r.start(), start + r.end())
    if m is None:
        return _bare_day(region, start, published)
    month, day_ = int(m.group(2)), int(m.group(3))
    year = int(m.group(1)) if m.group(1) else _year_for(month, published)
    if year is None:
        years = [int(y.group(1)) for y in YEAR.finditer(region)]
        year = max(years) if years else None
    return Day(month, day_, year, start + m.start(), start + m.end())


def _bare_day(region: str, start: int, published: dt.date | None) -> Day | None:
    """14日 with no month: the publication month (the one before, if the day is later)."""
    m = BARE_DAY.search(region)
    if m is None or published is None:
        return None
    day = int(m.group(1))
    month, year = published.month, published.year
    if day > published.day:
        month, year = (month - 1, year) if month > 1 else (12, year - 1)
    return Day(month, day, year, start + m.start(), start + m.end())


def _year_for(month: int, published: dt.date | None) -> int | None:
    """The year of a month/day reported in an article published on `published`."""
    if published is None:
        return None
    return published.year - 1 if month > published.month + 1 else published.year
