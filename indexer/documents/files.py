"""Files -> source texts: walk a folder, read each supported format, decode robustly."""

from __future__ import annotations

import datetime
import errno
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .decode import UndecodableError, clean_line, clean_text, decode_bytes, has_lone_surrogates
from .readers import READER_SUFFIXES, read_document

TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | READER_SUFFIXES
MAX_FILE_BYTES = 20 * 1024 * 1024
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
    try:
        check_regular(os.stat(path))  # before opening: opening a pipe or a device can block or act
        # Non-blocking, and checked again once open: the file may have been replaced in between.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY), "rb") as file:
            info = os.fstat(file.fileno())
            check_regular(info)
            if info.st_size > MAX_FILE_BYTES:
                limit = MAX_FILE_BYTES // 1048576
                raise SkipFile(f"too large ({info.st_size // 1048576} MB; the limit is {limit} MB)")
            data = file.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise SkipFile("permission denied") from None
    except FileNotFoundError:
        raise SkipFile("broken symlink" if path.is_symlink() else "file disappeared while reading") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise SkipFile("symlink loop") from None
        raise SkipFile(f"unreadable ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise SkipFile("grew beyond the size limit while reading")
    if not data.strip():
        raise SkipFile("empty file")
    return data


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


def parse(data: bytes, path: Path, rel: str) -> tuple[list[SourceText], list[str]]:
    """Bytes of a supported file -> its source texts and per-line warnings."""
    suffix = path.suffix.lower()
    if suffix in READER_SUFFIXES:
        return read_document(data, suffix, rel)
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
