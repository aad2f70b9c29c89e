"""A generated nasty corpus: the build finishes, indexes every good file, names every bad one."""

import textwrap

import pytest
from helpers import run_python, write_files

from indexer import build_index, search

GOOD = {
    "good/plain.txt": "Forum opens in Moscow\n\nMay 5, 2016\n\nThe forum on internet governance opened in Moscow.",
    "good/bom.txt": "\ufeffBOM forum report\n\nThe report was written with a byte order mark.",
    "good/cp1251.txt": "Форум в Москве\n\nМинистерство провело форум по управлению интернетом.".encode("cp1251"),
    "good/utf16.txt": "UTF-16 forum story\n\nA story saved as UTF-16 with its BOM.".encode("utf-16"),
    "good/latin1.txt": "Café forum in Zürich\n\nThe forum met at a café in Zürich, naïvely.".encode("latin-1"),
    "good/broken-utf8.txt": b"Broken bytes forum\n\nMostly UTF-8 text with one bad byte \xff in it.",
    "good/long-line.txt": "Long line forum\n\n" + "word " * 200_000,
    "good/" + "/".join(f"level{n}" for n in range(30)) + "/deep.txt": "Deep forum\n\nA story thirty folders down.",
    "good/hostile.html": "<html><head><title>Forum &lt;script&gt;</title></head><body><article><p>"
    + "The forum page has a <script>alert(1)</script> inline script and an <img src=x onerror=alert(2)> "
    + "image, but its article text about internet governance is long enough to be the main content.</p>"
    + "</article></body></html>",
    "good/lines.jsonl": '{"title": "JSON forum", "text": "A JSON line about the forum."}\n{broken\n',
}
BAD = {
    "bad/empty.txt": b"",
    "bad/nul.txt": b"Title\x00\x00\x00 with NUL bytes\x00 inside" * 10,
    "bad/image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "bad/archive.zip": b"PK\x03\x04",
}


@pytest.fixture
def nasty(tmp_path):
    source = write_files(tmp_path / "source", {**GOOD, **BAD})
    (source / "good" / "loop").symlink_to(source / "good", target_is_directory=True)
    (source / "bad" / "dangling.txt").symlink_to(source / "nowhere.txt")
    with open(source / "bad" / "huge.txt", "wb") as huge:  # 50 MB, over the 20 MB limit
        huge.truncate(50 * 1024 * 1024)
    return source


def test_nasty_corpus_builds_and_reports_every_bad_file(nasty, tmp_path):
    report = build_index(nasty, tmp_path / "index", jobs=1)
    assert report.skipped == {
        "bad/archive.zip": "unsupported format (.zip)",
        "bad/dangling.txt": "broken symlink",
        "bad/empty.txt": "empty file",
        "bad/huge.txt": "too large (50 MB; the limit is 20 MB)",
        "bad/image.txt": "binary content",
        "bad/nul.txt": "binary content",
        "good/loop": "symlinked folder (not followed)",
    }
    # The JSON lines file gives one document (and one warning), the 1 MB text three parts.
    assert report.documents == len(GOOD) + 2
    assert report.warnings == [
        "good/lines.jsonl: line 2: invalid JSON (Expecting property name enclosed in double quotes)"
    ]
    found = {hit.id for hit in search(tmp_path / "index", "forum", page_size=100).hits}
    parts = {"good/long-line.txt#2", "good/long-line.txt#3"}
    assert found == {path.replace(".jsonl", ".jsonl#1") for path in GOOD} - {"good/cp1251.txt"} | parts
    assert {hit.id for hit in search(tmp_path / "index", "форум").hits} == {"good/cp1251.txt"}
    assert {hit.id for hit in search(tmp_path / "index", "zurich").hits} == {"good/latin1.txt"}


def test_nasty_build_memory_stays_bounded(nasty, tmp_path):
    """Peak memory of a build of the nasty corpus (a 50 MB file, a 1 MB line) stays under 600 MB: 400 MB
    and the Russian name model's embeddings (about 175 MB), loaded for its Cyrillic story."""
    script = textwrap.dedent(
        f"""
        import resource
        from indexer import build_index
        build_index({str(nasty)!r}, {str(tmp_path / "index")!r}, jobs=1)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        """
    )
    peak_mb = int(run_python("-c", script).stdout.split()[-1]) / 1024
    assert peak_mb < 600


def test_file_deleted_during_the_build_is_reported(tmp_path, monkeypatch):
    source = write_files(tmp_path / "source", {"a.txt": "Alpha forum\n\nText.", "b.txt": "Beta forum\n\nText."})
    from indexer import workers

    real_read_source = workers.read_source

    def read_after_deleting_b(path, source_dir, options):
        (source_dir / "b.txt").unlink(missing_ok=True)
        return real_read_source(path, source_dir, options)

    monkeypatch.setattr(workers, "read_source", read_after_deleting_b)
    report = build_index(source, tmp_path / "index", jobs=1)
    assert (report.documents, report.skipped) == (1, {"b.txt": "file disappeared while reading"})
