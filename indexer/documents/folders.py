"""A document's place in the source folder as facet values: its folders (each a path prefix) and its file type."""

from __future__ import annotations

from pathlib import PurePosixPath


def folder_values(path: str) -> tuple[str, ...]:
    """Every folder holding the file, outermost first: "a/b/c.txt" -> ("a", "a/b"); none at the top."""
    parts = PurePosixPath(path.replace("\\", "/")).parts[:-1]
    return tuple("/".join(parts[: depth + 1]) for depth in range(len(parts)))


def file_type(path: str) -> tuple[str, ...]:
    """The file's extension in lower case, without the dot ("txt", "html", "jsonl"); none without one."""
    suffix = PurePosixPath(path).suffix.lower().lstrip(".")
    return (suffix,) if suffix else ()
