"""A date histogram of matching documents, its bucket (day, week, month, year) fitted to the span shown.

Each document's publication day is read once per opened index from the date column (as a
day number, 0 for undated); a histogram is one count over the matching documents' days.
"""

from __future__ import annotations

import bisect
import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

USECS_PER_DAY = 86_400_000_000  # whoosh stores a DATETIME as microseconds since datetime.min
UNDATED_DAY = 0  # date.toordinal() starts at 1
# The largest span (in days) drawn with each bucket: at most about 60 bars, whatever the span.
BUCKET_SPANS = (("day", 62), ("week", 62 * 7), ("month", 60 * 31))


@dataclass(frozen=True)
class TimelineBar:
    """One bucket: the first and last day it covers, and how many documents were published in it."""

    start: datetime.date
    end: datetime.date
    count: int


@dataclass(frozen=True)
class Timeline:
    bucket: str  # "day", "week", "month" or "year"
    bars: tuple[TimelineBar, ...]  # every bucket from the first to the last, empty ones too
    undated: int  # matching documents without a date


def day_numbers(dates: Iterable[int], undated_at: int) -> list[int]:
    """Each document's day (date.toordinal()) from the date column's values; UNDATED_DAY when missing."""
    return [UNDATED_DAY if value >= undated_at else value // USECS_PER_DAY + 1 for value in dates]


def count_timeline(
    per_day: Mapping[int, int],
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Timeline:
    """The histogram of documents counted by publication day (UNDATED_DAY for none), bucketed to fit
    the span from `date_from` to `date_to` within the first and last dates; only that span is drawn."""
    per_day = dict(per_day)
    undated = per_day.pop(UNDATED_DAY, 0)
    if not per_day:
        return Timeline("day", (), undated)
    first = max(date_from.toordinal(), min(per_day)) if date_from else min(per_day)
    last = min(date_to.toordinal(), max(per_day)) if date_to else max(per_day)
    if first > last:
        return Timeline("day", (), undated)
    bucket = next((name for name, span in BUCKET_SPANS if last - first < span), "year")
    starts = bucket_starts(bucket, datetime.date.fromordinal(first), datetime.date.fromordinal(last))
    ends = [day - 1 for day in starts[1:]]
    counts = Counter()
    for day, count in per_day.items():
        if starts[0] <= day < starts[-1]:
            counts[bisect.bisect_right(starts, day) - 1] += count
    bars = tuple(
        TimelineBar(datetime.date.fromordinal(start), datetime.date.fromordinal(end), counts[n])
        for n, (start, end) in enumerate(zip(starts, ends))
    )
    return Timeline(bucket, bars, undated)


def bucket_starts(bucket: str, first: datetime.date, last: datetime.date) -> list[int]:
    """The first day of each bucket from the one holding `first` to the one holding `last`, and
    the day after the last bucket."""
    start = bucket_start(bucket, first)
    starts = [start.toordinal()]
    while start <= last:
        try:
            start = next_start(bucket, start)
        except (ValueError, OverflowError):  # the bucket holding the year 9999
            starts.append(last.toordinal() + 1)
            break
        starts.append(start.toordinal())
    return starts


def bucket_start(bucket: str, day: datetime.date) -> datetime.date:
    if bucket == "week":
        return day - datetime.timedelta(days=day.weekday())  # weeks start on Monday (ISO 8601)
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "year":
        return day.replace(month=1, day=1)
    return day


def next_start(bucket: str, start: datetime.date) -> datetime.date:
    if bucket == "day":
        return start + datetime.timedelta(days=1)
    if bucket == "week":
        return start + datetime.timedelta(days=7)
    if bucket == "month":
        return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)
