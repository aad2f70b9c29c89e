"""PDF -> one source text, its pages separated by form feeds, by PDFium (pypdfium2).

PDFium is the PDF engine of Chromium: fast (C++), tolerant of damaged files, and pypdfium2's
wheels carry the binary (Apache-2.0/BSD-3). Page k of the document is the text after the
(k-1)-th form feed, so a hit in the body can name its page. A page that is an image with
(almost) no text, a scan, is rendered and read by OCR.
"""

from __future__ import annotations

import datetime
import math
import re

import pypdfium2 as pdfium

from ..files import ReadOptions, SkipFile, SourceText, one_line
from ..pages import PAGE_BREAK, clean_page
from .ocr import DPI, PageNotRead, ocr_problem, recognize

SCAN_MAX_WORDS = 20
MAX_RENDER_PIXELS = 12_000_000  # an A4 page at 300 dpi is 8.7 million; a poster is scaled down to this
# PDF dates: "D:YYYYMMDDHHmmSS+HH'mm'", every part after the year optional.
PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def read(data: bytes, suffix: str, rel: str, options: ReadOptions) -> tuple[list[SourceText], list[str]]:
    """A PDF's text, page by page, with title, author and date from its document info."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise SkipFile(open_problem(error)) from None
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
        pages = [page_text(pdf, index) for index in range(len(pdf))]
        scans = [index for index, text in enumerate(pages) if is_scan(pdf, index, text)]
        problem = ocr_problem(options.ocr) if scans else None
        warnings = []
        if scans and not problem:
            warnings = read_scans(pdf, scans, pages, options)
    finally:
        pdf.close()
    if not any(page.strip() for page in pages):
        if problem:
            raise SkipFile(problem)
        if scans:
            raise SkipFile("no text found by OCR" + (f" ({warnings[0]})" if warnings else ""))
        raise SkipFile("no text in the PDF")
    if problem:
        warnings = [f"{page_list(scans)}: {problem}"]
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
    ], warnings


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
    return clean_page(text.replace("\r\n", "\n"))


def is_scan(pdf: pdfium.PdfDocument, index: int, text: str) -> bool:
    """True when a page shows an image and has next to no text of its own: a scanned page
    (a stamped page number or a few words of a cover do not make a text layer)."""
    if len(text.split()) > SCAN_MAX_WORDS:
        return False
    page = pdf[index]
    try:
        return any(True for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    finally:
        page.close()


def read_scans(pdf: pdfium.PdfDocument, scans: list[int], pages: list[str], options: ReadOptions) -> list[str]:
    """Put the OCR text of each scanned page in `pages`; warnings for the pages OCR could not read."""
    warnings = []
    for index in scans:
        try:
            text = clean_page(recognize(render_page(pdf, index)))
        except PageNotRead as problem:
            warnings.append(f"page {index + 1} not read by OCR ({problem})")
            continue
        finally:
            if options.on_ocr_page:
                options.on_ocr_page()
        if len(text) > len(pages[index]):
            pages[index] = text
    return warnings


def render_page(pdf: pdfium.PdfDocument, index: int):
    """One page as a grayscale Pillow image at OCR resolution, at most MAX_RENDER_PIXELS."""
    page = pdf[index]
    try:
        width, height = page.get_size()  # in points, 72 to the inch
        scale = min(DPI / 72, math.sqrt(MAX_RENDER_PIXELS / max(width * height, 1)))
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            return bitmap.to_pil()
        finally:
            bitmap.close()
    finally:
        page.close()


def page_list(indexes: list[int]) -> str:
    """Page numbers as words: "page 3", "pages 1, 2 and 5"."""
    numbers = [str(index + 1) for index in indexes]
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    return f"pages {', '.join(numbers[:-1])} and {numbers[-1]}"


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
