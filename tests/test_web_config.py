"""SearchConfig: a host app's SEARCH_* settings mount the blueprint; a setting it cannot use fails at creation."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import Flask

from webapp import ConfigError, SearchBlueprint, SearchConfig, create_app, create_search_blueprint
from webapp import cli as webapp_cli


def test_a_host_app_mounts_the_blueprint_with_its_own_settings(corpus_dirs, tmp_path, monkeypatch):
    _, index_dir = corpus_dirs
    monkeypatch.chdir(index_dir.parent)
    host = Flask(__name__)
    host.config.from_mapping(
        SEARCH_INDEX_DIR=index_dir.name,  # relative: read from the working folder when the config is made
        SEARCH_TITLE="Newsroom archive",
        SEARCH_PAGE_SIZE="3",  # as the environment gives it
        SEARCH_BASE_URL="https://archive.example.org/",
    )
    config = SearchConfig.from_settings(host.config)
    assert config == SearchConfig(
        index_dir=index_dir.resolve(), title="Newsroom archive", page_size=3, base_url="https://archive.example.org"
    )
    host.register_blueprint(SearchBlueprint(config, name="archive"), url_prefix="/archive")
    monkeypatch.chdir(tmp_path)  # later requests do not depend on the working folder
    client = host.test_client()

    data = client.get("/archive/api/search?q=governance").get_json()
    assert data["total"] > 3
    assert len(data["hits"]) == 3
    assert data["hits"][0]["doc_url"].startswith("/archive/doc/")
    page = client.get("/archive/?q=governance").get_data(as_text=True)
    assert "Newsroom archive" in page
    feed = client.get("/archive/feed?q=governance").get_data(as_text=True)
    assert "<title>Newsroom archive" in feed
    assert "https://archive.example.org/archive/doc/" in feed
    assert host.blueprints["archive"].search_config is config


def test_two_mounts_keep_their_own_settings(corpus_dirs):
    _, index_dir = corpus_dirs
    host = Flask(__name__)
    host.register_blueprint(create_search_blueprint(index_dir, name="one", page_size=1), url_prefix="/one")
    host.register_blueprint(create_search_blueprint(index_dir, name="two", page_size=2), url_prefix="/two")
    client = host.test_client()
    assert len(client.get("/one/api/search?q=governance").get_json()["hits"]) == 1
    assert len(client.get("/two/api/search?q=governance").get_json()["hits"]) == 2


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("SEARCH_PAGE_SIZE", "ten", "page_size (SEARCH_PAGE_SIZE) must be a whole number from 1 to 1000, not 'ten'"),
        ("SEARCH_PAGE_SIZE", 0, "page_size (SEARCH_PAGE_SIZE) must be a whole number from 1 to 1000, not 0"),
        ("SEARCH_PAGE_SIZE", "2.5", "page_size (SEARCH_PAGE_SIZE) must be a whole number"),
        ("SEARCH_PAGE_SIZE", 5000, "page_size (SEARCH_PAGE_SIZE) must be a whole number from 1 to 1000, not 5000"),
        ("SEARCH_TITLE", "   ", "title (SEARCH_TITLE) must be a non-empty text"),
        ("SEARCH_BASE_URL", "news.example.org", "base_url (SEARCH_BASE_URL): the base URL must be a scheme and host"),
    ],
)
def test_a_bad_setting_is_a_clear_error_when_the_app_is_created(corpus_dirs, setting, value, message):
    _, index_dir = corpus_dirs
    with pytest.raises(ConfigError) as raised:
        create_app({"SEARCH_INDEX_DIR": str(index_dir), setting: value})
    assert message in str(raised.value)


def test_a_bad_keyword_is_a_clear_error_when_the_blueprint_is_created(corpus_dirs):
    _, index_dir = corpus_dirs
    with pytest.raises(ConfigError, match=r"page_size \(SEARCH_PAGE_SIZE\) must be a whole number"):
        create_search_blueprint(index_dir, page_size=-1)
    with pytest.raises(ConfigError, match="SEARCH_INDEX_DIR must name the index folder"):
        SearchConfig.from_settings({"SEARCH_TITLE": "No index"})


def test_serve_refuses_a_bad_setting_from_the_environment_before_starting(seed_index, monkeypatch):
    started = []
    monkeypatch.setattr(webapp_cli.SearchServer, "run", lambda self: started.append(self.app_config))
    monkeypatch.setenv("SEARCH_PAGE_SIZE", "lots")
    result = CliRunner().invoke(webapp_cli.main, ["serve", "--index", str(seed_index)])
    assert result.exit_code == 1
    assert "Error: page_size (SEARCH_PAGE_SIZE) must be a whole number from 1 to 1000, not 'lots'" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert started == []  # no worker was started to fail on it
