"""One bad file is one skipped file: names, records, special files, links, updates, a full disk."""

import errno
import json
import multiprocessing
import os
import re
import socket

import pytest
from click.testing import CliRunner
from helpers import run_python, write_files

from indexer import build_index, get_document, search, update_index
from indexer.cli import main
from webapp import create_app

GOOD = {"good.txt": "Forum opens in Moscow\n\nThe forum on internet governance opened in Moscow."}


def run_cli(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def all_ids(index_dir):
    return sorted(hit.id for hit in search(index_dir, "", page_size=1000, fold_versions=False).hits)


def test_file_names_that_cannot_be_ids_are_skipped_with_the_reason(tmp_path):
    """A name that is not UTF-8 used to fail the whole build; one with a newline was indexed
    under an id whose link is a 404. Both are reported with a printable name."""
    source = write_files(tmp_path / "src", GOOD)
    (source / os.fsdecode(b"caf\xe9.txt")).write_text("Cafe story\n\nA story in a cafe.")
    (source / "new\nline.txt").write_text("Newline story\n\nA story with a newline in its name.")
    (source / os.fsdecode(b"bad\xffdir")).mkdir()
    (source / os.fsdecode(b"bad\xffdir") / "inner.txt").write_text("Inner story\n\nA story in a badly named folder.")
    report = build_index(source, tmp_path / "index", jobs=1)
    assert report.skipped == {
        "bad\\xffdir": "name is not valid UTF-8 (rename it)",
        "caf\\xe9.txt": "name is not valid UTF-8 (rename it)",
        "new\\nline.txt": "name has control characters (rename it)",
    }
    assert all_ids(tmp_path / "index") == ["good.txt"]
    result = run_cli("update", source, "--index", tmp_path / "index", "--jobs", 1)
    assert "skipped caf\\xe9.txt: name is not valid UTF-8 (rename it)" in result.output
    assert "(0 added, 0 changed, 0 removed)" in result.output


def test_every_indexed_name_has_a_working_link(tmp_path):
    """Characters that URLs give a meaning (#, ?, %, space) round-trip through the document link."""
    names = ["a.txt", "a.txt#b.txt", "what?.txt", "100%.txt", "with space.txt", "dir.txt/inner.txt"]
    source = write_files(
        tmp_path / "src", {name: f"Story {n}\n\nThe forum story number {n}." for n, name in enumerate(names)}
    )
    build_index(source, tmp_path / "index", jobs=1)
    app = create_app({"SEARCH_INDEX_DIR": str(tmp_path / "index"), "TESTING": True})
    client = app.test_client()
    hits = client.get("/api/search?q=forum&page_size=50").get_json()["hits"]
    assert sorted(hit["id"] for hit in hits) == sorted(names)
    with app.test_request_context():
        from flask import url_for

        for name in names:
            page = client.get(url_for("search.document", doc_id=name))
            assert page.status_code == 200, name
            assert f"The forum story number {names.index(name)}." in page.text


BAD_LINES = [
    '{"title": "First record", "text": "A good forum record."}',
    "[" * 100_000,
    '{"title": "Source record", "text": "fine", "source": "x\\udcffy"}',
    '{"title": "Link record", "text": "fine", "url": "http://x\\udcffy/", "author": "a\\ud800b"}',
    '{"title": "Title \\udcff record", "text": "fine text \\ud800 here"}',
    '{"title": "Number record", "text": "fine", "date": ' + "9" * 5000 + "}",
    '["a list"]',
    '{"title": "Escape \\u001b[31mred\\u001b[0m record", "text": "fine\\u0000 text"}',
    '{"title": "' + "Long title " * 2000 + '", "text": "A record with a 22,000 character title."}',
]


def test_one_bad_json_line_is_one_warning_and_every_string_indexed_is_valid_text(tmp_path):
    """Deep nesting was a RecursionError, a lone surrogate a crash (source, title, text) or a
    document page that failed and broke exports (url, author): each line is read or named."""
    source = write_files(tmp_path / "src", {"records.jsonl": "\n".join(BAD_LINES) + "\n"})
    report = build_index(source, tmp_path / "index", jobs=1)
    assert report.warnings == [
        "records.jsonl: line 2: invalid JSON (nested too deeply)",
        "records.jsonl: line 3: invalid characters (lone surrogates) in 'source' replaced",
        "records.jsonl: line 4: invalid characters (lone surrogates) in 'url', 'author' replaced",
        "records.jsonl: line 5: invalid characters (lone surrogates) in 'text', 'title' replaced",
        "records.jsonl: line 6: invalid JSON (Exceeds the limit (4300 digits) for integer string conversion)",
        "records.jsonl: line 7: not a JSON object",
    ]
    ids = [
        "records.jsonl#1",
        "records.jsonl#3",
        "records.jsonl#4",
        "records.jsonl#5",
        "records.jsonl#8",
        "records.jsonl#9",
    ]
    assert all_ids(tmp_path / "index") == ids
    assert get_document(tmp_path / "index", "records.jsonl#3").hit.source == "x\ufffdy"
    assert get_document(tmp_path / "index", "records.jsonl#4").author == "a\ufffdb"
    assert get_document(tmp_path / "index", "records.jsonl#5").hit.title == "Title \ufffd record"
    assert get_document(tmp_path / "index", "records.jsonl#8").hit.title == "Escape red record"
    assert "fine text" in get_document(tmp_path / "index", "records.jsonl#8").body_html
    assert len(get_document(tmp_path / "index", "records.jsonl#9").hit.title) == 10_000

    client = create_app({"SEARCH_INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()
    for doc_id in ids:
        assert client.get(f"/doc/{doc_id.replace('#', '%23')}").status_code == 200
        assert client.get(f"/api/doc/{doc_id.replace('#', '%23')}").status_code == 200
    exported = client.get("/export.jsonl?q=")
    assert [json.loads(line)["id"] for line in exported.text.splitlines()] == ids
    assert len(client.get("/export.csv?q=").text.splitlines()) == 1 + len(ids)


def test_named_pipes_sockets_and_devices_are_skipped_not_read(tmp_path):
    """Reading a named pipe never ends: the build hung, holding the lock, on build and on update."""
    source = write_files(tmp_path / "src", GOOD)
    os.mkfifo(source / "pipe.txt")
    (source / "zero.txt").symlink_to("/dev/zero")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(source / "socket.txt"))
        index = ["--index", tmp_path / "index", "--jobs", "1", "--follow-outside"]
        built = run_in_process("index", source, *index)
        assert "skipped pipe.txt: not a regular file (a named pipe)" in built.stderr
        assert "skipped socket.txt: not a regular file (a socket)" in built.stderr
        assert "skipped zero.txt: not a regular file (a character device)" in built.stderr
        os.utime(source / "pipe.txt", ns=(1, 1))  # a changed stamp makes the update look at it again
        updated = run_in_process("update", source, *index)
        assert "Indexed 1 documents from 4 files (0 added, 1 changed, 0 removed)" in updated.stdout


def run_in_process(*args):
    """The CLI in a child process, stopped after a minute: a build that hangs fails the test."""
    return run_python("-m", "indexer", *map(str, args), timeout=60)


def test_update_of_a_file_keeps_the_documents_of_files_whose_names_extend_it(tmp_path):
    """Re-indexing a.txt deleted every id starting with "a.txt#": a.txt#b.txt's document too."""
    source = write_files(
        tmp_path / "src",
        {
            "a.txt": "Alpha\n\nThe alpha story.",
            "a.txt#b.txt": "Beta\n\nThe beta story.",
            "r.jsonl": '{"title": "One", "text": "one"}\n{"title": "Two", "text": "two"}\n',
            "r.jsonl#1.txt": "Gamma\n\nThe gamma story.",
        },
    )
    build_index(source, tmp_path / "index", jobs=1)
    (source / "a.txt").write_text("Alpha\n\nThe alpha story, changed.")
    (source / "r.jsonl").write_text('{"title": "One", "text": "one, changed"}\n{"title": "Two", "text": "two"}\n')
    report = update_index(source, tmp_path / "index", jobs=1)
    expected = ["a.txt", "a.txt#b.txt", "r.jsonl#1", "r.jsonl#1.txt", "r.jsonl#2"]
    assert (report.changed, report.documents, all_ids(tmp_path / "index")) == (2, 5, expected)


def test_symlinks_to_files_outside_the_source_are_left_out_unless_asked(tmp_path):
    """A link to /etc/passwd was indexed and served; a link inside the source folder still is."""
    outside = write_files(tmp_path / "outside", {"secret.txt": "Secret\n\nA secret outside the source."})
    source = write_files(tmp_path / "src", GOOD)
    (source / "passwd.txt").symlink_to(outside / "secret.txt")
    (source / "again.txt").symlink_to("good.txt")
    index = ["--index", tmp_path / "index", "--jobs", 1]
    built = run_cli("index", source, *index)
    assert "skipped passwd.txt: symlink to outside the source folder (--follow-outside indexes it)" in built.output
    assert all_ids(tmp_path / "index") == ["again.txt", "good.txt"]
    followed = run_cli("update", source, *index, "--follow-outside")
    assert "(1 added, 0 changed, 0 removed)" in followed.output
    assert all_ids(tmp_path / "index") == ["again.txt", "good.txt", "passwd.txt"]
    run_cli("update", source, *index)
    assert all_ids(tmp_path / "index") == ["again.txt", "good.txt"]


def test_a_broken_symlink_is_not_a_change_on_every_update(tmp_path):
    source = write_files(tmp_path / "src", GOOD)
    (source / "broken.txt").symlink_to("nowhere.txt")
    (source / "loop-a.txt").symlink_to("loop-b.txt")
    (source / "loop-b.txt").symlink_to("loop-a.txt")
    build_index(source, tmp_path / "index", jobs=1)
    report = update_index(source, tmp_path / "index", jobs=1)
    broken = {"broken.txt": "broken symlink", "loop-a.txt": "symlink loop", "loop-b.txt": "symlink loop"}
    assert (report.added, report.changed, report.removed, report.skipped) == (0, 0, 0, broken)
    (source / "loop-b.txt").unlink()
    (source / "nowhere.txt").write_text("Now here\n\nThe link's target appeared.")
    report = update_index(source, tmp_path / "index", jobs=1)
    assert (report.added, report.changed, report.removed) == (1, 2, 1)  # broken.txt, and loop-a.txt no longer loops
    assert report.skipped == {"loop-a.txt": "broken symlink"}


def test_hidden_entries_and_unfollowed_folders_are_reported(tmp_path):
    source = write_files(tmp_path / "src", {**GOOD, ".draft.txt": "Draft\n\nNot yet.", ".git/config.txt": "x"})
    (source / "loop").symlink_to(".", target_is_directory=True)
    result = run_cli("index", source, "--index", tmp_path / "index", "--jobs", 1)
    assert "skipped loop: symlinked folder (not followed)" in result.output
    assert "Left out 2 hidden files and folders (names starting with a dot)" in result.output


def test_an_unreadable_folder_is_reported(tmp_path, monkeypatch):
    """Root reads every folder, so the refusal is simulated where the walk lists it."""
    source = write_files(tmp_path / "src", {**GOOD, "locked/inner.txt": "Locked\n\nInside."})
    real_scandir = os.scandir

    def refuse_locked(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    report = build_index(source, tmp_path / "index", jobs=1)
    assert report.skipped == {"locked": "unreadable folder (Permission denied)"}


def test_a_file_that_breaks_the_reader_is_one_skipped_file(tmp_path, monkeypatch):
    """An unforeseen error reading one file (a bug, a pathological input) skips that file."""
    from indexer.documents import files as documents

    source = write_files(tmp_path / "src", {**GOOD, "odd.txt": "Odd\n\nThis one breaks the reader."})
    real_parse = documents.parse

    def break_on_odd(data, path, rel, options):
        if rel == "odd.txt":
            raise TypeError("unexpected")
        return real_parse(data, path, rel, options)

    monkeypatch.setattr(documents, "parse", break_on_odd)
    report = build_index(source, tmp_path / "index", jobs=1)
    assert (report.documents, report.skipped) == (1, {"odd.txt": "could not be read (TypeError: unexpected)"})


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_is_one_clear_line_and_the_old_index_keeps_serving(tmp_path, monkeypatch, jobs):
    """The disk fills while segments are written: by this process (one job), or by the workers."""
    from whoosh.filedb.filestore import FileStorage

    from indexer import workers

    files = {f"{n:03}.txt": f"Story {n}\n\nThe forum story number {n}." for n in range(130)}
    source = write_files(tmp_path / "src", files)
    build_index(source, tmp_path / "index", jobs=1)
    (source / "new.txt").write_text("New story\n\nA story the full disk keeps out.")
    real_create_file, parent = FileStorage.create_file, os.getpid()

    def disk_full(self, name, **kwargs):
        if name.endswith(".toc") or (jobs > 1 and os.getpid() == parent):
            return real_create_file(self, name, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device", os.path.join(self.folder, name))

    monkeypatch.setattr(FileStorage, "create_file", disk_full)
    # Workers forked, so that they see the full disk (a fork server's would not: it forks from a clean process).
    monkeypatch.setattr(workers, "worker_context", lambda: multiprocessing.get_context("fork"))
    result = CliRunner().invoke(main, ["index", str(source), "--index", str(tmp_path / "index"), "--jobs", str(jobs)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: could not write the index in {tmp_path / 'index'}: No space left on device; "
        "the live index is unchanged\n"
    )
    monkeypatch.undo()
    assert search(tmp_path / "index", "forum").total == 130
    assert [p.name for p in (tmp_path / "index").iterdir() if p.name.startswith(".building")] == []


def test_search_output_neutralises_terminal_controls(tmp_path, monkeypatch):
    """Escape sequences in a title reached the terminal raw. Documents are cleaned when read, and
    the command line escapes whatever controls an index may still hold."""
    source = write_files(
        tmp_path / "src", {"t.txt": "\x1b]0;owned\x07Red \x1b[31mforum\x1b[0m title\n\nThe forum text."}
    )
    build_index(source, tmp_path / "index", jobs=1)
    assert get_document(tmp_path / "index", "t.txt").hit.title == "Red forum title"

    from indexer.documents import files as documents

    monkeypatch.setattr(documents, "clean_text", lambda text: text)  # as an index built before cleaning
    build_index(source, tmp_path / "raw", jobs=1)
    assert "\x1b" in get_document(tmp_path / "raw", "t.txt").hit.title
    result = run_cli("search", "forum", "--index", tmp_path / "raw")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b]0;owned\\x07Red \\x1b[31mforum\\x1b[0m title  [t.txt]" in result.output


def test_a_long_text_is_indexed_in_parts_of_bounded_size(tmp_path, monkeypatch):
    """A 20 MB text was one document: a 20 MB page, and a gigabyte of memory to index it. Its
    parts are documents of their own, with the file's title, date and source, and every word."""
    from indexer.documents import parts

    monkeypatch.setattr(parts, "PART_CHARS", 400)
    monkeypatch.setattr(parts, "CUT_WINDOW", 100)
    paragraphs = [f"Paragraph {n} tells of the forum, word{n} among its words." for n in range(30)]
    text = "Long forum report\nreuters.com\nMay 5, 2016\n\n" + "\n\n".join(paragraphs)
    source = write_files(tmp_path / "src", {"long.txt": text, "short.txt": "Short forum note\n\nA short note."})
    report = build_index(source, tmp_path / "index", jobs=1)
    ids = ["long.txt", *(f"long.txt#{n}" for n in range(2, 7)), "short.txt"]
    assert (report.documents, all_ids(tmp_path / "index")) == (7, ids)
    views = [get_document(tmp_path / "index", doc_id) for doc_id in ids[:-1]]
    assert [view.hit.title for view in views] == [f"Long forum report (part {n} of 6)" for n in range(1, 7)]
    assert {(str(view.hit.date), view.hit.source) for view in views} == {("2016-05-05", "reuters.com")}
    for n in range(30):
        (hit,) = search(tmp_path / "index", f"word{n}").hits
        assert f"word{n} among" in hit.snippets_html[0].replace("<mark>", "").replace("</mark>", "")
    assert len(get_document(tmp_path / "index", "short.txt").hit.title) == len("Short forum note")


def test_memory_to_index_a_long_file_is_bounded(tmp_path):
    """Indexing a 4 MB text grew the process by 154 MB (a 19.5 MB one took it to 1 GB); in
    parts, a file costs a few times its size (measured: under 1 MB here, 53 MB for 19.5 MB)."""
    line = "The forum on internet governance opened in Moscow with officials from Russia and ITU.\n"
    source = write_files(tmp_path / "src", {"big/big.txt": "Big forum file\n\n" + line * (4_000_000 // len(line))})
    write_files(source, {"small/small.txt": "Small forum file\n\nA small file."})
    script = f"""
import resource
from indexer import build_index
build_index({str(source / "small")!r}, {str(tmp_path / "small-index")!r}, jobs=1)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = build_index({str(source / "big")!r}, {str(tmp_path / "index")!r}, jobs=1)
print(report.documents, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""
    documents, growth_mb = map(int, run_python("-c", script).stdout.split())
    assert documents == 9
    assert growth_mb < 40  # 154 MB when the file was one document


def test_part_neighbours_follow_the_ids_of_a_files_parts():
    from indexer import part_neighbours

    assert part_neighbours("a.txt", "Report (part 1 of 3)") == (None, "a.txt#2")
    assert part_neighbours("a.txt#2", "Report (part 2 of 3)") == ("a.txt", "a.txt#3")
    assert part_neighbours("a.txt#3", "Report (part 3 of 3)") == ("a.txt#2", None)
    assert part_neighbours("r.jsonl#4#2", "Record (part 2 of 2)") == ("r.jsonl#4", None)
    assert part_neighbours("a.txt", "Election series (part 2 of 3)") == (None, None)  # a title, not a part
    assert part_neighbours("a.txt", "Report") == (None, None)


def test_the_page_of_a_part_links_to_the_parts_around_it(tmp_path, monkeypatch):
    from indexer.documents import parts

    monkeypatch.setattr(parts, "PART_CHARS", 400)
    monkeypatch.setattr(parts, "CUT_WINDOW", 100)
    paragraphs = "\n\n".join(f"Paragraph {n} of the long forum report." for n in range(30))
    source = write_files(
        tmp_path / "src",
        {"long.txt": f"Long forum report\n\n{paragraphs}", "series.txt": "Series (part 1 of 3)\n\nA forum series."},
    )
    build_index(source, tmp_path / "index", jobs=1)
    client = create_app({"SEARCH_INDEX_DIR": str(tmp_path / "index"), "TESTING": True}).test_client()

    def part_links(doc_path):
        page = client.get(doc_path)
        assert page.status_code == 200
        return re.findall(r'<a href="([^"]+)" rel="(prev|next)">', page.text)

    assert part_links("/doc/long.txt") == [("/doc/long.txt%232", "next")]
    assert part_links("/doc/long.txt%232") == [("/doc/long.txt", "prev"), ("/doc/long.txt%233", "next")]
    count = int(re.search(r"of (\d+)\)$", get_document(tmp_path / "index", "long.txt").hit.title).group(1))
    assert count > 2
    assert part_links(f"/doc/long.txt%23{count}") == [(f"/doc/long.txt%23{count - 1}", "prev")]
    assert part_links("/doc/series.txt") == []  # a title that only looks like a part's
