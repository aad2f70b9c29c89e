"""The reading view: hard-wrapped lines joined into paragraphs, tables and short lines kept as they are."""

from __future__ import annotations

from helpers import write_files

from indexer import build_index
from indexer.documents.reflow import reflow

WIRE = """OPEC OUTPUT STEADY
March 3, 1987

    Output by the thirteen members of the Organization of
Petroleum Exporting Countries held steady in February at
about 16 mln barrels per day, an industry survey showed.
    The survey, published on Tuesday, said Saudi Arabia's
output rose slightly.
         Country     Jan     Feb
 Saudi Arabia      3.9     4.1
 Iran              2.2     2.1
    - Kuwait kept to its quota.
    - Nigeria did not.
"""


def test_wrapped_lines_join_and_indented_lines_start_paragraphs():
    assert reflow(WIRE) == [
        "OPEC OUTPUT STEADY\nMarch 3, 1987",
        (
            "Output by the thirteen members of the Organization of Petroleum Exporting Countries held steady "
            "in February at about 16 mln barrels per day, an industry survey showed."
        ),
        (
            "The survey, published on Tuesday, said Saudi Arabia's output rose slightly.\n"
            "Country     Jan     Feb\nSaudi Arabia      3.9     4.1\nIran              2.2     2.1\n- Kuwait kept to its quota."
        ),
        "- Nigeria did not.",
    ]


def test_marks_survive_reflowing():
    html = "The <mark>survey</mark> of the Organization of Petroleum\nExporting Countries was <mark>published</mark>."
    assert reflow(html) == [html.replace("\n", " ")]


def test_the_document_page_shows_the_reflowed_paragraphs(tmp_path):
    from webapp import create_app

    write_files(tmp_path / "docs", {"opec.txt": WIRE})
    build_index(tmp_path / "docs", tmp_path / "index", jobs=1)
    client = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(tmp_path / "index")}).test_client()
    html = client.get("/doc/opec.txt?q=survey").get_data(as_text=True)
    assert (
        "<p>The <mark>survey</mark>, published on Tuesday, said Saudi Arabia's output rose slightly.\n"
        "Country     Jan     Feb\n" in html
    )
    assert "Organization of Petroleum Exporting Countries held steady in February" in html
