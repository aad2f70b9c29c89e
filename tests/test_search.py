import datetime
import gc
import os
import shutil
from pathlib import Path

import pytest
from helpers import FIRST_SEED, SECOND_SEED, write_files

from indexer import SearchIndex, build_index, get_document, iter_hits, search
from indexer.searching.highlight import HIGHLIGHT_CHAR_LIMIT


def hit_ids(page):
    return [hit.id for hit in page.hits]


def facet(page, name):
    (found,) = [f for f in page.facets if f.name == name]
    return {v.value: (v.count, v.selected) for v in found.values}


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    """Six short stories with known names, places and dates."""
    folder = tmp_path_factory.mktemp("news")
    stories = {
        "1.txt": (
            "ITU signs memorandum with Russia",
            "April 18, 2017",
            "MOSCOW - Russia and the International Telecommunication Union (ITU) signed a memorandum on internet governance.",
        ),
        "2.txt": (
            "Forum on internet governance opens",
            "November 10, 2015",
            "JOAO PESSOA - Deputy Minister Rashid Ismailov spoke at the forum in Joao Pessoa.",
        ),
        "3.txt": (
            "Spectrum auction in Brazil",
            "March 1, 2016",
            "BRASILIA - The auction of spectrum licences in Brazil raised record sums.",
        ),
        "4.txt": (
            "Cable cut slows internet in Indonesia",
            "May 5, 2017",
            "JAKARTA - A submarine cable cut slowed internet traffic in Indonesia.",
        ),
        "5.txt": (
            "Russia hosts cyber talks",
            "June 2, 2016",
            "MOSCOW - Officials from Russia and Indonesia held talks on cyber security in Moscow.",
        ),
        "6.txt": (
            "Министерство связи провело форум",
            "10 ноября 2015 г.",
            "Министерство цифрового развития провело форум по управлению интернетом в Москве.",
        ),
    }
    write_files(folder, {name: f"{title}\n\n{date}\n\n{body}\n" for name, (title, date, body) in stories.items()})
    index_dir = tmp_path_factory.mktemp("news-index")
    build_index(folder, index_dir, jobs=1)
    return index_dir


def test_words_are_anded_and_stemmed_forms_match(news):
    assert hit_ids(search(news, "signing memorandum")) == ["1.txt"]
    assert sorted(hit_ids(search(news, "internet"))) == ["1.txt", "2.txt", "4.txt"]


def test_snippets_mark_the_surface_form_of_stemmed_matches(news):
    (hit,) = search(news, "signing").hits
    assert hit.snippets_html == (
        "MOSCOW - Russia and the International Telecommunication Union (ITU) <mark>signed</mark> a memorandum on internet governance.",
    )
    assert hit.title_html == "ITU <mark>signs</mark> memorandum with Russia"


def test_russian_words_are_stemmed(news):
    assert hit_ids(search(news, "министерства")) == ["6.txt"]
    assert hit_ids(search(news, "форумом")) == ["6.txt"]


def test_query_syntax(news):
    assert hit_ids(search(news, '"internet governance"', sort="oldest")) == ["2.txt", "1.txt"]
    assert sorted(hit_ids(search(news, "auction OR cable"))) == ["3.txt", "4.txt"]
    assert hit_ids(search(news, "internet -governance")) == ["4.txt"]
    assert hit_ids(search(news, "internet NOT governance")) == ["4.txt"]
    assert hit_ids(search(news, "title:cable")) == ["4.txt"]
    assert hit_ids(search(news, "person:ismailov")) == ["2.txt"]
    assert hit_ids(search(news, "spectr*")) == ["3.txt"]
    assert hit_ids(search(news, "spectrun~")) == ["3.txt"]


def test_a_query_in_capitals_reads_and_or_not_as_words(news):
    # Wire copy and headlines come in capitals: their AND, OR, NOT and TO are words, as in lower case.
    for query in ("INTERNET NOT GOVERNANCE", "RUSSIA OR INDONESIA TALKS", "FORUM TO OPEN ON INTERNET GOVERNANCE"):
        capitals, lower = search(news, query), search(news, query.lower())
        assert (hit_ids(capitals), [h.score for h in capitals.hits]) == (
            hit_ids(lower),
            [h.score for h in lower.hits],
        )
        assert capitals.query == query
    assert hit_ids(search(news, "INTERNET NOT GOVERNANCE")) == ["2.txt", "1.txt", "4.txt"]  # any of the words
    assert hit_ids(search(news, "RUSSIA OR INDONESIA TALKS")) == ["5.txt", "4.txt", "1.txt"]  # all three words first


def test_operators_still_work_in_a_query_with_lower_case_letters(news):
    assert hit_ids(search(news, "Internet NOT governance")) == ["4.txt"]
    assert sorted(hit_ids(search(news, "ITU OR auction"))) == ["1.txt", "3.txt"]
    assert sorted(hit_ids(search(news, "Russia AND cable OR spectrum"))) == ["3.txt"]


def test_title_match_outranks_body_match(tmp_path):
    write_files(
        tmp_path / "src",
        {
            "body.txt": "Weekly digest\n\nA long digest of news where the summit is mentioned once among many other items.",
            "title.txt": "Summit opens\n\nDelegates arrived on Monday for the meeting of ministers.",
        },
    )
    build_index(tmp_path / "src", tmp_path / "index", jobs=1)
    assert hit_ids(search(tmp_path / "index", "summit")) == ["title.txt", "body.txt"]


@pytest.mark.parametrize(
    "query", ['"unbalanced', "(a OR", "title:", "AND OR NOT", "x" * 5000, "foo:bar", "***", "~~~ ^^ ::"]
)
def test_malformed_queries_never_raise(news, query):
    page = search(news, query)
    assert page.total >= 0


def test_overlong_query_is_cut_with_a_notice(news):
    page = search(news, "internet " * 300)
    assert page.notice == "The query was shortened to its first 1000 characters."


def test_empty_query_browses_everything_newest_first(news):
    page = search(news, "")
    assert page.total == 6
    assert hit_ids(page) == ["4.txt", "1.txt", "5.txt", "3.txt", "2.txt", "6.txt"]
    assert all(hit.score is None for hit in page.hits)


def test_facets_count_all_matches(news):
    page = search(news, "", page_size=1)
    assert facet(page, "year") == {"2017": (2, False), "2016": (2, False), "2015": (2, False)}
    assert facet(page, "lang") == {"en": (5, False), "ru": (1, False)}
    assert facet(page, "place")["Indonesia"] == (2, False)


def test_values_within_a_facet_are_ored_and_counted_without_their_own_selection(news):
    one = search(news, "", filters={"year": ["2017"]})
    assert sorted(hit_ids(one)) == ["1.txt", "4.txt"]
    assert facet(one, "year") == {"2017": (2, True), "2016": (2, False), "2015": (2, False)}
    two = search(news, "", filters={"year": ["2017", "2016"]})
    assert sorted(hit_ids(two)) == ["1.txt", "3.txt", "4.txt", "5.txt"]
    assert facet(two, "year") == {"2017": (2, True), "2016": (2, True), "2015": (2, False)}


def test_facets_are_anded_across(news):
    page = search(news, "", filters={"year": ["2016"], "place": ["Indonesia"]})
    assert hit_ids(page) == ["5.txt"]
    assert facet(page, "year")["2017"] == (1, False)  # 4.txt: Indonesia in 2017


def test_selected_value_with_no_matches_still_shows(news):
    page = search(news, "auction", filters={"place": ["Moscow"]})
    assert page.total == 0
    assert facet(page, "place")["Moscow"] == (0, True)


def test_undated_documents_come_last_in_both_date_orders(tmp_path):
    write_files(
        tmp_path / "src",
        {
            "a.txt": "No date\n\nForum news.",
            "b.txt": "Old\n\nMay 5, 2015\n\nForum.",
            "c.txt": "New\n\nMay 5, 2017\n\nForum.",
        },
    )
    build_index(tmp_path / "src", tmp_path / "index", jobs=1)
    assert hit_ids(search(tmp_path / "index", "forum", sort="newest")) == ["c.txt", "b.txt", "a.txt"]
    assert hit_ids(search(tmp_path / "index", "forum", sort="oldest")) == ["b.txt", "c.txt", "a.txt"]
    assert hit_ids(search(tmp_path / "index", "")) == ["c.txt", "b.txt", "a.txt"]


def test_date_range_and_sorting(news):
    page = search(news, "", date_from=datetime.date(2016, 1, 1), date_to=datetime.date(2016, 12, 31), sort="oldest")
    assert hit_ids(page) == ["3.txt", "5.txt"]


def test_pagination_clamps_absurd_pages(news):
    assert hit_ids(search(news, "", page=2, page_size=4)) == ["2.txt", "6.txt"]
    last = search(news, "", page=10**9, page_size=4)
    assert (last.page, last.page_count, hit_ids(last)) == (2, 2, ["2.txt", "6.txt"])
    assert search(news, "", page=-3, page_size=4).page == 1


def test_zero_results_offers_a_spelling_and_relaxations(news):
    misspelt = search(news, "governanse")
    assert (misspelt.total, misspelt.suggestion) == (0, "governance")
    strict = search(news, "auction cable", filters={"lang": ["en"]})
    assert strict.total == 0
    assert [(r.kind, r.total) for r in strict.relaxations] == [("any_words", 2)]
    filtered = search(news, "auction", filters={"place": ["Moscow"]})
    assert [(r.kind, r.facet, r.value, r.total) for r in filtered.relaxations] == [
        ("drop_filter", "place", "Moscow", 1)
    ]


def test_unknown_facet_or_sort_is_an_error(news):
    with pytest.raises(ValueError, match="unknown facet: colour"):
        search(news, "", filters={"colour": ["red"]})
    with pytest.raises(ValueError, match="unknown sort 'best'"):
        search(news, "", sort="best")


def test_lead_paragraph_stands_in_beyond_the_highlight_limit(tmp_path):
    body = (
        "Opening paragraph of a long report.\n\n"
        + "filler text " * (HIGHLIGHT_CHAR_LIMIT // 10)
        + "zanzibar appears late."
    )
    write_files(tmp_path / "src", {"long.txt": f"Long report\n\n{body}"})
    build_index(tmp_path / "src", tmp_path / "index", jobs=1)
    (hit,) = search(tmp_path / "index", "zanzibar").hits
    assert hit.snippets_html == ("Opening paragraph of a long report.",)


def test_html_in_documents_is_escaped_in_snippets(tmp_path):
    write_files(tmp_path / "src", {"x.txt": "Title <b>bold</b>\n\nThe forum <script>alert(1)</script> & more."})
    build_index(tmp_path / "src", tmp_path / "index", jobs=1)
    (hit,) = search(tmp_path / "index", "forum").hits
    assert hit.snippets_html == ("The <mark>forum</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; more.",)
    assert hit.title_html == "Title &lt;b&gt;bold&lt;/b&gt;"


def test_document_view_marks_the_query_and_finds_similar(seed_index):
    view = get_document(seed_index, SECOND_SEED, "internet")
    assert view.hit.title == "Rashid Ismailov Took Part in the Internet Management Forum"
    assert view.body_html.count("<mark>Internet</mark>") >= 5
    assert [hit.id for hit in view.similar] == [FIRST_SEED]
    assert get_document(seed_index, "../../etc/passwd") is None


def test_iter_hits_yields_every_match(news):
    assert sorted(hit.id for hit in iter_hits(news, "", batch_size=4)) == [f"{n}.txt" for n in range(1, 7)]


def test_an_index_dropped_in_a_reference_cycle_closes_its_files_without_warnings(news, tmp_path):
    """As a Flask app holds its index: freed only by the garbage collector, with the files whoosh
    opened. They are closed before their own finalizers could warn of an unclosed file.

    A private copy of the index, and only the files open below it are counted: the process's other
    files (closed by the same garbage collection, or opened by another thread) cannot change the count."""
    index_dir = shutil.copytree(news, tmp_path / "index")
    assert open_files_below(index_dir) == []
    index = SearchIndex(index_dir)
    index.cycle = index
    assert search(index, "forum").total
    assert open_files_below(index_dir)
    del index
    gc.collect()  # a ResourceWarning here would fail the test (warnings are errors)
    assert open_files_below(index_dir) == []


def open_files_below(folder: Path) -> list[str]:
    """Paths of this process's open files below `folder`."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # closed since the listing
            continue
        if target.startswith(f"{folder.resolve()}/"):
            found.append(target)
    return sorted(found)
