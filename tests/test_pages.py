"""Pages of PDFs: a hit names the page of each snippet, the reading view shows the pages with anchors."""

import pytest
from document_fixtures import make_pdf
from helpers import write_files

from indexer import build_index, get_document, search
from webapp import create_app

PAGES = [
    ["Annual report of the ministry", "Revenue rose last year."],
    ["Outlook", "The budget stays as it is."],
    ["Shipyards", "Orders for icebreakers doubled in Murmansk."],
]


@pytest.fixture
def paged_index(tmp_path):
    source_dir = write_files(
        tmp_path / "src",
        {
            "report.pdf": make_pdf(PAGES, {"Title": "Annual Report"}),
            "note.txt": "A note on icebreakers\n\nIcebreakers were ordered.\n",
        },
    )
    build_index(source_dir, tmp_path / "index", jobs=1)
    return tmp_path / "index"


def test_a_hit_names_the_page_of_each_snippet_and_a_text_has_no_pages(paged_index):
    hits = {hit.id: hit for hit in search(paged_index, "icebreakers").hits}
    assert hits["report.pdf"].snippet_pages == (3,)
    assert hits["note.txt"].snippet_pages == ()
    (budget,) = search(paged_index, "budget").hits
    assert budget.snippet_pages == (2,)
    # the snippet shows its own page only, not the end of page 2 before it
    (report,) = [hit for hit in search(paged_index, "icebreakers murmansk").hits if hit.id == "report.pdf"]
    assert report.snippets_html == (
        "… Shipyards Orders for <mark>icebreakers</mark> doubled in <mark>Murmansk</mark>.",
    )


def test_parts_of_a_long_pdf_count_pages_from_where_they_start(tmp_path, monkeypatch):
    from indexer.documents import parts

    monkeypatch.setattr(parts, "PART_CHARS", 400)
    monkeypatch.setattr(parts, "CUT_WINDOW", 300)
    pages = [[f"Page {n} opens here.", "Officials met in Berlin.", f"Codeword{n} appears here."] for n in range(1, 13)]
    source_dir = write_files(tmp_path / "src", {"long.pdf": make_pdf(pages, {"Title": "Long report"})})
    build_index(source_dir, tmp_path / "index", jobs=1)
    for number in (1, 5, 9, 12):
        (hit,) = search(tmp_path / "index", f"codeword{number}").hits
        assert hit.snippet_pages == (number,), (hit.id, number)
        view = get_document(tmp_path / "index", hit.id)
        assert f"Codeword{number} appears" in view.body_html.split("\f")[number - view.first_page]


def test_the_results_link_each_snippet_to_its_page_in_the_reading_view(paged_index, tmp_path):
    app = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(paged_index), "SEARCH_SOURCE_DIR": str(tmp_path)})
    client = app.test_client()
    results = client.get("/?q=icebreakers").get_data(as_text=True)
    assert '<a class="snippet-page" href="/doc/report.pdf?q=icebreakers#page-3">page 3</a>' in results
    assert results.count('class="snippet-page"') == 1  # the text note has no pages
    document = client.get("/doc/report.pdf?q=icebreakers").get_data(as_text=True)
    assert '<section class="doc-page" id="page-3" aria-label="page 3">' in document
    page_three = document.split('id="page-3"')[1].split("</section>")[0]
    assert "Orders for <mark>icebreakers</mark> doubled in Murmansk." in page_three
    api = client.get("/api/search?q=icebreakers").get_json()
    assert {hit["id"]: hit["snippet_pages"] for hit in api["hits"]} == {"report.pdf": [3], "note.txt": []}


def test_the_search_command_names_the_page_of_a_snippet(paged_index):
    from click.testing import CliRunner

    from indexer.cli import main

    result = CliRunner().invoke(main, ["search", "icebreakers", "--index", str(paged_index)])
    assert "   [page 3] … Shipyards Orders for icebreakers doubled in Murmansk." in result.output
    assert "   Icebreakers were ordered." in result.output  # the text note has no pages
