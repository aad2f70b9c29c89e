"""The original file of a document: downloaded from inside the source folder only, never rendered."""

from __future__ import annotations

import json
import os
from urllib.parse import quote

import pytest
from helpers import FIRST_SEED, SEEDS_DIR, write_files

from indexer import build_index
from indexer.originals import OriginalUnavailable, open_inside
from webapp import create_app

SECRET = "TOP SECRET: outside the source folder\n"
HOSTILE_HTML = (
    "<!doctype html><html><head><title>Hostile page</title>"
    "<script>window.__pwned = 1; document.title = 'pwned';</script></head>"
    "<body><h1>Governance news</h1><p>An article about internet governance in Paris.</p></body></html>"
)
HOSTILE_NAMES = {
    'quote"semi;colon.txt': "Quotes in a name\n\nA story about governance with a hostile file name.\n",
    "<img src=x onerror=alert(1)>.html": HOSTILE_HTML,
    "Москва новости.txt": "Новости из Москвы\n\nСтатья о переговорах в Москве.\n",
    "dots..in..name...txt": "Dots in a name\n\nA story whose file name has runs of dots.\n",
}


@pytest.fixture
def site(tmp_path):
    """A source folder with hostile names, a link to a file outside it, its index, and a test client."""
    outside = tmp_path / "outside"
    write_files(outside, {"secret.txt": SECRET})
    source = tmp_path / "source"
    records = "\n".join(json.dumps({"title": f"Record {n}", "text": f"Record {n} about governance."}) for n in (1, 2))
    write_files(source, {**HOSTILE_NAMES, "seed.txt": (SEEDS_DIR / FIRST_SEED).read_text(), "records.jsonl": records})
    (source / "linked-secret.txt").symlink_to(outside / "secret.txt")
    build_index(source, tmp_path / "index", jobs=1, follow_outside=True)
    client = create_app({"SEARCH_INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()
    return source, outside, client


def download(client, doc_id: str):
    """The response, read whole and closed (closing the file it streamed)."""
    response = client.get("/file/" + quote(doc_id, safe="/"))
    response.get_data()
    response.close()
    return response


def assert_attachment(response, content: bytes):
    assert response.status_code == 200
    assert response.data == content
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("name", sorted(HOSTILE_NAMES))
def test_a_file_with_a_hostile_name_downloads_as_an_attachment(site, name):
    source, _, client = site
    response = download(client, name)
    assert_attachment(response, (source / name).read_bytes())
    disposition = response.headers["Content-Disposition"]
    assert "\n" not in disposition and disposition.count('"') in (0, 2)  # one quoted name at most, nothing after it


def test_a_name_with_quotes_cannot_add_header_parameters(site):
    _, _, client = site
    response = download(client, 'quote"semi;colon.txt')
    assert response.headers["Content-Disposition"] == "attachment; filename=quote_semi_colon.txt"


def test_a_non_ascii_name_is_given_in_utf8(site):
    _, _, client = site
    response = download(client, "Москва новости.txt")
    assert "filename*=UTF-8''%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0%20" in response.headers["Content-Disposition"]


def test_a_record_of_a_jsonl_file_downloads_the_whole_file(site):
    source, _, client = site
    assert_attachment(download(client, "records.jsonl#2"), (source / "records.jsonl").read_bytes())


def test_hits_and_document_pages_link_the_original(site):
    _, _, client = site
    hits = client.get("/api/search?q=governance").get_json()["hits"]
    assert {hit["id"]: hit["file_url"] for hit in hits}["records.jsonl#2"] == "/file/records.jsonl%232"
    page = client.get("/doc/seed.txt").get_data(as_text=True)
    assert 'href="/file/seed.txt" download' in page


@pytest.mark.parametrize(
    "path",
    [
        "/file/../../../../etc/passwd",
        "/file/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/file/..%2f..%2f..%2fetc%2fpasswd",
        "/file//etc/passwd",
        "/file/%2Fetc%2Fpasswd",
        "/file/seed.txt/../../outside/secret.txt",
        "/file/..%5c..%5coutside%5csecret.txt",
        "/file/",
        "/file/no-such-document.txt",
    ],
)
def test_traversal_attempts_find_nothing(site, path):
    _, _, client = site
    response = client.get(path, follow_redirects=True)  # "//" is merged by a redirect first
    assert response.status_code == 404
    assert b"root:" not in response.data and SECRET.encode() not in response.data


def test_a_document_read_through_a_link_out_of_the_folder_is_not_given_out(site):
    _, _, client = site
    assert client.get("/api/doc/linked-secret.txt").status_code == 200  # indexed, as --follow-outside asked
    response = download(client, "linked-secret.txt")
    assert response.status_code == 404
    assert SECRET.encode() not in response.data
    assert "outside the source folder" in response.get_data(as_text=True)


def test_a_file_swapped_for_a_link_after_indexing_is_not_given_out(site):
    source, outside, client = site
    (source / "seed.txt").unlink()
    (source / "seed.txt").symlink_to(outside / "secret.txt")
    response = download(client, "seed.txt")
    assert response.status_code == 404 and SECRET.encode() not in response.data


def test_a_file_gone_or_no_longer_a_file_says_so(site):
    source, _, client = site
    (source / "seed.txt").unlink()
    response = download(client, "seed.txt")
    assert response.status_code == 404
    assert "no longer in the source folder" in response.get_data(as_text=True)
    os.mkfifo(source / "seed.txt")  # a reader would block forever on a pipe
    response = download(client, "seed.txt")
    assert response.status_code == 404 and "not a regular file" in response.get_data(as_text=True)


@pytest.mark.parametrize("stored", ["../outside/secret.txt", "/etc/passwd", "a/../../outside/secret.txt", "", "."])
def test_paths_leading_out_are_refused_before_any_file_is_opened(site, stored):
    source, _, _ = site
    with pytest.raises(OriginalUnavailable):
        open_inside(source, stored)


def test_a_folder_reached_through_a_link_out_is_refused(site, tmp_path):
    source, outside, _ = site
    (source / "sub").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OriginalUnavailable, match="outside the source folder"):
        open_inside(source, "sub/secret.txt")
