"""One value per entity across the index: surnames, cut names and types merged over all documents."""

from __future__ import annotations

import pytest

from indexer import build_index, search
from indexer.searching.collection import collection_aliases, merge_across_collection
from indexer.searching.entities import get_entity
from indexer.searching.search import get_document

# Each document's person and org values, as extraction gives them one document at a time.
PEOPLE = [
    ("Ronald Reagan",),
    ("Reagan",),
    ("Reagan", "James Baker"),
    ("Baker",),
    ("Howard Baker",),
    ("Ronald Reagan",),
    ("Phelps",),
    ("Michael Phelps", "Nancy Reagan"),
]
ORGS = [(), ("Moody",), ("Moody's Investors Service",), ("Moody's Investors Service",), ("Reagan",), (), (), ()]


def test_a_lone_surname_takes_the_full_name_the_collection_gives_it():
    merged = merge_across_collection({"person": PEOPLE, "org": ORGS})
    assert merged["person"][1] == ("Ronald Reagan",)
    assert merged["person"][2] == ("Ronald Reagan", "James Baker")
    assert merged["person"][3] == ("Baker",)  # James or Howard: ambiguous, left alone
    assert merged["org"][1] == ("Moody's Investors Service",)
    assert merged["person"][6] == ("Phelps",)  # one document's "Michael Phelps" is too little to go on
    assert merged["person"][7] == ("Michael Phelps", "Nancy Reagan")  # ...and one "Nancy Reagan" no rival


def test_a_name_typed_both_ways_takes_the_type_most_documents_give_it():
    people = [("Morgan Stanley",)] + [()] * 5 + [("Reagan",)] * 3
    orgs = [()] + [("Morgan Stanley",)] * 5 + [()] * 2 + [("Reagan",)]
    merged = merge_across_collection({"person": people, "org": orgs})
    assert merged["person"][0] == () and merged["org"][0] == ("Morgan Stanley",)
    assert merged["org"][8] == () and merged["person"][8] == ("Reagan",)


def test_a_name_cut_before_its_possessive_joins_only_a_name_used_as_often():
    orgs = (
        [("IBM",)] * 4
        + [("IBM's Information Systems Group",)] * 2
        + [("Moody",)]
        + [("Moody's Investors Service",)] * 2
    )
    aliases = collection_aliases({"person": [()] * len(orgs), "org": orgs})
    assert aliases["org"] == {"Moody": ("org", "Moody's Investors Service")}


# Four articles: Ronald Reagan named in full in two, by his surname alone in the others.
REAGAN_ARTICLES = {
    "a.txt": "Reagan meets Congress\n\nPresident Ronald Reagan met leaders of Congress on Monday.\n",
    "b.txt": "Budget talks\n\nThe budget talks would go on, Ronald Reagan said on Tuesday.\n",
    "c.txt": "Trade\n\nThe trade talks in Geneva went on, Reagan told reporters.\n",
    "d.txt": "Vetoes\n\nThe bill faces a veto, President Reagan said on Friday.\n",
}


@pytest.fixture
def reagan_index(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in REAGAN_ARTICLES.items():
        (docs / name).write_text(text)
    build_index(docs, tmp_path / "index")
    return tmp_path / "index"


def test_the_index_shows_and_finds_a_surname_under_the_full_name(reagan_index):
    page = search(reagan_index, "", facet_size=100)
    people = {v.value: v.count for f in page.facets if f.name == "person" for v in f.values}
    assert people == {"Ronald Reagan": 4}
    assert search(reagan_index, "", filters={"person": ["Reagan"]}).total == 4
    assert get_entity(reagan_index, "person", "Reagan").value == "Ronald Reagan"


def test_a_lone_surname_typed_a_firm_is_the_person_unless_a_firm_starts_with_it():
    people = [("Nigel Lawson",), ("Nigel Lawson",), (), ("Gerald Ford",), ()]
    orgs = [(), (), ("Lawson",), ("Ford",), ("Ford Motor",)]
    merged = merge_across_collection({"person": people, "org": orgs})
    assert (merged["person"][2], merged["org"][2]) == (("Nigel Lawson",), ())
    assert merged["org"][3] == ("Ford",)


def test_values_that_differ_only_in_case_or_punctuation_take_the_form_most_documents_write():
    orgs = [("GenCorp",)] * 3 + [("Gencorp",), ("GENCORP", "McDonnell-Douglas")] + [("McDonnell Douglas",)] * 2 + [()]
    people = [()] * 5 + [("Margaret Thatcher",), ("Margaret Thatcher",), ("MargaretThatcher",)]
    merged = merge_across_collection({"person": people, "org": orgs})
    assert merged["org"][3:6] == [("GenCorp",), ("GenCorp", "McDonnell Douglas"), ("McDonnell Douglas",)]
    assert merged["person"][7] == ("Margaret Thatcher",)


def test_hits_show_a_document_s_names_as_the_facets_do(reagan_index):
    hits = search(reagan_index, "Geneva").hits
    assert [hit.people for hit in hits] == [("Ronald Reagan",)]
    assert get_document(reagan_index, "c.txt").hit.people == ("Ronald Reagan",)
