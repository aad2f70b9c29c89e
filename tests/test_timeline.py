"""The timeline: a date histogram of the matches, bucket fitted to the span, counted without the date range."""

from __future__ import annotations

import datetime
import json
from collections import Counter

import pytest
from helpers import write_files

from indexer import build_index, iter_hits, search
from indexer.searching.timeline import UNDATED_DAY, count_timeline

D = datetime.date


def per_day(days: list[int], docs) -> Counter:
    return Counter(days[doc] for doc in docs)


def days_of(*dates) -> list[int]:
    return [date.toordinal() if date else UNDATED_DAY for date in dates]


@pytest.mark.parametrize(
    ("first", "last", "bucket", "bars"),
    [
        (D(1987, 3, 2), D(1987, 3, 4), "day", 3),
        (D(1987, 3, 2), D(1987, 5, 1), "day", 61),
        (D(1987, 2, 26), D(1987, 10, 20), "week", 35),
        (D(1987, 1, 5), D(1990, 12, 31), "month", 48),
        (D(1960, 6, 1), D(2020, 1, 1), "year", 61),
    ],
)
def test_the_bucket_fits_the_span_and_every_bucket_is_drawn(first, last, bucket, bars):
    days = days_of(first, last, None, first)
    timeline = count_timeline(per_day(days, range(len(days))))
    assert (timeline.bucket, len(timeline.bars), timeline.undated) == (bucket, bars, 1)
    assert timeline.bars[0].start <= first <= timeline.bars[0].end
    assert timeline.bars[-1].start <= last <= timeline.bars[-1].end
    assert [bar.count for bar in timeline.bars if bar.count] == ([3] if bars == 1 else [2, 1])
    for before, after in zip(timeline.bars, timeline.bars[1:]):
        assert before.end + datetime.timedelta(days=1) == after.start  # no gaps, no overlaps


def test_weeks_start_on_monday_and_months_on_the_first():
    weeks = count_timeline(per_day(days_of(D(1987, 3, 4), D(1987, 6, 30)), [0, 1]))
    assert weeks.bars[0].start == D(1987, 3, 2) and weeks.bars[0].start.weekday() == 0
    months = count_timeline(per_day(days_of(D(1987, 3, 4), D(1989, 6, 30)), [0, 1]))
    assert (months.bars[0].start, months.bars[0].end, months.bars[-1].end) == (
        D(1987, 3, 1),
        D(1987, 3, 31),
        D(1989, 6, 30),
    )


def test_a_date_range_sets_the_span_within_the_dates_there_are():
    days = days_of(D(1987, 1, 1), D(1987, 3, 10), D(1987, 3, 12), D(1987, 12, 31))
    timeline = count_timeline(per_day(days, range(4)), D(1987, 3, 9), D(1987, 3, 15))
    assert timeline.bucket == "day"
    assert [(bar.start.day, bar.count) for bar in timeline.bars] == [
        (9, 0),
        (10, 1),
        (11, 0),
        (12, 1),
        (13, 0),
        (14, 0),
        (15, 0),
    ]
    # A range far wider than the documents is drawn over the dates there are, not ten thousand years.
    wide = count_timeline(per_day(days, range(4)), D(1, 1, 1), D(9999, 12, 31))
    assert (wide.bucket, len(wide.bars)) == ("week", 53)


MONTHS = {"jan": 1, "feb": 2, "mar": 3}


@pytest.fixture(scope="module")
def dated_index(tmp_path_factory):
    """Articles on known days of early 1987, and three with no date at all."""
    folder = tmp_path_factory.mktemp("timeline")
    files = {}
    for number in range(24):
        day = D(1987, 1, 5) + datetime.timedelta(days=number * 3)
        place = ("Tokyo", "Paris")[number % 2]
        files[f"news/{number:02d}.txt"] = (
            f"Oil prices move in {place} ({number})\n{day:%B} {day.day}, 1987\n\nCrude oil traded in {place} today.\n"
        )
    for number in range(3):
        files[f"notes/undated-{number}.txt"] = f"Oil note {number}\n\nA note on oil with no date in Paris.\n"
    write_files(folder / "docs", files)
    build_index(folder / "docs", folder / "index", jobs=1)
    return folder / "index"


def brute_force(index, query: str, **filters) -> tuple[Counter, int]:
    """Matches per day and undated, from each hit's own date (no date range applied)."""
    hits = list(iter_hits(index, query, **filters))
    return Counter(hit.date for hit in hits if hit.date), sum(1 for hit in hits if not hit.date)


def test_timeline_counts_match_the_hits_and_ignore_the_date_range(dated_index):
    per_day, undated = brute_force(dated_index, "oil")
    assert undated == 3 and sum(per_day.values()) == 24
    page = search(dated_index, "oil")
    assert page.timeline.undated == 3
    for bar in page.timeline.bars:
        assert bar.count == sum(n for day, n in per_day.items() if bar.start <= day <= bar.end), bar
    # Narrowed to February: the results shrink, the bars (within the range) keep their counts.
    narrowed = search(dated_index, "oil", date_from=D(1987, 2, 1), date_to=D(1987, 2, 28))
    assert narrowed.total == sum(n for day, n in per_day.items() if day.month == 2)
    assert narrowed.timeline.undated == 3
    for bar in narrowed.timeline.bars:
        assert bar.count == sum(n for day, n in per_day.items() if bar.start <= day <= bar.end), bar
    # Other filters and exclusions do narrow it.
    paris, paris_undated = brute_force(dated_index, "oil", filters={"place": ["Paris"]})
    assert paris_undated == 3  # the undated notes are about Paris
    tokyo_left = search(dated_index, "oil", exclude={"place": ["Paris"]})
    assert tokyo_left.timeline.undated == 0
    assert sum(bar.count for bar in tokyo_left.timeline.bars) == 24 - sum(paris.values())


def test_the_page_links_each_bar_to_its_dates_and_has_a_table(tmp_path, dated_index):
    from webapp import create_app

    client = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(dated_index)}).test_client()
    data = client.get("/api/search?q=oil").get_json()
    timeline = data["timeline"]
    assert (timeline["bucket"], timeline["undated"]) == ("week", 3)
    first = timeline["bars"][0]
    assert first == {
        "start": "1987-01-05",
        "end": "1987-01-11",
        "label": "Week of 5 Jan 1987",
        "count": 3,
        "selected": False,
        "url": "/?q=oil&from=1987-01-05&to=1987-01-11",
    }
    narrowed = client.get(first["url"]).get_data(as_text=True)
    assert "<strong>3 results</strong>" in narrowed
    assert 'class="timeline-undated">undated: 3</span>' in narrowed
    # Within the week, by day: each day a row, its link narrowing to that day.
    assert (
        '<tr class="selected"><th scope="row"><a href="/?q=oil&amp;from=1987-01-05&amp;to=1987-01-05">5 Jan 1987</a>'
        "</th><td>1</td></tr>" in narrowed
    )
    assert '<tr class="selected"><th scope="row">6 Jan 1987</th><td>0</td></tr>' in narrowed
    assert 'title="5 Jan 1987: 1 article"' in narrowed and 'title="6 Jan 1987: 0 articles"' in narrowed
    again = client.get("/api/search?q=oil&from=1987-01-05&to=1987-01-11").get_json()["timeline"]
    assert again["bucket"] == "day" and [bar["count"] for bar in again["bars"]] == [1, 0, 0, 1, 0, 0, 1]


def test_the_cli_json_has_the_timeline(dated_index):
    from click.testing import CliRunner

    from indexer.cli import main

    result = CliRunner().invoke(main, ["search", "oil", "--index", str(dated_index), "--json", "--to", "1987-01-08"])
    timeline = json.loads(result.output)["timeline"]
    assert timeline["bucket"] == "day" and timeline["undated"] == 3
    assert timeline["bars"][:2] == [
        {"start": "1987-01-05", "end": "1987-01-05", "count": 1},
        {"start": "1987-01-06", "end": "1987-01-06", "count": 0},
    ]
