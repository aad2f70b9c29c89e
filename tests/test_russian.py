"""Russian text: names found by natasha's models and lemmatised; inflected names found by search."""

from __future__ import annotations

from indexer import build_index, search
from indexer.analysis import create_text_analyzer
from indexer.documents.names import extract_names

TEXT = (
    "Путин посетил Газпром\n\n"
    "Президент России Владимир Путин посетил Москву и встретился с руководством Газпрома.\n\n"
    "Путина встретили в Министерстве иностранных дел. В Газпроме говорят о новых контрактах."
)


def test_people_organisations_and_places_in_their_dictionary_form():
    names = extract_names(TEXT)
    assert names.people == ("Владимир Путин",)
    assert {"Газпром", "Министерство иностранных дел"} <= set(names.organizations)
    assert {"Россия", "Москва"} <= set(names.places)
    assert ("Путина", "Владимир Путин") in names.merged


def test_english_text_is_not_sent_to_the_russian_models():
    names = extract_names("Vladimir Putin visited Moscow and met Gazprom managers.")
    assert "Vladimir Putin" in names.people and "Moscow" in names.places


def test_an_inflected_name_finds_its_other_forms(tmp_path):
    analyzer = create_text_analyzer()
    terms = {
        word: [t.text for t in analyzer(word)] for word in ("газпром", "Газпроме", "Газпрома", "Лужков", "Лужкова")
    }
    assert terms["газпром"] == terms["Газпроме"] == terms["Газпрома"]
    assert terms["Лужков"] == terms["Лужкова"]
    source = tmp_path / "docs"
    source.mkdir()
    (source / "ru.txt").write_text(TEXT, encoding="utf-8")
    build_index(source, tmp_path / "index", jobs=1)
    assert [hit.id for hit in search(tmp_path / "index", "газпром").hits] == ["ru.txt"]
    assert [hit.id for hit in search(tmp_path / "index", "Путин", filters={"person": ["Владимир Путин"]}).hits] == [
        "ru.txt"
    ]


def test_russian_places_roll_up_to_their_countries_and_keep_their_capitals():
    names = extract_names(
        "Делегация прибыла в Санкт-Петербург из Новосибирска, а затем отправилась в Киев, Берлин и США."
    )
    assert "Санкт-Петербург" in names.places
    assert {"Russia", "Ukraine", "Germany", "United States"} <= set(names.countries)
    assert set(extract_names(TEXT).countries) == {"Russia"}
