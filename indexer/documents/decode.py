"""Bytes -> text: encoding detection for files of unknown origin."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes that never occur in text: NUL and the C0 controls other than tab, newlines, form feed, escape.
CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")
SNIFF_BYTES = 64 * 1024
# The legacy encodings of English and Russian pages, most likely first. Detection scores
# near-identical Western code pages alike (cp1250 vs cp1252), so ties go to the earlier one.
LIKELY_ENCODINGS = (
    "cp1252",
    "cp1251",
    "koi8_r",
    "utf_16_le",
    "utf_16_be",
    "iso8859_5",
    "cp866",
    "mac_cyrillic",
    "latin_1",
)


# Terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL") and single escapes: a capture
# of a terminal session should read as its text, not as codes a later terminal would obey.
ESCAPE_SEQUENCES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?")
# Code points that are not text: C0 and C1 controls (not tab, newlines, form feed), DEL, and lone
# surrogates (a JSON "\udcff" escape, or a file name's undecodable byte) that UTF-8 cannot encode.
NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
LONE_SURROGATES = re.compile(r"[\ud800-\udfff]")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we recognise."""


def decode_bytes(data: bytes) -> str:
    """Decode a document's bytes: BOM first, then strict UTF-8, then charset detection."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if looks_binary(data):
        # BOM-less UTF-16 looks binary too (every other byte is NUL for Latin text).
        encoding = detect_encoding(data)
        if encoding is None or not encoding.startswith("utf_16"):
            raise UndecodableError("binary content")
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = detect_encoding(data)
    if encoding is None:
        raise UndecodableError("unknown encoding")
    return data.decode(encoding, errors="replace")


def detect_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess from the first chunk, preferring the likely encodings; or None."""
    sample = data[:SNIFF_BYTES]
    matches = list(from_bytes(sample, cp_isolation=list(LIKELY_ENCODINGS)))
    if matches:
        least_chaos = min(match.chaos for match in matches)
        found = {match.encoding for match in matches if match.chaos <= least_chaos + 0.01}
        return next(encoding for encoding in LIKELY_ENCODINGS if encoding in found)
    best = from_bytes(sample).best()
    return best.encoding if best else None


def looks_binary(data: bytes) -> bool:
    """NUL or several control bytes in the first chunk mean an image, archive or executable."""
    sample = data[:SNIFF_BYTES]
    controls = sum(sample.count(b) for b in CONTROL_BYTES)
    return b"\x00" in sample or controls > max(8, len(sample) // 1000)


def clean_text(text: str) -> str:
    """Text as a document may hold it: escape sequences and control characters removed, lone
    surrogates replaced by U+FFFD; tabs and line breaks kept."""
    if not NOT_TEXT.search(text):
        return text  # the common case: one scan, no copy
    text = ESCAPE_SEQUENCES.sub("", text)
    return NOT_TEXT.sub(lambda match: "\ufffd" if "\ud800" <= match.group() <= "\udfff" else "", text)


def clean_line(text: str) -> str:
    """A one-line value (title, source, url, author): clean text with its line breaks as spaces."""
    return " ".join(clean_text(text).split())


def has_lone_surrogates(text: str) -> bool:
    """True when `text` holds code points UTF-8 cannot encode (undecodable bytes of a file name)."""
    return LONE_SURROGATES.search(text) is not None
