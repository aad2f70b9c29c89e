"""Request arguments -> validated search parameters, with a message for each one that was ignored."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from indexer import FACETS, SORTS

from . import strings
from .facets import EXCLUDE_PREFIX

MAX_PAGE = 10**6  # the library clamps to the last page anyway
LINK_QUERY_CHARS = 1000  # the library reads no more of a query; every link repeats it (100 KB made a 6 MB page)
MAX_FILTER_VALUES = 20  # per facet: every link on the page repeats them, so more would cost N² to render
SINGLE_ARGS = ("q", "from", "to", "sort", "page", "more", "fq", "fpage", "versions")
SHOW_ALL_VERSIONS = "all"  # ?versions=all: near-identical documents each a result of their own
MAX_FIND_CHARS = 100  # a facet value search longer than any name
LINK_LIMITS = {
    "q": LINK_QUERY_CHARS,
    "fq": MAX_FIND_CHARS,
}  # the characters of these that links repeat  # read once each: the first value counts


@dataclass(frozen=True)
class SearchParams:
    """What the user asked for, after validation; `errors` says what was ignored and why."""

    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    more: str | None = None
    exclusions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet -> values left out
    find_text: str = ""  # words to find among the values of the `more` facet
    find_page: int = 1
    sort_choice: str = ""  # the sort the user picked, "" for the default ("relevance" counts as default)
    errors: tuple[tuple[str, str], ...] = ()  # (parameter, message)
    as_you_type: bool = False  # the query is still being typed: its last word is a prefix
    fold_versions: bool = True  # near-identical documents as one result


def parse_search_args(args) -> SearchParams:
    """A werkzeug MultiDict (request.args) -> SearchParams; never raises."""
    errors = []
    query = args.get("q", "")
    filters = facet_values(args, "", errors)
    exclusions = facet_values(args, EXCLUDE_PREFIX, errors)
    date_from = parse_date(args.get("from", ""), "from", errors)
    date_to = parse_date(args.get("to", ""), "to", errors)
    if date_from and date_to and date_from > date_to:
        errors.append(("from", strings.DATES_REVERSED.format(date_from=date_from, date_to=date_to)))
    sort = args.get("sort", "") or ("relevance" if query.strip() else "newest")
    if sort not in SORTS:
        errors.append(("sort", strings.BAD_SORT.format(value=sort[:40])))
        sort = "relevance"
    page = parse_page(args.get("page", ""), errors)
    more = args.get("more") if args.get("more") in FACETS else None
    choice = sort if args.get("sort") in ("newest", "oldest") else ""
    find_text = args.get("fq", "").strip()[:MAX_FIND_CHARS] if more else ""
    find_page = parse_page(args.get("fpage", ""), errors) if find_text else 1
    as_you_type = args.get("as_you_type", "") in ("1", "true", "on")
    fold_versions = args.get("versions", "") != SHOW_ALL_VERSIONS
    return SearchParams(
        query,
        filters,
        date_from,
        date_to,
        sort,
        page,
        more,
        exclusions,
        find_text,
        find_page,
        choice,
        tuple(errors),
        as_you_type,
        fold_versions,
    )


def facet_values(args, prefix: str, errors: list) -> dict[str, tuple[str, ...]]:
    """Each facet's values from the `<prefix><facet>` parameters, at most MAX_FILTER_VALUES each."""
    found = {}
    for name in FACETS:
        key = prefix + name
        values = tuple(dict.fromkeys(value for value in args.getlist(key) if value.strip()))
        if len(values) > MAX_FILTER_VALUES:
            label = strings.FACET_LABELS[name]
            errors.append(
                (key, strings.TOO_MANY_VALUES.format(limit=MAX_FILTER_VALUES, count=len(values), facet=label))
            )
            values = values[:MAX_FILTER_VALUES]
        if values:
            found[name] = values
    return found


def used_args(args, params: SearchParams) -> list[tuple[str, str]]:
    """The request's (key, value) pairs that the search reads, in their order, each once.

    Every link on a page is built from these, so a request that repeats a parameter a
    thousand times, or adds ones nobody reads, does not make every link that long.
    """
    used, seen = [], set()
    for key, value in args.items(multi=True):
        once = key if key in SINGLE_ARGS else (key, value)
        read = key in SINGLE_ARGS or value in params.filters.get(key, ())
        if not read and key.startswith(EXCLUDE_PREFIX):
            read = value in params.exclusions.get(key.removeprefix(EXCLUDE_PREFIX), ())
        if once not in seen and read:
            seen.add(once)
            used.append((key, value[: LINK_LIMITS[key]] if key in LINK_LIMITS else value))
    return used


def has_empty_args(args) -> bool:
    """True when some parameter is empty (an unfilled form field), and the URL would read better without it."""
    return any(value == "" for _, value in args.items(multi=True))


def parse_date(value: str, name: str, errors: list) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append((name, strings.BAD_DATE.format(value=value[:40], name=name)))
        return None


def parse_page(value: str, errors: list) -> int:
    """A page number clamped to [1, MAX_PAGE]; anything that is not a number means page 1, with a message."""
    value = value.strip()
    if not value:
        return 1
    digits = value.lstrip("+-")
    if not digits.isascii() or not digits.isdigit():
        errors.append(("page", strings.BAD_PAGE.format(value=value[:40], page=1)))
        return 1
    if value.startswith("-"):
        return 1
    return MAX_PAGE if len(digits) > 7 else max(1, min(int(digits), MAX_PAGE))
