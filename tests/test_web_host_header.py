"""Absolute URLs come from the configured base URL or a host the app trusts, never from a client's Host header."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import cli as webapp_cli
from webapp import create_app
from webapp.urls import checked_base_url

EVIL = {"Host": "attacker.invalid"}  # (the corpus itself mentions evil.example)
PAGES = [
    "/opensearch.xml",
    "/feed",
    "/feed?q=governance&place=Paris",
    "/doc//world/story-01.txt",
    "/-/static//search/search.css",
]


def app_with(corpus_dirs, **config):
    source_dir, index_dir = corpus_dirs
    settings = {"TESTING": True, "SEARCH_INDEX_DIR": str(index_dir), "SEARCH_SOURCE_DIR": str(source_dir)}
    return create_app({**settings, **config})


def everything(response) -> str:
    return str(response.headers) + response.get_data(as_text=True)


@pytest.mark.parametrize("path", PAGES)
def test_a_hostile_host_header_is_written_nowhere(client, path):
    response = client.get(path, headers=EVIL)
    assert response.status_code in (200, 308)
    assert "attacker.invalid" not in everything(response)


def test_redirects_are_relative(client):
    response = client.get("/doc//world/story-01.txt?q=x", headers=EVIL)
    assert (response.status_code, response.headers["Location"]) == (308, "/doc/world/story-01.txt?q=x")
    assert 'href="/doc/world/story-01.txt?q=x"' in response.get_data(as_text=True)


def test_the_configured_base_url_makes_absolute_links(corpus_dirs):
    client = app_with(corpus_dirs, SEARCH_BASE_URL="https://news.example.org/").test_client()
    opensearch = client.get("/opensearch.xml", headers=EVIL).get_data(as_text=True)
    assert 'template="https://news.example.org/?q={searchTerms}"' in opensearch
    feed = client.get("/feed?q=governance", headers=EVIL).get_data(as_text=True)
    assert "<id>https://news.example.org/feed?q=governance</id>" in feed
    assert "<id>https://news.example.org/doc/" in feed
    assert "attacker.invalid" not in feed + opensearch


def test_a_host_the_app_trusts_makes_absolute_links(corpus_dirs):
    trusting = app_with(corpus_dirs, TRUSTED_HOSTS=["news.example.org"]).test_client()
    body = trusting.get("/opensearch.xml", headers={"Host": "news.example.org"}).get_data(as_text=True)
    assert 'template="http://news.example.org/?q={searchTerms}"' in body
    assert trusting.get("/opensearch.xml", headers=EVIL).status_code == 400
    proxied = app_with(corpus_dirs)
    proxied.wsgi_app = ProxyFix(proxied.wsgi_app, x_proto=1, x_host=1)
    headers = {"X-Forwarded-Host": "news.example.org", "X-Forwarded-Proto": "https"}
    body = proxied.test_client().get("/opensearch.xml", headers=headers).get_data(as_text=True)
    assert 'template="https://news.example.org/?q={searchTerms}"' in body


@pytest.mark.parametrize("bad", ["news.example.org", "ftp://news.example.org", "https://x.org/site", "javascript:x"])
def test_a_base_url_is_a_scheme_and_host(bad):
    with pytest.raises(ValueError, match="scheme and host"):
        checked_base_url(bad)


def test_serve_gives_the_app_its_loopback_address_or_the_base_url(tmp_path, monkeypatch, seed_index):
    started = []
    monkeypatch.setattr(webapp_cli.SearchServer, "run", lambda self: started.append(self.app_config))
    monkeypatch.delenv("SEARCH_BASE_URL", raising=False)
    runner = CliRunner()
    args = ["serve", "--index", str(seed_index), "--port", "8123"]
    assert runner.invoke(webapp_cli.main, args).exit_code == 0
    assert runner.invoke(webapp_cli.main, [*args, "--host", "0.0.0.0"]).exit_code == 0
    assert runner.invoke(webapp_cli.main, [*args, "--base-url", "https://news.example.org"]).exit_code == 0
    bad = runner.invoke(webapp_cli.main, [*args, "--base-url", "news.example.org"])
    assert bad.exit_code == 2 and "scheme and host" in bad.output
    assert [config["SEARCH_BASE_URL"] for config in started] == [
        "http://127.0.0.1:8123",
        None,
        "https://news.example.org",
    ]
