"""Mailboxes over the 20 MB file limit, up to 100 MB, are read a message at a time."""

import tracemalloc

import pytest
from document_fixtures import make_large_mbox
from helpers import write_files

from indexer import build_index, search
from indexer.documents import files as documents_module
from indexer.documents.files import read_file

MESSAGES = 24
ATTACHMENT_BYTES = 768 * 1024  # about 1 MB a message once in base64: a 25 MB mailbox


@pytest.fixture(scope="module")
def large_mailbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mail")
    write_files(folder, {"archive.mbox": make_large_mbox(MESSAGES, ATTACHMENT_BYTES)})
    assert (folder / "archive.mbox").stat().st_size > documents_module.MAX_FILE_BYTES
    return folder


def test_a_mailbox_over_20_mb_is_indexed_message_by_message(large_mailbox, tmp_path):
    report = build_index(large_mailbox, tmp_path / "index", jobs=1)
    assert (report.skipped, report.documents) == ({}, MESSAGES)
    for number in (1, 13, MESSAGES):
        assert [hit.id for hit in search(tmp_path / "index", f"codeword{number}").hits] == [f"archive.mbox#{number}"]


def test_a_mailbox_is_read_one_message_at_a_time(tmp_path):
    from indexer.documents.readers.mail import mbox_messages

    path = write_files(tmp_path, {"archive.mbox": make_large_mbox(MESSAGES, 128 * 1024)}) / "archive.mbox"
    tracemalloc.start()
    try:
        with path.open("rb") as file:
            sizes = [len(message) for message in mbox_messages(file)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(sizes) == MESSAGES and sum(sizes) > 0.99 * path.stat().st_size
    assert peak < 4 * max(sizes) < path.stat().st_size / 4, (
        f"peak {peak / 1048576:.1f} MB for messages of {max(sizes) / 1048576:.1f} MB"
    )


def test_a_mailbox_over_its_limit_is_skipped_with_the_limit(large_mailbox, monkeypatch):
    monkeypatch.setitem(documents_module.STREAMED_SUFFIXES, ".mbox", 10 * 1024 * 1024)
    assert read_file(large_mailbox / "archive.mbox", large_mailbox).skipped == "too large (24 MB; the limit is 10 MB)"


def test_a_message_over_the_message_limit_is_a_warning_and_the_others_are_read(tmp_path, monkeypatch):
    from indexer.documents.readers import mail

    monkeypatch.setattr(mail, "MAX_MESSAGE_BYTES", 128 * 1024)
    small, large = make_large_mbox(1, 1000), make_large_mbox(2, 100_000)
    write_files(tmp_path, {"mixed.mbox": small + large})
    source = read_file(tmp_path / "mixed.mbox", tmp_path)
    assert [text.id for text in source.texts] == ["mixed.mbox#1"]
    assert source.warnings == (
        "message 2: too large (the limit is 0.125 MB)",
        "message 3: too large (the limit is 0.125 MB)",
    )
