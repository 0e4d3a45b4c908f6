"""Dates: the publication date of an article and the day an event took place."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# 2022-09-15 09:01:53, 2022年9月15日, 2022/9/15, 2022.09.15 near the top or in the byline
FULL_DATE = re.compile(r"(20\d\d|19\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?")
MONTH_DAY = re.compile(r"(?:(20\d\d|19\d\d)年)?(\d{1,2})月(\d{1,2})日(?![讯电])")
BARE_DAY = re.compile(r"(?<![\d月])(\d{1,2})日(?![讯电])")
RELATIVE = re.compile(r"(昨天|昨日|今天|今日|前天|前日)(?:（(\d{1,2})日）)?")
RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "前日": -2}


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
    head = text[:600]
    m = FULL_DATE.search(head)
    return _date(m) if m else None


def _date(m: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def find_day(text: str, start: int, end: int, published: dt.date | None) -> Day | None:
    """The first day named in text[start:end] (9月14日, 2022年9月14日, 昨天（25日）)."""
    region = text[start:end]
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
