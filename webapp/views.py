"""A library SearchPage or DocumentView -> the plain dicts that the templates print and the API returns."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlsplit

from flask import url_for

from indexer import DocumentView, Hit, SearchPage
from indexer.documents.pages import is_paged, split_pages
from indexer.documents.reflow import reflow

from . import strings
from .facets import (
    Args,
    chip_dicts,
    exclusion_key,
    facet_dicts,
    relaxation_dicts,
    url_with_added_args,
    url_with_removed_args,
)
from .params import LINK_QUERY_CHARS, SHOW_ALL_VERSIONS, SearchParams
from .snippets import clean_snippet
from .timeline import timeline_dict

PAGE_WINDOW = 2  # page links either side of the current one


def search_context(page: SearchPage, params: SearchParams, path: str, args: Args, found=None) -> dict:
    """Everything a results page shows, as plain data with every URL computed."""
    total = page.total
    distinct = page.distinct if page.distinct is not None else total
    first = (page.page - 1) * page.page_size + 1 if total else 0
    last = first + len(page.hits) - 1 if total else 0
    return {
        "query": params.query,
        "total": total,
        "distinct": distinct,
        "versions_note": versions_note(total, distinct, params.fold_versions, path, args),
        "page": page.page,
        "page_size": page.page_size,
        "page_count": page.page_count,
        "sort": params.sort,
        "sort_choice": params.sort_choice,
        "elapsed_ms": round(page.elapsed_ms, 1),
        "notice": page.notice,
        "messages": [message for _, message in params.errors],
        "filters": {name: list(values) for name, values in page.filters.items()},
        "exclusions": {name: list(values) for name, values in page.exclusions.items()},
        "date_from": page.date_from.isoformat() if page.date_from else None,
        "date_to": page.date_to.isoformat() if page.date_to else None,
        "results_label": results_label(distinct),
        "time_label": strings.RESULTS_TIME.format(ms=round(page.elapsed_ms)),
        "range_label": strings.RESULTS_RANGE.format(first=first, last=last) if distinct > len(page.hits) else None,
        "browsing": not params.query.strip(),
        "hits": [hit_dict(hit, params.query) for hit in page.hits],
        "facets": facet_dicts(page.facets, path, args, params.more, found),
        "timeline": timeline_dict(page.timeline, path, args, page.date_from, page.date_to),
        "chips": chip_dicts(page.filters, page.date_from, page.date_to, path, args, page.exclusions),
        "clear_url": url_with_removed_args(
            path, args, ["page", "from", "to", "more", *page.filters, *map(exclusion_key, page.exclusions)]
        )
        if page.filters or page.exclusions or page.date_from or page.date_to
        else None,
        "suggestion": {
            "query": page.suggestion,
            "url": url_with_added_args(path, args, [("q", page.suggestion)], replace=["q", "page"]),
        }
        if page.suggestion
        else None,
        "relaxations": relaxation_dicts(page.relaxations, path, args, page.date_from, page.date_to),
        "pagination": pagination(page.page, page.page_count, path, args),
        "links": {
            "feed": url_with_removed_args(url_for(".feed"), args, ["page", "sort", "more"]),
            "csv": url_with_removed_args(url_for(".export_csv"), args, ["page", "more"]),
            "jsonl": url_with_removed_args(url_for(".export_jsonl"), args, ["page", "more"]),
            "api": with_args(url_for(".api_search"), args),
            "html": with_args(path, args),
        },
    }


def versions_note(total: int, distinct: int, folding: bool, path: str, args: Args) -> dict | None:
    """What folding near-identical versions did to the results, and the link that turns it off or on."""
    if folding and total > distinct:
        folded = total - distinct
        label = count_label(folded, strings.VERSIONS_FOLDED, strings.VERSIONS_FOLDED_MANY)
        link = url_with_added_args(path, args, [("versions", SHOW_ALL_VERSIONS)], replace=["versions", "page"])
        return {"label": label, "link_label": strings.VERSIONS_SHOW_ALL, "url": link}
    if not folding:
        link = url_with_removed_args(path, args, ["versions", "page"])
        return {"label": strings.VERSIONS_SHOWN, "link_label": strings.VERSIONS_FOLD, "url": link}
    return None


def with_args(path: str, args: Args) -> str:
    return url_with_added_args(path, args, [])


def feed_title(site: str, params: SearchParams) -> str:
    """A feed's title: the query and every filter, so that feeds of the same words with other filters differ."""
    query = params.query.strip()
    title = strings.FEED_TITLE.format(site=site, query=query) if query else strings.FEED_TITLE_ALL.format(site=site)
    chips = chip_dicts(params.filters, params.date_from, params.date_to, "", [], params.exclusions)
    return (
        strings.FEED_TITLE_FILTERED.format(title=title, filters="; ".join(chip["label"] for chip in chips))
        if chips
        else title
    )


def results_label(total: int) -> str:
    return strings.RESULTS_COUNT.get(total) or strings.RESULTS_COUNT_MANY.format(total=f"{total:,}")


def hit_dict(hit: Hit, query: str = "") -> dict:
    """One result: its fields, sanitised highlight HTML (Markup), and its URLs."""
    return {
        "id": hit.id,
        "title": hit.title,
        "title_html": clean_snippet(hit.title_html),
        "date": hit.date.isoformat() if hit.date else None,
        "source": hit.source,
        "language": hit.language,
        "people": list(hit.people),
        "organizations": list(hit.organizations),
        "places": list(hit.places),
        "countries": list(hit.countries),
        "score": hit.score,
        "snippets_html": [clean_snippet(snippet) for snippet in hit.snippets_html],
        "snippet_pages": list(hit.snippet_pages),
        "snippets": snippet_dicts(hit, query),
        "url": web_url(hit.url),
        "date_label": date_label(hit.date),
        "language_label": strings.LANGUAGE_NAMES.get(hit.language or "", hit.language),
        "names": name_groups(hit),
        "doc_url": document_url(".document", hit.id, query),
        "api_url": document_url(".api_document", hit.id, query),
        **original_file(hit),
        "group": hit.group,
        "versions": [version_dict(version, query) for version in hit.versions],
        "version_count": hit.version_count,
        "versions_label": count_label(hit.version_count, strings.VERSIONS_COUNT, strings.VERSIONS_COUNT_MANY),
        "versions_more": strings.VERSIONS_MORE.format(count=f"{hit.version_count:,}")
        if hit.version_count > len(hit.versions)
        else None,
    }


def snippet_dicts(hit: Hit, query: str) -> list[dict]:
    """Each snippet's HTML, and for a document with pages its page's label and link in the document."""
    pages = hit.snippet_pages or (None,) * len(hit.snippets_html)
    snippets = []
    for html, page in zip(hit.snippets_html, pages):
        snippet = {"html": clean_snippet(html), "page": page}
        if page is not None:
            snippet["page_label"] = strings.DOCUMENT_PAGE.format(number=page)
            snippet["page_url"] = f"{document_url('.document', hit.id, query)}#{page_anchor(page)}"
        snippets.append(snippet)
    return snippets


def original_file(hit: Hit) -> dict:
    """The link that downloads the file a hit was read from, and the file's name."""
    if not hit.path:
        return {"file_url": None, "file_name": None}
    return {"file_url": url_for(".original_file", doc_id=hit.id), "file_name": PurePosixPath(hit.path).name}


def version_dict(version: Hit, query: str = "") -> dict:
    """A near-identical version of a document, as listed under it."""
    return {
        "id": version.id,
        "title": version.title,
        "date": version.date.isoformat() if version.date else None,
        "date_label": date_label(version.date),
        "source": version.source,
        "path": version.path,
        "doc_url": document_url(".document", version.id, query),
    }


def count_label(count: int, labels: dict[int, str], many: str) -> str | None:
    return (labels.get(count) or many.format(count=f"{count:,}")) if count else None


def date_label(date) -> str | None:
    return f"{date.day} {date:%B %Y}" if date else None


HIT_NAMES = (
    ("people", strings.DOCUMENT_PEOPLE),
    ("organizations", strings.DOCUMENT_ORGS),
    ("places", strings.DOCUMENT_PLACES),
)
NAMES_PER_GROUP = 5


def name_groups(hit: Hit) -> list[dict]:
    """The names a result mentions, a few of each kind, for the line under its snippets."""
    groups = []
    for field, label in HIT_NAMES:
        names = getattr(hit, field)
        if names:
            facet = dict(NAME_FACETS)[field]
            shown = [{"name": name, "url": entity_url(facet, name)} for name in names[:NAMES_PER_GROUP]]
            groups.append({"label": label, "names": shown, "more": max(0, len(names) - NAMES_PER_GROUP)})
    return groups


def document_url(endpoint: str, doc_id: str, query: str = "") -> str:
    """The URL of a document page; the path converter percent-encodes '#' and friends."""
    return (
        url_for(endpoint, doc_id=doc_id, q=query[:LINK_QUERY_CHARS])
        if query.strip()
        else url_for(endpoint, doc_id=doc_id)
    )


def web_url(url: str | None) -> str | None:
    """The original address when it is an http(s) link, else None: never link javascript: or data: URLs."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def pagination(current: int, count: int, path: str, args: Args) -> dict:
    """Previous/next and a window of page links; the first page's URL carries no page argument."""

    def page_url(number: int) -> str:
        if number == 1:
            return url_with_removed_args(path, args, ["page"])
        return url_with_added_args(path, args, [("page", str(number))], replace=["page"])

    numbers = sorted({1, count, *range(max(1, current - PAGE_WINDOW), min(count, current + PAGE_WINDOW) + 1)})
    # An ellipsis stands for two pages or more: in place of a single page, that page's link is as short.
    numbers = sorted({*numbers, *(number - 1 for number, before in zip(numbers[1:], numbers) if number - before == 2)})
    pages, previous = [], 0
    for number in numbers:
        if number > previous + 1:
            pages.append({"gap": True})
        pages.append({"number": number, "url": page_url(number), "current": number == current})
        previous = number
    return {
        "previous": page_url(current - 1) if current > 1 else None,
        "next": page_url(current + 1) if current < count else None,
        "pages": pages if count > 1 else [],
    }


NAME_FACETS = (("people", "person"), ("organizations", "org"), ("places", "place"))


def document_context(view: DocumentView, query: str, parts: tuple[str | None, str | None] = (None, None)) -> dict:
    """A document page: metadata, names linking to filtered searches, paragraphs, similar articles,
    and for a part of a long file, links to the `parts` (ids) before and after it."""
    hit = view.hit
    search_url = url_for(".search", q=query[:LINK_QUERY_CHARS]) if query.strip() else url_for(".search")
    names = {
        field: [
            {
                "name": name,
                "url": url_for(".search", **{facet: name}),
                "entity_url": entity_url(facet, name),
                "entity_label": strings.ENTITY_LINK.format(value=name),
                "aria_label": strings.DOCUMENT_NAME_FILTER.format(facet=strings.FACET_LABELS[facet], value=name),
            }
            for name in getattr(hit, field)
        ]
        for field, facet in NAME_FACETS
    }
    return {
        **hit_dict(hit, query),
        **names,
        "query": query,
        "author": view.author,
        "path": view.path,
        "dates_mentioned": [date.isoformat() for date in view.dates_mentioned],
        "original_text": hit.url if hit.url and not web_url(hit.url) else None,
        "body_html": clean_snippet(view.body_html),
        "paragraphs": [clean_snippet(part) for part in reflow(view.body_html)],
        "pages": document_pages(view),
        "similar": [hit_dict(other) for other in view.similar],
        "search_url": search_url,
        "parts": [
            {"rel": rel, "label": label, "url": document_url(".document", part, query)}
            for rel, label, part in zip(
                ("prev", "next"), (strings.DOCUMENT_PART_PREVIOUS, strings.DOCUMENT_PART_NEXT), parts
            )
            if part
        ],
    }


def document_pages(view: DocumentView) -> list[dict]:
    """The pages of a paged document (a PDF, a scan), each with its number, anchor and paragraphs;
    [] for a document without pages."""
    if not is_paged(view.body_html, view.first_page):
        return []
    return [
        {
            "number": number,
            "anchor": page_anchor(number),
            "label": strings.DOCUMENT_PAGE.format(number=number),
            "paragraphs": [clean_snippet(part) for part in reflow(text)],
        }
        for number, text in split_pages(view.body_html, view.first_page)
    ]


def page_anchor(number: int) -> str:
    return f"page-{number}"


# What the API gives of each page's data, by name: a key added for the templates stays out of it.
HIT_JSON_KEYS = (
    "id",
    "title",
    "title_html",
    "date",
    "source",
    "language",
    "people",
    "organizations",
    "places",
    "countries",
    "score",
    "snippets_html",
    "snippet_pages",
    "url",
    "date_label",
    "language_label",
    "doc_url",
    "api_url",
    "file_url",
    "file_name",
    "group",
    "versions",
    "version_count",
)
DOCUMENT_JSON_KEYS = (
    *HIT_JSON_KEYS,
    "query",
    "author",
    "path",
    "dates_mentioned",
    "original_text",
    "body_html",
    "similar",
    "search_url",
    "parts",
)
ENTITY_JSON_KEYS = ("facet", "facet_label", "value", "total", "search_url", "timeline", "named_with", "latest")


def document_json(context: dict) -> dict:
    """The API's document: the page's data without the template-only parts (names as links, paragraphs)."""
    data = {key: context[key] for key in DOCUMENT_JSON_KEYS}
    data["similar"] = [hit_json(hit) for hit in context["similar"]]
    return data


SEARCH_JSON_KEYS = (
    "query",
    "total",
    "distinct",
    "versions_note",
    "page",
    "page_size",
    "page_count",
    "sort",
    "elapsed_ms",
    "notice",
    "messages",
    "filters",
    "exclusions",
    "date_from",
    "timeline",
    "date_to",
    "hits",
    "facets",
    "chips",
    "suggestion",
    "relaxations",
    "pagination",
    "links",
)
FACET_JSON_KEYS = ("name", "label", "total_values", "values", "all_url")
FOUND_JSON_KEYS = ("found_total", "found_note", "previous_url", "next_url")
VALUE_JSON_KEYS = ("value", "label", "count", "selected", "excluded", "toggle_url", "exclude_url")


def timeline_json(timeline: dict) -> dict:
    bars = [
        {key: bar[key] for key in ("start", "end", "label", "count", "selected", "url")} for bar in timeline["bars"]
    ]
    return {"bucket": timeline["bucket"], "undated": timeline["undated"], "bars": bars}


def hit_json(hit: dict) -> dict:
    return {key: hit[key] for key in HIT_JSON_KEYS}


def search_json(context: dict) -> dict:
    """The API's search result: the same data the page shows, without template-only labels."""
    data = {key: context[key] for key in SEARCH_JSON_KEYS}
    data["hits"] = [hit_json(hit) for hit in context["hits"]]
    data["facets"] = [
        {
            **{key: facet[key] for key in FACET_JSON_KEYS},
            "values": [{key: value[key] for key in VALUE_JSON_KEYS} for value in facet["values"]],
            **({"found": {key: facet[key] for key in FOUND_JSON_KEYS}} if "found_total" in facet else {}),
        }
        for facet in context["facets"]
    ]
    if data["timeline"]:
        data["timeline"] = timeline_json(data["timeline"])
    data["chips"] = [
        {key: chip[key] for key in ("facet", "value", "excluded", "label", "remove_url")} for chip in context["chips"]
    ]
    return data


def entity_url(facet: str, value: str) -> str:
    return url_for(".entity", facet=facet, value=value)


def entity_context(view) -> dict:
    """An entity page: its count, its timeline (bars narrow the search for it), the names beside it, the latest articles."""
    search_url = url_for(".search")
    args = [(view.facet, view.value)]
    return {
        "facet": view.facet,
        "facet_label": strings.FACET_LABELS[view.facet],
        "value": view.value,
        "total": view.total,
        "heading": strings.ENTITY_COUNT.get(view.total, strings.ENTITY_COUNT_MANY).format(total=f"{view.total:,}"),
        "search_url": url_with_added_args(search_url, [], args),
        "timeline": timeline_dict(view.timeline, search_url, args),
        "named_with": [
            {
                "facet": facet,
                "label": strings.ENTITY_NAMED_WITH[facet],
                "values": [
                    {
                        "value": other,
                        "count": count,
                        "url": entity_url(facet, other),
                        "search_url": url_with_added_args(search_url, [], [*args, (facet, other)]),
                    }
                    for other, count in values
                ],
            }
            for facet, values in view.named_with.items()
            if values
        ],
        "latest": [hit_dict(hit) for hit in view.latest],
    }


def entity_json(context: dict) -> dict:
    """The API's entity: the page's data without its sentence."""
    data = {key: context[key] for key in ENTITY_JSON_KEYS}
    data["latest"] = [hit_json(hit) for hit in context["latest"]]
    if data["timeline"]:
        data["timeline"] = timeline_json(data["timeline"])
    return data
