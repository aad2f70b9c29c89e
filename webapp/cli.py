"""The `seedsearch` command: the indexer's commands plus `serve`, which runs the site on gunicorn."""

from __future__ import annotations

from pathlib import Path

import click
from gunicorn.app.base import BaseApplication

from indexer import build_index, index_is_current
from indexer import cli as indexer_cli
from indexer.cli import backend_options, builder, index_option, open_backend, run_build

from . import site_settings
from .config import ConfigError, SearchConfig
from .urls import checked_base_url

__all__ = ["main"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


class SearchServer(BaseApplication):
    """gunicorn, configured in code; each worker calls create_app itself (no preload: whoosh
    searchers must be opened after the fork, one per worker)."""

    def __init__(self, app_config: dict, options: dict):
        self.app_config = app_config
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        """The app, in the worker before it takes requests: its index opened and warm (serve_warm)."""
        from . import create_app, serve_warm

        app = create_app(self.app_config)
        app.debug = False  # FLASK_DEBUG=1 in the environment must not reach a served site
        return serve_warm(app)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="seedsearch")
def main():
    """Full-text search over a folder of news articles, on the command line and in the browser.

    \b
    seedsearch index seeds          build the index from ./seeds
    seedsearch search "internet governance" --place Russia
    seedsearch serve                build it if need be, and serve it on http://127.0.0.1:8000/
    """


for command in indexer_cli.main.commands.values():  # the library's own commands, then the site's
    main.add_command(command)


@main.command()
@index_option
@backend_options
@click.option(
    "--source",
    "source_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("seeds"),
    show_default=True,
    envvar="SEARCH_SOURCE_DIR",
    help="Documents to index first when the index is missing, outdated or damaged.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="Worker processes.")
@click.option(
    "--base-url",
    envvar="SEARCH_BASE_URL",
    help="The site's address for absolute links in the feed and OpenSearch description, e.g. "
    "https://news.example.org [http://HOST:PORT when HOST is a loopback address].",
)
def serve(index_dir: Path, backend: str, url: str, index_name: str, source_dir: Path, host: str, port: int, workers: int,
          base_url: str | None):  # fmt: skip
    """Serve the search site on gunicorn, first building a missing, outdated or damaged index from --source.

    \b
    seedsearch serve                       # ./seeds -> ./index, http://127.0.0.1:8000/
    seedsearch serve --index news-index --source news --port 8080 --workers 4
    seedsearch serve --backend opensearch --url http://127.0.0.1:9200,http://127.0.0.1:9201
    """
    if base_url is None and host in LOOPBACK_HOSTS:
        base_url = f"http://{host}:{port}"  # only this machine can reach it: that address is the site's
    try:
        base_url = checked_base_url(base_url)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--base-url") from None
    app_config = {"SEARCH_INDEX_DIR": str(index_dir), "SEARCH_BASE_URL": base_url, "SEARCH_BACKEND": backend}
    try:  # checked here, once: a bad setting ends serve with a message, not every worker's boot
        SearchConfig.from_settings(site_settings(app_config))
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
    if backend == "whoosh":
        if not index_is_current(index_dir):  # here, once: the workers never build
            run_build(build_index, source_dir, index_dir)
        served = index_dir
    else:
        app_config |= {"SEARCH_OPENSEARCH_URL": url, "SEARCH_OPENSEARCH_INDEX": index_name}
        server = open_backend(backend, index_dir, url, index_name)  # unreachable: one line, no server started
        if server.cluster.live_index() is None:
            run_build(builder(backend, "build_index", index_dir, url, index_name)[0], source_dir, server.cluster)
        served = f"{url} (index {index_name})"
    click.echo(f"Serving {served} on http://{host}:{port}/ with {workers} workers", err=True)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "timeout": 30,
        "max_requests": 1000,
        "max_requests_jitter": 50,
        "preload_app": False,
        "accesslog": "-",
        "control_socket_disable": True,  # no control socket in ~/.gunicorn: nothing here uses gunicornc
    }
    SearchServer(app_config, options).run()


if __name__ == "__main__":
    main()
