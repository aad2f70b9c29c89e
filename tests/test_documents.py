import json
import os
from pathlib import Path

import pytest
from helpers import write_files

from indexer.documents import files as documents
from indexer.documents.files import read_file, walk_files


def read(folder, name):
    return read_file(folder / name, folder)


def test_walk_is_recursive_sorted_and_skips_hidden(tmp_path):
    write_files(tmp_path, {"b.txt": "B", "a/z.txt": "Z", "a/b/c.md": "C", ".hidden/x.txt": "X", ".dot.txt": "D"})
    assert [p.relative_to(tmp_path).as_posix() for p in walk_files(tmp_path)] == ["b.txt", "a/z.txt", "a/b/c.md"]


def test_walk_survives_a_symlink_loop(tmp_path):
    write_files(tmp_path, {"a/doc.txt": "Title\n\nBody"})
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    assert [p.name for p in walk_files(tmp_path)] == ["doc.txt"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "empty file"),
        ("blank.txt", "  \n\n ", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "binary content"),
        ("photo.jpg", b"\xff\xd8\xff", "not a readable image (damaged, or not the format its name says)"),
        ("program.exe", b"MZ\x90", "unsupported format (.exe)"),
        (
            "notes.jsonl",
            "{not json\n[1, 2]\n",
            "no valid JSON lines (line 1: invalid JSON (Expecting property name enclosed in double quotes))",
        ),
    ],
)
def test_bad_files_are_skipped_with_their_reason(tmp_path, name, content, reason):
    write_files(tmp_path, {name: content})
    loaded = read(tmp_path, name)
    assert (loaded.texts, loaded.skipped) == ((), reason)


def test_broken_symlink_is_reported(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert read(tmp_path, "gone.txt").skipped == "broken symlink"


def test_file_over_the_size_limit_is_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 1024 * 1024)
    write_files(tmp_path, {"big.txt": "word " * 300_000})
    assert read(tmp_path, "big.txt").skipped == "too large (1 MB; the limit is 1 MB)"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_skipped(tmp_path):
    write_files(tmp_path, {"secret.txt": "Title\n\nBody"})
    (tmp_path / "secret.txt").chmod(0)
    assert read(tmp_path, "secret.txt").skipped == "permission denied"


def test_unreadable_file_is_skipped_even_as_root(tmp_path, monkeypatch):
    """Root reads every file, so the refusal is simulated where the file is opened."""
    write_files(tmp_path, {"secret.txt": "Title\n\nBody", "open.txt": "Title\n\nBody"})
    real_open = os.open

    def refuse_secret(path, *args, **kwargs):
        if Path(path).name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse_secret)
    assert read(tmp_path, "secret.txt").skipped == "permission denied"
    assert read(tmp_path, "open.txt").skipped is None


def test_text_file_in_cp1251_is_read(tmp_path):
    write_files(tmp_path, {"ru.txt": "Заголовок новости\n\nМинистерство связи сообщило о форуме.".encode("cp1251")})
    (text,) = read(tmp_path, "ru.txt").texts
    assert text.text == "Заголовок новости\n\nМинистерство связи сообщило о форуме."


def test_jsonl_gives_one_document_per_valid_line(tmp_path):
    lines = [
        {
            "title": "First",
            "text": "Body one",
            "date": "2015-11-10",
            "url": "https://example.org/1",
            "source": "Example",
        },
        "not json",
        {"title": "Second", "text": "Body two"},
        {"url": "no title or text"},
    ]
    write_files(tmp_path, {"feed.jsonl": "\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines)})
    loaded = read(tmp_path, "feed.jsonl")
    assert [(t.id, t.title, t.text, t.date, t.url, t.source) for t in loaded.texts] == [
        ("feed.jsonl#1", "First", "Body one", "2015-11-10", "https://example.org/1", "Example"),
        ("feed.jsonl#3", "Second", "Body two", None, None, None),
    ]
    assert loaded.warnings == (
        "line 2: invalid JSON (Expecting value)",
        "line 4: no 'title' or 'text'",
    )


def test_html_page_gives_main_text_and_metadata(tmp_path):
    html = """<html><head><title>Storm floods Joao Pessoa coast | The Daily Planet</title>
    <meta property="og:site_name" content="The Daily Planet">
    <meta name="author" content="Maria Silva">
    <meta property="article:published_time" content="2015-11-10">
    </head><body><nav>Home | World | Sport</nav>
    <article><h1>Storm floods Joao Pessoa coast</h1>
    <p>Heavy rain flooded the coast of Joao Pessoa on Tuesday, officials said, and hundreds of families
    were moved to shelters while the storm moved north along the Brazilian shore.</p>
    <p>The city's mayor asked residents to stay at home until the water recedes, and schools were closed
    for the rest of the week as crews cleared the streets.</p></article>
    <footer>Copyright 2015 The Daily Planet. All rights reserved.</footer></body></html>"""
    write_files(tmp_path, {"page.html": html})
    (text,) = read(tmp_path, "page.html").texts
    assert (text.title, text.source, text.author, text.date) == (
        "Storm floods Joao Pessoa coast",
        "The Daily Planet",
        "Maria Silva",
        "2015-11-10",
    )
    assert "Heavy rain flooded the coast" in text.text
    assert "All rights reserved" not in text.text and "Home | World" not in text.text
