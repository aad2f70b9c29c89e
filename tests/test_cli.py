import json
import re

import pytest
from click.testing import CliRunner
from helpers import SECOND_SEED, SEEDS_DIR, write_files

from indexer.cli import TimeLeft, main


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


def test_index_prints_a_report(run, tmp_path):
    write_files(tmp_path / "src", {"a.txt": "Forum opens\n\nThe forum opened.", "b.exe": b"MZ\x90"})
    result = run("index", tmp_path / "src", "--index", tmp_path / "index", "--jobs", 1)
    assert result.exit_code == 0
    assert "skipped b.exe: unsupported format (.exe)" in result.output
    assert "Indexed 1 documents from 2 files" in result.output
    assert "Skipped 1 files (unsupported format: 1)" in result.output


def test_update_reports_its_changes_and_no_rate_over_documents_it_did_not_index(run, tmp_path):
    write_files(tmp_path / "src", {"a.txt": "Forum opens\n\nThe forum opened.", "b.txt": "Summit\n\nA summit."})
    built = run("index", tmp_path / "src", "--index", tmp_path / "index", "--jobs", 1)
    assert re.search(r"Indexed 2 documents from 2 files in [0-9.]+ s \([0-9]+ docs/s\)", built.output)
    (tmp_path / "src" / "b.txt").write_text("Summit\n\nA summit ended.")
    updated = run("update", tmp_path / "src", "--index", tmp_path / "index", "--jobs", 1)
    assert re.search(
        r"Indexed 2 documents from 2 files \(0 added, 1 changed, 0 removed\) in [0-9.]+ s into", updated.output
    )
    assert "docs/s" not in updated.output


def test_search_json_has_the_documented_shape(run, seed_index):
    result = run("search", "memorandum of understanding", "--index", seed_index, "--json")
    data = json.loads(result.output)
    assert list(data) == ["query", "total", "distinct", "hits", "facets", "timeline"]
    assert (data["query"], data["total"]) == ("memorandum of understanding", 1)
    (hit,) = data["hits"]
    assert list(hit) == [
        "id",
        "title",
        "date",
        "source",
        "language",
        "score",
        "people",
        "organizations",
        "places",
        "countries",
        "snippet",
        "versions",
        "version_count",
    ]
    assert (hit["id"], hit["date"], hit["language"]) == ("000_da3b932311e528c8.txt", "2017-04-18", "en")
    assert "<mark>Memorandum</mark> of <mark>Understanding</mark>" in hit["snippet"]
    assert list(data["facets"]) == ["year", "person", "org", "place", "country", "source", "lang", "folder", "type"]
    assert data["hits"][0]["countries"] == ["Russia", "Indonesia"]
    country = json.loads(run("search", "", "--index", str(seed_index), "--country", "Indonesia", "--json").output)
    assert [hit["id"] for hit in country["hits"]] == ["000_da3b932311e528c8.txt"]
    assert data["facets"]["type"] == [{"value": "txt", "count": 1}]
    assert data["facets"]["year"] == [{"value": "2017", "count": 1}]


def test_empty_query_lists_every_document_newest_first(run, seed_index):
    result = run("search", "--index", seed_index, "--json", "--limit", 100)
    assert [hit["id"] for hit in json.loads(result.output)["hits"]] == ["000_da3b932311e528c8.txt", SECOND_SEED]


def test_search_filters(run, seed_index):
    result = run("search", "", "--index", seed_index, "--json", "--person", "Rashid Ismailov", "--from", "2015-01-01")
    assert [hit["id"] for hit in json.loads(result.output)["hits"]] == [SECOND_SEED]


def test_search_text_output(run, seed_index):
    result = run("search", "signing", "--index", seed_index)
    assert result.output.startswith("1 result (")
    assert "1. 2017-03-23 (3)  [000_da3b932311e528c8.txt]" in result.output
    assert "have signed a Memorandum" in result.output


def test_stats(run, seed_index):
    result = run("stats", "--index", seed_index)
    assert result.exit_code == 0
    assert "Documents   2 from 2 files (0 skipped)" in result.output
    assert "place       " in result.output and "Russia (2)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "x", "--index", "{tmp}/none"), "Error: no index in {tmp}/none: build one with `seedsearch index"),
        (("index", "{tmp}/missing", "--index", "{tmp}/i"), "Error: source folder {tmp}/missing does not exist"),
        (("index", "{tmp}", "--index", "{tmp}/i"), "Error: source folder {tmp} has no files to index"),
        (("search", "x", "--from", "yesterday"), "'yesterday' is not a date like 2015-11-10"),
        (("rollback", "--index", "{tmp}/none"), "Error: no earlier index generation in {tmp}/none"),
    ],
)
def test_errors_are_one_clear_line(run, tmp_path, args, message):
    result = run(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.exit_code != 0
    assert message.format(tmp=tmp_path) in result.output
    assert "Traceback" not in result.output


def test_seeds_folder_is_the_default_source(run, tmp_path, monkeypatch):
    monkeypatch.chdir(SEEDS_DIR.parent)
    result = run("index", "--index", tmp_path / "index", "--jobs", 1)
    assert "Indexed 2 documents from 2 files" in result.output


def test_search_refuses_a_from_date_after_the_to_date(seed_index):
    result = CliRunner().invoke(
        main, ["search", "", "--index", str(seed_index), "--from", "2017-05-01", "--to", "2017-04-01"]
    )
    assert result.exit_code == 2
    assert (
        "Error: Invalid value for --from: 2017-05-01 is after --to 2017-04-01: no document can match" in result.output
    )


def test_search_help_says_each_facet_option_repeats_to_or(run):
    help_text = " ".join(run("search", "--help").output.split())
    for option in ("--person", "--org", "--place", "--country", "--year", "--source", "--lang"):
        assert re.search(rf"{option} TEXT [^-]*\(repeat to OR\)", help_text), option


def test_the_build_time_estimate_leaves_the_start_up_out():
    """11 s of work after 5 s of start-up: click's own estimate said 01:24 after the first file."""
    now = [0.0]
    remaining = TimeLeft(100, clock=lambda: now[0])
    now[0] = 5.0  # the first file waited for the workers and the language models
    assert remaining.after(1) is None
    estimates = []
    for _ in range(99):
        now[0] += 0.11
        estimates.append(remaining.after(1))
    assert estimates[:9] == [None] * 9  # under a second of pace measured
    assert estimates[9] == "eta 00:10"  # 11 files done, 89 to go at 0.11 s each
    assert estimates[-2] == "eta 00:00" and estimates[-1] == "eta 00:00"


def test_the_build_status_counts_the_pages_read_by_ocr():
    now = [0.0]
    status = TimeLeft(11, clock=lambda: now[0])
    assert status.after(1) is None
    assert status.after_ocr_page() == "1 page by OCR"
    for _ in range(4):
        now[0] += 0.5
        status.after_ocr_page()
        last = status.after(1)
    assert last == "eta 00:03 · 5 pages by OCR"  # 4 files in 2 s since the first, 6 to go


def test_index_help_offers_ocr_on_and_off(run):
    result = run("index", "--help")
    assert "--ocr / --no-ocr" in result.output
