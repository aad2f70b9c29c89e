"""The web layer over the OpenSearch backend: the same pages and JSON as over whoosh, a clear
error page when the cluster is gone, and no 5xx while a node is killed under load (needs a
running cluster; skipped without one, required in CI)."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest
from helpers import ROOT
from web_fixtures import SCRIPT

from webapp import create_app

QUERIES = ["governance", '"internet governance"', "pipeline OR harbour", "governance -moscow", "petrov*", ""]
CLUSTER_SCRIPT = ROOT / "scripts" / "opensearch-cluster"


@pytest.fixture(scope="module")
def server_app(corpus_dirs, opensearch_url):
    """The web corpus indexed into OpenSearch, and the site over it."""
    from indexer.opensearch import Cluster, build_index

    source_dir, _ = corpus_dirs
    cluster = Cluster(opensearch_url, "test-web")
    build_index(source_dir, cluster, jobs=1)
    config = {"SEARCH_BACKEND": "opensearch", "SEARCH_OPENSEARCH_URL": opensearch_url}
    yield create_app({"TESTING": True, **config, "SEARCH_OPENSEARCH_INDEX": "test-web"})
    cluster.delete_all()


def without_timing(data: dict) -> dict:
    """The API's answer less its timing; hits in id order without scores (the ranking formulas differ)."""
    data = {key: value for key, value in data.items() if key not in ("elapsed_ms", "took_ms")}
    hits = [{key: value for key, value in hit.items() if key != "score"} for hit in data["hits"]]
    return data | {"hits": sorted(hits, key=lambda hit: hit["id"])}


@pytest.mark.parametrize("query", QUERIES)
def test_the_api_answers_as_over_whoosh(server_app, corpus_app, query):
    args = {"q": query, "place": "Moscow"} if query == "governance" else {"q": query}
    whoosh = corpus_app.test_client().get("/api/search", query_string=args)
    server = server_app.test_client().get("/api/search", query_string=args)
    assert server.status_code == whoosh.status_code == 200
    assert without_timing(server.get_json()) == without_timing(whoosh.get_json())


def test_hostile_documents_stay_escaped(server_app):
    page = server_app.test_client().get("/", query_string={"q": "hostile governance"}).get_data(as_text=True)
    assert "<mark>governance</mark>" in page and "&lt;script&gt;window.__xss=1" in page
    assert SCRIPT not in page and "<img src=x" not in page


def test_an_unreachable_cluster_is_an_error_page_not_a_traceback():
    app = create_app({"TESTING": True, "SEARCH_BACKEND": "opensearch", "SEARCH_OPENSEARCH_URL": "http://127.0.0.1:9"})
    page = app.test_client().get("/", query_string={"q": "oil"})
    api = app.test_client().get("/api/search", query_string={"q": "oil"})
    assert page.status_code == api.status_code == 503
    assert "OpenSearch at http://127.0.0.1:9 is unreachable (ConnectionError)" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    assert api.get_json()["message"].startswith("OpenSearch at http://127.0.0.1:9")


def test_an_unknown_backend_is_refused_at_start():
    with pytest.raises(ValueError, match="SEARCH_BACKEND must be one of whoosh, opensearch"):
        create_app({"SEARCH_BACKEND": "solr"})


@pytest.mark.parametrize(
    "path", ["/api/entity/person/Vladimir Petrov", "/api/entity/place/Moscow", "/api/doc/hostile.txt"]
)
def test_entity_and_document_pages_answer_as_over_whoosh(server_app, corpus_app, path):
    whoosh = corpus_app.test_client().get(path, query_string={"q": "governance"})
    server = server_app.test_client().get(path, query_string={"q": "governance"})
    assert server.status_code == whoosh.status_code == 200
    if "/doc/" in path:  # more-like-this ranks the similar documents by its own measure
        assert {k: v for k, v in server.get_json().items() if k != "similar"} == {
            k: v for k, v in whoosh.get_json().items() if k != "similar"
        }
    else:
        assert server.get_json() == whoosh.get_json()


def test_a_node_killed_under_search_load_costs_no_error(server_app, opensearch_url):
    """Four clients search while the node that is not the cluster manager is killed: every
    answer is a full page (the other node holds a copy of every shard). The node is started
    again afterwards."""
    from indexer.opensearch import Cluster

    client = Cluster(opensearch_url, "test-web").client
    manager = client.cat.cluster_manager(format="json")[0]["node"]
    victim = next(node for node in ("node-1", "node-2") if node != manager)
    expected = server_app.test_client().get("/api/search", query_string={"q": "governance"}).get_json()["total"]
    statuses, totals, stop = [], [], threading.Event()

    def load():
        web = server_app.test_client()
        for _ in range(400):  # bounded, and stopped once the node is down for a while
            if stop.is_set():
                return
            response = web.get("/api/search", query_string={"q": "governance"})
            statuses.append(response.status_code)
            if response.status_code == 200:
                totals.append(response.get_json()["total"])

    clients = [threading.Thread(target=load) for _ in range(4)]
    for thread in clients:
        thread.start()
    try:
        time.sleep(1.0)
        before = len(statuses)
        subprocess.run([str(CLUSTER_SCRIPT), "kill", victim], check=True, timeout=30)
        time.sleep(4.0)
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
        after = len(statuses) - before
    finally:
        stop.set()
        subprocess.run([str(CLUSTER_SCRIPT), "restart", victim], check=False, timeout=300)
    assert after > 0, "no answer came after the node was killed"
    assert set(statuses) == {200}
    assert set(totals) == {expected}
