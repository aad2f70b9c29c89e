"""Search as you type: the last word of a query being typed stands for its most frequent completions."""

import pytest
from helpers import write_files

from indexer import SearchIndex, build_index, search
from indexer.searching.completion import MAX_COMPLETIONS, split_typed


def hit_ids(page):
    return sorted(hit.id for hit in page.hits)


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    folder = tmp_path_factory.mktemp("typing")
    files = {
        "1.txt": "Internet governance forum\n\nThe forum on internet governance opened in Geneva.",
        "2.txt": "Government cuts\n\nThe government cut the internet budget.",
        "3.txt": "Spectrum auction\n\nThe auction of spectrum licences raised record sums.",
        "4.txt": "Cable cut\n\nA submarine cable cut slowed the internet.",
        "5.txt": "Shipping news\n\nShips sailed south from Singapore, Sydney and Seoul on Sunday.",
    }
    # Words beginning "spe", from most to least frequent: special (5 documents), speech (4), ...
    for n, word in enumerate(["special"] * 5 + ["speech"] * 4 + ["speed"] * 3 + ["spent"] * 2):
        files[f"s{n}.txt"] = f"Note {n}\n\nA {word} note, number {n}."
    index_dir = tmp_path_factory.mktemp("typing-index")
    build_index(write_files(folder, files), index_dir, jobs=1)
    return index_dir


def test_the_last_word_is_a_prefix_while_typing(news):
    assert hit_ids(search(news, "internet gov", as_you_type=True)) == ["1.txt", "2.txt"]
    assert search(news, "internet gov").total == 0  # a finished query reads "gov" as a word
    assert hit_ids(search(news, "GOVERNMENT C", as_you_type=True)) == ["2.txt"]


def test_a_finished_last_word_reads_as_typed(news):
    # A space after the word, a closing quote, or a stop word: nothing is being typed.
    for query in ("internet gov ", '"internet governance"', "governance of"):
        assert hit_ids(search(news, query, as_you_type=True)) == hit_ids(search(news, query))
    assert search(news, "internet zzz", as_you_type=True).total == 0


def test_the_completions_are_the_most_frequent_words_of_the_prefix(news):
    index = SearchIndex(news)
    with index.generation() as live:
        assert live.vocabulary.completions("spe", 3) == ["special", "speech", "speed"]
        assert live.vocabulary.completions("speech", 3) == ["speech"]
        assert live.vocabulary.completions("sped", 3) == []
    # Ranked by how likely each completion is the word meant: the most frequent first.
    page = search(news, "spe", as_you_type=True, page_size=20)
    assert page.total == 5 + 4 + 3 + 2 + 1  # special, speech, speed, spent and spectrum
    assert [marked_words(hit) for hit in page.hits[:9]] == [{"special"}] * 5 + [{"speech"}] * 4
    index.close()


def test_a_one_letter_prefix_stands_for_a_bounded_number_of_words(news):
    index = SearchIndex(news)
    with index.generation() as live:
        completions = live.vocabulary.completions("s", MAX_COMPLETIONS)
        assert len(live.vocabulary.completions("s", 100)) > len(completions) == MAX_COMPLETIONS
    page = search(news, "s", as_you_type=True, page_size=100)
    marked = set().union(*(marked_words(hit) for hit in page.hits))
    assert marked and marked <= set(completions)
    index.close()


def marked_words(hit) -> set[str]:
    html = " ".join((hit.title_html, *hit.snippets_html))
    return {part.split("</mark>")[0].lower() for part in html.split("<mark>")[1:]}


def test_split_typed():
    assert split_typed("internet gov") == split_typed("internet gov")
    assert (split_typed("internet gov").head, split_typed("internet gov").prefix) == ("internet ", "gov")
    assert split_typed("title:gov") is None
    assert split_typed("itu OR") is None
    assert split_typed("ITU UNES").prefix == "UNES"
    assert split_typed("internet of") is None  # a stop word is a whole word
    assert split_typed('"internet gov') is None
