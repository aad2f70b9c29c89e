"""Embedding: the README's host app, the blueprint under prefixes, twice, behind a proxy, restyled."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from flask import Flask
from web_fixtures import build_corpus_index, build_tiny_index
from werkzeug.middleware.proxy_fix import ProxyFix

from indexer import SourceError, build_index
from webapp import create_search_blueprint

# The README's example, read from README.md itself: written to a file, imported and exercised below.
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
README_EXAMPLE = re.search(r"```python\n(# host\.py:.*?)```", README, re.DOTALL).group(1)

HOST_LAYOUT = """\
<!doctype html>
<html lang="en">
<head><title>{% block title %}{% endblock %} · Host site</title>{% block head %}{% endblock %}</head>
<body class="host-site"><nav>HOST NAVIGATION</nav>{% block content %}{% endblock %}</body>
</html>
"""


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("embedding")
    corpus_source, corpus_index = build_corpus_index(tmp / "corpus")
    tiny_source, tiny_index = build_tiny_index(tmp / "tiny")
    return {"corpus": (corpus_source, corpus_index), "tiny": (tiny_source, tiny_index), "tmp": tmp}


def status(client, path: str) -> int:
    with client.get(path) as response:  # static files are streamed: close them
        return response.status_code


def load_host(folder, name: str, *, layout: bool = False):
    """Write README_EXAMPLE as a module (optionally with an overriding layout) and import it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(README_EXAMPLE, encoding="utf-8")
    if layout:
        (folder / "templates" / "search").mkdir(parents=True)
        (folder / "templates" / "search" / "layout.html").write_text(HOST_LAYOUT, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_readme_example_mounts_under_news(indexes, tmp_path):
    source_dir, _ = indexes["corpus"]
    host = load_host(tmp_path / "host", "host_news")
    app = host.create_app(news_index=tmp_path / "fresh-index", news_source=source_dir)
    client = app.test_client()
    assert client.get("/").get_data(as_text=True) == '<a href="/news/?q=internet">Search the news</a>'
    html = client.get("/news/?q=governance").get_data(as_text=True)
    assert "<strong>17 results</strong>" in html
    assert '<link rel="stylesheet" href="/news/-/static/search/search.css">' in html
    assert '<form class="search-form" role="search" method="get" action="/news/"' in html
    assert re.search(r'<a href="/news/doc/[\w/.-]+\?q=governance">', html)
    assert 'href="/news/?q=governance&amp;place=Paris"' in html
    assert '<a class="site-name" href="/news/">Newsroom</a>' in html
    assert status(client, "/news/-/static/search/search.js") == 200
    assert client.get("/news/doc/world/story-01.txt").status_code == 200
    assert client.get("/news/api/search?q=governance").get_json()["hits"][0]["doc_url"].startswith("/news/doc/")
    assert client.get("/news/doc/missing").status_code == 404
    assert client.get("/news").status_code == 308


def test_readme_example_run_from_another_folder_fails_at_creation_naming_the_folder(tmp_path, monkeypatch):
    """Its defaults `index` and `seeds` are relative: elsewhere they used to give a bare 500 on the first search."""
    host = load_host(tmp_path / "host", "host_elsewhere")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceError, match=f"the source folder {re.escape(str(tmp_path / 'seeds'))} .*does not exist"):
        host.create_app()


def test_readme_example_keeps_the_folders_it_was_created_in(indexes, tmp_path, monkeypatch):
    corpus_source, _ = indexes["corpus"]
    shutil.copytree(corpus_source, tmp_path / "site" / "seeds")
    host = load_host(tmp_path / "host", "host_relative")
    monkeypatch.chdir(tmp_path / "site")
    app = host.create_app()  # the README's defaults, read from the folder the app was created in
    monkeypatch.chdir(tmp_path)  # a server that changes folder after loading the app
    html = app.test_client().get("/news/?q=governance").get_data(as_text=True)
    assert "<strong>17 results</strong>" in html
    assert (tmp_path / "site" / "index" / "CURRENT").exists()


def test_readme_example_mounts_two_indexes(indexes, tmp_path):
    corpus_source, corpus_index = indexes["corpus"]
    _, tiny_index = indexes["tiny"]
    host = load_host(tmp_path / "host", "host_two")
    client = host.create_app(news_index=corpus_index, news_source=corpus_source, archive_index=tiny_index).test_client()
    news = client.get("/news/api/search").get_json()
    archive = client.get("/archive/api/search").get_json()
    assert (news["total"], archive["total"]) == (19, 2)
    assert archive["hits"][0]["doc_url"] == "/archive/doc/news.jsonl%232"
    assert archive["facets"][3]["values"][0]["toggle_url"].startswith("/archive/?place=")
    html = client.get("/archive/?q=harbour").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/archive/-/static/search/search.css">' in html
    assert '<a class="site-name" href="/archive/">Archive</a>' in html
    assert "/news/" not in html
    assert status(client, "/archive/-/static/search/search.css") == 200
    assert client.get("/archive/doc/news.jsonl%231").status_code == 200
    assert client.get("/news/doc/news.jsonl%231").status_code == 404


def test_readme_example_behind_a_proxy_prefix(indexes, tmp_path):
    corpus_source, corpus_index = indexes["corpus"]
    host = load_host(tmp_path / "host", "host_proxy")
    client = host.create_app(news_index=corpus_index, news_source=corpus_source).test_client()
    headers = {"X-Forwarded-Prefix": "/site", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "example.org"}
    html = client.get("/news/?q=governance", headers=headers).get_data(as_text=True)
    assert '<link rel="stylesheet" href="/site/news/-/static/search/search.css">' in html
    assert re.search(r'<a href="/site/news/doc/[\w/.-]+\?q=governance">', html)
    assert 'href="/site/news/?q=governance&amp;place=Paris"' in html
    data = client.get("/news/api/search?q=governance", headers=headers).get_json()
    assert data["links"]["feed"] == "/site/news/feed?q=governance"
    feed = client.get("/news/feed?q=governance", headers=headers).get_data(as_text=True)
    assert "<id>https://example.org/site/news/feed?q=governance</id>" in feed


def test_host_layout_overrides_the_blueprint_layout(indexes, tmp_path):
    corpus_source, corpus_index = indexes["corpus"]
    host = load_host(tmp_path / "host", "host_layout", layout=True)
    client = host.create_app(news_index=corpus_index, news_source=corpus_source).test_client()
    for path in ("/news/?q=governance", "/news/doc/world/story-01.txt", "/news/doc/missing"):
        html = client.get(path).get_data(as_text=True)
        assert '<body class="host-site"><nav>HOST NAVIGATION</nav>' in html
        assert '<link rel="stylesheet" href="/news/-/static/search/search.css">' in html
    html = client.get("/news/?q=governance").get_data(as_text=True)
    assert "<title>governance – Newsroom · Host site</title>" in html
    assert "<strong>17 results</strong>" in html  # results.html still comes from the blueprint


def test_blueprint_under_any_prefix_and_nested(indexes):
    _, tiny_index = indexes["tiny"]
    app = Flask(__name__)
    app.register_blueprint(create_search_blueprint(tiny_index, name="deep"), url_prefix="/a/b/c")
    html = app.test_client().get("/a/b/c/?q=harbour").get_data(as_text=True)
    assert '<a href="/a/b/c/doc/news.jsonl%231?q=harbour">' in html
    assert 'href="/a/b/c/opensearch.xml"' in html


def test_plain_proxy_fix_on_a_bare_app(indexes):
    _, tiny_index = indexes["tiny"]
    app = Flask(__name__)
    app.register_blueprint(create_search_blueprint(tiny_index), url_prefix="/s")
    app.wsgi_app = ProxyFix(app.wsgi_app, x_prefix=1)
    data = app.test_client().get("/s/api/search", headers={"X-Forwarded-Prefix": "/p"}).get_json()
    assert data["hits"][0]["doc_url"] == "/p/s/doc/news.jsonl%232"


def test_rebuilt_index_is_seen_without_restart(tmp_path):
    source_dir, index_dir = build_tiny_index(tmp_path)
    app = Flask(__name__)
    app.register_blueprint(create_search_blueprint(index_dir), url_prefix="/s")
    client = app.test_client()
    assert client.get("/s/api/search").get_json()["total"] == 2
    assert client.get("/s/api/search?q=lighthouse").get_json()["total"] == 0
    (source_dir / "more.txt").write_text(
        textwrap.dedent(
            """\
            Lighthouse restored in Klaipeda
            July 4, 2017

            The old lighthouse of Klaipeda shines again.
            """
        ),
        encoding="utf-8",
    )
    build_index(source_dir, index_dir, jobs=1)
    assert client.get("/s/api/search").get_json()["total"] == 3
    hits = client.get("/s/api/search?q=lighthouse").get_json()["hits"]
    assert [hit["id"] for hit in hits] == ["more.txt"]
    assert client.get("/s/doc/more.txt").status_code == 200
