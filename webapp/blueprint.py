"""create_search_blueprint: the search pages, API, feed and exports for one index, mountable anywhere.

The routes are plain functions over the blueprint that serves the request: its SearchConfig and its index.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)

import indexer
from indexer import FACETS, IndexMissingError, IndexStateError, SearchIndex, SourceError
from indexer.opensearch.cluster import ClusterError
from indexer.searching.entities import NAME_FACETS, get_entity

from . import exports, originals, strings, views
from .config import SearchConfig
from .facets import FACET_ALL, FACET_MORE, FIND_PAGE, exclusion_key
from .params import SearchParams, has_empty_args, parse_search_args, used_args
from .security import add_security_headers, json_response
from .snippets import clean_snippet
from .urls import external_url

FEED_SIZE = 20
RETRY_SECONDS = 60  # asked of clients while the index is unavailable
API_ENDPOINTS = ("api_search", "api_document", "api_entity")
WATCH_SECONDS = 1.0  # how often a serving worker looks for a new generation


class LiveIndex:
    """The blueprint's one SearchIndex, created on first use; built from source_dir if missing, outdated or damaged."""

    def __init__(self, index_dir: Path, source_dir: Path | None):
        self.index_dir = index_dir
        self.source_dir = source_dir
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def get(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                if self.source_dir is not None:
                    try:
                        indexer.ensure_index(self.index_dir, self.source_dir)
                    except SourceError as error:  # the source went away since the blueprint was created
                        raise IndexMissingError(
                            f"no index in {self.index_dir}, and none can be built: {error}"
                        ) from None
                self._index = SearchIndex(self.index_dir)
            return self._index

    def serve(self, watch_seconds: float = WATCH_SECONDS) -> None:
        """Ready the index for a server worker, before it takes requests: open the live generation and
        build what searches build on first use, then switch to each new generation once it is warm
        (SearchIndex.warm and watch), so that no request waits for either. An index that cannot be
        opened yet is left to the requests, which answer 503 until one is published."""
        try:
            index = self.get()
        except IndexStateError:  # its source went away: the requests say so
            return
        with contextlib.suppress(IndexStateError):  # none usable yet: the watcher opens the first one published
            index.warm()
        index.watch(watch_seconds)


class SearchBlueprint(Blueprint):
    """The search pages, API, feed and exports over one index: routes that read their settings from
    `search_config` and their index from `live`, whatever name and prefix the blueprint is mounted under."""

    def __init__(self, config: SearchConfig, name: str = "search", index=None):
        super().__init__(
            name, __name__, template_folder="templates", static_folder="static", static_url_path="/-/static"
        )
        self.search_config = config
        # `index`: one a search server holds (indexer.opensearch.OpenSearchIndex) instead of the folder's
        self.live = LiveIndex(config.index_dir, config.source_dir) if index is None else ServerIndex(index)
        self.after_request(add_security_headers)
        self.context_processor(template_globals)
        for rule, view in ROUTES:
            self.add_url_rule(rule, view_func=view, methods=["GET"])
        self.register_error_handler(404, not_found)
        self.register_error_handler(IndexStateError, index_unavailable)
        self.register_error_handler(ClusterError, index_unavailable)
        self.register_error_handler(400, bad_request)


class ServerIndex:
    """An index a search server holds (indexer.opensearch.OpenSearchIndex): nothing to open, build or warm here."""

    def __init__(self, index):
        self.index = index

    def get(self):
        return self.index

    def serve(self) -> None:
        pass


def create_search_blueprint(
    index_dir: Path | str | None,
    *,
    name: str = "search",
    source_dir: Path | str | None = None,
    title: str = strings.SITE_TITLE,
    page_size: int = 10,
    base_url: str | None = None,
    index=None,
) -> SearchBlueprint:
    """A Blueprint serving search over index_dir; mount it with any url_prefix, as often as you like.

    With source_dir, a missing index is built from it on the first request. Relative paths are
    resolved against the working folder now, when the blueprint is created; a source_dir that is
    not a folder raises SourceError here when the index would need it, and a setting it cannot
    use raises ConfigError (see SearchConfig). The blueprint keeps no reference to an app: `name`
    tells two mounts apart (url_for(f"{name}.search")).
    The feed and OpenSearch description give absolute URLs on `base_url` (`https://news.example.org`);
    without it, only when the app trusts the request's host (ProxyFix, TRUSTED_HOSTS), else relative.
    `index` serves an index a search server holds instead of index_dir
    (`indexer.opensearch.OpenSearchIndex(url, name)`).
    """
    if index_dir is None and index is not None:
        index_dir = Path.cwd()  # not read: the server's index is served
    config = SearchConfig(index_dir, source_dir=source_dir, title=title, page_size=page_size, base_url=base_url)
    return SearchBlueprint(config, name=name, index=index)


def current() -> SearchBlueprint:
    """The search blueprint serving this request (by its registered name: two mounts are two blueprints)."""
    return current_app.blueprints[request.blueprint]


def template_globals():
    return {"site_title": current().search_config.title, "S": strings}


def narrowing(params) -> dict:
    """The filters, dates and exclusions of a request, as the library's searches take them."""
    return {
        "filters": params.filters,
        "date_from": params.date_from,
        "date_to": params.date_to,
        "exclude": params.exclusions,
    }


def run_search(params, *, page_size=None, sort=None):
    return indexer.search(
        current().live.get(),
        params.query,
        **narrowing(params),
        sort=sort or params.sort,
        page=params.page,
        page_size=page_size or current().search_config.page_size,
        facet_size=FACET_ALL if params.more else FACET_MORE,
        as_you_type=params.as_you_type,
        fold_versions=params.fold_versions,
    )


def find_values(params):
    """The `more` facet's values matching its search box, or None without one."""
    if not (params.more and params.find_text):
        return None
    return indexer.find_values(
        current().live.get(),
        params.more,
        params.find_text,
        params.query,
        **narrowing(params),
        offset=(params.find_page - 1) * FIND_PAGE,
        limit=FIND_PAGE,
    )


def current_args():
    return used_args(request.args, request_params())


def search():
    if has_empty_args(request.args):  # a submitted form sends its empty fields too: ?q=x&sort=&from=&to=
        return redirect(views.with_args(url_for(".search"), list(request.args.items(multi=True))))
    params = request_params()
    page = run_search(params)
    context = views.search_context(page, params, url_for(".search"), current_args(), find_values(params))
    return render_template("search/results.html", **context)


def api_search():
    params = checked_params()
    page = run_search(params)
    context = views.search_context(page, params, url_for(".search"), current_args(), find_values(params))
    return json_response(views.search_json(context))


def load_document(doc_id: str):
    query = request.args.get("q", "")
    index = current().live.get()
    view = indexer.get_document(index, doc_id, query=query)
    if view is None:
        abort(404)
    neighbours = indexer.part_neighbours(view.hit.id, view.hit.title)
    parts = [part if part and indexer.get_document(index, part, similar=0) else None for part in neighbours]
    return views.document_context(view, query, parts)


def document(doc_id: str):
    return render_template("search/document.html", doc=load_document(doc_id))


def api_document(doc_id: str):
    return json_response(views.document_json(load_document(doc_id)))


def original_file(doc_id: str):
    try:
        original = indexer.open_original(current().live.get(), doc_id)
    except indexer.OriginalUnavailable as error:
        message = strings.ORIGINAL_UNAVAILABLE.format(reason=error)
        return render_template("search/error.html", heading=strings.NOT_FOUND_TITLE, message=message), 404
    if original is None:
        abort(404)
    return originals.attachment(original)


def load_entity(facet: str, value: str):
    if facet not in NAME_FACETS:
        abort(404)
    view = get_entity(current().live.get(), facet, value)
    if view is None:
        abort(404)
    return views.entity_context(view)


def entity(facet: str, value: str):
    return render_template("search/entity.html", entity=load_entity(facet, value))


def api_entity(facet: str, value: str):
    return json_response(views.entity_json(load_entity(facet, value)))


def feed():
    params = checked_params()
    config = current().search_config
    page = run_search(params, page_size=FEED_SIZE, sort="newest")
    args = [(k, v) for k, v in current_args() if k not in ("page", "sort", "more")]
    body = exports.atom_feed(
        page.hits,
        title=views.feed_title(config.title, params),
        feed_url=views.with_args(external_url(config.base_url, ".feed"), args),
        page_url=views.with_args(external_url(config.base_url, ".search"), args),
        entry_url=lambda hit: external_url(config.base_url, ".document", doc_id=hit.id),
        summary=lambda hit: " ".join(clean_snippet(snippet) for snippet in hit.snippets_html),
    )
    return Response(body, mimetype="application/atom+xml")


def all_hits(params):
    return indexer.iter_hits(current().live.get(), params.query, **narrowing(params), sort=params.sort)


def export(rows, mimetype: str, filename: str) -> Response:
    return Response(
        stream_with_context(rows),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def export_csv():
    return export(exports.csv_rows(all_hits(checked_params())), "text/csv", "search.csv")


def export_jsonl():
    return export(exports.jsonl_rows(all_hits(checked_params())), "application/jsonl", "search.jsonl")


def opensearch():
    base_url = current().search_config.base_url
    body = render_template(
        "search/opensearch.xml",
        search_url=external_url(base_url, ".search"),
        feed_url=external_url(base_url, ".feed"),
        api_url=external_url(base_url, ".api_search"),
    )
    return Response(body, mimetype="application/opensearchdescription+xml")


ROUTES = (
    ("/", search),
    ("/api/search", api_search),
    ("/doc/<path:doc_id>", document),
    ("/api/doc/<path:doc_id>", api_document),
    ("/file/<path:doc_id>", original_file),
    ("/entity/<facet>/<path:value>", entity),
    ("/api/entity/<facet>/<path:value>", api_entity),
    ("/feed", feed),
    ("/export.csv", export_csv),
    ("/export.jsonl", export_jsonl),
    ("/opensearch.xml", opensearch),
)


def not_found(error):
    if wants_json():
        return json_response({"error": strings.NOT_FOUND_TITLE, "message": strings.NOT_FOUND}, 404)
    return render_template("search/error.html", heading=strings.NOT_FOUND_TITLE, message=strings.NOT_FOUND), 404


def index_unavailable(error):
    message = str(error)[:1].upper() + str(error)[1:]  # the library's messages continue "Error: "
    retry = {"Retry-After": str(RETRY_SECONDS)}  # a repair or rebuild is on its way, or should be
    if wants_json():
        return json_response({"error": strings.INDEX_UNAVAILABLE_TITLE, "message": message}, 503), retry
    heading = strings.INDEX_UNAVAILABLE_TITLE
    return render_template("search/error.html", heading=heading, message=message), 503, retry


def bad_request(error):
    message = getattr(error, "description", None) or strings.BAD_REQUEST
    if wants_json():
        return json_response({"error": strings.BAD_REQUEST, "messages": rejected_messages() or [message]}, 400)
    return render_template("search/error.html", heading=strings.BAD_REQUEST, message=message), 400


REJECTED_PARAMS = (
    "from",
    "to",
    "sort",
    *FACETS,
    *map(exclusion_key, FACETS),
)  # a bad date or sort, too many values of a facet


def wants_json() -> bool:
    """True when the request is for one of the API's endpoints, whose errors are JSON too."""
    return bool(request.endpoint) and request.endpoint.rsplit(".", 1)[-1] in API_ENDPOINTS


def request_params() -> SearchParams:
    """The request's search parameters, parsed once however many parts of the response need them."""
    if "search_params" not in g:
        g.search_params = parse_search_args(request.args)
    return g.search_params


def rejected_messages(params=None) -> list[str]:
    params = params or request_params()
    return [message for key, message in params.errors if key in REJECTED_PARAMS]


def checked_params():
    """Parameters for the machine endpoints (API, feed, exports): a bad date or sort, or too many values, is a 400, not a guess."""
    params = request_params()
    rejected = rejected_messages(params)
    if rejected:
        abort(400, description=" ".join(rejected))
    return params
