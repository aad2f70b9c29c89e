"""Word (.docx) and OpenDocument (.odt) -> one source text: headings and paragraphs, core properties.

Both are zip files of XML. Before any entry is read, the sizes the zip declares are checked
against MAX_UNZIPPED_BYTES: a few kilobytes can expand to gigabytes (a zip bomb), and zipfile
never inflates an entry beyond its declared size.

.docx goes through python-docx (MIT; its lxml parser resolves no entities). .odt needs only
its content.xml and meta.xml, read here with the same kind of lxml parser: odfpy, the one
library for it, has had no release since 2020.
"""

from __future__ import annotations

import datetime
import io
import zipfile

from lxml import etree

from ..decode import clean_text
from ..files import ReadOptions, SkipFile, SourceText, one_line

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # all entries together; ten times the largest file read
FORMAT_NAMES = {".docx": "Word", ".odt": "OpenDocument"}
# No entities (no billion laughs, no external files), no network, lxml's default depth limits.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)

ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
DC = "http://purl.org/dc/elements/1.1/"
ODF_BLOCKS = {f"{{{ODF_TEXT}}}h", f"{{{ODF_TEXT}}}p"}
ODF_SPACING = {f"{{{ODF_TEXT}}}s": " ", f"{{{ODF_TEXT}}}tab": "\t", f"{{{ODF_TEXT}}}line-break": "\n"}


def read(data: bytes, suffix: str, rel: str, options: ReadOptions) -> tuple[list[SourceText], list[str]]:
    """A .docx or .odt file's paragraphs (headings included) with its title, author and date."""
    name = FORMAT_NAMES[suffix]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_unzipped_size(archive)
        paragraphs, title, author, date = (read_docx if suffix == ".docx" else read_odt)(archive, data)
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, EOFError):
        # KeyError: a part the format requires is missing; ValueError: python-docx's own errors.
        raise SkipFile(f"not a readable {name} file (damaged, encrypted or another format)") from None
    text = "\n\n".join(clean_text(paragraph).strip() for paragraph in paragraphs if paragraph.strip())
    if not text:
        raise SkipFile("no text")
    return [SourceText(rel, rel, suffix[1:], text, title=one_line(title), date=date, author=one_line(author))], []


def check_unzipped_size(archive: zipfile.ZipFile) -> None:
    """SkipFile when the entries would expand beyond MAX_UNZIPPED_BYTES."""
    total = sum(entry.file_size for entry in archive.infolist())
    if total > MAX_UNZIPPED_BYTES:
        limit = MAX_UNZIPPED_BYTES // 1048576
        raise SkipFile(f"expands to {total // 1048576} MB when unzipped (a zip bomb?; the limit is {limit} MB)")


def read_docx(archive: zipfile.ZipFile, data: bytes) -> tuple[list[str], str | None, str | None, str | None]:
    """Paragraphs and table cells in reading order, and the core properties."""
    import docx  # heavy import, only needed for Word files
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    paragraphs = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            paragraphs.extend(cell_text for row in block.rows for cell_text in unique_cells(row))
        else:
            paragraphs.append(block.text)
    properties = document.core_properties
    date = properties.created or properties.modified
    return paragraphs, properties.title, properties.author, date.date().isoformat() if date else None


def unique_cells(row) -> list[str]:
    """A table row's cell texts; a merged cell appears once, not once per grid column."""
    seen, texts = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            texts.append(cell.text)
    return texts


def read_odt(archive: zipfile.ZipFile, data: bytes) -> tuple[list[str], str | None, str | None, str | None]:
    """Headings and paragraphs of content.xml in document order, and meta.xml's properties."""
    content = etree.fromstring(archive.read("content.xml"), XML_PARSER)
    paragraphs = [odf_text(block) for block in content.iter(*ODF_BLOCKS) if not has_block_ancestor(block)]
    title = author = date = None
    if "meta.xml" in archive.namelist():
        meta = etree.fromstring(archive.read("meta.xml"), XML_PARSER)
        title = meta.findtext(f".//{{{DC}}}title")
        author = meta.findtext(f".//{{{ODF_META}}}initial-creator") or meta.findtext(f".//{{{DC}}}creator")
        date = iso_date(meta.findtext(f".//{{{ODF_META}}}creation-date") or meta.findtext(f".//{{{DC}}}date"))
    return paragraphs, title, author, date


def has_block_ancestor(element) -> bool:
    """True for a paragraph inside another (a footnote's): its text is part of the outer one."""
    return any(ancestor.tag in ODF_BLOCKS for ancestor in element.iterancestors())


def odf_text(element) -> str:
    """An ODF paragraph's text, its space, tab and line-break elements as characters."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in ODF_SPACING:
            count = int(child.get(f"{{{ODF_TEXT}}}c", "1")) if child.tag == f"{{{ODF_TEXT}}}s" else 1
            parts.append(ODF_SPACING[child.tag] * min(count, 1000))
        elif isinstance(child.tag, str):
            parts.append(odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def iso_date(value: str | None) -> str | None:
    """An ODF date-time ("2016-04-12T09:30:00") as an ISO date, or None."""
    try:
        return datetime.date.fromisoformat(value.strip()[:10]).isoformat() if value else None
    except ValueError:
        return None
