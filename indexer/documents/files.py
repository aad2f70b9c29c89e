"""Files -> source texts: walk a folder, read each supported format, decode robustly."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .decode import UndecodableError, clean_line, clean_text, decode_bytes, has_lone_surrogates
from .readers import READER_SUFFIXES, read_document, stream_document

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | READER_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024
# Formats read a piece at a time, and the largest file of each that is read.
STREAMED_SUFFIXES = {".mbox": 100 * 1024 * 1024}
HASH_CHUNK_BYTES = 1024 * 1024
MAX_FIELD_CHARS = 10_000  # a title, source, url or author longer than this is cut
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode's category Cc


@dataclass(frozen=True)
class SourceText:
    """One document's text as read from its file, with whatever metadata the format carries."""

    id: str
    path: str
    format: str  # "text", "html", "jsonl", "part" (of a long text: see parts.py), or a reader's ("pdf", ...)
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    people: tuple[str, ...] = ()  # named by the format (an e-mail's From, To and Cc), not found in the text


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
    countries: tuple[str, ...] = ()
    dates_mentioned: tuple[datetime.date, ...] = ()
    url: str | None = None
    author: str | None = None
    first_page: int = 1  # the page the body starts on: later parts of a long PDF start later (see pages.py)


@dataclass(frozen=True)
class SourceFile:
    """What one file gave: its texts and content hash, or the reason it was skipped."""

    path: str
    texts: Iterable[SourceText] = ()  # a tuple, or an iterator from read_source (see there)
    content_hash: str | None = None
    skipped: str | None = None
    warnings: Sequence[str] = ()


@dataclass(frozen=True)
class ReadOptions:
    """How files are read: scans through OCR or not, and what hears of each page OCR has read."""

    ocr: bool = True
    on_ocr_page: Callable[[], None] | None = None  # called in the process that read the page


DEFAULT_READING = ReadOptions()


class SkipFile(Exception):
    """A file that cannot be indexed; the message is the reason shown to the user."""


@dataclass
class SourceListing:
    """The files of a source folder to read, and what the walk left out and why."""

    paths: list[Path] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)  # printable relative path -> reason
    hidden: int = 0  # files and folders whose names start with a dot


def list_files(source_dir: Path, *, follow_outside: bool = False) -> SourceListing:
    """Every file below source_dir, recursively, in sorted order, with what was left out.

    Hidden entries are left out (and counted). Symlinked folders are not followed (no loops);
    symlinked files are, when they point inside the source folder (or `follow_outside`), and a
    broken one is still listed so that it can be reported. A name that cannot be a document id
    (not UTF-8, or with control characters) is left out with the reason.
    """
    source_dir = Path(source_dir)
    root = os.path.realpath(source_dir)
    listing = SourceListing()

    def unreadable(error: OSError) -> None:
        rel = printable_path(relative_id(Path(error.filename), source_dir)) if error.filename else "."
        listing.left_out[rel] = f"unreadable folder ({error.strerror or error})"

    for folder, dirs, files in os.walk(source_dir, onerror=unreadable):
        kept = []
        for name in sorted(dirs):
            path = Path(folder, name)
            reason = "hidden" if name.startswith(".") else name_problem(name)
            if reason is None and path.is_symlink():
                reason = "symlinked folder (not followed)"
            if reason is None:
                kept.append(name)
            elif reason == "hidden":
                listing.hidden += 1
            else:
                listing.left_out[printable_path(relative_id(path, source_dir))] = reason
        dirs[:] = kept
        for name in sorted(files):
            path = Path(folder, name)
            reason = "hidden" if name.startswith(".") else name_problem(name)
            if reason is None and not follow_outside and path.is_symlink() and not inside(path, root):
                reason = "symlink to outside the source folder (--follow-outside indexes it)"
            if reason is None:
                listing.paths.append(path)
            elif reason == "hidden":
                listing.hidden += 1
            else:
                listing.left_out[printable_path(relative_id(path, source_dir))] = reason
    return listing


def walk_files(source_dir: Path) -> list[Path]:
    """The files `list_files` would read."""
    return list_files(source_dir).paths


def name_problem(name: str) -> str | None:
    """Why a file or folder name cannot be part of a document id (a link, a report line), or None."""
    if has_lone_surrogates(name):
        return "name is not valid UTF-8 (rename it)"
    if CONTROL_CHARACTERS.search(name):
        return "name has control characters (rename it)"
    return None


def inside(path: Path, real_root: str) -> bool:
    """True when `path`, its symlinks resolved, lies below the folder `real_root` (resolved)."""
    return os.path.realpath(path).startswith(real_root.rstrip("/") + "/")


def printable_path(path: str) -> str:
    """A path as a report can show it: undecodable bytes as \\xNN, control characters escaped."""
    path = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return CONTROL_CHARACTERS.sub(lambda match: match.group().encode("unicode_escape").decode(), path)


def relative_id(path: Path, source_dir: Path) -> str:
    """The stable document id: the path relative to the source folder, with forward slashes."""
    return path.relative_to(source_dir).as_posix()


def read_file(path: Path, source_dir: Path, options: ReadOptions = DEFAULT_READING) -> SourceFile:
    """Read one file into source texts; never raises for a bad file, it reports why instead."""
    source = read_source(path, source_dir, options)
    if source.skipped or isinstance(source.texts, tuple):
        return source
    try:
        texts = tuple(source.texts)
    except SkipFile as skip:
        return SourceFile(source.path, skipped=str(skip))
    return dataclasses.replace(source, texts=texts, warnings=tuple(source.warnings))


def read_source(path: Path, source_dir: Path, options: ReadOptions = DEFAULT_READING) -> SourceFile:
    """Like read_file, but the texts of a streamed format (a mailbox) are an iterator that reads
    the file as it goes, so that a large one is never in memory whole: its warnings fill as it
    is read, and the iterator may raise SkipFile."""
    rel = relative_id(path, source_dir)
    suffix = path.suffix.lower()
    try:
        if suffix in STREAMED_SUFFIXES:
            warnings: list[str] = []
            return SourceFile(rel, stream_texts(path, rel, options, warnings), file_hash(path), warnings=warnings)
        data = read_bytes(path)
        texts, warnings = parse(data, path, rel, options)
    except SkipFile as skip:
        return SourceFile(rel, skipped=str(skip))
    return SourceFile(rel, tuple(texts), hashlib.sha1(data).hexdigest(), warnings=tuple(warnings))


def stream_texts(path: Path, rel: str, options: ReadOptions, warnings: list[str]) -> Iterator[SourceText]:
    """The source texts of a file in one of STREAMED_SUFFIXES, read piece by piece."""
    with open_source(path) as file:
        yield from stream_document(file, path.suffix.lower(), rel, options, warnings)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or SkipFile with a reason a user understands."""
    limit = size_limit(path)
    with open_source(path) as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise SkipFile("grew beyond the size limit while reading")
    if not data.strip():
        raise SkipFile("empty file")
    return data


def file_hash(path: Path) -> str:
    """The SHA-1 of the file's bytes, read a chunk at a time; SkipFile as read_bytes."""
    digest = hashlib.sha1()
    with open_source(path) as file:
        while chunk := file.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def size_limit(path: Path) -> int:
    """The largest file of this format that is read: a streamed format costs no more memory when larger."""
    return STREAMED_SUFFIXES.get(path.suffix.lower(), MAX_FILE_BYTES)


@contextlib.contextmanager
def open_source(path: Path) -> Iterator[BinaryIO]:
    """The file open for reading once it is known to be a supported regular file within the size
    limit; problems opening or reading it (also in the body of the `with`) become SkipFile."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise SkipFile(f"unsupported format ({suffix or 'no extension'})")
    limit = size_limit(path)
    try:
        check_regular(os.stat(path))  # before opening: opening a pipe or a device can block or act
        # Non-blocking, and checked again once open: the file may have been replaced in between.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY), "rb") as file:
            info = os.fstat(file.fileno())
            check_regular(info)
            if info.st_size > limit:
                raise SkipFile(f"too large ({info.st_size // 1048576} MB; the limit is {limit // 1048576} MB)")
            yield file
    except PermissionError:
        raise SkipFile("permission denied") from None
    except FileNotFoundError:
        raise SkipFile("broken symlink" if path.is_symlink() else "file disappeared while reading") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SkipFile("symlink loop") from None
        raise SkipFile(f"unreadable ({error.strerror or error})") from None


FILE_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def check_regular(info: os.stat_result) -> None:
    """SkipFile unless the stat is a regular file's: reading a pipe, socket or device never ends."""
    if not stat.S_ISREG(info.st_mode):
        raise SkipFile(f"not a regular file ({FILE_KINDS.get(stat.S_IFMT(info.st_mode), 'special file')})")


def parse(
    data: bytes, path: Path, rel: str, options: ReadOptions = DEFAULT_READING
) -> tuple[list[SourceText], list[str]]:
    """Bytes of a supported file -> its source texts and per-line warnings."""
    suffix = path.suffix.lower()
    if suffix in READER_SUFFIXES:
        return read_document(data, suffix, rel, options)
    try:
        text = decode_bytes(data)
    except UndecodableError as error:
        raise SkipFile(str(error)) from None
    text = clean_text(text)
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
        clean_text(extracted.text),
        title=one_line(extracted.title),
        date=one_line(extracted.date),
        source=one_line(extracted.sitename or extracted.hostname),
        url=one_line(extracted.url),
        author=one_line(extracted.author),
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
        except RecursionError:
            warnings.append(f"line {number}: invalid JSON (nested too deeply)")
            continue
        except ValueError as error:  # a number too long to convert
            warnings.append(f"line {number}: invalid JSON ({str(error).split(':')[0]})")
            continue
        if not isinstance(record, dict):
            warnings.append(f"line {number}: not a JSON object")
            continue
        fields = {key: text_of(record, key) for key in RECORD_FIELDS}
        if not (fields["text"] or fields["title"]):
            warnings.append(f"line {number}: no 'title' or 'text'")
            continue
        damaged = [
            key for key in RECORD_FIELDS if isinstance(record.get(key), str) and has_lone_surrogates(record[key])
        ]
        if damaged:
            names = ", ".join(f"'{key}'" for key in damaged)
            warnings.append(f"line {number}: invalid characters (lone surrogates) in {names} replaced")
        texts.append(SourceText(f"{rel}#{number}", rel, "jsonl", **fields))
    if not texts:
        raise SkipFile("no valid JSON lines" + (f" ({warnings[0]})" if warnings else ""))
    return texts, warnings


RECORD_FIELDS = ("text", "title", "date", "source", "url", "author")


def text_of(record: dict, key: str) -> str | None:
    """A record's value as clean text (its body keeps line breaks, other fields are one line), or
    None: JSON lines written by other tools may hold numbers, null or invalid characters."""
    value = record.get(key)
    if value is None:
        return "" if key == "text" else None
    if key == "text":
        return clean_text(str(value)).strip()
    return one_line(str(value))


def one_line(value: str | None) -> str | None:
    """A metadata value as one clean line of at most MAX_FIELD_CHARS, or None when nothing is left."""
    line = clean_line(value[: MAX_FIELD_CHARS * 2]) if value else ""
    return (line if len(line) <= MAX_FIELD_CHARS else line[: MAX_FIELD_CHARS - 1] + "…") or None
