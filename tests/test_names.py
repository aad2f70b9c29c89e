"""Tests for indexer.documents.names: seeds, small inline cases, and a CoNLL slice when available."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.documents.names import Entity, Names, extract_names, find_entities

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CONLL = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "conll2003"
REUTERS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578"
JUNK = {"Email", "Blog", "Twitter", "MoU"}
MONTHS = "January February March April May June July August September October November December"
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
GENERIC_HEADS = (
    "Forum Society Committee Commission Council Association Ministry Department Agency Board "
    "Group Bank Company Corporation Exchange Institute University Party Union Office Management"
)
FACET_JUNK = {*MONTHS.split(), *WEEKDAYS.split(), "Reuter", "REUTER", "Inc", "Corp", "Ltd", "Co", "Plc"}
FACET_JUNK |= set(GENERIC_HEADS.split())


def _seed(name: str) -> Names:
    return extract_names((SEEDS / name).read_text(encoding="utf-8"))


def _all(names: Names) -> set[str]:
    return set(names.people) | set(names.organizations) | set(names.places)


def test_ministry_press_release():
    names = _seed("002_9e64d5ca6b538b7b.txt")
    assert {
        "Rashid Ismailov",
        "Janis Mazeiks",
        "Lana Nusseibeh",
        "Lenni Montiel",
    } <= set(names.people)
    assert {"Joao Pessoa", "Moscow", "New York"} <= set(names.places)
    assert "United Nations" in names.organizations
    assert "UN" not in names.organizations
    assert "Joao Pessoa" not in names.people
    assert not JUNK & _all(names)
    assert names.organizations == (
        "Mass Communications",
        "UN General Assembly",
        "World Summit",
        "WSIS",
        "United Nations",
        "BRICS ICT",
        "BRICS",
        "Министерство цифрового развития, связи и массовых коммуникаций",
    )


def test_itu_blog_post():
    names = _seed("000_da3b932311e528c8.txt")
    assert {
        "International Telecommunication Union",
        "Parahyangan Catholic University",
    } <= set(names.organizations)
    assert "ITU" not in _all(names)
    assert {"Bandung", "Indonesia", "Russia"} <= set(names.places)
    assert not JUNK & _all(names)
    assert "Room" not in _all(names)  # "Room 3117" labels a room
    assert names.organizations[:4] == (
        "International Telecommunication Union",
        "Faculty of Social and Political Science Building",
        "Parahyangan Catholic University",
        "United Nations",
    )


def test_title_cue_makes_a_person():
    text = "Deputy Minister Rashid Ismailov said the talks went well."
    assert find_entities(text) == [Entity(16, 31, "Rashid Ismailov", "PER")]
    assert extract_names(text) == Names(("Rashid Ismailov",), (), ())


def test_org_suffix():
    assert find_entities("Shares of Acme Holdings Inc rose on Monday.") == [Entity(10, 27, "Acme Holdings Inc", "ORG")]


def test_acronym_definition_is_an_alias():
    text = "The World Health Organization (WHO) met in Geneva. WHO officials said little."
    assert extract_names(text) == Names((), ("World Health Organization",), ("Geneva",), ("Switzerland",))


def test_fixed_aliases_and_surnames():
    text = "Anna Kowalska met U.N. envoys in the U.S. on Friday. Kowalska said the UN would help."
    assert extract_names(text) == Names(("Anna Kowalska",), ("United Nations",), ("United States",), ("United States",))


def test_sentence_initial_common_word_and_lone_title():
    text = "However, the Deputy Minister disagreed. Tuesday was quiet."
    assert find_entities(text) == []


def test_junk_words_are_dropped():
    text = "Email: someone@example.com\nBlog: example.wordpress.com\nLeave a Reply\nLog Out / Change )\n"
    assert find_entities(text) == []


def test_cyrillic_goes_to_the_russian_models():
    assert [
        (e.text, e.type, e.lemma) for e in find_entities("Министерство цифрового развития Российской Федерации")
    ] == [
        ("Министерство цифрового развития", "ORG", "Министерство цифрового развития"),
        ("Российской Федерации", "LOC", "Российская Федерация"),
    ]


def test_offsets_match_text():
    text = (SEEDS / "002_9e64d5ca6b538b7b.txt").read_text(encoding="utf-8")
    entities = find_entities(text)
    assert entities
    assert all(text[e.start : e.end] == e.text for e in entities)
    assert [e.start for e in entities] == sorted(e.start for e in entities)


def test_conll_slice_span_f1():
    if not CONLL.is_dir():
        pytest.skip("CoNLL-2003 corpus not present")
    docs = sorted((CONLL / "docs").glob("*.txt"))[:100]
    names = {p.stem for p in docs}
    gold = set()
    with open(CONLL / "entities.jsonl", encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e["doc"] in names:
                gold.add((e["doc"], e["start"], e["end"]))
    predicted = {(p.stem, e.start, e.end) for p in docs for e in find_entities(p.read_text(encoding="utf-8"))}
    hits = len(predicted & gold)
    precision, recall = hits / len(predicted), hits / len(gold)
    assert 2 * precision * recall / (precision + recall) >= 0.88


def test_lone_generic_heads_and_heading_words_are_not_organisations():
    text = (
        "Officials met at the 10th Forum on Internet Management in Geneva.\n"
        "The talks on internet management went on. Delegates spoke of the information society "
        "and the Society was praised. The Committee adjourned."
    )
    names = extract_names(text)
    assert not {"Forum", "Management", "Society", "Committee"} & _all(names)
    assert names.places == ("Geneva",)


def test_modifiers_codes_and_labels_are_not_names():
    text = "BRICS-countries met in Room 3117 on the Class A shares and the CAC-40 index, D-Conn said."
    found = {e.text: e.type for e in find_entities(text)}
    assert found.get("BRICS-countries") in (None, "MISC")
    assert found.get("CAC-40") in (None, "MISC")
    assert not {"Room", "Class", "D-Conn"} & set(found)


def test_newswire_dateline_ticker_and_state():
    text = (
        "UNITED TECHNOLOGIES SETS DIVIDEND\n\n"
        "HARTFORD, Conn., March 3 -\n"
        "United Technologies Corp <UTX> said its board declared a quarterly dividend of\n"
        "35 cts a share, payable to holders of record on March 16, the Hartford\n"
        "company said. Chairman Robert Daniell said earnings rose.\n"
        " Reuter\n"
    )
    names = extract_names(text)
    assert names == Names(
        ("Robert Daniell",), ("United Technologies",), ("Hartford", "Connecticut"), ("United States",)
    )


def test_hard_wrapped_names_are_joined():
    text = (
        "The talks held in the city on Tuesday were attended by Mikhail\n"
        "Gorbachev and by officials of the International Monetary\n"
        "Fund, who had flown in for the talks from New\n"
        "York, and who said the talks went well, but that the\n"
        "meeting should have come much sooner than it did, and\n"
        "that more talks would follow later in the year.\n"
    )
    names = extract_names(text)
    assert names == Names(("Mikhail Gorbachev",), ("International Monetary Fund",), ("New York",), ("United States",))


def test_city_names_in_results_lines_are_teams():
    text = "SOCCER - RESULTS\nLONDON 1996-08-30\nLeeds 2 Wimbledon 1\nNewcastle v Chelsea\nJapan 3 Syria 1\n"
    found = {e.text: e.type for e in find_entities(text)}
    assert found["LONDON"] == "LOC"
    assert found["Leeds"] == found["Wimbledon"] == found["Newcastle"] == "ORG"
    assert found["Japan"] == found["Syria"] == "LOC"


def test_reuters_facets_have_no_junk():
    docs = REUTERS / "docs"
    if not docs.is_dir():
        pytest.skip("Reuters-21578 corpus not present")
    seen: set[str] = set()
    for path in sorted(docs.glob("*.txt"))[:300]:
        lines = path.read_text(encoding="utf-8").splitlines()
        names = extract_names(lines[0] + "\n\n" + "\n".join(lines[1:]))
        seen |= _all(names)
    assert len(seen) > 800
    bad = {v for v in seen if v in FACET_JUNK or len(v) == 1 or v.isdigit() or "\n" in v or "<" in v}
    assert not bad
    assert "Connecticut" in seen and "CONN" not in seen and "Conn" not in seen
    assert "WASHINGTON" not in seen and "Washington" in seen


def test_full_names_named_again_and_initials_before_a_town_are_people():
    text = (
        "Pakistan bowled England out for 326 on Friday. Wasim Akram took three wickets and Waqar Younis two.\n"
        "J. Crawley was not out on 94 at the close. Wasim Akram said the pitch was slow, and Waqar Younis agreed.\n"
    )
    names = extract_names(text)
    assert names.people == ("Wasim Akram", "Waqar Younis", "J. Crawley")
    assert names.organizations == ()


def test_a_dateline_names_a_place_and_a_name_before_a_place_noun_is_a_place():
    text = (
        "BASEBALL - RESULTS\nNEW YORK 1996-08-22\nResults on Thursday :\nNew York 5 Houston 3\n"
        "A hijacked plane flew to London 's Stansted airport , and Stansted was closed .\n"
    )
    found = {(e.text, e.type) for e in find_entities(text)}
    assert {("NEW YORK", "LOC"), ("Stansted", "LOC")} <= found


def test_in_a_sports_report_a_town_named_without_in_or_at_is_its_club():
    text = (
        "SOCCER - DALGLISH LEAVES\nKenny Dalglish spoke of his sadness at leaving Blackburn , the club he led "
        "to the league title . Blackburn announced on Wednesday that the coach had gone .\n"
        "Blackburn drew 1-1 with Leeds in the season 's first match , and the striker scored a goal in "
        "Blackburn .\nALKHAN-YURT , Russia 1996-08-22\nFighting went on .\n"
    )
    found = [(e.text, e.type) for e in find_entities(text) if e.text in ("Blackburn", "Leeds", "ALKHAN-YURT")]
    assert found == [("Blackburn", "ORG")] * 3 + [("Leeds", "ORG"), ("Blackburn", "LOC"), ("ALKHAN-YURT", "LOC")]
    names = extract_names("Leeds and Blackburn councils met on Monday, and trade talks in Leeds went on.")
    assert (names.places, names.organizations) == (("Leeds", "Blackburn"), ())  # no sports report


def test_a_title_before_a_lone_name_makes_a_person_even_of_a_town_s_name():
    names = extract_names("Analysts said a clear-cut victory for President Bush in last week's election helped.")
    assert (names.people, names.places) == (("Bush",), ())
