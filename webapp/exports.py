"""Every result of a search as CSV or JSON lines (streamed), and the newest as an Atom feed."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from xml.etree import ElementTree as ET

from indexer import Hit

from .security import HTML_SAFE_JSON

CSV_COLUMNS = ("id", "title", "date", "source", "language", "people", "organizations", "places", "countries", "url")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all; scraped text sometimes holds them.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def safe_cell(value: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def hit_record(hit: Hit) -> dict:
    data = hit.to_dict()
    return {column: data[column] for column in CSV_COLUMNS}


def csv_rows(hits: Iterable[Hit]) -> Iterator[str]:
    """The header, then one CSV line per hit; multi-valued names joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(CSV_COLUMNS)
    for hit in hits:
        record = hit_record(hit)
        cells = []
        for column in CSV_COLUMNS:
            value = record[column]
            if isinstance(value, (list, tuple)):
                value = LIST_SEPARATOR.join(value)
            cells.append(safe_cell("" if value is None else str(value)))
        yield line(cells)


def jsonl_rows(hits: Iterable[Hit]) -> Iterator[str]:
    """One JSON object per hit and line, with the CSV's fields (names as lists); "<" and friends escaped."""
    for hit in hits:
        record = hit_record(hit)
        record.update({key: list(record[key]) for key in ("people", "organizations", "places", "countries")})
        yield json.dumps(record, ensure_ascii=False).translate(HTML_SAFE_JSON) + "\n"


def xml_text(value: str | None) -> str:
    return XML_INVALID.sub("", value or "")


def atom_time(date: datetime.date | None) -> str:
    return f"{(date or datetime.date(1970, 1, 1)).isoformat()}T00:00:00Z"


def atom_feed(
    hits: Iterable[Hit],
    *,
    title: str,
    feed_url: str,
    page_url: str,
    entry_url: Callable[[Hit], str],
    summary: Callable[[Hit], str],
) -> bytes:
    """An Atom 1.0 document: one entry per hit, its id and link the document page's absolute URL."""
    ET.register_namespace("", ATOM)
    hits = list(hits)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title)
    ET.SubElement(feed, f"{{{ATOM}}}id").text = xml_text(feed_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=xml_text(feed_url), type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=xml_text(page_url), type="text/html")
    dates = [hit.date for hit in hits if hit.date]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = atom_time(max(dates) if dates else None)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = xml_text(title.split(":")[0])
    for hit in hits:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = entry_url(hit)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(hit.title)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = xml_text(url)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=xml_text(url), type="text/html")
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = atom_time(hit.date)
        if hit.source:
            ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = xml_text(hit.source)
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="html").text = xml_text(summary(hit))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
