"""Ranking rules a user expects, each on a small folder of real-looking articles."""

import pytest
from helpers import write_files

from indexer import build_index, search


def ranked(index_dir, query):
    return [hit.id for hit in search(index_dir, query, page_size=100).hits]


def build(tmp_path, files):
    # Unrelated articles around the ones under test, so word rarity is not all-or-nothing.
    others = {f"other-{n}.txt": f"Other story {n}\n\nA report about harvests and weather, part {n}." for n in range(12)}
    write_files(tmp_path / "src", {**others, **files})
    build_index(tmp_path / "src", tmp_path / "index", jobs=1)
    return tmp_path / "index"


FILLER = "Delegates met in the capital on Monday to discuss the agenda for the coming year."


def test_exact_form_outranks_stemmed_outranks_fuzzy(tmp_path):
    index = build(
        tmp_path,
        {
            "exact.txt": f"Treaty news\n\nThe ministers are signing the treaty. {FILLER}",
            "stemmed.txt": f"Treaty news\n\nThe ministers signed the treaty. {FILLER}",
            "fuzzy.txt": f"Choir news\n\nThe ministers are singing in the choir. {FILLER}",
        },
    )
    assert ranked(index, "signing~") == ["exact.txt", "stemmed.txt", "fuzzy.txt"]
    assert ranked(index, "signing") == ["exact.txt", "stemmed.txt"]


def test_title_match_outranks_body_match(tmp_path):
    index = build(
        tmp_path,
        {
            "body.txt": f"Weekly digest\n\nAmong many items, the summit was mentioned. {FILLER}",
            "title.txt": f"Summit opens\n\nMinisters arrived for the meeting. {FILLER}",
        },
    )
    assert ranked(index, "summit") == ["title.txt", "body.txt"]


def test_document_naming_a_person_outranks_one_mentioning_the_word(tmp_path):
    index = build(
        tmp_path,
        {
            "mention.txt": f"Market report\n\nTraders said the petrov index of grain prices rose. {FILLER}",
            "person.txt": f"Talks in Geneva\n\nMinister Ivan Petrov opened the talks in Geneva. {FILLER}",
        },
    )
    assert ranked(index, "petrov") == ["person.txt", "mention.txt"]


def test_query_with_a_date_favours_documents_of_that_date(tmp_path):
    index = build(
        tmp_path,
        {
            "other.txt": f"Forum report\n\nMarch 3, 2016\n\nIn November the forum said 2015 had been a good year. {FILLER}",
            "dated.txt": f"Forum report\n\nNovember 10, 2015\n\nThe forum opened. {FILLER}",
        },
    )
    assert ranked(index, "forum November 2015") == ["dated.txt", "other.txt"]


def test_adjacent_words_outrank_scattered_ones(tmp_path):
    index = build(
        tmp_path,
        {
            "scattered.txt": f"Report\n\nThe internet grew. {FILLER} Its governance was debated.",
            "adjacent.txt": f"Report\n\nInternet governance was debated. {FILLER} The network grew.",
        },
    )
    assert ranked(index, "internet governance") == ["adjacent.txt", "scattered.txt"]


@pytest.mark.parametrize("question", ["What is internet governance?", "what is internet governance ?"])
def test_a_question_mark_does_not_stop_a_match(tmp_path, question):
    index = build(tmp_path, {"a.txt": f"Report\n\nInternet governance was debated. {FILLER}"})
    assert ranked(index, question) == ["a.txt"]


def test_long_question_falls_back_to_any_words_with_a_notice(tmp_path):
    index = build(
        tmp_path,
        {
            "two.txt": f"Report\n\nThe spectrum auction raised money. {FILLER}",
            "one.txt": f"Report\n\nThe auction of paintings was cancelled. {FILLER}",
            "none.txt": f"Report\n\nNothing relevant here at all. {FILLER}",
        },
    )
    page = search(index, "spectrum auction results in Brazil")
    assert [hit.id for hit in page.hits] == ["two.txt", "one.txt"]
    assert (
        page.notice == "None of the articles have all of the words; showing those with any of them, most words first."
    )


AUCTION_FILES = {
    "two.txt": f"Report\n\nThe spectrum auction raised money. {FILLER}",
    "one.txt": f"Report\n\nThe auction of paintings was cancelled. {FILLER}",
    "none.txt": f"Report\n\nNothing relevant here at all. {FILLER}",
}


@pytest.mark.parametrize(
    "question",
    [
        'spectrum auction results - the "final" round - in Brazil',  # a pasted sentence: quotes, lone dashes
        "spectrum auction " + " ".join(f"word{n}" for n in range(80)),  # more words than a query may hold
    ],
)
def test_pasted_paragraph_without_operators_falls_back_to_any_words(tmp_path, question):
    index = build(tmp_path, AUCTION_FILES)
    assert ranked(index, question)[:2] == ["two.txt", "one.txt"]


def test_query_with_operators_is_not_broadened(tmp_path):
    index = build(tmp_path, AUCTION_FILES)
    assert ranked(index, "spectrum auction results NOT paintings") == []
    assert ranked(index, "spectrum auction -paintings") == ["two.txt"]


def test_a_word_in_every_document_weighs_next_to_nothing(tmp_path):
    # "report" is in every article; "harvests" in most; "vaccine" in one: the long question is
    # about the vaccine, and the article that names it once outranks one that repeats the rest.
    index = build(
        tmp_path,
        {
            "vaccine.txt": f"Report\n\nA report on the vaccine. {FILLER}",
            "repeats.txt": "Report\n\nA report about harvests: the report on harvests and the weather report.",
        },
    )
    assert ranked(index, "report about harvests weather vaccine")[:2] == ["vaccine.txt", "repeats.txt"]


def test_a_long_question_is_answered_by_articles_like_its_best_matches(tmp_path):
    # Feedback: the best matches speak of nicotine and tar, so the article about workers that
    # does too outranks the one that shares no more of the question's words.
    smoking = (
        "Smoking and lung health\n\nNicotine and tar in cigarette smoke harm the lungs, the heart and the "
        "blood vessels of smokers: nicotine, tar, carbon monoxide."
    )
    index = build(
        tmp_path,
        {
            **{f"smoking-{n}.txt": smoking for n in range(3)},
            "workers.txt": "Factory staff\n\nNicotine and tar among workers.",
            "overtime.txt": "Overtime\n\nLong shifts of workers at the plant.",
        },
    )
    order = ranked(index, "effects of smoking on the health of the lungs of workers")
    assert order.index("workers.txt") < order.index("overtime.txt")
