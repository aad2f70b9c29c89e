"""The indexer on a real corpus: Reuters-21578 (13,585 articles with known dates)."""

import datetime
import json
import random

import pytest
from helpers import corpus

from indexer import SearchIndex, build_index, iter_hits, search


@pytest.fixture(scope="module")
def reuters():
    return corpus("reuters21578")


@pytest.fixture(scope="module")
def truth(reuters):
    return [json.loads(line) for line in (reuters / "truth.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def reuters_index(reuters, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("reuters-index")
    report = build_index(reuters / "docs", index_dir)
    assert (report.documents, report.skipped) == (13585, {})
    return SearchIndex(index_dir)


def test_publication_dates_match_the_truth(reuters_index, truth):
    found = {hit.id: hit.date for hit in iter_hits(reuters_index, "")}
    assert len(found) == len(truth)
    right = sum(found.get(t["file"]) == datetime.date.fromisoformat(t["date"][:10]) for t in truth)
    assert right / len(truth) >= 0.99


def test_unique_titles_find_their_document_first(reuters_index, truth):
    counts = {}
    for t in truth:
        counts[t["title"].casefold()] = counts.get(t["title"].casefold(), 0) + 1
    unique = [t for t in truth if counts[t["title"].casefold()] == 1 and len(t["title"].split()) > 1]
    sample = random.Random(2026).sample(unique, 200)
    first = sum(first_id(reuters_index, t["title"]) == t["file"] for t in sample)
    assert first / len(sample) >= 0.97


def first_id(index, title):
    hits = search(index, title, page_size=1).hits
    return hits[0].id if hits else None


def test_headlines_in_capitals_read_not_and_or_as_words(reuters_index, truth):
    # "U.S. SAYS TIN DISPOSALS WILL NOT AFFECT ACCORD" is a headline, not "U.S. ... WILL" without "AFFECT ACCORD".
    headlines = [t for t in truth if {"NOT", "OR"} & set(t["title"].split()) and t["title"].isupper()]
    assert len(headlines) > 50
    for t in headlines:
        capitals = search(reuters_index, t["title"], page_size=20)
        lower = search(reuters_index, t["title"].lower(), page_size=20)
        assert [(h.id, h.score) for h in capitals.hits] == [(h.id, h.score) for h in lower.hits]
    found = sum(first_id(reuters_index, t["title"]) == t["file"] for t in headlines)
    assert found / len(headlines) >= 0.8


def test_misspellings_that_a_few_articles_share_get_did_you_mean_beside_results(reuters_index):
    for typed, meant in [("acquisiton", "acquisition"), ("takover bid", "takeover bid"), ("goverment", "government")]:
        page = search(reuters_index, typed)
        assert (page.total > 0, page.suggestion) == (True, meant)


def test_words_of_headlines_are_not_corrected(reuters_index, truth):
    rng = random.Random(15)
    queries = [" ".join(rng.sample(t["title"].lower().split(), 2)) for t in rng.sample(truth, 300) if " " in t["title"]]
    corrected = [(query, search(reuters_index, query).suggestion) for query in queries]
    assert [pair for pair in corrected if pair[1]] == []


def test_typing_a_word_finds_what_the_word_finds(reuters_index):
    whole = {hit.id for hit in search(reuters_index, "acquisition", page_size=1000).hits}
    typed = {hit.id for hit in search(reuters_index, "acquisi", as_you_type=True, page_size=1000).hits}
    assert search(reuters_index, "acquisi").total == 0
    assert len(typed & whole) >= 0.9 * len(whole)
