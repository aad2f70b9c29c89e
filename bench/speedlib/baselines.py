"""The baselines: naive whoosh (the documented recipe) and SQLite FTS5, built from the same records.

Each open_* gives a function Query -> total hits that makes one full results page: top 10,
facet counts, snippets.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.qparser import MultifieldParser

from speedlib.queries import FACET_SIZE, PAGE_SIZE, Query
from speedlib.records import FACETS, folder_mb, record_values

BASELINE_BOOSTS = {"title": 3.0, "names": 2.0, "body": 1.0}


def keyword_value(value: str) -> str:
    """A facet value as one KEYWORD(commas=True) token: its own commas would split it."""
    return value.replace(",", " ").strip()


def build_naive_whoosh(records: Sequence[dict], index_dir: Path) -> None:
    """The documented whoosh recipe: default analyzers and one plain writer, committed once."""
    stemming = StemmingAnalyzer()
    facet_fields = {name: KEYWORD(commas=True, sortable=True) for name in FACETS.values()}
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemming, stored=True),
        body=TEXT(analyzer=stemming, stored=True),
        names=TEXT(analyzer=stemming),
        date=DATETIME(sortable=True),
        **facet_fields,
    )
    index_dir.mkdir(parents=True)
    index = whoosh_index.create_in(str(index_dir), schema)
    writer = index.writer()
    for record in records:
        names = record["people"] + record["organizations"] + record["places"]
        facets = {
            name: ",".join(keyword_value(v) for v in record_values(record, name) if keyword_value(v))
            for name in FACETS.values()
        }
        date = {"date": record["date"]} if record["date"] else {}
        writer.add_document(
            id=record["id"], title=record["title"], body=record["body"], names="\n".join(names), **date, **facets
        )
    writer.commit()
    index.close()


def open_naive_whoosh(index_dir: Path) -> Callable[[Query], int]:
    """Per query: a new searcher, MultifieldParser with boosts, groupedby facets, highlights."""
    index = whoosh_index.open_dir(str(index_dir))
    parser = MultifieldParser(list(BASELINE_BOOSTS), index.schema, fieldboosts=BASELINE_BOOSTS)

    def page(query: Query) -> int:
        with index.searcher() as searcher:
            parsed = parser.parse(query.text) if query.words else wq.Every()
            terms = [wq.Term(FACETS[name], keyword_value(value)) for name, value in query.filters]
            options = {} if query.words else {"sortedby": sorting.FieldFacet("date", reverse=True)}
            results = searcher.search(
                parsed,
                limit=PAGE_SIZE,
                filter=wq.And(terms) if terms else None,
                groupedby={f: sorting.FieldFacet(f, allow_overlap=True) for f in FACETS.values()},
                **options,
            )
            facets = {  # noqa: F841 - computed as a page would, then dropped
                f: sorted(results.groups(f).items(), key=lambda item: (-len(item[1]), str(item[0])))[:FACET_SIZE]
                for f in FACETS.values()
            }
            hits = [  # noqa: F841
                (hit["id"], hit["title"], hit.highlights("body", top=2) or hit["body"][:200])
                for hit in results[:PAGE_SIZE]
            ]
            return len(results)

    return page


def build_fts5(records: Sequence[dict], db_path: Path) -> None:
    """One FTS5 table (title, names, body), facet values and dates in side tables, optimized."""
    db = sqlite3.connect(db_path)
    with db:
        db.executescript(
            """
            CREATE VIRTUAL TABLE docs USING fts5(title, names, body, docid UNINDEXED, tokenize='porter unicode61');
            CREATE TABLE facets(doc INTEGER, field TEXT, value TEXT, PRIMARY KEY (doc, field, value)) WITHOUT ROWID;
            CREATE TABLE meta(doc INTEGER PRIMARY KEY, date TEXT);
            """
        )
        for rowid, record in enumerate(records, start=1):
            names = "\n".join(record["people"] + record["organizations"] + record["places"])
            db.execute(
                "INSERT INTO docs(rowid, title, names, body, docid) VALUES (?, ?, ?, ?, ?)",
                (rowid, record["title"], names, record["body"], record["id"]),
            )
            date = record["date"].isoformat() if record["date"] else None
            db.execute("INSERT INTO meta(doc, date) VALUES (?, ?)", (rowid, date))
            db.executemany(
                "INSERT OR IGNORE INTO facets(doc, field, value) VALUES (?, ?, ?)",
                [(rowid, f, v) for f in FACETS.values() for v in record_values(record, f)],
            )
        db.executescript(
            """
            CREATE INDEX facets_by_value ON facets(field, value, doc);
            CREATE INDEX meta_by_date ON meta(date);
            INSERT INTO docs(docs) VALUES ('optimize');
            """
        )
    db.close()


def fts5_match(query: Query) -> str:
    """The FTS5 query: each word quoted (no operators), or the phrase."""
    if query.phrase:
        return '"' + " ".join(query.words) + '"'
    return " ".join(f'"{word}"' for word in query.words)


def open_fts5(db_path: Path) -> Callable[[Query], int]:
    """Count, top 10 by bm25, facet counts by GROUP BY over the matches, snippet() for the 10."""
    db = sqlite3.connect(db_path, check_same_thread=False)
    rank = f"bm25(docs, {', '.join(str(b) for b in BASELINE_BOOSTS.values())}, 0.0)"
    exists = " AND EXISTS (SELECT 1 FROM facets x WHERE x.doc = {doc} AND x.field = ? AND x.value = ?)"

    def page(query: Query) -> int:
        params = [p for name, value in query.filters for p in (FACETS[name], value)]
        if query.words:
            # CROSS JOIN keeps the match set as the outer loop: otherwise SQLite walks the facet
            # index and runs one MATCH per facet row (seconds per query).
            where = "docs MATCH ?" + exists.format(doc="docs.rowid") * len(query.filters)
            args = [fts5_match(query), *params]
            total = db.execute(f"SELECT count(*) FROM docs WHERE {where}", args).fetchone()[0]
            top = [
                r
                for (r,) in db.execute(
                    f"SELECT rowid FROM docs WHERE {where} ORDER BY {rank} LIMIT ?", [*args, PAGE_SIZE]
                )
            ]
            facet_sql = f"SELECT f.value, count(*) AS n FROM docs CROSS JOIN facets f ON f.doc = docs.rowid WHERE {where} AND f.field = ? GROUP BY f.value ORDER BY n DESC, f.value LIMIT ?"
            snippet_sql = "SELECT rowid, docid, title, snippet(docs, 2, '<mark>', '</mark>', '…', 32) FROM docs WHERE docs MATCH ? AND rowid IN ({})"
            snippet_args = [args[0]]
        else:
            where = "1" + exists.format(doc="m.doc") * len(query.filters)
            args = params
            total = db.execute(f"SELECT count(*) FROM meta m WHERE {where}", args).fetchone()[0]
            top = [
                r
                for (r,) in db.execute(
                    f"SELECT m.doc FROM meta m WHERE {where} ORDER BY m.date DESC LIMIT ?", [*args, PAGE_SIZE]
                )
            ]
            facet_sql = f"SELECT f.value, count(*) AS n FROM meta m JOIN facets f ON f.doc = m.doc WHERE {where} AND f.field = ? GROUP BY f.value ORDER BY n DESC, f.value LIMIT ?"
            snippet_sql = "SELECT rowid, docid, title, substr(body, 1, 200) FROM docs WHERE rowid IN ({})"
            snippet_args = []
        for facet_field in FACETS.values():
            db.execute(facet_sql, [*args, facet_field, FACET_SIZE]).fetchall()
        if top:
            db.execute(snippet_sql.format(", ".join("?" * len(top))), [*snippet_args, *top]).fetchall()
        return total

    return page


@dataclass
class Baselines:
    """Where the baselines were built, in how many seconds, and their size on disk."""

    naive_dir: Path
    fts5_path: Path
    naive_build_s: float
    fts5_build_s: float
    naive_mb: float
    fts5_mb: float


def build_baselines(records: Sequence[dict], work_dir: Path, say) -> Baselines:
    """Both baselines from the records, into work_dir, each build timed."""
    naive_dir, fts5_path = work_dir / "naive-whoosh", work_dir / "fts5.db"
    say(f"building naive whoosh from {len(records)} records")
    started = time.perf_counter()
    build_naive_whoosh(records, naive_dir)
    naive_s = time.perf_counter() - started
    say("building FTS5")
    started = time.perf_counter()
    build_fts5(records, fts5_path)
    fts5_s = time.perf_counter() - started
    return Baselines(naive_dir, fts5_path, naive_s, fts5_s, folder_mb(naive_dir), fts5_path.stat().st_size / 1048576)
