"""PDF -> one source text, its pages separated by form feeds, by PDFium (pypdfium2).

PDFium is the PDF engine of Chromium: fast (C++), tolerant of damaged files, and pypdfium2's
wheels carry the binary (Apache-2.0/BSD-3). Page k of the document is the text after the
(k-1)-th form feed, so a hit in the body can name its page.
"""

from __future__ import annotations

import datetime
import re

import pypdfium2 as pdfium

from ..decode import clean_text
from ..files import SkipFile, SourceText, one_line

PAGE_BREAK = "\f"
# PDF dates: "D:YYYYMMDDHHmmSS+HH'mm'", every part after the year optional.
PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def read(data: bytes, suffix: str, rel: str) -> tuple[list[SourceText], list[str]]:
    """A PDF's text, page by page, with title, author and date from its document info."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise SkipFile(open_problem(error)) from None
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
        pages = [page_text(pdf, index) for index in range(len(pdf))]
    finally:
        pdf.close()
    if not any(page.strip() for page in pages):
        raise SkipFile("no text layer in the PDF (a scan?)")
    return [
        SourceText(
            rel,
            rel,
            "pdf",
            PAGE_BREAK.join(pages),
            title=one_line(info.get("Title")),
            date=pdf_date(info.get("CreationDate")) or pdf_date(info.get("ModDate")),
            author=one_line(info.get("Author")),
        )
    ], []


def page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    """One page's text with its line breaks; never a form feed of its own (those count pages)."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
    finally:
        page.close()
    return clean_text(text.replace("\r\n", "\n")).replace(PAGE_BREAK, "\n").strip()


def open_problem(error: pdfium.PdfiumError) -> str:
    """Why PDFium could not open a file, in a user's words."""
    if getattr(error, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
        return "encrypted PDF (needs a password)"
    if getattr(error, "err_code", None) == pdfium.raw.FPDF_ERR_SECURITY:
        return "PDF with an unsupported security handler"
    return "not a readable PDF (damaged or not a PDF)"


def pdf_date(value: str | None) -> str | None:
    """A PDF date string as an ISO date, or None when it is missing or not a date."""
    match = PDF_DATE.match(value.strip()) if value else None
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1)
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None
