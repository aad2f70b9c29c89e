"""The JSON API: whole structures for a two-article index, errors as JSON with 400/404/503."""

from __future__ import annotations

from flask import Flask

from webapp import create_search_blueprint

RIGA = {
    "id": "news.jsonl#1",
    "title": "Harbour reopens in Riga",
    "title_html": "<mark>Harbour</mark> reopens in Riga",
    "date": "2015-06-01",
    "date_label": "1 June 2015",
    "source": "baltic.example",
    "language": "en",
    "language_label": "English",
    "people": [],
    "organizations": [],
    "places": ["Riga"],
    "countries": ["Latvia"],
    "snippets_html": ["The <mark>harbour</mark> of Riga reopened on Monday after repairs, the port authority said."],
    "snippet_pages": [],
    "url": "https://baltic.example/riga",
    "doc_url": "/doc/news.jsonl%231?q=harbour",
    "api_url": "/api/doc/news.jsonl%231?q=harbour",
    "file_url": "/file/news.jsonl%231",
    "file_name": "news.jsonl",
    "group": None,
    "versions": [],
    "version_count": 0,
}


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.data
    assert response.mimetype == "application/json"
    return response.get_json()


def test_search_json_whole_structure(tiny_client):
    data = get_json(tiny_client, "/api/search?q=harbour&place=Riga")
    assert isinstance(data.pop("elapsed_ms"), float)
    hit = data["hits"][0]
    assert isinstance(hit.pop("score"), float)
    assert data == {
        "query": "harbour",
        "total": 1,
        "distinct": 1,
        "versions_note": None,
        "page": 1,
        "page_size": 10,
        "page_count": 1,
        "sort": "relevance",
        "notice": None,
        "messages": [],
        "filters": {"place": ["Riga"]},
        "exclusions": {},
        "date_from": None,
        "date_to": None,
        "timeline": {
            "bucket": "day",
            "undated": 0,
            "bars": [
                {
                    "start": "2015-06-01",
                    "end": "2015-06-01",
                    "label": "1 Jun 2015",
                    "count": 1,
                    "selected": False,
                    "url": "/?q=harbour&place=Riga&from=2015-06-01&to=2015-06-01",
                }
            ],
        },
        "hits": [RIGA],
        "facets": [
            {
                "name": "year",
                "label": "Year",
                "total_values": 1,
                "all_url": None,
                "values": [
                    {
                        "value": "2015",
                        "label": "2015",
                        "count": 1,
                        "selected": False,
                        "excluded": False,
                        "toggle_url": "/?q=harbour&place=Riga&year=2015",
                        "exclude_url": "/?q=harbour&place=Riga&not_year=2015",
                    }
                ],
            },
            {"name": "person", "label": "Person", "total_values": 0, "all_url": None, "values": []},
            {"name": "org", "label": "Organisation", "total_values": 0, "all_url": None, "values": []},
            {
                "name": "place",
                "label": "Place",
                "total_values": 2,
                "all_url": None,
                "values": [
                    {
                        "value": "Riga",
                        "label": "Riga",
                        "count": 1,
                        "selected": True,
                        "excluded": False,
                        "toggle_url": "/?q=harbour",
                        "exclude_url": "/?q=harbour&not_place=Riga",
                    },
                    {
                        "value": "Tallinn",
                        "label": "Tallinn",
                        "count": 1,
                        "selected": False,
                        "excluded": False,
                        "toggle_url": "/?q=harbour&place=Riga&place=Tallinn",
                        "exclude_url": "/?q=harbour&place=Riga&not_place=Tallinn",
                    },
                ],
            },
            {
                "name": "country",
                "label": "Country",
                "total_values": 1,
                "all_url": None,
                "values": [
                    {
                        "value": "Latvia",
                        "label": "Latvia",
                        "count": 1,
                        "selected": False,
                        "excluded": False,
                        "toggle_url": "/?q=harbour&place=Riga&country=Latvia",
                        "exclude_url": "/?q=harbour&place=Riga&not_country=Latvia",
                    }
                ],
            },
            {
                "name": "source",
                "label": "Source",
                "total_values": 1,
                "all_url": None,
                "values": [
                    {
                        "value": "baltic.example",
                        "label": "baltic.example",
                        "count": 1,
                        "selected": False,
                        "excluded": False,
                        "toggle_url": "/?q=harbour&place=Riga&source=baltic.example",
                        "exclude_url": "/?q=harbour&place=Riga&not_source=baltic.example",
                    }
                ],
            },
            {
                "name": "lang",
                "label": "Language",
                "total_values": 1,
                "all_url": None,
                "values": [
                    {
                        "value": "en",
                        "label": "English",
                        "count": 1,
                        "selected": False,
                        "excluded": False,
                        "toggle_url": "/?q=harbour&place=Riga&lang=en",
                        "exclude_url": "/?q=harbour&place=Riga&not_lang=en",
                    }
                ],
            },
            {"name": "folder", "label": "Folder", "total_values": 0, "all_url": None, "values": []},
            {
                "name": "type",
                "label": "File type",
                "total_values": 1,
                "all_url": None,
                "values": [
                    {
                        "value": "jsonl",
                        "label": "jsonl",
                        "count": 1,
                        "selected": False,
                        "excluded": False,
                        "toggle_url": "/?q=harbour&place=Riga&type=jsonl",
                        "exclude_url": "/?q=harbour&place=Riga&not_type=jsonl",
                    }
                ],
            },
        ],
        "chips": [
            {"facet": "place", "value": "Riga", "excluded": False, "label": "Place: Riga", "remove_url": "/?q=harbour"}
        ],
        "suggestion": None,
        "relaxations": [],
        "pagination": {"previous": None, "next": None, "pages": []},
        "links": {
            "feed": "/feed?q=harbour&place=Riga",
            "csv": "/export.csv?q=harbour&place=Riga",
            "jsonl": "/export.jsonl?q=harbour&place=Riga",
            "api": "/api/search?q=harbour&place=Riga",
            "html": "/?q=harbour&place=Riga",
        },
    }


def test_browse_json_lists_both_newest_first(tiny_client):
    data = get_json(tiny_client, "/api/search")
    assert [(hit["id"], hit["score"]) for hit in data["hits"]] == [("news.jsonl#2", None), ("news.jsonl#1", None)]
    assert data["hits"][0]["doc_url"] == "/doc/news.jsonl%232"
    assert data["sort"] == "newest"


def test_pagination_urls_in_json(tiny_app):
    app = Flask(__name__)
    index_dir = tiny_app.config["SEARCH_INDEX_DIR"]
    app.register_blueprint(create_search_blueprint(index_dir, page_size=1), url_prefix="/s")
    data = get_json(app.test_client(), "/s/api/search?q=harbour&page=2")
    assert data["pagination"] == {
        "previous": "/s/?q=harbour",
        "next": None,
        "pages": [
            {"number": 1, "url": "/s/?q=harbour", "current": False},
            {"number": 2, "url": "/s/?q=harbour&page=2", "current": True},
        ],
    }


def test_document_json_whole_structure(tiny_client):
    data = get_json(tiny_client, "/api/doc/news.jsonl%231?q=harbour")
    assert data == {
        **RIGA,
        "score": None,
        "people": [],
        "organizations": [],
        "places": [
            {
                "name": "Riga",
                "url": "/?place=Riga",
                "aria_label": "Search articles with Place: Riga",
                "entity_url": "/entity/place/Riga",
                "entity_label": "About Riga: articles, timeline, names beside it",
            }
        ],
        "query": "harbour",
        "author": None,
        "path": "news.jsonl",
        "dates_mentioned": [],
        "original_text": None,
        "body_html": "The <mark>harbour</mark> of Riga reopened on Monday after repairs, the port authority said.",
        "similar": data["similar"],
        "search_url": "/?q=harbour",
        "parts": [],
    }
    assert all(set(other) == set(RIGA) | {"score"} for other in data["similar"])


def test_unknown_document_is_a_json_404(tiny_client):
    assert get_json(tiny_client, "/api/doc/news.jsonl%239", 404) == {
        "error": "Not found",
        "message": "There is no article with this address. It may have been removed when the index was rebuilt.",
    }


def test_bad_dates_and_sort_are_400_in_the_api(tiny_client):
    assert get_json(tiny_client, "/api/search?from=soon&sort=best", 400) == {
        "error": "The request could not be read.",
        "messages": [
            "“soon” is not a date like 2015-11-10, so the “from” date was ignored.",
            "“best” is not a way to sort; showing the most relevant first.",
        ],
    }


def test_bad_page_is_clamped_in_the_api(tiny_client):
    data = get_json(tiny_client, "/api/search?page=zz")
    assert data["page"] == 1
    assert data["messages"] == ["“zz” is not a page number; showing page 1."]


def test_missing_index_is_503_not_500(tmp_path):
    app = Flask(__name__)
    app.register_blueprint(create_search_blueprint(tmp_path / "no-index"), url_prefix="/s")
    client = app.test_client()
    page = client.get("/s/")
    assert page.status_code == 503
    assert "Search is unavailable" in page.get_data(as_text=True)
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    data = get_json(client, "/s/api/search", 503)
    assert data["error"] == "Search is unavailable"
    assert data["message"]


def test_source_dir_builds_a_missing_index_on_first_request(tmp_path, tiny_app):
    from web_fixtures import build_tiny_index

    source_dir, _ = build_tiny_index(tmp_path / "src")
    app = Flask(__name__)
    app.register_blueprint(create_search_blueprint(tmp_path / "new-index", source_dir=source_dir), url_prefix="/s")
    assert get_json(app.test_client(), "/s/api/search")["total"] == 2


def test_a_key_added_for_the_templates_stays_out_of_the_api(tiny_client, monkeypatch):
    from webapp import views

    def with_template_key(build):
        return lambda *args, **kwargs: {**build(*args, **kwargs), "css_class": "template only"}

    monkeypatch.setattr(views, "hit_dict", with_template_key(views.hit_dict))
    monkeypatch.setattr(views, "document_context", with_template_key(views.document_context))
    monkeypatch.setattr(views, "entity_context", with_template_key(views.entity_context))
    found = get_json(tiny_client, "/api/search?q=harbour")
    document = get_json(tiny_client, "/api/doc/news.jsonl%231?q=harbour")
    entity = get_json(tiny_client, "/api/entity/place/Riga")
    shown = [*found["hits"], document, *document["similar"], entity, *entity["latest"]]
    assert found["hits"] and entity["latest"]
    assert [data for data in shown if "css_class" in data] == []


def test_a_request_parses_its_arguments_once(tiny_client, monkeypatch):
    from webapp import blueprint

    calls = []

    def counting(args):
        calls.append(args)
        return real_parse(args)

    real_parse = blueprint.parse_search_args
    monkeypatch.setattr(blueprint, "parse_search_args", counting)
    for url in ("/?q=harbour&place=Riga", "/api/search?q=harbour", "/feed?q=harbour", "/api/search?sort=sideways"):
        calls.clear()
        tiny_client.get(url)
        assert len(calls) == 1, url
