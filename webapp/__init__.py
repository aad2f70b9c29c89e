"""seedsearch's web layer: a search Blueprint to mount in any Flask app, and a standalone site."""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask, url_for
from markupsafe import escape

from . import strings
from .blueprint import SearchBlueprint, create_search_blueprint
from .config import SETTINGS, ConfigError, SearchConfig
from .security import add_security_headers
from .urls import relative_redirects

__all__ = ["ConfigError", "SearchBlueprint", "SearchConfig", "create_app", "create_search_blueprint", "serve_warm"]
BACKENDS = ("whoosh", "opensearch")

DEFAULTS = {
    "SEARCH_INDEX_DIR": "index",
    "SEARCH_TITLE": strings.SITE_TITLE,
    "SEARCH_PAGE_SIZE": 10,
    "SEARCH_BASE_URL": None,  # e.g. https://news.example.org: absolute links in the feed and OpenSearch
    "SEARCH_BACKEND": "whoosh",  # or "opensearch": the index is SEARCH_OPENSEARCH_INDEX at SEARCH_OPENSEARCH_URL
    "SEARCH_OPENSEARCH_URL": "http://127.0.0.1:9200",  # several nodes comma-separated
    "SEARCH_OPENSEARCH_INDEX": "seedsearch",
}
BACKEND_SETTINGS = ("SEARCH_BACKEND", "SEARCH_OPENSEARCH_URL", "SEARCH_OPENSEARCH_INDEX")


def site_settings(test_config: Mapping | None = None) -> dict:
    """The standalone site's SEARCH_* settings: each key's default, then the environment variable of
    the same name, then test_config."""
    settings = dict(DEFAULTS)
    settings.update((key, os.environ[key]) for key in (*SETTINGS, *BACKEND_SETTINGS) if key in os.environ)
    settings.update(test_config or {})
    return settings


def serve_warm(app: Flask) -> Flask:
    """Ready `app` for a server worker, before it takes requests: the search pages' templates
    compiled, and each search blueprint's index opened and warm, each new generation switched to
    once warm (LiveIndex.serve). Call it in each worker process, after the server forks:
    `seedsearch serve` does."""
    for name in app.jinja_env.list_templates(filter_func=lambda name: name.startswith("search/")):
        app.jinja_env.get_template(name)  # compiled once and kept: a host's own layout.html too
    for blueprint in app.blueprints.values():
        if isinstance(blueprint, SearchBlueprint):
            blueprint.live.serve()
    return app


def create_app(test_config: dict | None = None) -> Flask:
    """The standalone site: the search blueprint at /, configured by SEARCH_* keys (see site_settings).

    A setting it cannot use raises ConfigError. The app never builds the index: it runs in every
    server worker, and a build there would hold the worker's boot (and race the other workers).
    `seedsearch serve` builds before its workers start; until an index is there, every page
    answers 503 and the first request after a build serves it.
    """
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(site_settings(test_config))
    blueprint = SearchBlueprint(SearchConfig.from_settings(app.config), name="search", index=server_index(app.config))
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
        raise ConfigError(f"SEARCH_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "whoosh":
        return None
    from indexer.opensearch import OpenSearchIndex

    return OpenSearchIndex(config["SEARCH_OPENSEARCH_URL"], config["SEARCH_OPENSEARCH_INDEX"])
