"""A small inline corpus for the web tests: real files, including hostile ones, indexed for real."""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from indexer import build_index
from webapp import create_app

# Payloads that would run script if any layer failed to escape them; several set window.__xss.
SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=2;alert(2)">'
JS_LINK = '<a href="javascript:window.__xss=3;alert(3)">click me</a>'
JS_URL = "javascript:window.__xss=4;alert(4)"

PLACES = ["Moscow", "Paris", "London", "Berlin"]
TOPICS = ["pipeline", "election", "harvest", "railway", "satellite", "vaccine", "festival"]


def article(number: int) -> str:
    """A plain-text news story: title line, date line, body naming people, organisations, places."""
    place = PLACES[number % len(PLACES)]
    topic = TOPICS[number % len(TOPICS)]
    year = 2014 + number % 4
    return (
        f"{place} {topic} talks enter round {number}\n"
        f"March {number % 27 + 1}, {year}\n\n"
        f"Officials met in {place} on Tuesday to discuss the {topic} and internet governance. "
        f"Minister Vladimir Petrov said the United Nations would review the {topic} plan.\n\n"
        f"Later, delegates from the World Bank travelled from {place} to Geneva for the second round "
        f"of {topic} negotiations, which Angela Weber described as constructive.\n"
    )


HOSTILE_TXT = (
    f"Hostile {SCRIPT} headline {IMG} about governance\n"
    "April 2, 2016\n\n"
    f"The body mentions governance and {SCRIPT} and {IMG} and {JS_LINK} in Moscow.\n\n"
    f"A second paragraph with {JS_URL} and <b onclick=alert(5)>bold</b> governance text.\n"
)

RUSSIAN_TXT = (
    "Министр провёл переговоры в Москве\n"
    "22 июля 2008 г.\n\n"
    "Министр цифрового развития провёл переговоры о развитии интернета. "
    "Министерство сообщило, что соглашение будет подписано осенью.\n"
)


def jsonl_records() -> list[dict]:
    return [
        {
            "title": f"Trusted link story {SCRIPT}",
            "text": "A story with an original address on the web about governance in Paris.",
            "date": "2016-05-01",
            "source": "example.org",
            "url": "https://example.org/story?id=1&x=<y>",
        },
        {
            "title": "Javascript link story",
            "text": "A story whose address is a script URL, about governance in Berlin.",
            "date": "2016-05-02",
            "source": f"evil {SCRIPT} source",
            "url": JS_URL,
        },
        {
            "title": '=HYPERLINK("http://evil.example") formula story',
            "text": "A story whose title a spreadsheet would run as a formula.",
            "date": "2016-05-03",
            "source": "@formula.example",
        },
    ]


def write_corpus(folder: Path, articles: int = 14) -> Path:
    """Write the corpus: `articles` stories, hostile ones, a Russian one, a JSON lines file."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, articles + 1):
        sub = folder / ("world" if number % 2 else "europe")
        sub.mkdir(exist_ok=True)
        (sub / f"story-{number:02d}.txt").write_text(article(number), encoding="utf-8")
    (folder / "hostile.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (folder / "ru.txt").write_text(RUSSIAN_TXT, encoding="utf-8")
    lines = "\n".join(json.dumps(record, ensure_ascii=False) for record in jsonl_records())
    (folder / "feed.jsonl").write_text(lines + "\n", encoding="utf-8")
    return folder


def build_corpus_index(tmp: Path, articles: int = 14) -> tuple[Path, Path]:
    """(source_dir, index_dir) of a freshly written and indexed corpus below tmp."""
    source_dir = write_corpus(tmp / "corpus", articles)
    index_dir = tmp / "index"
    build_index(source_dir, index_dir, jobs=1)
    return source_dir, index_dir


# A two-article corpus small enough to assert whole JSON structures against.
TINY_RECORDS = [
    {
        "title": "Harbour reopens in Riga",
        "text": "The harbour of Riga reopened on Monday after repairs, the port authority said.",
        "date": "2015-06-01",
        "source": "baltic.example",
        "url": "https://baltic.example/riga",
    },
    {
        "title": "Storm closes Tallinn harbour",
        "text": "A storm closed the harbour of Tallinn on Friday.",
        "date": "2016-02-03",
        "source": "news.example",
    },
]


def build_tiny_index(tmp: Path) -> tuple[Path, Path]:
    source_dir = tmp / "tiny"
    source_dir.mkdir(parents=True, exist_ok=True)
    lines = "\n".join(json.dumps(record) for record in TINY_RECORDS)
    (source_dir / "news.jsonl").write_text(lines + "\n", encoding="utf-8")
    index_dir = tmp / "tiny-index"
    build_index(source_dir, index_dir, jobs=1)
    return source_dir, index_dir


@pytest.fixture(scope="session")
def corpus_dirs(tmp_path_factory) -> tuple[Path, Path]:
    """(source_dir, index_dir) of the inline corpus, built once (read-only in tests)."""
    return build_corpus_index(tmp_path_factory.mktemp("web-corpus"))


@pytest.fixture(scope="session")
def corpus_app(corpus_dirs):
    source_dir, index_dir = corpus_dirs
    return create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(index_dir), "SEARCH_SOURCE_DIR": str(source_dir)})


@pytest.fixture
def client(corpus_app):
    return corpus_app.test_client()


@pytest.fixture(scope="session")
def tiny_app(tmp_path_factory):
    source_dir, index_dir = build_tiny_index(tmp_path_factory.mktemp("web-tiny"))
    return create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(index_dir), "SEARCH_SOURCE_DIR": str(source_dir)})


@pytest.fixture
def tiny_client(tiny_app):
    return tiny_app.test_client()


@contextlib.contextmanager
def serving(app):
    """The app on a real threaded server on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextlib.contextmanager
def serving_folder(docs: Path, index_dir: Path):
    """`docs` indexed into `index_dir` and served by the standalone app; yields its base URL."""
    build_index(docs, index_dir, jobs=1)
    with serving(create_app({"SEARCH_INDEX_DIR": str(index_dir)})) as base_url:
        yield base_url
