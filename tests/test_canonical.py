"""One value per entity: tables, legal forms, acronyms, surnames, wrapped lines, countries."""

from __future__ import annotations

from indexer.documents.canonical import company_name, value_of
from indexer.documents.names import extract_names


def test_well_known_organisations_take_one_name_whatever_the_text_calls_them():
    assert value_of("Opec", "ORG") == value_of("OPEC", "ORG") == ("OPEC", "ORG")
    assert value_of("Organization of Petroleum Exporting Countries", "ORG") == ("OPEC", "ORG")
    assert value_of("EEC", "ORG")[0] == value_of("EC", "ORG")[0] == "European Community"
    assert value_of("Fed", "ORG")[0] == value_of("Federal Reserve Board", "ORG")[0] == "Federal Reserve"
    assert value_of("USDA", "ORG")[0] == value_of("U.S. Agriculture Department", "ORG")[0]
    names = extract_names("The SEC said on Monday. The Securities and Exchange Commission also said it.")
    assert names.organizations == ("Securities and Exchange Commission",)


def test_legal_forms_case_typos_and_initials():
    assert company_name("Texaco Inc") == "Texaco"
    assert company_name("Merrill Lynch and Co Inc") == "Merrill Lynch"
    assert company_name("Co Inc") == ""
    assert company_name("Union Corp") == "Union Corp"  # the word alone names nothing
    assert value_of("Exchange COmmission", "ORG")[0] == "Exchange Commission"
    assert value_of("George W Bush", "PER")[0] == value_of("George W. Bush", "PER")[0] == "George W. Bush"
    names = extract_names("Texaco Inc said it would appeal. Texaco shares fell.")
    assert names.organizations == ("Texaco",)


def test_a_defined_acronym_and_a_lone_surname_join_their_full_names():
    text = (
        "The International Telecommunication Union (ITU) met Ronald Reagan. The ITU said Reagan agreed. "
        "Goldman, Sachs and Co and Moody's Investors Service Inc raised it; Moody's said so."
    )
    names = extract_names(text)
    assert names.people == ("Ronald Reagan",)
    assert names.organizations == (
        "International Telecommunication Union",
        "Goldman Sachs",
        "Moody's Investors Service",
    )


def test_names_are_not_cut_at_a_wrapped_line():
    text = (
        "GUARDIAN-MORTON SHULMAN AGREES TO TAKEOVER BID\n\n12-MAR-1987 09:41:05.36\nTORONTO, March 12 -\n"
        "<Guardian-Morton Shulman Precious\nMetals Inc> said Morton Shulman and Guardman Investment\n"
        "Management Services Inc agreed in principle for Andrew Sarlos\n"
        "to make a takeover bid for all special shares and series II\n"
        "warrants of Guardian-Morton, subject to regulatory approval and\ncompletion of definitive documentation.\n"
    )
    names = extract_names(text)
    assert "Guardian-Morton Shulman Precious Metals" in names.organizations
    assert "Guardman Investment Management Services" in names.organizations
    assert not {"Metals Inc", "Metals", "Guardian-Morton Shulman Precious"} & set(names.organizations)


def test_ordinary_words_contractions_and_stray_letters_are_no_names():
    text = "I'm sure the MPs will watch TV. The Third World debt and the Export Enhancement Program grew."
    names = extract_names(text)
    assert names.people == names.organizations == ()


def test_places_roll_up_to_their_countries():
    text = "TOKYO, March 3 -\nTrade talks in Texas and New York went well, Japanese officials said in Paris."
    names = extract_names(text)
    assert set(names.places) == {"Tokyo", "Texas", "New York", "Paris"}
    assert set(names.countries) == {"Japan", "United States", "France"}


def test_a_wrapped_line_of_capitalised_words_is_prose_not_a_heading():
    text = (
        "U.S. TREASURY ANNOUNCES OECD TIED-AID PACT\n\nWASHINGTON, March 17 -\n"
        "U.S. Treasury Secretary James Baker\nsaid an agreement has been reached by members of the\n"
        "Organization for Economic Cooperation and Development (OECD) to\n"
        "control the unfair trade practice of using tied aid to promote\ntrade.\n"
    )
    assert extract_names(text).organizations == ("OECD",)
    text = (
        'tensions of the world economy," the secretary general of the\n'
        "Organisation for Economic Cooperation and Development\n"
        "Jean-Claude Paye said in Paris, where the talks on farm trade and\n"
        "the dollar went on for the second day of the week.\n"
    )
    names = extract_names(text)
    assert (names.people, names.organizations) == (("Jean-Claude Paye",), ("OECD",))


def test_a_long_form_defining_a_known_acronym_takes_the_acronym_s_table_name():
    text = "Talks go on at the Organisation of Economic Cooperation and Development (OECD) next month."
    assert extract_names(text).organizations == ("OECD",)
