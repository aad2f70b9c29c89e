"""A document's original file, opened only from inside the source folder the index was built from."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .searching.searcher import SearchIndex, as_search_index
from .store import current_generation, read_manifest


class OriginalUnavailable(Exception):
    """The document exists but its file cannot be given out; the message says why."""


@dataclass
class OriginalFile:
    """An open original file: read it, then close it."""

    file: BinaryIO
    name: str  # the file's own name, without folders
    size: int


def open_original(index: SearchIndex | Path | str, doc_id: str) -> OriginalFile | None:
    """The file that document `doc_id` was read from, opened for reading; None for no such document.

    Only a regular file below the source folder is opened: the path stored in the index is
    checked again now, since the folder may have changed since (a file replaced by a link
    to /etc/passwd, a folder by a link elsewhere), and the opened file's real path is
    checked last, so that nothing swapped in between the checks is given out either.
    """
    index = as_search_index(index)
    with index.reading() as reader:
        key = reader.key_of(doc_id)
        if key is None:
            return None
        (document,) = reader.documents([key])
        source = read_manifest(current_generation(index.index_dir)).get("source_dir")
    stored = document.path or ""
    if not source:
        raise OriginalUnavailable("the index does not record its source folder")
    return open_inside(Path(source), stored)


def open_inside(source_dir: Path, relative: str) -> OriginalFile:
    """`relative` (a path as the index stores it) opened below `source_dir`, or OriginalUnavailable."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise OriginalUnavailable("the file's path leads outside the source folder")
    try:
        root = source_dir.resolve(strict=True)
        real = (root / relative).resolve(strict=True)
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        raise OriginalUnavailable("the file is no longer in the source folder") from None
    if not real.is_relative_to(root) or real == root:
        raise OriginalUnavailable("the file's path leads outside the source folder")
    try:
        descriptor = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        raise OriginalUnavailable("the file is no longer in the source folder") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OriginalUnavailable("the original is not a regular file")
        if not opened_path(descriptor, real).is_relative_to(root):
            raise OriginalUnavailable("the file's path leads outside the source folder")
        return OriginalFile(os.fdopen(descriptor, "rb"), real.name, info.st_size)
    except BaseException:
        os.close(descriptor)
        raise


def opened_path(descriptor: int, fallback: Path) -> Path:
    """The real path of an open file, as the kernel has it (where /proc tells)."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{descriptor}"))
    except OSError:
        return fallback
