"""Files -> source texts: walk a folder, read each supported format, decode robustly."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .decode import UndecodableError, decode_bytes

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    """One document's text as read from its file, with whatever metadata the format carries."""

    id: str
    path: str
    format: str  # "text", "html" or "jsonl"
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Document:
    """A document ready for the index: every field extracted."""

    id: str
    path: str
    title: str
    body: str
    source: str | None
    date: datetime.date | None
    language: str | None
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    dates_mentioned: tuple[datetime.date, ...] = ()
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class SourceFile:
    """What one file gave: its texts and content hash, or the reason it was skipped."""

    path: str
    texts: tuple[SourceText, ...] = ()
    content_hash: str | None = None
    skipped: str | None = None
    warnings: tuple[str, ...] = ()


class SkipFile(Exception):
    """A file that cannot be indexed; the message is the reason shown to the user."""


def walk_files(source_dir: Path) -> Iterator[Path]:
    """Every file below source_dir, recursively, in sorted order; hidden entries are left out.

    Symlinked folders are not followed (no loops); symlinked files are, and a broken one is
    still listed so that it can be reported.
    """
    for root, dirs, files in os.walk(source_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


def relative_id(path: Path, source_dir: Path) -> str:
    """The stable document id: the path relative to the source folder, with forward slashes."""
    return path.relative_to(source_dir).as_posix()


def read_file(path: Path, source_dir: Path) -> SourceFile:
    """Read one file into source texts; never raises for a bad file, it reports why instead."""
    rel = relative_id(path, source_dir)
    try:
        data = read_bytes(path)
        texts, warnings = parse(data, path, rel)
    except SkipFile as skip:
        return SourceFile(rel, skipped=str(skip))
    return SourceFile(rel, tuple(texts), hashlib.sha1(data).hexdigest(), warnings=tuple(warnings))


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or SkipFile with a reason a user understands."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkipFile(f"unsupported format ({suffix or 'no extension'})")
    if path.is_symlink() and not path.exists():
        raise SkipFile("broken symlink")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SkipFile(f"too large ({size // 1048576} MB; the limit is {MAX_FILE_BYTES // 1048576} MB)")
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise SkipFile("permission denied") from None
    except FileNotFoundError:
        raise SkipFile("file disappeared while reading") from None
    except OSError as error:
        raise SkipFile(f"unreadable ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise SkipFile("grew beyond the size limit while reading")
    if not data.strip():
        raise SkipFile("empty file")
    return data


def parse(data: bytes, path: Path, rel: str) -> tuple[list[SourceText], list[str]]:
    """Bytes of a supported file -> its source texts and per-line warnings."""
    try:
        text = decode_bytes(data)
    except UndecodableError as error:
        raise SkipFile(str(error)) from None
    text = text.replace("\x00", "")
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return [parse_html(text, rel)], []
    if suffix in JSONL_SUFFIXES:
        return parse_jsonl(text, rel)
    if not text.strip():
        raise SkipFile("no text")
    return [SourceText(rel, rel, "text", text)], []


def parse_html(html: str, rel: str) -> SourceText:
    """An HTML page -> its main text and metadata, by trafilatura."""
    from trafilatura import bare_extraction  # heavy import, only needed for HTML

    extracted = bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
    if extracted is None or not (extracted.text or "").strip():
        raise SkipFile("no main text found in the HTML page")
    return SourceText(
        rel,
        rel,
        "html",
        extracted.text,
        title=extracted.title,
        date=extracted.date,
        source=extracted.sitename or extracted.hostname,
        url=extracted.url,
        author=extracted.author,
    )


def parse_jsonl(text: str, rel: str) -> tuple[list[SourceText], list[str]]:
    """One JSON object per line with at least `title` or `text`; bad lines become warnings."""
    texts, warnings = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            warnings.append(f"line {number}: invalid JSON ({error.msg})")
            continue
        if not isinstance(record, dict) or not (text_of(record, "text") or text_of(record, "title")):
            warnings.append(f"line {number}: no 'title' or 'text'")
            continue
        texts.append(
            SourceText(
                f"{rel}#{number}",
                rel,
                "jsonl",
                text_of(record, "text"),
                title=text_of(record, "title") or None,
                date=text_of(record, "date") or None,
                source=text_of(record, "source") or None,
                url=text_of(record, "url") or None,
                author=text_of(record, "author") or None,
            )
        )
    if not texts:
        raise SkipFile("no valid JSON lines" + (f" ({warnings[0]})" if warnings else ""))
    return texts, warnings


def text_of(record: dict, key: str) -> str:
    """A record's value as a string: JSON lines written by other tools may hold numbers or null."""
    value = record.get(key)
    return "" if value is None else str(value).strip()
