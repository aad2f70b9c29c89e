import datetime
import io
import zipfile

from document_fixtures import make_docx, make_odt
from helpers import write_files

from indexer.documents.files import read_file
from indexer.documents.parts import extract_parts
from indexer.documents.readers import office

DOCX_BLOCKS = [
    ("Heading 1", "Budget talks"),
    ("Normal", "Angela Merkel met Vladimir Putin in Berlin."),
    ("Heading 2", "Next steps"),
    ("Normal", "Officials will meet again in Moscow."),
]


def read_one(folder, name):
    (source,) = read_file(folder / name, folder).texts
    return source


def test_docx_gives_headings_and_paragraphs_and_core_properties(tmp_path):
    created = datetime.datetime(2016, 4, 12, 9, 30)
    write_files(
        tmp_path, {"memo.docx": make_docx(DOCX_BLOCKS, title="Memo on the budget", author="Jane Doe", created=created)}
    )
    source = read_one(tmp_path, "memo.docx")
    assert source.text == (
        "Budget talks\n\nAngela Merkel met Vladimir Putin in Berlin.\n\nNext steps\n\nOfficials will meet again in Moscow."
    )
    assert (source.format, source.title, source.author, source.date) == (
        "docx",
        "Memo on the budget",
        "Jane Doe",
        "2016-04-12",
    )
    (document,) = extract_parts(source)
    assert document.date == datetime.date(2016, 4, 12)
    assert {"Angela Merkel", "Vladimir Putin"} <= set(document.people)


def test_docx_table_cells_are_read_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Staff list")
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Name", "City"), ("Ivan Petrov", "Kazan")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    table.rows[0].cells[0].merge(table.rows[0].cells[1]).text = "Staff"
    out = io.BytesIO()
    document.save(out)
    write_files(tmp_path, {"staff.docx": out.getvalue()})
    assert read_one(tmp_path, "staff.docx").text == "Staff list\n\nStaff\n\nIvan Petrov\n\nKazan"


def test_odt_gives_headings_and_paragraphs_and_meta(tmp_path):
    meta = {
        "dc:title": "Отчёт о встрече",
        "meta:initial-creator": "Иван Петров",
        "meta:creation-date": "2015-11-10T08:00:00",
    }
    blocks = [(1, "Встреча в Москве"), (0, "Министерство провело форум."), (2, "Итоги"), (0, "Форум прошёл успешно.")]
    write_files(tmp_path, {"report.odt": make_odt(blocks, meta)})
    source = read_one(tmp_path, "report.odt")
    assert source.text == "Встреча в Москве\n\nМинистерство провело форум.\n\nИтоги\n\nФорум прошёл успешно."
    assert (source.format, source.title, source.author, source.date) == (
        "odt",
        "Отчёт о встрече",
        "Иван Петров",
        "2015-11-10",
    )
    (document,) = extract_parts(source)
    assert document.language == "ru"


def test_odt_spaces_tabs_and_notes_are_text(tmp_path):
    content = (
        '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        '<text:p>a<text:s text:c="3"/>b<text:tab/>c<text:span>d</text:span>'
        "<text:note><text:note-body><text:p>note</text:p></text:note-body></text:note></text:p>"
        "</office:text></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("content.xml", content)
    write_files(tmp_path, {"plain.odt": out.getvalue()})
    source = read_one(tmp_path, "plain.odt")
    assert (source.text, source.title) == ("a   b\tcdnote", None)


def test_zip_bombs_are_skipped_before_they_are_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(office, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.xml", b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>")
    bomb = out.getvalue()
    assert len(bomb) < 10_000
    write_files(tmp_path, {"bomb.odt": bomb, "bomb.docx": bomb})
    for name in ("bomb.odt", "bomb.docx"):
        assert read_file(tmp_path / name, tmp_path).skipped == (
            "expands to 3 MB when unzipped (a zip bomb?; the limit is 1 MB)"
        )


def test_damaged_office_files_are_skipped_with_the_reason(tmp_path):
    write_files(
        tmp_path,
        {
            "cut.docx": make_docx(DOCX_BLOCKS)[:300],
            "text.odt": "just text\n",
            "empty.docx": make_docx([]),
            "nocontent.odt": zip_of({"meta.xml": "<a/>"}),
            "badxml.odt": zip_of({"content.xml": "<a><b></a>"}),
        },
    )
    reasons = {path.name: read_file(path, tmp_path).skipped for path in sorted(tmp_path.iterdir())}
    damaged = "not a readable {} file (damaged, encrypted or another format)"
    assert reasons == {
        "badxml.odt": damaged.format("OpenDocument"),
        "cut.docx": damaged.format("Word"),
        "empty.docx": "no text",
        "nocontent.odt": damaged.format("OpenDocument"),
        "text.odt": damaged.format("OpenDocument"),
    }


def zip_of(entries: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return out.getvalue()
