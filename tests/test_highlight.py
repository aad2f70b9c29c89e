"""Snippets: fragments around matched words, stemmed forms marked, never overlapping, always escaped."""

import re
from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.searching.highlight import SNIPPET_CHARS, marked_html, matched_fragments_html

WORDS = ["oil", "prices", "rose", "Opec", "said", "the", "ministers", "<b>", "meeting", "in", "Vienna,", "today."]


def plain(fragment: str) -> str:
    return unescape(re.sub(r"</?mark>", "", fragment)).strip(" …")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=400), st.integers(1, 5))
def test_fragments_stand_in_document_order_without_overlapping(words, top):
    text = " ".join(words)
    fragments = matched_fragments_html(text, frozenset({"oil", "price"}), top)
    assert len(fragments) <= top
    position = 0
    for fragment in fragments:
        assert "<mark>" in fragment and "<b>" not in fragment
        found = text.find(plain(fragment), position)
        assert found >= position, (fragment, text)
        position = found + len(plain(fragment))
        assert len(plain(fragment)) <= SNIPPET_CHARS + 10  # closing punctuation may follow


def test_the_fragment_with_most_distinct_matches_is_chosen():
    filler = " ".join(["word"] * 60)
    text = f"oil here. {filler} oil and prices together. {filler} oil again."
    (fragment,) = matched_fragments_html(text, frozenset({"oil", "price"}), top=1)
    assert "<mark>oil</mark> and <mark>prices</mark> together." in fragment
    assert fragment.startswith("… ") and fragment.endswith(" …")


def test_marked_html_marks_stemmed_forms_and_escapes_the_rest():
    assert marked_html("Oil <prices> & pricing", frozenset({"price"})) == (
        "Oil &lt;<mark>prices</mark>&gt; &amp; <mark>pricing</mark>"
    )


def test_a_run_of_matches_longer_than_a_snippet_is_cut_without_repeating_text():
    text = "Oil, " * 60 + "end."
    fragments = matched_fragments_html(text, frozenset({"oil"}), top=5)
    assert len(fragments) >= 2
    assert sum(fragment.count("<mark>") for fragment in fragments) == sum(
        len(plain(fragment).split()) - plain(fragment).endswith("end.") for fragment in fragments
    )
    assert sum(len(plain(fragment)) for fragment in fragments) <= len(text)
