"""Facet counts checked against a brute-force count, on the seeds and on a subset of Reuters-21578.

search() counts each facet over the documents that match the query and every filter except the
facet's own (values OR-ed within a facet, facets AND-ed). Here the same definition is applied by
hand: the query's matches come from iter_hits without filters, and the filters, dates and counts
are computed from each hit's own fields with a Counter, never through indexer.searching.facets.
"""

from __future__ import annotations

import datetime
import random
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import SEEDS_DIR, corpus
from hypothesis import given
from hypothesis import strategies as st

from indexer import Hit, SearchIndex, build_index, iter_hits, search, update_index
from indexer.schema import FACET_FIELDS
from indexer.searching.facets import facet_table
from indexer.store import open_index

SEED = 20260401
ALL_VALUES = 10_000  # a facet_size that shows every value
MAX_REPORTED = 10  # differing values named in a failure message
REUTERS_EVERY = 9  # every 9th Reuters file by name: 1,510 articles spread over the whole corpus
REUTERS_UPDATES = 40  # files removed, replaced and added before the incremental update
WORD = re.compile(r"[A-Za-z]{3,}")  # lowercased below, so never an AND/OR/NOT operator

# (number of query words, filter shapes): "one" is a value of one facet, "two" values of two
# facets, "or" two values of one facet, "dates" a date range, "not" an excluded value.
RECIPES = (
    (0, ()),
    (0, ("one",)),
    (0, ("two",)),
    (0, ("or",)),
    (0, ("one", "dates")),
    (1, ()),
    (1, ()),
    (1, ()),
    (2, ()),
    (2, ()),
    (2, ()),
    (1, ("one",)),
    (1, ("one",)),
    (1, ("one",)),
    (2, ("one",)),
    (2, ("one",)),
    (1, ("two",)),
    (1, ("two",)),
    (1, ("or",)),
    (1, ("dates",)),
    (0, ("not",)),
    (1, ("not",)),
    (0, ("one", "not")),
    (1, ("or", "not")),
    (0, ("not", "not")),
)
CASES = len(RECIPES)


@dataclass(frozen=True)
class Case:
    query: str
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __str__(self) -> str:
        dates = f" dates={self.date_from}..{self.date_to}" if self.date_from else ""
        return f"query={self.query!r} filters={self.filters} exclude={self.exclude}{dates}"


def facet_values(hit: Hit) -> dict[str, set[str]]:
    """Each facet's values on one document, read from the hit (a facet counts a document once)."""
    folders = hit.path.split("/")
    return {
        "year": {str(hit.date.year)} if hit.date else set(),
        "person": set(hit.people),
        "org": set(hit.organizations),
        "place": set(hit.places),
        "country": set(hit.countries),
        "source": {hit.source} if hit.source else set(),
        "lang": {hit.language} if hit.language else set(),
        "folder": {"/".join(folders[:depth]) for depth in range(1, len(folders))},
        "type": {name.rsplit(".", 1)[1].lower()} if "." in (name := folders[-1]) else set(),
    }


def query_matches(index: SearchIndex, query: str) -> list[tuple[Hit, dict[str, set[str]]]]:
    """Every document the query alone matches, by id, with its facet values."""
    hits = sorted(iter_hits(index, query), key=lambda hit: hit.id)
    return [(hit, facet_values(hit)) for hit in hits]


def passes(hit: Hit, values: dict[str, set[str]], case: Case, name: str) -> bool:
    """Whether a document passes the case's filter on `name` ("dates" for the date range)."""
    if name == "dates":
        if case.date_from is None and case.date_to is None:
            return True
        return hit.date is not None and (case.date_from or hit.date) <= hit.date <= (case.date_to or hit.date)
    selected = case.filters.get(name)
    return not selected or bool(values[name] & set(selected))


def excluded(values: dict[str, set[str]], case: Case) -> bool:
    """Whether a document carries any of the case's excluded values."""
    return any(values[name] & set(dropped) for name, dropped in case.exclude.items())


def brute_force(index: SearchIndex, case: Case) -> tuple[int, dict[str, Counter]]:
    """The number of results and each facet's counts over the query's matches and the other filters,
    less the excluded documents; an excluded value counts the documents it hides."""
    matches = query_matches(index, case.query)
    restrictions = [*FACET_FIELDS, "dates"]
    total = sum(
        all(passes(hit, values, case, name) for name in restrictions) and not excluded(values, case)
        for hit, values in matches
    )
    counts = {}
    for facet in FACET_FIELDS:
        others = [name for name in restrictions if name != facet]
        frame = [values for hit, values in matches if all(passes(hit, values, case, name) for name in others)]
        counts[facet] = Counter(value for values in frame if not excluded(values, case) for value in values[facet])
        for value in case.exclude.get(facet, ()):
            counts[facet][value] = sum(value in values[facet] for values in frame)
    return total, counts


def sample_cases(index: SearchIndex, seed: int = SEED) -> list[Case]:
    """One case per recipe: words from real titles, filters from values of matching documents."""
    rng = random.Random(seed)
    documents = query_matches(index, "")
    titles = [words for hit, _ in documents if (words := [w.lower() for w in WORD.findall(hit.title)])]
    return [make_case(index, rng, titles, documents, words, shapes) for words, shapes in RECIPES]


def make_case(
    index: SearchIndex,
    rng: random.Random,
    titles: list[list[str]],
    documents: list[tuple[Hit, dict[str, set[str]]]],
    words: int,
    shapes: tuple[str, ...],
) -> Case:
    matches = documents
    query = ""
    for _ in range(50):  # a query should find at least its own title's document; draw again if not
        if not words:
            break
        title = rng.choice(titles)
        start = rng.randrange(max(1, len(title) - words + 1))
        query = " ".join(title[start : start + words])
        matches = query_matches(index, query)
        if matches:
            break
    filters: dict[str, tuple[str, ...]] = {}
    exclude: dict[str, tuple[str, ...]] = {}
    date_from = date_to = None
    for shape in shapes:
        if shape == "dates":
            dates = sorted({hit.date for hit, _ in matches if hit.date})
            if dates:
                date_from, date_to = sorted(rng.choices(dates, k=2))
            continue
        if shape == "not":
            picked = pick_value(rng, matches, {**filters, **exclude})
            if picked:
                exclude[picked[0]] = (*exclude.get(picked[0], ()), picked[1])
            continue
        for _ in range(2 if shape == "two" else 1):
            picked = pick_value(rng, matches, filters)
            if picked:
                filters[picked[0]] = (picked[1],)
        if shape == "or" and picked:
            name, value = picked
            same = sorted({v for _, values in matches for v in values[name]} - {value})
            if same:
                filters[name] = (value, rng.choice(same))
    return Case(query, filters, date_from, date_to, exclude)


def pick_value(rng: random.Random, matches, filters: dict) -> tuple[str, str] | None:
    """A value of a facet not filtered yet, from a random document that passes the filters so far
    (so common values, which leave most documents in, come up as often as users pick them)."""
    options = [
        sorted((name, value) for name in values if name not in filters for value in values[name])
        for _, values in matches
        if all(set(selected) & values[name] for name, selected in filters.items())
    ]
    options = [choices for choices in options if choices]
    if not options:
        return None
    choices = rng.choice(options)
    name = rng.choice(sorted({name for name, _ in choices}))
    return name, rng.choice([value for other, value in choices if other == name])


@dataclass(frozen=True)
class Built:
    docs: Path  # the whole corpus
    source: Path  # symlinks to the subset
    index_dir: Path


@pytest.fixture(scope="module")
def reuters_subset(tmp_path_factory) -> Built:
    """An index of every REUTERS_EVERY-th Reuters article (by file name), built once."""
    docs = corpus("reuters21578") / "docs"
    work = tmp_path_factory.mktemp("reuters")
    source = work / "docs"
    source.mkdir()
    subset = sorted(path.name for path in docs.iterdir())[::REUTERS_EVERY]
    for name in subset:
        (source / name).symlink_to(docs / name)
    report = build_index(source, work / "index", follow_outside=True)
    assert (report.documents, report.skipped) == (len(subset), {})
    return Built(docs, source, work / "index")


def updated_copy(built: Built, work: Path) -> Path:
    """A copy of the subset's index, updated after removing, replacing and adding files.

    Removed and replaced files leave deleted documents in the old segment; the new ones go in another.
    """
    source = work / "docs"
    index_dir = work / "index"
    shutil.copytree(built.source, source, symlinks=True)
    shutil.copytree(built.index_dir, index_dir)
    rng = random.Random(SEED)
    present = sorted(path.name for path in source.iterdir())
    inside = rng.sample(present, 2 * REUTERS_UPDATES)
    outside = rng.sample(sorted({path.name for path in built.docs.iterdir()} - set(present)), 2 * REUTERS_UPDATES)
    for name in inside[:REUTERS_UPDATES]:
        (source / name).unlink()
    for name, replacement in zip(inside[REUTERS_UPDATES:], outside[:REUTERS_UPDATES], strict=True):
        (source / name).unlink()
        shutil.copyfile(built.docs / replacement, source / name)
    for name in outside[REUTERS_UPDATES:]:
        (source / name).symlink_to(built.docs / name)
    report = update_index(source, index_dir, follow_outside=True)
    assert (report.removed, report.changed, report.added) == (REUTERS_UPDATES,) * 3
    with open_index(index_dir).reader() as reader:
        assert reader.doc_count() < reader.doc_count_all(), "the update left no deleted documents"
    return index_dir


@pytest.fixture(scope="module", params=["seeds", "reuters", "reuters-updated"])
def sampled(request, tmp_path_factory) -> tuple[SearchIndex, list[Case]]:
    """An index and its sampled cases: the seeds, a Reuters subset, and that subset updated in place."""
    work = tmp_path_factory.mktemp(request.param)
    if request.param == "seeds":
        build_index(SEEDS_DIR, work / "index", jobs=1)
        index_dir = work / "index"
    elif request.param == "reuters":
        index_dir = request.getfixturevalue("reuters_subset").index_dir
    else:
        index_dir = updated_copy(request.getfixturevalue("reuters_subset"), work)
    index = SearchIndex(index_dir)
    return index, sample_cases(index)


@pytest.mark.parametrize("number", range(CASES))
def test_facet_counts_match_a_brute_force_count(sampled, number):
    index, cases = sampled
    case = cases[number]
    page = search(
        index,
        case.query,
        filters=case.filters,
        date_from=case.date_from,
        date_to=case.date_to,
        facet_size=ALL_VALUES,
        snippets=False,
        exclude=case.exclude,
    )
    total, expected = brute_force(index, case)
    assert page.total == total, f"{case}: total {page.total}, brute force {total}"
    assert [facet.name for facet in page.facets] == list(FACET_FIELDS), f"{case}: facets {page.facets}"
    for facet in page.facets:
        shown = {value.value: value.count for value in facet.values}
        selected = set(case.filters.get(facet.name, ()))
        dropped = set(case.exclude.get(facet.name, ()))
        wanted = {**dict.fromkeys(selected, 0), **expected[facet.name]}  # selected values show even at 0
        differences = [
            f"{value!r} shown {shown.get(value, 'absent')}, counted {wanted.get(value, 'absent')}"
            for value in sorted(shown.keys() | wanted.keys())
            if shown.get(value) != wanted.get(value)
        ]
        assert not differences, f"{case}: facet {facet.name}, {len(differences)} values differ: " + "; ".join(
            differences[:MAX_REPORTED]
        )
        assert len(shown) == len(facet.values), f"{case}: facet {facet.name} repeats a value"
        assert {v.value for v in facet.values if v.selected} == selected, f"{case}: facet {facet.name} selection"
        assert {v.value for v in facet.values if v.excluded} == dropped, f"{case}: facet {facet.name} exclusion"
        assert facet.total_values == len(expected[facet.name]) - len(dropped), (
            f"{case}: facet {facet.name} total_values {facet.total_values}, brute force {len(expected[facet.name])}"
        )


def test_the_sample_covers_every_kind_of_case(sampled):
    """The recipes came out as meant: words, browsing, one and two facets, OR-ed values, dates."""
    _, cases = sampled
    assert any(not case.query and not case.filters for case in cases)
    assert any(len(case.query.split()) == 2 for case in cases)
    assert any(len(case.filters) == 2 for case in cases)
    assert any(len(values) == 2 for case in cases for values in case.filters.values())
    assert any(case.date_from for case in cases)
    assert any(case.exclude and case.filters for case in cases)
    assert any(sum(map(len, case.exclude.values())) == 2 for case in cases)


@given(
    st.lists(st.lists(st.sampled_from("abcdefg"), max_size=4, unique=True), max_size=40),
    st.data(),
)
def test_a_facet_table_counts_any_set_of_documents_as_a_brute_force_count_does(doc_values, data):
    """Few documents are counted from their own pairs, many by one pass over every pair: both agree
    with counting each document's values."""
    table = facet_table([tuple(values) for values in doc_values])
    docs = data.draw(st.sets(st.integers(0, len(doc_values) - 1)) if doc_values else st.just(set()))
    assert table.count(docs) == Counter(value for doc in docs for value in doc_values[doc])
