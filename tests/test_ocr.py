"""Scans read by OCR: images and PDF pages without text, rendered from text here and found by search."""

import shutil
import struct
import zlib

import pytest
from click.testing import CliRunner
from document_fixtures import make_image, make_pdf, make_scanned_pdf
from helpers import write_files

from indexer import build_index, search, update_index
from indexer.cli import main
from indexer.documents.files import read_file
from indexer.documents.readers import ocr

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")

LETTER = [["Quarterly statement of the ministry", "Revenue rose in Moscow last year."]]
RUSSIAN_PAGE = ["Письмо из Москвы", "Министр финансов подписал бюджет."]


@pytest.fixture(autouse=True)
def fresh_tesseract_lookup():
    """Each test looks tesseract up again: some hide it."""
    ocr.tesseract_languages.cache_clear()
    yield
    ocr.tesseract_languages.cache_clear()


def hits(index_dir, query):
    return [hit.id for hit in search(index_dir, query).hits]


def test_scanned_pdf_pages_and_images_are_read_by_ocr_and_found_by_search(tmp_path):
    source_dir = write_files(
        tmp_path / "src",
        {
            "scan.pdf": make_scanned_pdf([*LETTER, RUSSIAN_PAGE]),
            "letter.png": make_image([["Scanned letter from Berlin", "Angela Merkel signed the treaty."]]),
            "photo.jpg": make_image([["A memo about shipbuilding contracts"]], "JPEG"),
            "pages.tiff": make_image([["First page of the fax"], ["Second page mentions Vladivostok harbour"]], "TIFF"),
        },
    )
    pages = []
    report = build_index(source_dir, tmp_path / "index", jobs=1, ocr_progress=lambda: pages.append(1))
    assert report.skipped == {} and report.warnings == []
    assert len(pages) == 6  # two PDF pages, one PNG, one JPEG, two TIFF pages
    index_dir = tmp_path / "index"
    assert hits(index_dir, "revenue Moscow") == ["scan.pdf"]
    assert hits(index_dir, "министр бюджет") == ["scan.pdf"]  # Russian, by its stems
    assert hits(index_dir, "treaty") == ["letter.png"]
    assert hits(index_dir, "shipbuilding") == ["photo.jpg"]
    assert hits(index_dir, "Vladivostok") == ["pages.tiff"]


def test_a_scanned_page_keeps_its_place_among_text_pages(tmp_path):
    write_files(tmp_path, {"scan.pdf": make_scanned_pdf([LETTER[0], RUSSIAN_PAGE])})
    (source,) = read_file(tmp_path / "scan.pdf", tmp_path).texts
    first, second = source.text.split("\f")
    assert "Revenue rose in Moscow" in first and "Министр финансов" in second


def test_without_ocr_scans_are_skipped_with_the_reason_and_an_update_with_ocr_reads_them(tmp_path):
    source_dir = write_files(
        tmp_path / "src",
        {
            "scan.pdf": make_scanned_pdf(LETTER),
            "letter.png": make_image([["Scanned letter from Berlin"]]),
            "report.pdf": make_pdf([["Annual report", "Exports grew."]]),
        },
    )
    index_dir = tmp_path / "index"
    report = build_index(source_dir, index_dir, jobs=1, ocr=False)
    reason = "needs OCR (OCR is off; index without --no-ocr to read scans)"
    assert report.skipped == {"letter.png": reason, "scan.pdf": reason}
    assert hits(index_dir, "exports") == ["report.pdf"]

    report = update_index(source_dir, index_dir, jobs=1)
    assert (report.skipped, report.added, report.changed) == ({}, 0, 2)
    assert hits(index_dir, "revenue") == ["scan.pdf"]


def test_without_tesseract_scans_are_skipped_with_how_to_install_it_and_the_rest_is_indexed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    source_dir = write_files(
        tmp_path / "src",
        {"scan.pdf": make_scanned_pdf(LETTER), "report.pdf": make_pdf([["Annual report", "Exports grew."]])},
    )
    report = build_index(source_dir, tmp_path / "index", jobs=1)
    assert report.skipped == {
        "scan.pdf": "needs OCR (tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-eng "
        "tesseract-ocr-rus, or make install)"
    }
    assert hits(tmp_path / "index", "exports") == ["report.pdf"]
    assert update_index(source_dir, tmp_path / "index", jobs=1).changed == 0  # nothing to read them with yet


def test_a_pdf_with_text_pages_and_a_scanned_page_keeps_its_text_when_ocr_is_off(tmp_path):
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    for data in (make_pdf([["Annual report", "Exports grew."]]), make_scanned_pdf(LETTER)):
        mixed.import_pages(pdfium.PdfDocument(data))
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    loaded = read_file(path, tmp_path)
    assert "Exports grew." in loaded.texts[0].text and "Revenue rose" in loaded.texts[0].text

    from indexer.documents.files import ReadOptions

    unread = read_file(path, tmp_path, ReadOptions(ocr=False))
    assert unread.texts[0].text == "Annual report\nExports grew.\f"
    assert unread.warnings == ("page 2: needs OCR (OCR is off; index without --no-ocr to read scans)",)


def test_ocr_gives_up_on_a_page_after_its_time_limit_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "SECONDS_PER_PAGE", 0.001)
    write_files(tmp_path, {"scan.pdf": make_scanned_pdf(LETTER)})
    assert read_file(tmp_path / "scan.pdf", tmp_path).skipped == (
        "no text found by OCR (page 1 not read by OCR (OCR took longer than 0.001 s))"
    )


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width x height pixels and holds one row: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")
    )


def test_huge_and_damaged_images_are_skipped_with_the_reason(tmp_path):
    write_files(
        tmp_path,
        {
            "bomb.png": png_header_only(30_000, 30_000),  # over Pillow's own bound
            "large.png": png_header_only(11_000, 10_000),  # over ours
            "broken.jpg": b"\xff\xd8\xff\xe0 not really a JPEG",
        },
    )
    skipped = {name: read_file(tmp_path / name, tmp_path).skipped for name in ("bomb.png", "large.png", "broken.jpg")}
    assert skipped == {
        "bomb.png": "image too large (over 100 million pixels)",
        "large.png": "image too large (110 million pixels; the limit is 100 million)",
        "broken.jpg": "not a readable image (damaged, or not the format its name says)",
    }


def test_index_command_takes_no_ocr(tmp_path):
    source_dir = write_files(
        tmp_path / "src", {"letter.png": make_image([["Scanned letter"]]), "note.txt": "A note\n\nOn budgets.\n"}
    )
    result = CliRunner().invoke(main, ["index", str(source_dir), "--index", str(tmp_path / "index"), "--no-ocr"])
    assert result.exit_code == 0
    assert "skipped letter.png: needs OCR (OCR is off; index without --no-ocr to read scans)" in result.output


def test_worker_processes_report_each_page_ocr_reads(tmp_path):
    files = {f"note{n:03}.txt": f"Note {n}\n\nAbout budgets.\n" for n in range(130)}
    files["letter.png"] = make_image([["Scanned letter from Berlin"]])
    source_dir = write_files(tmp_path / "src", files)
    pages = []
    report = build_index(source_dir, tmp_path / "index", jobs=2, ocr_progress=lambda: pages.append(1))
    assert report.documents == 131 and pages == [1]
    assert hits(tmp_path / "index", "Berlin") == ["letter.png"]
