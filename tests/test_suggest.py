"""Did you mean: a rare word beside a far more frequent near spelling, with results or without."""

import pytest
from helpers import write_files

from indexer import build_index, search
from indexer.searching.vocabulary import deletions, within_one_edit


@pytest.fixture(scope="module")
def deals(tmp_path_factory):
    """A hundred and twenty stories about acquisitions and takeover bids; one spells them "acquisiton" and "takover"."""
    folder = tmp_path_factory.mktemp("deals")
    files = {
        f"deal-{n}.txt": f"Deal {n}\n\nThe acquisition of unit {n} was agreed. A takeover bid for the {n} shares followed; the maker of parts said."
        for n in range(120)
    }
    files["typo.txt"] = (
        "Deal announced\n\nThe acquisiton of a mill, a takover bid, was agreed; the shares it shared rose."
    )
    files["bank.txt"] = "Banked on rates\n\nThe group banked its profits while rates rose."
    files["names.txt"] = "Visit\n\nJames Baker visited the mill."
    index_dir = tmp_path_factory.mktemp("deals-index")
    build_index(write_files(folder, files), index_dir, jobs=1)
    return index_dir


def test_a_rare_word_gets_its_far_more_frequent_spelling_beside_results(deals):
    page = search(deals, "acquisiton")
    assert ([hit.id for hit in page.hits], page.suggestion) == (["typo.txt"], "acquisition")


def test_multi_word_queries_get_each_misspelt_word_corrected(deals):
    page = search(deals, "takover bid")
    assert ([hit.id for hit in page.hits], page.suggestion) == (["typo.txt"], "takeover bid")
    assert search(deals, "mill acquisiton").suggestion == "mill acquisition"


def test_words_of_one_stem_names_and_frequent_words_are_not_corrected(deals):
    assert search(deals, "shared").suggestion is None  # "shares" is far more frequent, but the same stem
    assert search(deals, "baker").suggestion is None  # "maker" is far more frequent: a name differs there
    assert search(deals, "acquisition").suggestion is None
    assert search(deals, "takeover bid").suggestion is None


def test_a_word_no_document_holds_gets_the_nearest_indexed_word(deals):
    page = search(deals, "banqed")
    assert (page.total, page.suggestion) == (0, "banked")


def test_symmetric_deletions_find_every_single_edit():
    for typed, known in [
        ("acquisiton", "acquisition"),
        ("takover", "takeover"),
        ("cbale", "cable"),
        ("cabel", "cable"),
    ]:
        assert set(deletions(typed)) & set(deletions(known))
        assert within_one_edit(typed, known) and within_one_edit(known, typed)
    assert not within_one_edit("cable", "fable ")
    assert not within_one_edit("acquire", "acquisition")


def test_the_page_and_the_api_show_the_suggestion_beside_results(deals, tmp_path):
    from webapp import create_app

    app = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(deals), "SEARCH_SOURCE_DIR": str(tmp_path)})
    client = app.test_client()
    data = client.get("/api/search?q=acquisiton").get_json()
    assert (data["total"], data["suggestion"]) == (1, {"query": "acquisition", "url": "/?q=acquisition"})
    html = client.get("/?q=acquisiton").get_data(as_text=True)
    assert 'Did you mean <a href="/?q=acquisition"><em>acquisition</em></a>?' in html
    assert 'href="/doc/typo.txt' in html
