import datetime

from document_fixtures import make_pdf
from helpers import write_files

from indexer import build_index, get_document, search
from indexer.documents.files import read_file
from indexer.documents.parts import extract_parts

REPORT_INFO = {"Title": "Annual Report 2016", "Author": "Jane Doe", "CreationDate": "D:20160412093000+03'00'"}
REPORT_PAGES = [
    ["Annual report of the ministry", "Revenue rose in Moscow last year."],
    ["Outlook", "Angela Merkel met Vladimir Putin in Berlin (Germany)."],
]


def test_pdf_gives_its_pages_separated_by_form_feeds_and_its_document_info(tmp_path):
    write_files(tmp_path, {"report.pdf": make_pdf(REPORT_PAGES, REPORT_INFO)})
    (source,) = read_file(tmp_path / "report.pdf", tmp_path).texts
    assert source.text == (
        "Annual report of the ministry\nRevenue rose in Moscow last year.\f"
        "Outlook\nAngela Merkel met Vladimir Putin in Berlin (Germany)."
    )
    assert (source.format, source.title, source.author, source.date) == (
        "pdf",
        "Annual Report 2016",
        "Jane Doe",
        "2016-04-12",
    )


def test_pdf_document_keeps_its_page_breaks_and_names(tmp_path):
    write_files(tmp_path, {"report.pdf": make_pdf(REPORT_PAGES, REPORT_INFO)})
    (source,) = read_file(tmp_path / "report.pdf", tmp_path).texts
    (document,) = extract_parts(source)
    pages = document.body.split("\f")
    assert len(pages) == 2 and pages[1].startswith("Outlook")
    assert (document.title, document.date, document.author) == (
        "Annual Report 2016",
        datetime.date(2016, 4, 12),
        "Jane Doe",
    )
    assert {"Angela Merkel", "Vladimir Putin"} <= set(document.people)


def test_pdf_without_document_info_is_titled_by_its_first_line(tmp_path):
    write_files(tmp_path, {"memo.pdf": make_pdf([["Memo on the budget", "Spending fell."]])})
    (document,) = extract_parts(read_file(tmp_path / "memo.pdf", tmp_path).texts[0])
    assert (document.title, document.date, document.author) == ("Memo on the budget", None, None)


def test_encrypted_broken_and_empty_pdfs_are_skipped_with_the_reason(tmp_path):
    write_files(
        tmp_path,
        {
            "locked.pdf": make_pdf(REPORT_PAGES, encrypted=True),
            "cut.pdf": make_pdf(REPORT_PAGES)[:200],
            "blank.pdf": make_pdf([[], []]),
            "fake.pdf": "not a PDF at all\n",
        },
    )
    skipped = {
        name: read_file(tmp_path / name, tmp_path).skipped
        for name in ("locked.pdf", "cut.pdf", "blank.pdf", "fake.pdf")
    }
    assert skipped == {
        "locked.pdf": "encrypted PDF (needs a password)",
        "cut.pdf": "not a readable PDF (damaged or not a PDF)",
        "blank.pdf": "no text in the PDF",
        "fake.pdf": "not a readable PDF (damaged or not a PDF)",
    }


def test_pdf_is_found_by_search_and_shown_with_its_pages(tmp_path):
    source_dir = write_files(
        tmp_path / "src", {"report.pdf": make_pdf(REPORT_PAGES, REPORT_INFO), "note.txt": "A note\n\nNothing here.\n"}
    )
    report = build_index(source_dir, tmp_path / "index", jobs=1)
    assert report.skipped == {}
    (hit,) = search(tmp_path / "index", "Merkel").hits
    assert hit.id == "report.pdf"
    view = get_document(tmp_path / "index", "report.pdf", "Merkel")
    assert view.author == "Jane Doe" and "\f" in view.body_html


def test_a_long_pdf_is_cut_into_parts_at_page_breaks(tmp_path, monkeypatch):
    from indexer.documents import parts

    monkeypatch.setattr(parts, "PART_CHARS", 400)
    monkeypatch.setattr(parts, "CUT_WINDOW", 300)
    pages = [
        [f"Page {n} opens here.", "Officials met in Berlin.", "", "They talked of the budget."] for n in range(1, 13)
    ]
    write_files(tmp_path, {"long.pdf": make_pdf(pages, {"Title": "Long report"})})
    (source,) = read_file(tmp_path / "long.pdf", tmp_path).texts
    documents = list(extract_parts(source))
    assert len(documents) > 2
    firsts = [document.body.split("\n")[0] for document in documents[1:]]
    assert all(line.startswith("Page ") and line.endswith(" opens here.") for line in firsts), firsts
    assert sum(document.body.count("\f") + 1 for document in documents) == 12  # every page whole in one part
