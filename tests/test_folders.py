"""Folder and file-type facets: each folder holding a file is a value (nested ones as path prefixes)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import corpus, write_files

from indexer import build_index, search
from indexer.cli import main
from indexer.documents.folders import file_type, folder_values

PER_CATEGORY = 6


def test_folder_values_are_path_prefixes_and_the_type_is_the_extension():
    assert folder_values("business/markets/001.TXT") == ("business", "business/markets")
    assert folder_values("top.txt") == ()
    assert file_type("business/markets/001.TXT") == ("txt",)
    assert file_type("README") == ()


@pytest.fixture(scope="module")
def bbc_sample(tmp_path_factory):
    """The first few BBC articles of each category folder, with the folders as BBC ships them."""
    docs = corpus("bbc") / "docs"
    work = tmp_path_factory.mktemp("bbc")
    categories = sorted(path.name for path in docs.iterdir() if path.is_dir())
    for category in categories:
        (work / "docs" / category).mkdir(parents=True)
        for path in sorted((docs / category).iterdir())[:PER_CATEGORY]:
            (work / "docs" / category / path.name).symlink_to(path)
    write_files(work / "docs", {"business/markets/extra.md": "# Markets note\n\nShares rose in London today.\n"})
    build_index(work / "docs", work / "index", jobs=1, follow_outside=True)  # links to the read-only corpus
    return work / "index", categories


def test_bbc_categories_are_a_folder_facet(bbc_sample):
    index_dir, categories = bbc_sample
    facets = {facet.name: facet for facet in search(index_dir, "", facet_size=100).facets}
    counts = {value.value: value.count for value in facets["folder"].values}
    assert counts == {
        **dict.fromkeys(categories, PER_CATEGORY),
        "business": PER_CATEGORY + 1,  # the nested note counts in its parent folder too
        "business/markets": 1,
    }
    types = {value.value: value.count for value in facets["type"].values}
    assert types == {"txt": PER_CATEGORY * len(categories), "md": 1}
    sport = search(index_dir, "", filters={"folder": ["sport"]}, page_size=100)
    assert sport.total == PER_CATEGORY and all(hit.path.startswith("sport/") for hit in sport.hits)
    nested = search(index_dir, "", filters={"folder": ["business"]}, exclude={"folder": ["business/markets"]})
    assert nested.total == PER_CATEGORY


def test_the_page_and_cli_filter_by_folder_and_type(bbc_sample):
    from webapp import create_app

    index_dir, _ = bbc_sample
    client = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(index_dir)}).test_client()
    html = client.get("/").get_data(as_text=True)
    assert 'aria-label="Filter by Folder: sport (6)"' in html
    assert 'aria-label="Filter by File type: md (1)"' in html
    data = client.get("/api/search?folder=business&type=md").get_json()
    assert data["total"] == 1 and data["hits"][0]["id"] == "business/markets/extra.md"
    result = CliRunner().invoke(
        main, ["search", "--index", str(index_dir), "--json", "--folder", "tech", "--not-type", "md"]
    )
    assert json.loads(result.output)["total"] == PER_CATEGORY
