"""E-mail (.eml, .mbox) -> one source text per message, by the standard library's email package.

A message's subject is its title, its Date header its date, the names in From, To and Cc are
people, and the sender's address is its source. The body is the plain-text part, else the
HTML part read like an HTML page. Each message of a mailbox is a document "<file>#<n>", n
counting from 1 in the mailbox's order. Attachments of the other formats with a reader are
documents of their own, "<message id>/<file name>".
"""

from __future__ import annotations

import dataclasses
import email
import email.header
import email.policy
import email.utils
import io
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from ..decode import clean_text
from ..files import ReadOptions, SkipFile, SourceText, one_line

# An mbox message starts at a line "From <sender> <date>"; a body line that began so was
# quoted as ">From " (and ">From " as ">>From ", in the mboxrd variant) when it was written.
QUOTED_FROM = re.compile(rb">+From ")
MAX_MESSAGE_BYTES = 20 * 1024 * 1024  # as for a file of its own
LINE_CHUNK_BYTES = 1024 * 1024
PEOPLE_HEADERS = ("from", "to", "cc")
MAIL_SUFFIXES = {".eml", ".mbox"}  # a forwarded message is part of the one that carries it


def read(data: bytes, suffix: str, rel: str, options: ReadOptions) -> tuple[list[SourceText], list[str]]:
    """The messages of an .eml (one) or .mbox (each its own document) file."""
    if suffix == ".eml":
        return read_message(data, rel, rel, options)
    warnings: list[str] = []
    return list(stream(io.BytesIO(data), suffix, rel, options, warnings)), warnings


def stream(file: BinaryIO, suffix: str, rel: str, options: ReadOptions, warnings: list[str]) -> Iterator[SourceText]:
    """The messages of an open mailbox, read one at a time: memory holds one message, whatever
    the mailbox's size. Problems with one message are appended to `warnings`."""
    found = False
    for number, message in enumerate(mbox_messages(file), start=1):
        if message is None:
            warnings.append(f"message {number}: too large (the limit is {MAX_MESSAGE_BYTES / 1048576:g} MB)")
            continue
        try:
            texts, problems = read_message(message, f"{rel}#{number}", rel, options)
        except SkipFile as skip:
            warnings.append(f"message {number}: {skip}")
            continue
        except Exception as error:  # noqa: BLE001 - one damaged message must not lose the mailbox
            warnings.append(f"message {number}: unreadable ({type(error).__name__})")
            continue
        warnings.extend(f"message {number}: {problem}" for problem in problems)
        found = True
        yield from texts
    if not found:
        raise SkipFile("no messages in the mailbox" + (f" ({warnings[0]})" if warnings else ""))


def mbox_messages(file: BinaryIO) -> Iterator[bytes | None]:
    """The bytes of each message of an mbox file, its quoted "From " lines unquoted, read a line
    at a time; None for a message over MAX_MESSAGE_BYTES (its bytes are not kept)."""
    message: bytearray | None = None  # None before the first "From " line
    too_large, at_line_start = False, True
    while line := file.readline(LINE_CHUNK_BYTES):  # a chunk of a longer line does not end with a newline
        starts_line, at_line_start = at_line_start, line.endswith(b"\n")
        if starts_line and line.startswith(b"From "):
            if message is not None:
                yield None if too_large else bytes(message)
            message, too_large = bytearray(), False
        elif message is None:
            if line.strip():
                raise SkipFile("not an mbox mailbox (no 'From ' line before the first message)")
        elif not too_large:
            message += line[1:] if starts_line and QUOTED_FROM.match(line) else line
            if len(message) > MAX_MESSAGE_BYTES:
                message, too_large = bytearray(), True
    if message is None:
        raise SkipFile("empty file")  # nothing but blank lines
    yield None if too_large else bytes(message)


def read_message(data: bytes, doc_id: str, rel: str, options: ReadOptions) -> tuple[list[SourceText], list[str]]:
    """One message's text and headers as a source text, then its attachments' (see read_attachments)."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    subject = header_text(message, "subject")
    body = clean_text(body_text(message)).strip()
    if not (subject or body):
        raise SkipFile("no subject or text in the message")
    senders = addresses(message, "from")
    text = SourceText(
        doc_id,
        rel,
        "mail",
        body,
        title=one_line(subject),
        date=message_date(header_text(message, "date")),
        source=one_line(senders[0][1]) if senders else None,
        author=one_line(senders[0][0] or senders[0][1]) if senders else None,
        people=tuple(
            dict.fromkeys(name for header in PEOPLE_HEADERS for name, _ in addresses(message, header) if name)
        ),
    )
    attachments, warnings = read_attachments(message, doc_id, rel, options)
    return [text, *attachments], warnings


def read_attachments(
    message: email.message.Message, doc_id: str, rel: str, options: ReadOptions
) -> tuple[list[SourceText], list[str]]:
    """The attachments in formats with a reader (not mail), each a document "<message id>/<file name>":
    the id names its message, and no file can be inside a file."""
    from . import IMAGE_SUFFIXES, READER_SUFFIXES, read_document

    texts, warnings, seen = [], [], set()
    for number, part in enumerate(message.iter_attachments(), start=1):
        name = attachment_name(part.get_filename(), number)
        suffix = PurePosixPath(name).suffix.lower()
        # Images are left out: in mail they are mostly logos and signatures, not worth OCR's seconds.
        if suffix not in READER_SUFFIXES or suffix in MAIL_SUFFIXES or suffix in IMAGE_SUFFIXES or name in seen:
            continue
        seen.add(name)
        try:
            found, _ = read_document(part.get_payload(decode=True) or b"", suffix, f"{doc_id}/{name}", options)
        except SkipFile as skip:
            warnings.append(f"attachment {name}: {skip}")
            continue
        texts.extend(dataclasses.replace(found_text, path=rel) for found_text in found)
    return texts, warnings


def attachment_name(filename: str | None, number: int) -> str:
    """An attachment's file name without folders or control characters, else "attachment-<n>"."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    return one_line(name.replace("#", "_")) or f"attachment-{number}"


def header_text(message: email.message.Message, name: str) -> str | None:
    """A header's first value as written, its encoded words decoded: the header parser would
    empty a value it cannot parse (a Date such as "13 Apr 2016")."""
    value = next((value for key, value in message.raw_items() if key.lower() == name), None)
    if value is None:
        return None
    try:
        return str(email.header.make_header(email.header.decode_header(value)))
    except (LookupError, UnicodeError, ValueError):  # an unknown charset or a broken encoded word
        return value


def addresses(message: email.message.Message, header: str) -> list[tuple[str, str]]:
    """(person's name, address) pairs of an address header; names as "First Last"."""
    pairs = email.utils.getaddresses([str(value) for value in message.get_all(header, [])])
    return [(person_name(name), address) for name, address in pairs if name or "@" in address]


def person_name(display_name: str) -> str:
    """A display name as a person's name: "Doe, Jane" as "Jane Doe"; an address is no name."""
    name = " ".join(display_name.split()).strip("'\" ")
    if "@" in name:
        return ""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        name = f"{first} {last}".strip()
    return name


def message_date(value: str | None) -> str | None:
    """The Date header as an ISO date (the sender's own calendar day); one not in the RFC 5322
    form ("13 Apr 2016") is left as it is for the date parser to read."""
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat() if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return one_line(value)


def body_text(message: email.message.Message) -> str:
    """The plain-text body, else the HTML body's main text, else nothing."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = part_text(part)
    if part.get_content_subtype() != "html":
        return text
    from ..files import parse_html

    try:
        return parse_html(text, "").text
    except SkipFile:
        from trafilatura import html2txt

        return html2txt(text) or ""


def part_text(part: email.message.Message) -> str:
    """A text part decoded by its charset; an unknown or wrong charset does not lose the text."""
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")
