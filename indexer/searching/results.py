"""What a search returns, as plain values: hits, facets, relaxations, pages, a document in full."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from ..documents.pages import is_paged, page_at
from ..schema import StoredDocument
from .highlight import marked_html, snippets_html
from .timeline import Timeline


@dataclass(frozen=True)
class Hit:
    """One result: stored fields, score, and HTML (escaped, with <mark>) for title and snippets."""

    id: str
    title: str
    title_html: str
    date: datetime.date | None
    source: str | None
    language: str | None
    people: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...]
    score: float | None
    snippets_html: tuple[str, ...]
    url: str | None = None
    countries: tuple[str, ...] = ()
    path: str | None = None  # the file, relative to the source folder
    snippet_pages: tuple[int, ...] = ()  # the page of each snippet, when the document has pages (documents/pages.py)
    group: str | None = None  # the id of the first of its near-identical versions, if it has any
    versions: tuple[Hit, ...] = ()  # the first few of its versions (in results: those that match, folded into it)
    version_count: int = 0  # how many versions there are, listed or not

    def to_dict(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        data["versions"] = [version.to_dict() for version in self.versions]
        return data


@dataclass(frozen=True)
class FacetValue:
    """A value's count; an excluded value counts the matching documents its exclusion hides."""

    value: str
    count: int
    selected: bool
    excluded: bool = False


@dataclass(frozen=True)
class Facet:
    """A facet's top values (selected ones always included) and how many distinct values match."""

    name: str
    values: tuple[FacetValue, ...]
    total_values: int


@dataclass(frozen=True)
class ValuePage:
    """One page of a facet's values whose words start with `text`, most frequent first; `total` counts them all."""

    facet: str
    text: str
    values: tuple[FacetValue, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class Relaxation:
    """A way out of zero results: search any of the words, or drop one filter; with its total."""

    kind: str  # "any_words", "drop_filter" or "drop_dates"
    total: int
    facet: str | None = None
    value: str | None = None
    query: str | None = None  # the query to run instead, for "any_words"


@dataclass(frozen=True)
class SearchPage:
    query: str
    total: int
    page: int
    page_size: int
    page_count: int
    sort: str
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...]
    filters: Mapping[str, tuple[str, ...]]
    date_from: datetime.date | None
    date_to: datetime.date | None
    elapsed_ms: float
    notice: str | None = None
    suggestion: str | None = None
    relaxations: tuple[Relaxation, ...] = field(default=())
    exclusions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    timeline: Timeline | None = None  # the matches by date, counted without the date range
    distinct: int | None = None  # results once near-identical versions are folded (`total` counts every one)


@dataclass(frozen=True)
class DocumentView:
    """One document in full, with the query's words marked, and the documents most like it."""

    hit: Hit
    body_html: str
    path: str
    author: str | None
    dates_mentioned: tuple[datetime.date, ...]
    similar: tuple[Hit, ...]
    first_page: int = 1  # the page body_html starts on; its form feeds start the next ones (documents/pages.py)


def make_hit(doc: StoredDocument, terms: frozenset[str], score: float | None, snippets: bool = True) -> Hit:
    """A stored document as a result: its title and snippets marked where `terms` occur, and the
    page of each snippet when the document has pages."""
    placed = snippets_html(doc.body, terms) if snippets else []
    return Hit(
        id=doc.id,
        title=doc.title,
        title_html=marked_html(doc.title, terms),
        date=doc.date,
        source=doc.source,
        language=doc.language,
        people=doc.people,
        organizations=doc.organizations,
        places=doc.places,
        score=round(score, 4) if score is not None else None,
        snippets_html=tuple(html for html, _ in placed),
        url=doc.url,
        countries=doc.countries,
        path=doc.path,
        snippet_pages=tuple(page_at(doc.body, start, doc.first_page) for _, start in placed)
        if is_paged(doc.body, doc.first_page)
        else (),
    )
