"""bench/update.py: the change plan, and the whole tool (real build, real update) on a small folder."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest
from helpers import run_bench_tool

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "bench" / "update.py"


@pytest.fixture
def update(monkeypatch):
    """bench/update.py as a module; it imports bench/speedlib, as it does when run as a script."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("update", TOOL)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "update", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def write_corpus(docs_dir: Path, count: int = 40) -> dict[str, bytes]:
    """Short news articles, one a file; what was written, by name."""
    rng = random.Random(0)
    docs_dir.mkdir()
    for number in range(count):
        goods, place = rng.choice(["cocoa", "coffee", "grain", "oil"]), rng.choice(["London", "Tokyo", "Brazil"])
        text = (
            f"{goods.upper()} EXPORTS FROM {place.upper()}\n\n{number % 28 + 1:02}-MAR-1987 10:00:00.00\n"
            f"{place}, March 3 - Exporters said {goods} shipments rose this season, traders in {place} reported.\n"
        )
        (docs_dir / f"doc-{number:02}.txt").write_text(text, encoding="utf-8")
    return {path.name: path.read_bytes() for path in docs_dir.iterdir()}


def test_plan_changes_is_seeded_and_deletes_a_tenth(update, tmp_path):
    files = [tmp_path / f"{n:03}.txt" for n in range(200)] + [tmp_path / "feed.jsonl"]

    changes = update.plan_changes(files, 0.1, random.Random(1), run=2)

    assert changes == update.plan_changes(files, 0.1, random.Random(1), run=2)
    assert (len(changes.modified), len(changes.deleted), len(changes.added), changes.size) == (18, 2, 2, 20)
    assert tmp_path / "feed.jsonl" not in changes.modified  # only plain text gets a sentence added
    assert not set(changes.modified) & set(changes.deleted)
    assert [new.name for new, _ in changes.added] == [
        f"new-2-{n:05}-{t.name}" for n, (_, t) in enumerate(changes.added)
    ]
    assert not {template for _, template in changes.added} & set(changes.modified + changes.deleted)
    assert update.marker(2, 13) == "zqaacaaaabd"


def test_tool_on_a_small_folder_gives_one_json_object(tmp_path):
    written = write_corpus(tmp_path / "docs")
    scratch = tmp_path / "scratch"  # the tool's TMPDIR: what it leaves behind shows here
    scratch.mkdir()

    result = run_bench_tool(TOOL, str(tmp_path / "docs"), "--runs", "1", "--fraction", "0.25", tmpdir=scratch)
    assert set(result) == {"docs", "files_changed", "runs", "update_s", "update_peak_rss_mb", "open_and_search_ms"}
    assert (result["docs"], result["files_changed"]) == (40, 10)
    [run] = result["runs"]
    assert (run["changed"], run["added"], run["removed"], run["docs"]) == (9, 1, 1, 40)
    assert run["probe_found"] is True and run["hits"] == 1
    assert result["update_s"] > 0 and result["update_peak_rss_mb"] > 0 and result["open_and_search_ms"] > 0
    assert {path.name: path.read_bytes() for path in (tmp_path / "docs").iterdir()} == written  # linked, not edited
    assert list(scratch.iterdir()) == []


def test_the_sentence_goes_into_the_body_before_trailing_boilerplate(update):
    text = b"Title\nMarch 1, 2017\n\nBody text.\n\nLeave a Reply\nComment form.\n"
    changed = update.with_sentence(text, "zqword")
    assert changed.startswith(b"Title\nMarch 1, 2017\n\nTraders said the zqword figures")
    assert changed.endswith(b"Body text.\n\nLeave a Reply\nComment form.\n")
    assert update.with_sentence(b"One line", "zqword").endswith(
        b"One line\nTraders said the zqword figures would be revised next week.\n"
    )
