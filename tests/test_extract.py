import datetime

import pytest
from helpers import FIRST_SEED, SECOND_SEED, SEEDS_DIR

from indexer.documents.extract import extract_document
from indexer.documents.files import SourceText, read_file


def seed(name):
    (text,) = read_file(SEEDS_DIR / name, SEEDS_DIR).texts
    return extract_document(text)


@pytest.fixture(scope="module")
def first():
    return seed(FIRST_SEED)


@pytest.fixture(scope="module")
def second():
    return seed(SECOND_SEED)


def test_second_seed_metadata(second):
    assert second.title == "Rashid Ismailov Took Part in the Internet Management Forum"
    assert second.date == datetime.date(2015, 11, 10)
    assert second.source == "Министерство цифрового развития, связи и массовых коммуникаций Российской Федерации"
    assert second.language == "en"


def test_second_seed_names(second):
    assert {"Rashid Ismailov", "Janis Mazeiks", "Lana Nusseibeh", "Lenni Montiel"} <= set(second.people)
    assert {"Joao Pessoa", "Moscow", "New York"} <= set(second.places)
    assert "Joao Pessoa" not in second.people


def test_first_seed_metadata(first):
    assert first.title == "2017-03-23 (3)"
    assert first.date == datetime.date(2017, 4, 18)
    assert first.source == "reutersforprakdip.wordpress.com"
    assert first.language == "en"


def test_first_seed_names(first):
    assert {"International Telecommunication Union", "Parahyangan Catholic University"} <= set(first.organizations)
    assert {"Bandung", "Indonesia", "Russia"} <= set(first.places)
    assert "ITU" not in first.organizations  # merged into its full name


@pytest.mark.parametrize("name", [FIRST_SEED, SECOND_SEED])
def test_no_junk_names(name):
    document = seed(name)
    names = set(document.people) | set(document.organizations) | set(document.places)
    assert not names & {"Email", "Blog", "Twitter", "MoU", "Leave a Reply", "WordPress.com Logo", "Google"}


def test_boilerplate_stays_out_of_the_body(first, second):
    for phrase in ("Leave a Reply", "You are commenting", "Log Out", "Connecting to", "Email:", "Twitter:", "Blog:"):
        assert phrase not in first.body
    assert "Свидетельство о регистрации" not in second.body
    assert "22 июля 2008" not in second.body
    assert first.body.startswith("International Telecommunication Union (ITU) and Russia have signed")
    assert first.body.endswith("the role of ITU can be upgraded in the future.")


def test_header_lines_leave_the_body(second):
    # The repeated title and the ministry line are not body text; the dateline paragraph is.
    assert second.body.startswith("Joao Pessoa, November 10, 2015. — Rashid Ismailov, Deputy Minister")
    assert second.title not in second.body


def test_dates_mentioned(second):
    assert second.dates_mentioned == (datetime.date(2015, 11, 10), datetime.date(2015, 10, 22))


def test_russian_document_language_and_source_line():
    text = "Рашид Исмаилов принял участие в Форуме\nМинистерство связи\n\n10 ноября 2015 г. — Заместитель министра принял участие в форуме по управлению интернетом."
    document = extract_document(SourceText("ru.txt", "ru.txt", "text", text))
    assert (document.language, document.source, document.date) == (
        "ru",
        "Министерство связи",
        datetime.date(2015, 11, 10),
    )


def test_metadata_given_by_the_format_wins():
    text = SourceText(
        "f.jsonl#1", "f.jsonl", "jsonl", "Body text of the story.", title="Given", date="2016-02-03", source="Wire"
    )
    document = extract_document(text)
    assert (document.title, document.date, document.source, document.body) == (
        "Given",
        datetime.date(2016, 2, 3),
        "Wire",
        "Body text of the story.",
    )
