"""The `seedsearch` command line: argument parsing, one library call, readable output."""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import re
import sys
import time
from pathlib import Path

import click

from .build import BuildReport, SourceError, build_index, update_index
from .opensearch.cluster import ClusterError
from .schema import FACET_FIELDS
from .searching.results import SearchPage
from .searching.search import MAX_PAGE_SIZE, search
from .searching.stats import index_stats
from .store import IndexStateError, rollback

DEFAULT_SOURCE = Path("seeds")
DEFAULT_INDEX = Path("index")

source_argument = click.argument(
    "source", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_SOURCE, required=False
)
index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_INDEX,
    show_default=True,
    envvar="SEARCH_INDEX_DIR",
    help="Index folder.",
)


def backend_options(command):
    """--backend, --url, --index-name: where the index lives (whoosh, the default, uses --index)."""
    command = click.option(
        "--index-name", default="seedsearch", show_default=True, envvar="SEARCH_OPENSEARCH_INDEX",
        help="OpenSearch: the index (an alias) to use.",
    )(command)  # fmt: skip
    command = click.option(
        "--url", default="http://127.0.0.1:9200", show_default=True, envvar="SEARCH_OPENSEARCH_URL",
        help="OpenSearch: the cluster's URL (several nodes comma-separated).",
    )(command)  # fmt: skip
    return click.option(
        "--backend", type=click.Choice(["whoosh", "opensearch"]), default="whoosh", show_default=True,
        envvar="SEARCH_BACKEND", help="Where the index lives: a whoosh folder, or an OpenSearch cluster.",
    )(command)  # fmt: skip


def open_backend(backend: str, index_dir: Path, url: str, index_name: str):
    """The index to search: index_dir for whoosh, an OpenSearchIndex (checked reachable) for OpenSearch."""
    if backend == "whoosh":
        return index_dir
    from .opensearch import OpenSearchIndex

    try:
        index = OpenSearchIndex(url, index_name)
        index.cluster.check()
    except ClusterError as error:
        raise click.ClickException(str(error)) from None
    return index


# Errors a command reports in one line: the index's state, and an OpenSearch cluster's.
INDEX_ERRORS = (IndexStateError, ClusterError)


jobs_option = click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes [all cores].")
follow_outside_option = click.option(
    "--follow-outside", is_flag=True, help="Also index symlinks to files outside SOURCE (left out by default)."
)
ocr_option = click.option(
    "--ocr/--no-ocr",
    default=True,
    show_default=True,
    help="Read scans (PNG, JPEG, TIFF, PDF pages without text) with tesseract OCR; --no-ocr skips them.",
)


class ISODate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date like 2015-11-10", param, ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seedsearch")
def main():
    """Full-text search over a folder of news articles.

    \b
    seedsearch index seeds          build the index from ./seeds
    seedsearch search "internet governance" --place Russia
    """


@main.command()
@source_argument
@index_option
@backend_options
@jobs_option
@follow_outside_option
@ocr_option
def index(
    source: Path, index_dir: Path, backend: str, url: str, index_name: str, jobs, follow_outside: bool, ocr: bool
):
    """Rebuild the index from SOURCE (default: seeds) and switch to it atomically."""
    build, target = builder(backend, "build_index", index_dir, url, index_name)
    run_build(build, source, target, jobs=jobs, follow_outside=follow_outside, ocr=ocr)


@main.command()
@source_argument
@index_option
@backend_options
@jobs_option
@follow_outside_option
@ocr_option
def update(
    source: Path, index_dir: Path, backend: str, url: str, index_name: str, jobs, follow_outside: bool, ocr: bool
):
    """Re-index added and changed files of SOURCE, drop deleted ones."""
    build, target = builder(backend, "update_index", index_dir, url, index_name)
    run_build(build, source, target, jobs=jobs, follow_outside=follow_outside, ocr=ocr)


def builder(backend: str, name: str, index_dir: Path, url: str, index_name: str):
    """The build function of a backend and what it builds into (a folder, or a cluster's alias)."""
    if backend == "whoosh":
        return {"build_index": build_index, "update_index": update_index}[name], index_dir
    from . import opensearch

    return getattr(opensearch, name), open_backend(backend, index_dir, url, index_name).cluster


def run_build(build, source: Path, index_dir: Path, **options) -> None:
    """Run a build with a progress bar on a terminal, then print its report."""
    try:
        if sys.stderr.isatty():
            remaining = TimeLeft(count_files(source, options.get("follow_outside", False)))
            with click.progressbar(
                length=remaining.total,
                label="Indexing",
                file=sys.stderr,
                show_eta=False,
                item_show_func=lambda status: status,
            ) as bar:
                report = build(
                    source,
                    index_dir,
                    progress=lambda done: bar.update(done, remaining.after(done)),
                    ocr_progress=lambda: bar.update(0, remaining.after_ocr_page()),
                    **options,
                )
        else:
            report = build(source, index_dir, **options)
    except (SourceError, *INDEX_ERRORS) as error:
        raise click.ClickException(printable(str(error))) from None
    print_report(report)


class TimeLeft:
    """A build's time estimate, from its pace since the first file was done, and its count of
    pages read by OCR (a scan takes seconds a page: the count shows the build is moving).

    The first file waits for the start-up (worker processes, language models): an estimate
    that counts it put a build of 11 s at 01:24 at first. None until the pace is measured.
    """

    MIN_FILES = 3  # done after the first, and
    MIN_SECONDS = 1.0  # seconds since the first, before there is an estimate

    def __init__(self, total: int, clock=time.monotonic):
        self.total = total
        self.clock = clock
        self.done = 0
        self.first: tuple[float, int] | None = None  # when the first files were done, and how many
        self.eta: str | None = None
        self.ocr_pages = 0

    def after(self, files: int) -> str | None:
        """The status once `files` more are done: "eta MM:SS", the OCR pages, or None while there is neither."""
        self.done += files
        self.eta = self.estimate()
        return self.status()

    def after_ocr_page(self) -> str | None:
        """The status once one more page is read by OCR."""
        self.ocr_pages += 1
        return self.status()

    def status(self) -> str | None:
        pages = f"{self.ocr_pages} page{'s' if self.ocr_pages != 1 else ''} by OCR" if self.ocr_pages else None
        return " · ".join(part for part in (self.eta, pages) if part) or None

    def estimate(self) -> str | None:
        now = self.clock()
        if self.first is None:
            self.first = (now, self.done)
            return None
        started, first_done = self.first
        since, seconds = self.done - first_done, now - started
        if since < self.MIN_FILES or seconds < self.MIN_SECONDS:
            return None
        left = round((self.total - self.done) * seconds / since)
        return f"eta {left // 60:02d}:{left % 60:02d}"


def count_files(source: Path, follow_outside: bool) -> int:
    from .documents.files import list_files

    return len(list_files(source, follow_outside=follow_outside).paths) if source.is_dir() else 0


def print_report(report: BuildReport) -> None:
    for path, reason in report.skipped.items():
        click.echo(printable(f"skipped {path}: {reason}"), err=True)
    for warning in report.warnings:
        click.echo(printable(f"warning {warning}"), err=True)
    if report.changed or report.removed or report.added != report.files:  # an update: a rate would mislead
        done = f"({report.added} added, {report.changed} changed, {report.removed} removed) in {report.seconds:.1f} s"
    else:
        done = f"in {report.seconds:.1f} s ({report.documents_per_second:.0f} docs/s)"
    click.echo(f"Indexed {report.documents} documents from {report.files} files {done} into {report.index_dir}")
    if report.skipped:
        reasons = ", ".join(f"{reason}: {count}" for reason, count in report.skipped_by_reason.most_common())
        click.echo(printable(f"Skipped {len(report.skipped)} files ({reasons})"))
    if report.hidden:
        click.echo(f"Left out {report.hidden} hidden files and folders (names starting with a dot)")


# Characters a terminal obeys rather than shows: C0 and C1 controls (escape sequences start with
# one) and the bidirectional overrides that reorder what follows them.
TERMINAL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from documents made safe for a terminal: controls shown as escapes (\\x1b), not obeyed."""
    return TERMINAL_CONTROLS.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def exclude_options(command):
    """A --not-<facet> option per facet: documents with that value are left out."""
    for name in reversed(FACET_FIELDS):
        command = click.option(
            f"--not-{name}", f"not_{name}", multiple=True, help=f"Leave out documents with this {name} (repeat)."
        )(command)
    return command


@main.command("search")
@click.argument("query", default="", required=False)
@index_option
@backend_options
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Hits to show.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--person", multiple=True, help="Only documents naming this person (repeat to OR).")
@click.option("--org", multiple=True, help="Only documents naming this organisation (repeat to OR).")
@click.option("--place", multiple=True, help="Only documents naming this place (repeat to OR).")
@click.option("--country", multiple=True, help="Only documents naming a place in this country (repeat to OR).")
@click.option("--year", multiple=True, help="Only documents of this year (repeat to OR).")
@click.option("--source", multiple=True, help="Only documents from this source (repeat to OR).")
@click.option("--lang", multiple=True, help="Only documents in this language: en, ru, ... (repeat to OR).")
@click.option("--folder", multiple=True, help="Only documents in this folder, or below it (repeat to OR).")
@click.option("--type", multiple=True, help="Only documents of this file type: txt, html, ... (repeat to OR).")
@click.option("--from", "date_from", type=ISODate(), help="Published on or after this date.")
@click.option("--to", "date_to", type=ISODate(), help="Published on or before this date.")
@click.option(
    "--all-versions", is_flag=True, help="Each near-identical version its own hit (default: folded into the first)."
)
@exclude_options
def search_command(
    query, index_dir, backend, url, index_name, limit, as_json, date_from, date_to, all_versions, **facets
):
    """Search the index; an empty QUERY lists every document, newest first.

    \b
    seedsearch search 'internet governance' --place Russia --from 2015-01-01
    seedsearch search oil --not-place Iran --not-org OPEC
    seedsearch search '"memorandum of understanding" OR mou' --json
    """
    if date_from and date_to and date_from > date_to:
        raise click.BadParameter(f"{date_from} is after --to {date_to}: no document can match", param_hint="--from")
    exclude = {name.removeprefix("not_"): values for name, values in facets.items() if name.startswith("not_")}
    filters = {name: values for name, values in facets.items() if values and not name.startswith("not_")}
    index = open_backend(backend, index_dir, url, index_name)
    try:
        page = first_hits(
            index,
            query,
            limit,
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            exclude=exclude,
            fold_versions=not all_versions,
        )
    except INDEX_ERRORS as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(page_json(page), ensure_ascii=False, indent=1))
    else:
        print_page(page)


def first_hits(index_dir: Path, query: str, limit: int, **options) -> SearchPage:
    """The search's first `limit` hits as one page: a search call returns at most MAX_PAGE_SIZE
    hits, so a larger limit is read a page at a time."""
    first = search(index_dir, query, page_size=min(limit, MAX_PAGE_SIZE), **options)
    hits, elapsed_ms = list(first.hits), first.elapsed_ms
    for number in range(2, math.ceil(min(limit, first.distinct) / MAX_PAGE_SIZE) + 1):
        page = search(index_dir, query, page=number, page_size=MAX_PAGE_SIZE, **options)
        if page.page != number:  # a rebuild meanwhile left fewer pages
            break
        hits.extend(page.hits)
        elapsed_ms += page.elapsed_ms
    return dataclasses.replace(first, hits=tuple(hits[:limit]), page_size=limit, elapsed_ms=elapsed_ms)


def page_json(page) -> dict:
    """The CLI's JSON: hits with their first snippet, facets as value/count lists."""
    hits = []
    for hit in page.hits:
        data = hit.to_dict()
        hits.append(
            {
                **{key: data[key] for key in ("id", "title", "date", "source", "language", "score")},
                "people": list(hit.people),
                "organizations": list(hit.organizations),
                "places": list(hit.places),
                "countries": list(hit.countries),
                "snippet": " … ".join(hit.snippets_html),
                "versions": [version.id for version in hit.versions],
                "version_count": hit.version_count,
            }
        )
    facets = {
        facet.name: [
            {"value": v.value, "count": v.count, **({"excluded": True} if v.excluded else {})} for v in facet.values
        ]
        for facet in page.facets
    }
    result = {"query": page.query, "total": page.total, "distinct": page.distinct, "hits": hits, "facets": facets}
    if page.timeline:
        result["timeline"] = {
            "bucket": page.timeline.bucket,
            "undated": page.timeline.undated,
            "bars": [{"start": str(bar.start), "end": str(bar.end), "count": bar.count} for bar in page.timeline.bars],
        }
    if page.notice:
        result["notice"] = page.notice
    if page.suggestion:
        result["suggestion"] = page.suggestion
    return result


def print_page(page) -> None:
    if page.notice:
        click.echo(printable(page.notice), err=True)
    shown = f", showing {len(page.hits)}" if len(page.hits) < page.distinct else ""
    noun = "result" if page.distinct == 1 else "results"
    folded = page.total - page.distinct
    folded = f", {folded:,} near-identical version{'' if folded == 1 else 's'} folded" if folded else ""
    click.echo(f"{page.distinct:,} {noun}{shown}{folded} ({page.elapsed_ms:.0f} ms)")
    if page.suggestion:
        click.echo(f"Did you mean: {printable(page.suggestion)}")
    for number, hit in enumerate(page.hits, start=1):
        meta = printable(" · ".join(str(part) for part in (hit.date, hit.source, hit.language) if part))
        click.echo(f"\n{number}. {click.style(printable(hit.title), bold=True)}  [{printable(hit.id)}]")
        if meta:
            click.echo(f"   {meta}")
        pages = hit.snippet_pages or (None,) * len(hit.snippets_html)
        for snippet, page_number in zip(hit.snippets_html, pages):
            label = f"[page {page_number}] " if page_number else ""
            click.echo(f"   {label}{terminal_snippet(snippet)}")
        if hit.versions:
            more = hit.version_count - len(hit.versions)
            listed = ", ".join(version.id for version in hit.versions) + (f" and {more:,} more" if more else "")
            click.echo(printable(f"   + near-identical: {listed}"))


def terminal_snippet(html: str) -> str:
    """Snippet HTML for a terminal: marks in bold, entities decoded."""
    import html as html_module

    parts = [printable(html_module.unescape(part)) for part in html.replace("</mark>", "<mark>").split("<mark>")]
    if not sys.stdout.isatty():
        return "".join(parts)
    return "".join(f"\x1b[1m{part}\x1b[0m" if n % 2 else part for n, part in enumerate(parts))


@main.command()
@index_option
@backend_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def stats(index_dir: Path, backend: str, url: str, index_name: str, as_json: bool):
    """Documents, fields, top facet values and size of the index."""
    try:
        info = index_stats(open_backend(backend, index_dir, url, index_name))
    except INDEX_ERRORS as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(info, ensure_ascii=False, indent=1))
        return
    click.echo(f"Index       {info['index_dir']} ({info['generation']}, built {info.get('built', '-')})")
    if info.get("source_dir"):
        click.echo(f"Source      {info['source_dir']}")
    click.echo(f"Documents   {info['documents']} from {info['files']} files ({info['skipped_files']} skipped)")
    if "versions" in info:
        click.echo(f"Versions    {info['versions']} near-identical documents in {info['version_groups']} groups")
    click.echo(f"Size        {info['size_bytes'] / 1048576:.1f} MB")
    click.echo(f"Fields      {', '.join(info['fields'])}")
    for name in FACET_FIELDS:
        facet = info["facets"][name]
        top = ", ".join(f"{v['value']} ({v['count']})" for v in facet["top"]) or "-"
        click.echo(printable(f"{name:<11} {facet['values']} values; top: {top}"))


@main.command("rollback")
@index_option
@backend_options
def rollback_command(index_dir: Path, backend: str, url: str, index_name: str):
    """Make the previous index generation live again."""
    try:
        if backend == "whoosh":
            name = rollback(index_dir).name
        else:
            name = open_backend(backend, index_dir, url, index_name).cluster.rollback()
    except INDEX_ERRORS as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Now serving {name}")
