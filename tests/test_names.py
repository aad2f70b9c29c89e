"""Tests for indexer.names: seeds, small inline cases, and a CoNLL slice when available."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.names import Entity, Names, extract_names, find_entities

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CONLL = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "conll2003"
JUNK = {"Email", "Blog", "Twitter", "MoU"}


def _seed(name: str) -> Names:
    return extract_names((SEEDS / name).read_text(encoding="utf-8"))


def _all(names: Names) -> set[str]:
    return set(names.people) | set(names.organizations) | set(names.places)


def test_ministry_press_release():
    names = _seed("002_9e64d5ca6b538b7b.txt")
    assert {
        "Rashid Ismailov",
        "Janis Mazeiks",
        "Lana Nusseibeh",
        "Lenni Montiel",
    } <= set(names.people)
    assert {"Joao Pessoa", "Moscow", "New York"} <= set(names.places)
    assert "United Nations" in names.organizations
    assert "UN" not in names.organizations
    assert "Joao Pessoa" not in names.people
    assert not JUNK & _all(names)


def test_itu_blog_post():
    names = _seed("000_da3b932311e528c8.txt")
    assert {
        "International Telecommunication Union",
        "Parahyangan Catholic University",
    } <= set(names.organizations)
    assert "ITU" not in _all(names)
    assert {"Bandung", "Indonesia", "Russia"} <= set(names.places)
    assert not JUNK & _all(names)


def test_title_cue_makes_a_person():
    text = "Deputy Minister Rashid Ismailov said the talks went well."
    assert find_entities(text) == [Entity(16, 31, "Rashid Ismailov", "PER")]
    assert extract_names(text) == Names(("Rashid Ismailov",), (), ())


def test_org_suffix():
    assert find_entities("Shares of Acme Holdings Inc rose on Monday.") == [Entity(10, 27, "Acme Holdings Inc", "ORG")]


def test_acronym_definition_is_an_alias():
    text = "The World Health Organization (WHO) met in Geneva. WHO officials said little."
    assert extract_names(text) == Names((), ("World Health Organization",), ("Geneva",))


def test_fixed_aliases_and_surnames():
    text = "Anna Kowalska met U.N. envoys in the U.S. on Friday. Kowalska said the UN would help."
    assert extract_names(text) == Names(("Anna Kowalska",), ("United Nations",), ("United States",))


def test_sentence_initial_common_word_and_lone_title():
    text = "However, the Deputy Minister disagreed. Tuesday was quiet."
    assert find_entities(text) == []


def test_junk_words_are_dropped():
    text = "Email: someone@example.com\nBlog: example.wordpress.com\nLeave a Reply\nLog Out / Change )\n"
    assert find_entities(text) == []


def test_cyrillic_is_skipped():
    assert find_entities("Министерство цифрового развития Российской Федерации") == []


def test_offsets_match_text():
    text = (SEEDS / "002_9e64d5ca6b538b7b.txt").read_text(encoding="utf-8")
    entities = find_entities(text)
    assert entities
    assert all(text[e.start : e.end] == e.text for e in entities)
    assert [e.start for e in entities] == sorted(e.start for e in entities)


def test_conll_slice_span_f1():
    if not CONLL.is_dir():
        pytest.skip("CoNLL-2003 corpus not present")
    docs = sorted((CONLL / "docs").glob("*.txt"))[:100]
    names = {p.stem for p in docs}
    gold = set()
    with open(CONLL / "entities.jsonl", encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e["doc"] in names:
                gold.add((e["doc"], e["start"], e["end"]))
    predicted = {(p.stem, e.start, e.end) for p in docs for e in find_entities(p.read_text(encoding="utf-8"))}
    hits = len(predicted & gold)
    precision, recall = hits / len(predicted), hits / len(gold)
    assert 2 * precision * recall / (precision + recall) >= 0.88
