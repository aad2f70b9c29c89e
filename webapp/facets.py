"""Facets, filter chips and relaxations as dicts, each carrying the URL that toggles it.

The URLs are built by two pure helpers over the current query arguments, so that every
link keeps the rest of the search (query, other filters, dates, sort) as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from urllib.parse import quote_plus

from indexer import FACETS

from . import strings

Args = Sequence[tuple[str, str]]

# A facet lists its top values: FACET_SHOWN in view, up to FACET_MORE with "show more" (the defaults
# of Algolia's refinementList, limit 10 and showMoreLimit 20); its search box and "show all" reach
# the others. Each value is two links: 40 more values were half a results page's bytes.
FACET_SHOWN = 10
FACET_MORE = 20
FACET_ALL = 1000  # with ?more=<facet>
FINDABLE = ("person", "org", "place", "source", "country", "folder")  # facets with a box that searches their values
FIND_PAGE = 50  # found values per page
EXCLUDE_PREFIX = "not_"  # not_person=X leaves out the documents naming X


def url_with_added_args(path: str, args: Args, added: Iterable[tuple[str, str]], *, replace: Iterable[str] = ()) -> str:
    """`path` with the query `args` plus the `added` pairs; keys in `replace` lose their old values first."""
    replace = set(replace)
    pairs = [(key, value) for key, value in args if key not in replace]
    for pair in added:
        if pair not in pairs:
            pairs.append(pair)
    return with_query(path, pairs)


def url_with_removed_args(path: str, args: Args, removed: Iterable[str | tuple[str, str]]) -> str:
    """`path` with the query `args` minus `removed`: a key drops all its values, a (key, value) pair just that one."""
    keys = {item for item in removed if isinstance(item, str)}
    pairs = {item for item in removed if isinstance(item, tuple)}
    return with_query(path, [(k, v) for k, v in args if k not in keys and (k, v) not in pairs])


def with_query(path: str, pairs: Args) -> str:
    """`path?a=1&b=2`, leaving out empty values (an empty form field means no filter)."""
    query = "&".join(encoded_pair(key, value) for key, value in pairs if value != "")
    return f"{path}?{query}" if query else path


@lru_cache(maxsize=512)  # a page's pairs fit twice; a request line is at most a few KB (gunicorn), so ~ 4 MB at worst
def encoded_pair(key: str, value: str) -> str:
    """`key=value` as urlencode writes it. A page links every facet value twice, each link repeating
    the page's own arguments: each pair is quoted once."""
    return f"{quote_plus(key)}={quote_plus(value)}"


class PairLinks:
    """`url_with_added_args(path, args, [pair], replace=["page"])` for many pairs, the page's own
    arguments encoded once: a results page links each of its ~100 facet values twice."""

    def __init__(self, path: str, args: Args):
        self.kept = [(key, value) for key, value in args if key != "page"]
        self.base = with_query(path, self.kept)
        self.joiner = "?" if self.base == path else "&"

    def adding(self, pair: tuple[str, str]) -> str:
        if pair[1] == "" or pair in self.kept:
            return self.base
        return f"{self.base}{self.joiner}{encoded_pair(*pair)}"


def exclusion_key(name: str) -> str:
    """The URL parameter that leaves out a facet's value: not_person=X."""
    return EXCLUDE_PREFIX + name


def value_label(facet: str, value: str) -> str:
    if facet == "lang":
        return strings.LANGUAGE_NAMES.get(value, value)
    return value


def facet_dicts(facets, path: str, args: Args, more: str | None = None, found=None) -> list[dict]:
    """The page's facets: each value with its count, selection and toggle URL (which resets the page).

    Selected values are always in view, wherever they rank; values past FACET_ALL are never
    listed, and a facet that has more says so rather than offering to "show all".
    """
    result = []
    links = PairLinks(path, args)
    for facet in facets:
        expanded = facet.name == more
        limit = FACET_ALL if expanded else FACET_MORE
        kept = list(facet.values[:limit]) + [v for v in facet.values[limit:] if v.selected]
        label = strings.FACET_LABELS[facet.name]
        values = [value_dict(facet.name, label, value, path, args, links) for value in kept]
        ranked = len(facet.values[:limit])
        listed = min(facet.total_values, FACET_ALL)
        shown = values[:FACET_SHOWN] + [value for value in values[FACET_SHOWN:] if value["selected"]]
        hidden = [value for value in values[FACET_SHOWN:] if not value["selected"]]
        result.append(
            {
                "name": facet.name,
                "label": label,
                "total_values": facet.total_values,
                "values": values,
                "shown": shown,
                "hidden": hidden,
                "expanded": expanded,
                "top_note": strings.FACET_TOP.format(shown=min(ranked, FACET_SHOWN), total=f"{facet.total_values:,}")
                if facet.total_values > FACET_SHOWN
                else None,
                "more_label": strings.FACET_SHOW_MORE.format(count=len(hidden)),
                "all_url": url_with_added_args(path, args, [("more", facet.name)], replace=["more"])
                if facet.total_values > ranked and not expanded
                else None,
                "all_label": (
                    strings.FACET_SHOW_ALL if listed == facet.total_values else strings.FACET_SHOW_TOP
                ).format(shown=f"{listed:,}", total=f"{facet.total_values:,}"),
                "cut_note": strings.FACET_CUT.format(shown=f"{ranked:,}", total=f"{facet.total_values:,}")
                if expanded and facet.total_values > ranked
                else None,
                "find": find_form(facet, path, args, found),
            }
        )
        if found is not None and found.facet == facet.name:
            result[-1].update(found_values(result[-1], found, path, args))
    return result


def find_form(facet, path: str, args: Args, found) -> dict | None:
    """The box that searches all of a name facet's values (a GET form: it works without script)."""
    searching = found is not None and found.facet == facet.name
    if facet.name not in FINDABLE or (facet.total_values <= FACET_SHOWN and not searching):
        return None
    label = strings.FACET_FIND.get(facet.name, strings.FACET_LABELS[facet.name])
    return {
        "action": path,
        "hidden": [(key, value) for key, value in args if key not in ("more", "fq", "fpage", "page")]
        + [("more", facet.name)],
        "text": found.text if searching else "",
        "label": label,
        "id": f"fq-{facet.name}",
        "clear_url": url_with_removed_args(path, args, ["fq", "fpage"]) if searching else None,
    }


def found_values(facet: dict, found, path: str, args: Args) -> dict:
    """A facet showing the values that match its search box, a page at a time; its selected and
    excluded values stay in view above them."""
    kept = [value for value in facet["values"] if value["selected"] or value["excluded"]]
    label = strings.FACET_LABELS[found.facet]
    links = PairLinks(path, args)
    matched = [
        value_dict(found.facet, label, value, path, args, links)
        for value in found.values
        if not (value.selected or value.excluded)
    ]
    first, last = found.offset + 1, found.offset + len(found.values)
    page = found.offset // found.limit + 1

    def page_url(number: int) -> str:
        return url_with_added_args(path, args, [("fpage", str(number))], replace=["fpage"])

    return {
        "values": kept + matched,
        "shown": kept + matched,
        "hidden": [],
        "all_url": None,
        "cut_note": None,
        "top_note": None,
        "found_note": strings.FACET_FOUND.format(first=first, last=last, total=f"{found.total:,}", text=found.text)
        if found.values
        else strings.FACET_FOUND_NONE.format(text=found.text),
        "found_total": found.total,
        "previous_url": page_url(page - 1) if page > 1 else None,
        "next_url": page_url(page + 1) if last < found.total else None,
    }


def value_dict(name: str, facet_label: str, value, path: str, args: Args, links: PairLinks) -> dict:
    """A value with the URL that selects (or unselects) it and the one that excludes (or stops excluding) it;
    `links` adds a pair to `args`."""
    label = value_label(name, value.value)
    pair, negated = (name, value.value), (exclusion_key(name), value.value)
    excluded = getattr(value, "excluded", False)
    if value.selected:
        toggle = url_with_removed_args(path, args, [pair, "page"])
        # Excluding a selected value swaps one for the other rather than asking for both.
        exclude = url_with_added_args(path, [arg for arg in args if arg != pair], [negated], replace=["page"])
        aria = strings.FACET_REMOVE.format(facet=facet_label, value=label, count=value.count)
    elif excluded:
        toggle, exclude = url_with_removed_args(path, args, [negated, "page"]), None
        aria = strings.FACET_UNEXCLUDE.format(facet=facet_label, value=label, count=value.count)
    else:
        toggle, exclude = links.adding(pair), links.adding(negated)
        aria = strings.FACET_FILTER.format(facet=facet_label, value=label, count=value.count)
    return {
        "value": value.value,
        "label": label,
        "count": value.count,
        "selected": value.selected,
        "excluded": excluded,
        "toggle_url": toggle,
        "aria_label": aria,
        "exclude_url": exclude,
        "exclude_label": strings.FACET_EXCLUDE.format(facet=facet_label, value=label),
    }


def chip_dicts(filters, date_from, date_to, path: str, args: Args, exclusions=None) -> list[dict]:
    """The active filters as removable chips: facet values in facet order, the excluded ones ("not: X"), the dates."""
    chips = []
    for name in FACETS:
        for key, values, template, aria in (
            (name, filters.get(name, ()), strings.CHIP_LABEL, strings.CHIP_REMOVE),
            (exclusion_key(name), (exclusions or {}).get(name, ()), strings.CHIP_EXCLUDED, strings.CHIP_UNEXCLUDE),
        ):
            for value in values:
                facet, shown = strings.FACET_LABELS[name], value_label(name, value)
                chips.append(
                    {
                        "facet": name,
                        "value": value,
                        "excluded": key != name,
                        "label": template.format(facet=facet, value=shown),
                        "aria_label": aria.format(facet=facet, value=shown),
                        "remove_url": url_with_removed_args(path, args, [(key, value), "page"]),
                    }
                )
    for key, date, template in (("from", date_from, strings.DATE_FROM_CHIP), ("to", date_to, strings.DATE_TO_CHIP)):
        if date:
            label = template.format(date=date.isoformat())
            chips.append(
                {
                    "facet": key,
                    "value": date.isoformat(),
                    "excluded": False,
                    "label": label,
                    "aria_label": strings.CHIP_REMOVE.format(facet=strings.DATES_LEGEND, value=label),
                    "remove_url": url_with_removed_args(path, args, [key, "page"]),
                }
            )
    return chips


def relaxation_dicts(relaxations, path: str, args: Args, date_from=None, date_to=None) -> list[dict]:
    """One-click ways out of zero results, each with the count it would give; first, dates in the wrong order swapped."""
    found = []
    if date_from and date_to and date_from > date_to:
        url = url_with_added_args(
            path, args, [("from", str(date_to)), ("to", str(date_from))], replace=["from", "to", "page"]
        )
        label = strings.RELAX_SWAP_DATES.format(date_from=date_from, date_to=date_to)
        found.append({"kind": "swap_dates", "facet": None, "value": None, "total": None, "label": label, "url": url})
    for relaxation in relaxations:
        if relaxation.kind == "any_words":
            url = url_with_added_args(path, args, [("q", relaxation.query)], replace=["q", "page"])
            label = strings.RELAX_ANY_WORDS.format(total=relaxation.total)
        elif relaxation.kind == "drop_filter":
            url = url_with_removed_args(path, args, [(relaxation.facet, relaxation.value), "page"])
            label = strings.RELAX_DROP_FILTER.format(
                facet=strings.FACET_LABELS.get(relaxation.facet, relaxation.facet),
                value=value_label(relaxation.facet, relaxation.value),
                total=relaxation.total,
            )
        elif relaxation.kind == "drop_dates":
            url = url_with_removed_args(path, args, ["from", "to", "page"])
            label = strings.RELAX_DROP_DATES.format(total=relaxation.total)
        else:
            continue
        found.append(
            {
                "kind": relaxation.kind,
                "facet": relaxation.facet,
                "value": relaxation.value,
                "total": relaxation.total,
                "label": label,
                "url": url,
            }
        )
    return found
