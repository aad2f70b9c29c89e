"""Entity pages: /entity/<facet>/<value> and its JSON twin, counted as a search filtered by that value counts."""

from __future__ import annotations

from collections import Counter

from indexer import iter_hits, search


def test_entity_json_matches_a_search_for_the_name(client, corpus_dirs):
    _, index_dir = corpus_dirs
    response = client.get("/api/entity/place/Paris")
    assert response.status_code == 200
    data = response.get_json()
    page = search(index_dir, "", filters={"place": ["Paris"]}, facet_size=1000)
    facets = {facet.name: {v.value: v.count for v in facet.values} for facet in page.facets}
    assert (data["facet"], data["value"], data["total"]) == ("place", "Paris", page.total)
    named = {group["facet"]: {v["value"]: v["count"] for v in group["values"]} for group in data["named_with"]}
    assert named["person"] == facets["person"]
    assert named["org"] == facets["org"]
    beside = Counter(place for hit in iter_hits(index_dir, "", filters={"place": ["Paris"]}) for place in hit.places)
    assert named["place"] == {value: n for value, n in beside.items() if value != "Paris"}
    geneva = next(v for g in data["named_with"] for v in g["values"] if v["value"] == "Geneva")
    assert (geneva["url"], geneva["search_url"]) == ("/entity/place/Geneva", "/?place=Paris&place=Geneva")
    newest = [hit.id for hit in iter_hits(index_dir, "", filters={"place": ["Paris"]}, sort="newest")]
    assert [hit["id"] for hit in data["latest"]] == newest[:10]
    assert sum(bar["count"] for bar in data["timeline"]["bars"]) + data["timeline"]["undated"] == page.total
    assert data["timeline"]["bars"][0]["url"].startswith("/?place=Paris&from=")


def test_entity_page_and_links_to_it(client):
    html = client.get("/entity/person/Vladimir%20Petrov").get_data(as_text=True)
    assert '<h1 id="entity-title">Vladimir Petrov</h1>' in html
    assert "Named in 14 articles" in html
    assert '<a href="/entity/person/Angela%20Weber">Angela Weber</a>' in html
    results = client.get("/?q=election").get_data(as_text=True)
    assert '<a href="/entity/person/Vladimir%20Petrov">Vladimir Petrov</a>' in results
    document = client.get("/doc/world/story-01.txt").get_data(as_text=True)
    assert 'class="entity-link" href="/entity/place/Paris"' in document


def test_unknown_entities_are_404(client):
    assert client.get("/entity/place/Atlantis").status_code == 404
    assert client.get("/entity/year/2015").status_code == 404
    response = client.get("/api/entity/person/Nobody")
    assert response.status_code == 404 and response.get_json()["error"] == "Not found"


def test_one_article_is_said_in_the_singular(tiny_client):
    html = tiny_client.get("/entity/place/Riga").get_data(as_text=True)
    assert "Named in 1 article<" in html and ": 1 article" in html  # the heading, and the timeline's bar
