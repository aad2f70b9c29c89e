"""Queries that stand for many terms are searched as a bounded few, through one parse for every caller.

Prefixes, wildcards (leading, infix, `?`), ranges and fuzzy words expand to their most frequent
indexed words, with a note when some were left out; a query's parts share one budget; the
relaxations, the document page and the main search read a query the same way.
"""

from __future__ import annotations

import fnmatch

import pytest
from helpers import write_files
from hypothesis import given, settings
from hypothesis import strategies as st

import indexer.searching.cost
import indexer.searching.search as search_module
from indexer import SearchIndex, build_index, get_document, search
from indexer.searching.expansion import MAX_QUERY_TERMS, glob_pattern
from indexer.searching.query import parse_query
from indexer.searching.vocabulary import FieldTerms

# Made-up words sharing the prefix "sq": sq0 is in every story, sq24 in one; sqz only in rare.txt.
SQ = [f"sq{chr(ord('a') + n)}" for n in range(25)]


def stories() -> dict[str, str]:
    files = {f"s{n:02}.txt": f"Story {n}\n\nThe notes list {' '.join(SQ[: n + 1])} today.\n" for n in range(25)}
    files.update(
        {
            "rare.txt": "Rare note\n\nOnly sqz appears in this note.\n",
            "administration.txt": "Review of the administration\n\nThe administration met in Paris on Monday.\n",
            "oil.txt": "Oil prices\n\nOil prices rose in Paris on Monday.\n",
            "ministrations.txt": "Kind ministrations\n\nHis ministrations were welcome in Berlin on Monday.\n",
            "march2.txt": "Grain talks\n\nMarch 2, 1987\n\nGrain talks opened in London.\n",
            "march4.txt": "Grain deal\n\nMarch 4, 1987\n\nA grain deal was signed in London.\n",
            "march9.txt": "Grain review\n\nMarch 9, 1987\n\nThe grain deal was reviewed in London.\n",
        }
    )
    return files


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    source = write_files(tmp_path_factory.mktemp("notes"), stories())
    index_dir = tmp_path_factory.mktemp("index")
    build_index(source, index_dir, jobs=1)
    opened = SearchIndex(index_dir)
    yield opened
    opened.close()


def ids(page) -> set[str]:
    return {hit.id for hit in page.hits}


def test_a_prefix_is_searched_as_its_most_frequent_words_with_a_note(index):
    page = search(index, "sq*", page_size=100)
    assert page.notice == "“sq*” matches 26 words; the 20 most common were searched (sqa, sqb, sqc, sqd, sqe, sqf, …)."
    assert page.total == 25  # every story holds sqa
    assert "rare.txt" not in ids(page)  # sqz is the rarest of the 26


def test_leading_and_infix_wildcards_and_question_marks_expand_the_same_way(index):
    assert ids(search(index, "*qz")) == {"rare.txt"}
    assert ids(search(index, "?qz")) == {"rare.txt"}
    infix = search(index, "*q*", page_size=100)
    assert infix.notice.startswith("“*q*” matches 26 words; the 20 most common were searched (sqa, sqb")
    assert "rare.txt" not in ids(infix)


def test_a_word_range_expands_like_a_pattern(index):
    page = search(index, "[sqa TO sqz]", page_size=100)
    assert page.notice.startswith("“[sqa TO sqz]” matches 26 words; the 20 most common were searched")
    assert page.total == 25


def test_the_patterns_of_one_query_share_one_budget_of_terms(index):
    letters = "sq* a* b* c* d* e* f* g* h* i*"
    with index.generation() as live:
        parsed = parse_query(letters, live.vocabulary, any_word=True)
    assert len(list(parsed.query.leaves())) <= MAX_QUERY_TERMS
    assert "“sq*” matches 26 words; the 2 most common were searched (sqa, sqb)." in parsed.notice


def test_a_wildcard_on_the_document_page_marks_only_the_words_searched(index):
    view = get_document(index, "s24.txt", query="sq*")
    assert "<mark>sqa</mark>" in view.body_html
    assert "<mark>sqw</mark>" not in view.body_html  # one of the six rarest: not searched


# "ministrations" is two edits from "administrations" but starts with another letter.
def test_fuzzy_edits_are_capped_and_keep_the_first_letter(index):
    assert ids(search(index, "administrations~7")) == {"administration.txt"}
    assert ids(search(index, "body:administrations~5")) == {"administration.txt"}


def test_the_document_page_reads_fuzzy_words_as_the_search_does(index):
    view = get_document(index, "ministrations.txt", query="administrations~7")
    assert "<mark>" not in view.body_html


def test_relaxations_read_fuzzy_words_as_the_search_does(index):
    # Zero results in Berlin: searching any of the words would not find ministrations.txt either.
    page = search(index, "administrations~7", filters={"place": ["Berlin"]})
    assert page.total == 0
    assert [(r.kind, r.facet) for r in page.relaxations] == [("drop_filter", "place")]


def test_a_repeated_fuzzy_mark_is_read_once(index):
    assert (
        ids(search(index, "administrations~2~2")) == ids(search(index, "administrations~2")) == {"administration.txt"}
    )


def test_a_query_over_its_budget_leaves_out_its_commonest_words(index, monkeypatch):
    monkeypatch.setattr(indexer.searching.cost, "MAX_QUERY_POSTINGS", 30)
    page = search(index, "sqa sqw", page_size=100, fold_versions=False)  # s23 and s24 are near-identical
    assert page.notice == "To answer in time, the commonest words of the query were left out: sqa."
    assert ids(page) == {"s22.txt", "s23.txt", "s24.txt"}  # the stories holding sqw


def test_a_query_of_stop_words_only_says_so(index):
    page = search(index, "the of and")
    assert page.notice == "Your query has only words too common to search for (the, of, and); showing all documents."
    assert page.total == 32


@pytest.mark.parametrize("query", ["title:(", "title:()", 'title:""', "oil title:"])
def test_a_field_name_with_nothing_after_it_is_left_out_with_a_note(index, query):
    page = search(index, query)
    assert page.notice == "Nothing to search for followed “title:”, so it was left out."
    assert page.total == (1 if query.startswith("oil") else 32)


def test_a_date_range_finds_the_documents_published_in_it(index):
    assert ids(search(index, "date:[1987-03-01 TO 1987-03-05]")) == {"march2.txt", "march4.txt"}
    assert ids(search(index, "grain date:[1987-03-03 TO]")) == {"march4.txt", "march9.txt"}
    assert ids(search(index, "date:[1987-03 TO 1987-03]")) == {"march2.txt", "march4.txt", "march9.txt"}
    page = search(index, "grain date:[soon TO later]")
    assert page.notice == (
        "Your query has a date range whose ends are not dates like 1987-03-01, 1987-03 or 1987; "
        "showing results for its words: grain."
    )
    assert page.total == 3


def test_fuzzy_neighbours_are_whooshs_own(index):
    with index.generation() as live:
        reader = live.searcher.reader()
        terms = live.vocabulary.field("exact")
        for word in ["administrations", "notes", "sqa", "grain", "ministration", "x"]:
            for edits in (1, 2):
                found = {terms.words[at] for at in terms.within(word, edits, 1)}
                assert found == set(reader.terms_within("exact", word, edits, prefix=1)), (word, edits)


WORDS = st.lists(st.text(alphabet="abc.", min_size=1, max_size=7), max_size=40, unique=True).map(sorted)


@settings(max_examples=300, deadline=None)
@given(words=WORDS, pattern=st.text(alphabet="abc*?.", min_size=1, max_size=9))
def test_globs_match_what_fnmatch_matches(words, pattern):
    terms = FieldTerms.of(words, [1] * len(words))
    found = [terms.words[at] for at in terms.matching(glob_pattern(pattern))]
    assert found == [word for word in words if fnmatch.fnmatchcase(word, pattern)]


def test_globs_with_many_stars_match_in_one_pass():
    # With backtracking this pattern would take about 30**10 steps on the word; atomic groups take one pass.
    terms = FieldTerms.of(["a" * 30, "a" * 29 + "b"], [1, 1])
    assert terms.matching(glob_pattern("*a" * 10 + "*c")) == []
    assert terms.matching(glob_pattern("*a" * 10 + "*b")) == [1]


def test_whoosh_matching_that_runs_out_of_time_answers_with_what_it_found(index, monkeypatch):
    monkeypatch.setattr(search_module, "WHOOSH_SECONDS", -1.0)  # out of time at the first match
    page = search(index, "date:[1987-03 TO 1987-03]")  # a date range: matched by whoosh, not from postings
    assert page.notice == "The search took too long to finish: showing the matches found in time, newest first."
    assert page.total == 1 and len(page.hits) == 1


def test_a_query_with_operators_offers_no_any_word_reading(index):
    page = search(index, "sqz -appears")  # rare.txt says "Only sqz appears": nothing left
    assert page.total == 0
    assert page.relaxations == ()


def test_only_the_first_fuzzy_words_of_a_query_are_looked_up(index):
    query = " ".join(f"{word}~" for word in ["administrations", *SQ[:8], "grian"])  # ten words marked ~
    page = search(index, query, page_size=100)
    assert page.notice.startswith("Only the first 8 words marked ~ were matched loosely; the rest as written.")
    assert "administration.txt" in ids(page)  # the first word's neighbour, "administration", was searched
    assert not {"march2.txt", "march4.txt", "march9.txt"} & ids(page)  # "grian" was not read as "grain"
