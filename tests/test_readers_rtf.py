import datetime

from helpers import write_files

from indexer.documents.files import read_file
from indexer.documents.parts import extract_parts

REPORT_RTF = (
    rb"{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0 Times New Roman;}}"
    rb"{\info{\title \u1054?\u1090?\'f7\'b8\'f2 on the talks}{\author Jane Doe}{\creatim\yr2016\mo4\dy12\hr9\min30}}"
    rb"\f0\fs24 {\b Budget talks}\par Angela Merkel met \'c8\'e2\'e0\'ed \'cf\'e5\'f2\'f0\'ee\'e2 in Berlin.\par"
    rb"{\pict\pngblip 89504e470d0a1a0a}\par}"
)


def test_rtf_gives_its_text_in_its_code_page_and_its_info(tmp_path):
    write_files(tmp_path, {"talks.rtf": REPORT_RTF})
    (source,) = read_file(tmp_path / "talks.rtf", tmp_path).texts
    assert source.text == "Budget talks\nAngela Merkel met Иван Петров in Berlin."
    assert (source.format, source.title, source.author, source.date) == (
        "rtf",
        "Отчёт on the talks",
        "Jane Doe",
        "2016-04-12",
    )
    (document,) = extract_parts(source)
    assert document.date == datetime.date(2016, 4, 12)
    assert "Angela Merkel" in document.people


def test_rtf_without_info_and_files_that_are_not_rtf(tmp_path):
    write_files(
        tmp_path,
        {
            "plain.rtf": rb"{\rtf1\ansi Memo on the budget\par Spending fell.\par}",
            "fake.rtf": "Just text\n",
            "empty.rtf": rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}}",
        },
    )
    (plain,) = read_file(tmp_path / "plain.rtf", tmp_path).texts
    assert (plain.text, plain.title, plain.date) == ("Memo on the budget\nSpending fell.", None, None)
    assert read_file(tmp_path / "fake.rtf", tmp_path).skipped == "not an RTF file (no '{\\rtf' header)"
    assert read_file(tmp_path / "empty.rtf", tmp_path).skipped == "no text"
