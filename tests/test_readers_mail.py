import datetime

from document_fixtures import make_email, make_mbox
from helpers import write_files

from indexer import build_index, search
from indexer.documents.files import read_file
from indexer.documents.parts import extract_parts

MEETING = make_email(
    "Budget talks moved to Friday",
    '"Doe, Jane" <jane.doe@ministry.example>',
    "Ivan Petrov <ivan@example.ru>, press@example.org",
    "Tue, 12 Apr 2016 23:30:00 -0700",
    cc="Anna Schmidt <anna@example.de>",
    text="Hi Ivan,\n\nThe meeting with Angela Merkel moved to Friday.\n\nJane\n",
)


def test_eml_subject_date_people_and_sender(tmp_path):
    write_files(tmp_path, {"talks.eml": MEETING})
    (source,) = read_file(tmp_path / "talks.eml", tmp_path).texts
    assert (source.id, source.format, source.title, source.date, source.source, source.author) == (
        "talks.eml",
        "mail",
        "Budget talks moved to Friday",
        "2016-04-12",
        "jane.doe@ministry.example",
        "Jane Doe",
    )
    assert source.people == ("Jane Doe", "Ivan Petrov", "Anna Schmidt")
    assert source.text == "Hi Ivan,\n\nThe meeting with Angela Merkel moved to Friday.\n\nJane"
    (document,) = extract_parts(source)
    assert document.date == datetime.date(2016, 4, 12)
    assert document.people[:3] == ("Jane Doe", "Ivan Petrov", "Anna Schmidt") and "Angela Merkel" in document.people


def test_html_only_mail_is_cleaned_and_plain_text_is_preferred(tmp_path):
    html = "<html><body><p>Встреча в <b>Москве</b> перенесена.</p><script>alert(1)</script></body></html>"
    write_files(
        tmp_path,
        {
            "html.eml": make_email("=?utf-8?b?0JLRgdGC0YDQtdGH0LA=?=", "a@example.ru", "b@example.ru", "", html=html),
            "both.eml": make_email(
                "Both", "a@example.org", "b@example.org", "", text="Plain words.", html="<p>Rich</p>"
            ),
        },
    )
    (html_mail,) = read_file(tmp_path / "html.eml", tmp_path).texts
    assert (html_mail.title, html_mail.text, html_mail.date, html_mail.people) == (
        "Встреча",
        "Встреча в Москве перенесена.",
        None,
        (),
    )
    assert read_file(tmp_path / "both.eml", tmp_path).texts[0].text == "Plain words."


def test_each_message_of_a_mailbox_is_a_document(tmp_path):
    messages = [
        MEETING,
        make_email(
            "Second",
            "Ivan Petrov <ivan@example.ru>",
            "jane.doe@ministry.example",
            "Wed, 13 Apr 2016 08:00:00 +0300",
            text="From Moscow with thanks.\nIvan",
        ),
        b"Subject: Third\nFrom: press@example.org\nDate: 13 Apr 2016\n\nPress release attached.\n",
    ]
    write_files(tmp_path, {"inbox.mbox": make_mbox(messages)})
    source = read_file(tmp_path / "inbox.mbox", tmp_path)
    assert [(text.id, text.title, text.date) for text in source.texts] == [
        ("inbox.mbox#1", "Budget talks moved to Friday", "2016-04-12"),
        ("inbox.mbox#2", "Second", "2016-04-13"),
        ("inbox.mbox#3", "Third", "13 Apr 2016"),  # not RFC 5322: read by the date parser
    ]
    assert [document.date for text in source.texts for document in extract_parts(text)] == [
        datetime.date(2016, 4, 12),
        datetime.date(2016, 4, 13),
        datetime.date(2016, 4, 13),
    ]
    assert source.texts[1].text == "From Moscow with thanks.\nIvan"  # the quoted "From " line, unquoted
    assert source.warnings == ()


def test_mailbox_messages_without_text_are_warnings_and_a_non_mailbox_is_skipped(tmp_path):
    empty = b"X-Note: nothing\n\n\n"
    write_files(tmp_path, {"inbox.mbox": make_mbox([empty, MEETING]), "notes.mbox": "Just some notes\n"})
    inbox = read_file(tmp_path / "inbox.mbox", tmp_path)
    assert [text.id for text in inbox.texts] == ["inbox.mbox#2"]
    assert inbox.warnings == ("message 1: no subject or text in the message",)
    assert read_file(tmp_path / "notes.mbox", tmp_path).skipped == (
        "not an mbox mailbox (no 'From ' line before the first message)"
    )


def test_mail_people_are_facet_values_of_the_index(tmp_path):
    source_dir = write_files(tmp_path / "src", {"talks.eml": MEETING})
    build_index(source_dir, tmp_path / "index", jobs=1)
    page = search(tmp_path / "index", "Friday")
    assert [hit.id for hit in page.hits] == ["talks.eml"]
    (facet,) = [facet for facet in page.facets if facet.name == "person"]
    people = {value.value for value in facet.values}
    assert {"Jane Doe", "Ivan Petrov", "Anna Schmidt"} <= people


def test_attachments_of_readable_formats_are_documents_linked_to_their_message(tmp_path):
    from email.message import EmailMessage

    from document_fixtures import make_docx, make_pdf

    message = EmailMessage()
    message["Subject"] = "Reports attached"
    message["From"] = "Jane Doe <jane@example.org>"
    message["Date"] = "Tue, 12 Apr 2016 09:30:00 +0000"
    message.set_content("Both reports are attached.")
    pdf = make_pdf([["Annual report", "Revenue rose in Moscow."], ["Second page"]], {"Title": "Annual Report"})
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="../report.pdf")
    message.add_attachment(
        make_docx([("Normal", "Minutes of the meeting in Berlin.")]),
        maintype="application",
        subtype="octet-stream",
        filename="minutes.docx",
    )
    message.add_attachment(b"\x89PNG\r\n", maintype="image", subtype="png", filename="logo.png")
    message.add_attachment(b"%PDF-1.4 broken", maintype="application", subtype="pdf", filename="broken.pdf")
    write_files(tmp_path, {"mail.eml": message.as_bytes()})
    source = read_file(tmp_path / "mail.eml", tmp_path)
    assert [(text.id, text.path, text.title) for text in source.texts] == [
        ("mail.eml", "mail.eml", "Reports attached"),
        ("mail.eml/report.pdf", "mail.eml", "Annual Report"),
        ("mail.eml/minutes.docx", "mail.eml", None),
    ]
    assert source.texts[1].text == "Annual report\nRevenue rose in Moscow.\fSecond page"
    assert source.warnings == ("attachment broken.pdf: not a readable PDF (damaged or not a PDF)",)
