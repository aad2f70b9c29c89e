"""seedsearch's web layer: a search Blueprint to mount in any Flask app, and a standalone site."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, url_for
from markupsafe import escape

from . import strings
from .blueprint import create_search_blueprint
from .security import add_security_headers
from .urls import relative_redirects

__all__ = ["create_app", "create_search_blueprint"]
BACKENDS = ("whoosh", "opensearch")

DEFAULTS = {
    "SEARCH_INDEX_DIR": "index",
    "SEARCH_TITLE": "News search",
    "SEARCH_PAGE_SIZE": 10,
    "SEARCH_BASE_URL": None,  # e.g. https://news.example.org: absolute links in the feed and OpenSearch
    "SEARCH_BACKEND": "whoosh",  # or "opensearch": the index is SEARCH_OPENSEARCH_INDEX at SEARCH_OPENSEARCH_URL
    "SEARCH_OPENSEARCH_URL": "http://127.0.0.1:9200",  # several nodes comma-separated
    "SEARCH_OPENSEARCH_INDEX": "seedsearch",
}


def create_app(test_config: dict | None = None) -> Flask:
    """The standalone site: the search blueprint at /, configured by SEARCH_* keys.

    Each key comes from its default, then an environment variable of the same name, then
    test_config. The app never builds the index: it runs in every server worker, and a build
    there would hold the worker's boot (and race the other workers). `seedsearch serve` builds
    before its workers start; until an index is there, every page answers 503 and the first
    request after a build serves it.
    """
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(DEFAULTS)
    for key in DEFAULTS:
        if key in os.environ:
            app.config[key] = os.environ[key]
    if test_config:
        app.config.from_mapping(test_config)
    blueprint = create_search_blueprint(
        Path(app.config["SEARCH_INDEX_DIR"]),
        name="search",
        title=app.config["SEARCH_TITLE"],
        page_size=int(app.config["SEARCH_PAGE_SIZE"]),
        base_url=app.config["SEARCH_BASE_URL"],
        index=server_index(app.config),
    )
    app.register_blueprint(blueprint, url_prefix=None)
    app.after_request(add_security_headers)
    app.after_request(relative_redirects)

    @app.errorhandler(404)
    def not_found(error):
        # Routing 404s reach no blueprint handler: a plain page that links home.
        home = escape(url_for("search.search"))
        title, message = escape(strings.NOT_FOUND_TITLE), escape(strings.NOT_FOUND)
        page = f'<!doctype html><html lang="en"><title>{title}</title><h1>{title}</h1><p>{message}</p>'
        return f'{page}<p><a href="{home}">{escape(strings.DOCUMENT_BACK)}</a></p></html>', 404

    return app


def server_index(config):
    """The OpenSearch index the config names, or None for the whoosh folder; ValueError for an unknown backend."""
    backend = config["SEARCH_BACKEND"]
    if backend not in BACKENDS:
        raise ValueError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "whoosh":
        return None
    from indexer.opensearch import OpenSearchIndex

    return OpenSearchIndex(config["SEARCH_OPENSEARCH_URL"], config["SEARCH_OPENSEARCH_INDEX"])
