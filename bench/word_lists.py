"""Regenerate the name extractor's word lists in indexer/documents/data/ from two maintained data packages.

Usage: python bench/word_lists.py   (needs `pip install .[data]`: gender-guesser, wordfreq and babel)

- given_names.txt: first names borne by at least a few hundred people in some country, from
  gender-guesser's nam_dict.txt (Jörg Michael's name dictionary, GNU FDL); rare_given_names.txt:
  the rest of its names, which open a full name but are too often surnames to stand alone.
- common_words.txt: English words frequent enough (Zipf >= 4.0) to be ordinary words rather than
  names when they stand capitalised in a run, from wordfreq (data CC BY-SA 4.0), less given
  names and demonyms.
- country_names_ru.txt: each country's ISO code and its Russian name, from the Unicode CLDR
  through babel (Unicode licence), so that Russian places roll up to their countries.
The extractor reads the files; it never imports either package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run without install

from indexer.documents import gazetteer as gz

DATA = Path(__file__).resolve().parents[1] / "indexer" / "documents" / "data"
MIN_NAME_FREQUENCY = 3  # nam_dict's scale: 1 = a handful of bearers, 13 = very common
RARE_NAME_FREQUENCY = 1  # rarer names still open a person's full name ("Waqar Younis"), never stand alone
MIN_ZIPF = 4.0
MAX_NAME_ZIPF = 5.0


def given_names(min_frequency: int = MIN_NAME_FREQUENCY) -> set[str]:
    """Folded first names of at least min_frequency in some country."""
    import gender_guesser

    path = os.path.join(os.path.dirname(gender_guesser.__file__), "data", "nam_dict.txt")
    names = set()
    with open(path, encoding="iso-8859-1") as lines:
        for line in lines:
            if line.startswith(("#", "=")):
                continue
            name = line[3:29].strip().replace("+", "-")
            frequency = max((int(c, 16) for c in line[30:85] if c in "0123456789ABCDEFabcdef"), default=0)
            if frequency >= min_frequency and (name.isalpha() or "-" in name):
                names.add(gz.fold(name))
    from wordfreq import zipf_frequency

    # "Go", "Will", "Man": words this common are no given name unless the hand list says so
    names = {n for n in names if zipf_frequency(n, "en") < MAX_NAME_ZIPF}
    return names | {gz.fold(w) for w in gz.FIRST_NAMES.split()}


def common_words(names: set[str]) -> set[str]:
    """Frequent English words that are no given name or nationality."""
    from wordfreq import get_frequency_dict

    demonyms = gz.demonyms()
    floor = 10 ** (MIN_ZIPF - 9)  # zipf = log10(frequency per billion words)
    return {
        w
        for w, f in get_frequency_dict("en").items()
        if f >= floor and w.isalpha() and w.isascii() and len(w) > 1 and w not in names and w not in demonyms
    }


def russian_country_names() -> set[str]:
    """ "RU\tРоссия" lines: CLDR's Russian name of each two-letter territory code."""
    from babel import Locale

    return {f"{code}\t{name}" for code, name in Locale("ru").territories.items() if len(code) == 2 and code.isalpha()}


def write(name: str, words: set[str], header: str) -> None:
    """One sorted word a line, under a comment naming the source."""
    text = "".join(f"# {line}\n" for line in header.splitlines()) + "".join(f"{w}\n" for w in sorted(words))
    (DATA / name).write_text(text, encoding="utf-8")
    print(f"{name}: {len(words)} words")


def main() -> int:
    DATA.mkdir(exist_ok=True)
    names = given_names()
    write(
        "given_names.txt", names, "Given names, folded. From gender-guesser's nam_dict.txt (c) Jörg Michael, GNU FDL."
    )
    write(
        "rare_given_names.txt",
        given_names(RARE_NAME_FREQUENCY) - names,
        "Rarer given names, folded: a person's first word, never a name alone. From gender-guesser's\n"
        "nam_dict.txt (c) Jörg Michael, GNU FDL.",
    )
    write(
        "common_words.txt", common_words(names), "Frequent English words, from wordfreq (c) Robyn Speer, CC BY-SA 4.0."
    )
    write(
        "country_names_ru.txt",
        russian_country_names(),
        "ISO country code and Russian name. From the Unicode CLDR through babel, Unicode licence.",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
