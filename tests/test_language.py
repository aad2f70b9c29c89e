"""Language detection: text in capitals, names, short or unsure text, display names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.documents.language import LANGUAGE_NAMES, UNKNOWN, detect_language, language_name

REUTERS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578"


def test_capitals_and_foreign_company_names_do_not_change_the_language():
    text = (
        "BANQUE FRANCAISE DU COMMERCE EXTERIEUR ISSUES BOND\n"
        "Banque Francaise du Commerce Exterieur said it is issuing a 300 mln franc bond "
        "with a coupon of nine pct, lead manager Societe Generale said."
    )
    assert detect_language(text) == "en"
    assert detect_language("TALKING POINT/BANKAMERICA EQUITY OFFER\nBankAmerica Corp is not under pressure.") == "en"


def test_russian_and_too_short_text():
    assert detect_language("Владимир Путин посетил Москву в понедельник вечером") == "ru"
    assert detect_language("Hi there") == UNKNOWN
    assert detect_language("12 345 --") is None


def test_every_language_has_a_display_name():
    assert language_name("en") == "English" and language_name(UNKNOWN) == "Unknown"
    assert all(name and name[0].isupper() for name in LANGUAGE_NAMES.values())


def test_english_reuters_articles_are_english():
    if not REUTERS.is_dir():
        pytest.skip("Reuters-21578 corpus not present")
    rows = [json.loads(line) for line in (REUTERS / "truth.jsonl").read_text().splitlines()][::20]
    langs = [detect_language((REUTERS / "docs" / row["file"]).read_text()) for row in rows]
    assert sum(lang == "en" for lang in langs) / len(langs) >= 0.995
