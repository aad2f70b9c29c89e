import datetime
import json
from pathlib import Path

import pytest

from indexer.documents.dates import mentioned_dates, publication_date

SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
REUTERS_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578"
D = datetime.date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Tuesday, April 18th, 2017", D(2017, 4, 18)),
        (
            "Joao Pessoa, November 10, 2015. — Rashid Ismailov took part",
            D(2015, 11, 10),
        ),
        ("26-FEB-1987 15:01:01.79", D(1987, 2, 26)),
        (" 5-MAR-1987 09:12:00.10", D(1987, 3, 5)),
        ("2015-11-10", D(2015, 11, 10)),
        ("2015-11-10T08:30:00Z", D(2015, 11, 10)),
        ("10.11.2015", D(2015, 11, 10)),
        ("10 ноября 2015 г.", D(2015, 11, 10)),
        ("22 июля 2008 г.", D(2008, 7, 22)),
        ("10-го ноября 2015 года", D(2015, 11, 10)),
        ("October 22–23, 2015", D(2015, 10, 22)),
        ("22–23 October 2015", D(2015, 10, 22)),
        ("Nov 10, 2015", D(2015, 11, 10)),
        ("Nov. 10, 2015", D(2015, 11, 10)),
        ("10 Nov 2015", D(2015, 11, 10)),
        ("November 10th 2015", D(2015, 11, 10)),
        ("18th of April, 2017", D(2017, 4, 18)),
        ("ноябрь 10, 2015", D(2015, 11, 10)),
        ("11/10/2015", D(2015, 11, 10)),  # slashes: month first (US)
        ("25/12/2015", D(2015, 12, 25)),  # ... unless that is impossible
    ],
)
def test_formats(line, expected):
    assert publication_date(f"SOME TITLE\n\n{line}\n") == expected
    assert mentioned_dates(line) == [expected]


@pytest.mark.parametrize(
    "line",
    [
        "On November 12",
        "SALVADOR, Feb 26 -",
        "December 2015",
        "30.02.2015",
        "Feb 30, 2015",
        "1 May 3015",
        "",
    ],
)
def test_no_full_date_gives_none(line):
    assert publication_date(f"SOME TITLE\n\n{line}\n") is None
    assert mentioned_dates(line) == []


def test_dateparser_fallback_needs_the_year_written():
    assert publication_date("TITLE\n2015, November 10\n") == D(2015, 11, 10)
    assert publication_date("TITLE\nPublished November 2015\n") is None


def test_title_is_skipped_unless_it_is_the_only_date():
    assert publication_date("2017-03-23 (3)\n\n\nTuesday, April 18th, 2017\n") == D(2017, 4, 18)
    assert publication_date("2017-03-23 (3)\n\nNo date here\n") == D(2017, 3, 23)


def test_first_date_line_wins_over_later_lines():
    header = "TITLE\n\n26-FEB-1987 15:01:01.79\nSALVADOR, Feb 26 -\nOn March 3, 1987 the talks\n"
    assert publication_date(header) == D(1987, 2, 26)


def test_seed_blog_post_date_is_its_date_line_not_its_title():
    text = (SEEDS_DIR / "000_da3b932311e528c8.txt").read_text(encoding="utf-8")
    assert publication_date(text[:400]) == D(2017, 4, 18)


def test_seed_ministry_article_date_is_its_dateline_not_its_footer():
    text = (SEEDS_DIR / "002_9e64d5ca6b538b7b.txt").read_text(encoding="utf-8")
    assert publication_date(text[:400]) == D(2015, 11, 10)
    footer = text[-400:]
    assert "22 июля 2008 г." in footer
    assert publication_date(text[:400] + footer) == D(2015, 11, 10)


def test_mentioned_dates_in_seed_body_in_order_without_repeats():
    text = (SEEDS_DIR / "002_9e64d5ca6b538b7b.txt").read_text(encoding="utf-8")
    body = text[: text.index("Официальный интернет-ресурс")]
    assert mentioned_dates(body) == [D(2015, 11, 10), D(2015, 10, 22)]
    assert mentioned_dates(text) == [D(2015, 11, 10), D(2015, 10, 22), D(2008, 7, 22)]
    assert mentioned_dates(body + body) == mentioned_dates(body)


@pytest.mark.skipif(not REUTERS_DIR.is_dir(), reason="Reuters-21578 corpus not present")
def test_reuters_first_500_publication_dates():
    lines = (REUTERS_DIR / "truth.jsonl").read_text(encoding="utf-8").splitlines()[:500]
    rows = [json.loads(line) for line in lines]
    hits = sum(
        publication_date((REUTERS_DIR / "docs" / row["file"]).read_text(encoding="utf-8")[:400])
        == datetime.datetime.fromisoformat(row["date"]).date()
        for row in rows
    )
    assert len(rows) == 500
    assert hits / len(rows) >= 0.99


BBC_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc"


def test_a_date_in_the_first_paragraph_dates_no_article():
    header = "Mobile phones\n\nThe first mobile phone call was made on 3 April 1973 by Martin Cooper.\n"
    assert publication_date(header) is None
    assert publication_date("Obituary\n\nHe was born on 12 May 1920.\n") is None
    assert publication_date("TITLE\n\nWASHINGTON, March 3, 1987 - The Senate voted.\n") == D(1987, 3, 3)


def test_undated_bbc_articles_stay_undated():
    if not BBC_DIR.is_dir():
        pytest.skip("BBC corpus not present")
    dated = [p.name for p in sorted(BBC_DIR.glob("docs/*/*.txt")) if publication_date(p.read_text()[:400])]
    assert dated == []
