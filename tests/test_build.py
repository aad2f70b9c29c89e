import json
import os
import subprocess
import sys
import textwrap

import pytest
from helpers import ROOT, write_files

from indexer import (
    IndexBusyError,
    IndexCorruptError,
    IndexMissingError,
    IndexVersionError,
    SourceError,
    build_index,
    rollback,
    search,
    update_index,
)
from indexer.schema import SCHEMA_VERSION
from indexer.store import build_lock, current_generation, generations, read_manifest, write_manifest
from indexer.workers import split_by_size

STORY = "{title}\n\nMarch 3, 2016\n\nLONDON, March 3 - {body}\n"


def story(title, body):
    return STORY.format(title=title, body=body)


@pytest.fixture
def source(tmp_path):
    return write_files(
        tmp_path / "source",
        {
            "a.txt": story("Alpha forum opens", "The forum on internet governance opened in London."),
            "b.txt": story("Beta summit ends", "The summit on spectrum policy ended in Paris."),
            "sub/c.md": story("Gamma talks", "Talks on submarine cables continued in Lisbon."),
            "junk.bin.txt": b"\x00\x01\x02\x03binary\x00",
        },
    )


def ids(index_dir, query=""):
    return sorted(hit.id for hit in search(index_dir, query, page_size=100).hits)


def test_build_indexes_good_files_and_reports_bad_ones(source, tmp_path):
    report = build_index(source, tmp_path / "index", jobs=1)
    assert (report.files, report.documents, report.skipped) == (4, 3, {"junk.bin.txt": "binary content"})
    assert dict(report.skipped_by_reason) == {"binary content": 1}
    assert ids(tmp_path / "index") == ["a.txt", "b.txt", "sub/c.md"]


def test_build_with_worker_processes_gives_the_same_index(source, tmp_path, monkeypatch):
    monkeypatch.setattr("indexer.workers.POOL_THRESHOLD", 1)
    build_index(source, tmp_path / "index", jobs=2)
    assert ids(tmp_path / "index", "forum OR summit OR talks") == ["a.txt", "b.txt", "sub/c.md"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_update_reindexes_changed_adds_new_and_drops_deleted(source, tmp_path, monkeypatch, jobs):
    monkeypatch.setattr("indexer.workers.POOL_THRESHOLD", 1)  # worker processes even for a few files
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=jobs)
    (source / "a.txt").write_text(story("Alpha forum closes", "The forum on cybersecurity closed."))
    (source / "b.txt").unlink()
    (source / "d.txt").write_text(story("Delta meeting", "A meeting on domain names."))
    os.utime(source / "sub" / "c.md")  # touched, same content: not re-read
    report = update_index(source, index_dir, jobs=jobs)
    assert (report.added, report.changed, report.removed, report.documents) == (1, 1, 1, 3)
    assert ids(index_dir) == ["a.txt", "d.txt", "sub/c.md"]
    assert ids(index_dir, "cybersecurity") == ["a.txt"]
    assert ids(index_dir, "governance") == []


def test_update_replaces_every_record_of_a_changed_jsonl_file_and_only_those(tmp_path):
    def records(*titles):
        return "\n".join(json.dumps({"title": title, "text": f"{title} was discussed."}) for title in titles)

    source = write_files(
        tmp_path / "source",
        {
            "news.jsonl": records("Spectrum auction", "Cable repair", "Domain names"),
            "news.jsonl.txt": story("Forum notes", "Notes from the forum."),  # its id starts with the other's path
        },
    )
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    assert ids(index_dir) == ["news.jsonl#1", "news.jsonl#2", "news.jsonl#3", "news.jsonl.txt"]
    (source / "news.jsonl").write_text(records("Satellite licences"))
    report = update_index(source, index_dir, jobs=1)
    assert (report.changed, report.documents) == (1, 2)
    assert ids(index_dir) == ["news.jsonl#1", "news.jsonl.txt"]
    assert ids(index_dir, "cable OR spectrum OR domain") == []
    (source / "news.jsonl").unlink()
    update_index(source, index_dir, jobs=1)
    assert ids(index_dir) == ["news.jsonl.txt"]


def test_an_update_adding_only_undated_documents_keeps_dates_in_order(source, tmp_path):
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    (source / "e.txt").write_text("Epsilon notes\n\nNotes without any date, on routing policy.\n")
    update_index(source, index_dir, jobs=1)  # a new segment without a date column
    hits = search(index_dir, "", sort="newest", page_size=100).hits
    assert [hit.id for hit in hits][-1] == "e.txt"
    assert ids(index_dir, "routing") == ["e.txt"]


def test_update_with_nothing_changed_keeps_the_generation(source, tmp_path):
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    before = current_generation(index_dir)
    report = update_index(source, index_dir, jobs=1)
    assert (report.added, report.changed, report.removed, current_generation(index_dir)) == (0, 0, 0, before)


def test_rebuild_switches_generation_and_rollback_restores_the_previous(source, tmp_path):
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    first = current_generation(index_dir)
    (source / "b.txt").unlink()
    build_index(source, index_dir, jobs=1)
    assert current_generation(index_dir) != first
    assert ids(index_dir) == ["a.txt", "sub/c.md"]
    assert rollback(index_dir) == first
    assert ids(index_dir) == ["a.txt", "b.txt", "sub/c.md"]


def test_old_generations_are_pruned(source, tmp_path):
    index_dir = tmp_path / "index"
    for _ in range(4):
        build_index(source, index_dir, jobs=1)
    assert len(generations(index_dir)) == 2


def test_second_builder_is_refused(source, tmp_path):
    index_dir = tmp_path / "index"
    with build_lock(index_dir), pytest.raises(IndexBusyError, match="is being built by another process"):
        build_index(source, index_dir, jobs=1)


def test_build_killed_midway_leaves_the_previous_index_serving(source, tmp_path):
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    live = current_generation(index_dir)
    script = textwrap.dedent(
        f"""
        import os, signal
        import indexer.build as build
        import indexer.store as store
        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        store.publish_generation = die
        build.build_index({str(source)!r}, {str(index_dir)!r}, jobs=1)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False
    )
    assert done.returncode == -9
    assert current_generation(index_dir) == live
    assert ids(index_dir) == ["a.txt", "b.txt", "sub/c.md"]
    assert list(index_dir.glob(".building-*"))  # the dead build's leftovers...
    build_index(source, index_dir, jobs=1)  # ...are cleaned up by the next build, lock and all
    assert not list(index_dir.glob(".building-*"))


def test_missing_empty_and_unusable_sources_are_clear_errors(tmp_path):
    with pytest.raises(SourceError, match="does not exist"):
        build_index(tmp_path / "nope", tmp_path / "index")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="has no files to index"):
        build_index(tmp_path / "empty", tmp_path / "index")
    write_files(tmp_path / "bad", {"a.exe": b"MZ\x90", "b.txt": ""})
    with pytest.raises(SourceError, match=r"no document could be read .* \(1 unsupported format, 1 empty file\)"):
        build_index(tmp_path / "bad", tmp_path / "index")
    assert current_generation(tmp_path / "index") is None


def test_no_index_yet(tmp_path):
    with pytest.raises(IndexMissingError, match="no index in .*: build one with `seedsearch index"):
        search(tmp_path / "index", "anything")


def test_index_of_another_schema_version_asks_for_a_rebuild(source, tmp_path):
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    generation = current_generation(index_dir)
    other = SCHEMA_VERSION + 1
    write_manifest(generation, {**read_manifest(generation), "schema_version": other})
    with pytest.raises(IndexVersionError, match=f"built by another version .*schema {other}.* rebuild it"):
        search(index_dir, "forum")


def test_index_from_before_the_gzipped_manifest_asks_for_a_rebuild(source, tmp_path):
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    generation = current_generation(index_dir)
    manifest = read_manifest(generation)
    (generation / "manifest.json.gz").unlink()
    (generation / "manifest.json").write_text(json.dumps({**manifest, "schema_version": 5}))
    with pytest.raises(IndexVersionError, match="built by another version .*schema 5.* rebuild it"):
        search(index_dir, "forum")


# whoosh leaves the damaged table-of-contents file open when it fails to read it
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_damaged_index_is_detected_with_the_fix(source, tmp_path):
    index_dir = tmp_path / "index"
    build_index(source, index_dir, jobs=1)
    for toc in current_generation(index_dir).glob("*.toc"):
        toc.write_bytes(toc.read_bytes()[:20])
    with pytest.raises(IndexCorruptError, match="damaged .* `seedsearch rollback`"):
        search(index_dir, "forum")


def test_worker_shares_are_contiguous_and_of_about_equal_bytes(tmp_path):
    sizes = [5000, 10, 10, 10, 2000, 2000, 10, 900, 100, 1000]
    source = write_files(tmp_path, {f"{n:02}.txt": "x" * size for n, size in enumerate(sizes)})
    paths = sorted(source.iterdir())
    shares = split_by_size(paths, 2)
    assert [path for share in shares for path in share] == paths
    assert [len(share) for share in shares] == [4, 6]  # 5,030 bytes and 6,010: by count it would be 5 and 5
    assert split_by_size(paths[:1], 3)[0] == paths[:1]
    assert split_by_size([*paths, tmp_path / "gone.txt"], 2)[-1][-1].name == "gone.txt"  # unreadable: no bytes
