"""Entity report: what the facets show over a whole corpus, judged and checked against labels.

Usage: python bench/entities.py CORPUS_DIR [--json] [--limit N] [--jobs N] [--top N] [--lang en]

CORPUS_DIR holds docs/ (any folder seedsearch indexes) and, for Reuters-21578, truth.jsonl with
Reuters' own people, orgs and places labels. Every document goes through the indexer's own
reading and extraction (no index is built), on all cores. Printed per facet: the most frequent
values with their document counts and verdicts from bench/data/judged_entities.tsv (+ right,
- wrong, ? not judged yet), the judged precision, values of one or two letters, values that
differ only in case or punctuation, and the mentions merged into another value. Then label
recall by type (from truth.jsonl), language accuracy and dated/undated counts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run without install

from indexer.documents.extract import extract_document
from indexer.documents.files import read_file, walk_files
from indexer.documents.gazetteer import fold
from indexer.documents.names import extract_names
from indexer.searching.collection import NAME_FACETS, merge_across_collection, variant_key

JUDGED = Path(__file__).resolve().parent / "data" / "judged_entities.tsv"
FACETS = ("person", "org", "place", "country")
JUDGED_FACETS = ("person", "org", "place")
# Reuters' codes of well-known organisations -> the names and acronyms that stand for them.
ORG_LABELS = {
    "ec": {"ec", "eec", "european community", "european communities", "european economic community"},
    "imf": {"imf", "international monetary fund"},
    "opec": {"opec", "organization of petroleum exporting countries"},
    "gatt": {"gatt", "general agreement on tariffs and trade"},
    "oecd": {
        "oecd",
        "organisation for economic cooperation and development",
        "organization for economic cooperation and development",
    },
    "worldbank": {"world bank"},
}
# Reuters place codes whose words are not the place's name.
PLACE_ALIASES = {
    "usa": {"united states", "usa", "u.s."},
    "uk": {"united kingdom", "britain", "uk", "england", "scotland", "wales"},
    "ussr": {"soviet union", "ussr", "russia"},
    "uae": {"united arab emirates", "uae"},
    "west-germany": {"west germany", "germany"},
    "east-germany": {"east germany", "germany"},
    "south-korea": {"south korea", "korea"},
    "north-korea": {"north korea"},
    "hong-kong": {"hong kong"},
    "taiwan": {"taiwan"},
    "ivory-coast": {"ivory coast", "cote d'ivoire", "cote divoire"},
    "burma": {"burma", "myanmar"},
    "zaire": {"zaire", "democratic republic of the congo", "congo"},
}
_PUNCT = re.compile(r"[\W_]+")


def read_one(args: tuple[Path, Path]) -> list[dict]:
    """One file's documents as compact records of what the facets and report need."""
    path, root = args
    source = read_file(path, root)
    records = []
    for text in source.texts:
        doc = extract_document(text)
        names = extract_names(f"{doc.title}\n\n{doc.body}")
        records.append(
            {
                "id": doc.id,
                "person": doc.people,
                "org": doc.organizations,
                "place": doc.places,
                "country": doc.countries,
                "lang": doc.language,
                "date": doc.date.isoformat() if doc.date else None,
                "merged": names.merged,
                "words": len(doc.body.split()),
            }
        )
    return records


def extract_corpus(docs_dir: Path, limit: int | None, jobs: int, stride: int = 1) -> list[dict]:
    """Records of every (stride-th) document under docs_dir, in file order, extracted on `jobs` processes,
    their names merged across them."""
    paths = list(walk_files(docs_dir))[:limit:stride]
    work = [(p, docs_dir) for p in paths]
    if jobs == 1:
        records = [r for item in work for r in read_one(item)]
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            records = [r for rs in pool.imap(read_one, work, chunksize=32) for r in rs]
    return merge_records(records)


def merge_records(records: list[dict]) -> list[dict]:
    """The records with their person and org values merged across the corpus, as an index shows them."""
    merged = merge_across_collection({f: [tuple(r[f]) for r in records] for f in NAME_FACETS})
    for f, values in merged.items():
        for r, v in zip(records, values):
            r[f] = list(v)
    return records


def load_judged(path: Path = JUDGED) -> dict[tuple[str, str], str]:
    """(facet, value) -> "ok" or "wrong", from the hand-judged list (tab-separated)."""
    judged = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                value, facet, verdict = line.split("\t")[:3]
                judged[facet, value] = verdict
    return judged


def facet_report(records: list[dict], facet: str, top: int, judged: dict) -> dict:
    """The top values of one facet, their verdicts, and the checks that need no judge."""
    counts = Counter(v for r in records for v in r[facet])
    ranked = counts.most_common(top)
    verdicts = [judged.get((facet, v), "?") for v, _ in ranked]
    keys = defaultdict(list)
    for value in counts:
        keys[variant_key(value)].append(value)
    variants = sorted((vs for vs in keys.values() if len(vs) > 1), key=lambda vs: -sum(counts[v] for v in vs))
    shown = {v for v, _ in ranked}
    return {
        "top": [[v, n, verdict] for (v, n), verdict in zip(ranked, verdicts)],
        "right": verdicts.count("ok"),
        "wrong": [v for (v, _), verdict in zip(ranked, verdicts) if verdict == "wrong"],
        "unjudged": [v for (v, _), verdict in zip(ranked, verdicts) if verdict == "?"],
        "distinct": len(counts),
        "short": [v for v in shown if len(_PUNCT.sub("", v)) <= 2],
        "variants_in_top": [vs for vs in variants if shown & set(vs)],
        "variant_groups": len(variants),
    }


def person_label_words(code: str) -> set[str]:
    """The word a name must contain for a Reuters people code: its last ("james-baker" -> baker)."""
    return {code.split("-")[-1]}


def label_recall(records: list[dict], truth: dict[str, dict]) -> dict:
    """People, organisations and places of Reuters' labels found in the right facet of their articles."""
    people = {"articles": 0, "found": 0, "mistyped": 0}
    mistyped: Counter[str] = Counter()
    orgs = {code: {"articles": 0, "found": 0, "values": Counter()} for code in ORG_LABELS}
    places = {"articles": 0, "found": 0}
    missed_places: Counter[str] = Counter()
    for r in records:
        labels = truth.get(Path(r["id"]).name)
        if labels is None:
            continue
        words = {f: [set(_PUNCT.sub(" ", fold(v)).split()) for v in r[f]] for f in ("person", "org", "place")}
        for code in labels["people"]:
            need = person_label_words(code)
            people["articles"] += 1
            if any(need & w for w in words["person"]):
                people["found"] += 1
            elif any(need & w for w in words["org"] + words["place"]):
                people["mistyped"] += 1
                mistyped[code] += 1
        for code in labels["orgs"]:
            if code in orgs:
                hits = [v for v in r["org"] if fold(v) in ORG_LABELS[code]]
                orgs[code]["articles"] += 1
                orgs[code]["found"] += bool(hits)
                orgs[code]["values"].update(hits)
        shown = {fold(v) for v in r["place"] + r["country"]}
        for code in labels["places"]:
            places["articles"] += 1
            if shown & PLACE_ALIASES.get(code, {code.replace("-", " ")}):
                places["found"] += 1
            else:
                missed_places[code] += 1
    share = lambda n, d: round(n / d, 4) if d else None
    return {
        "people": {
            **people,
            "recall": share(people["found"], people["articles"]),
            "mistyped_share": share(people["mistyped"], people["articles"]),
            "mistyped_labels": dict(mistyped.most_common(10)),
        },
        "orgs": {
            code: {
                "articles": o["articles"],
                "recall": share(o["found"], o["articles"]),
                "values": dict(o["values"].most_common()),
            }
            for code, o in orgs.items()
        },
        "places": {
            **places,
            "recall": share(places["found"], places["articles"]),
            "missed": dict(missed_places.most_common(10)),
        },
    }


def load_truth(corpus_dir: Path) -> dict[str, dict] | None:
    """Reuters' labels and dates by file name, when the corpus has a truth.jsonl."""
    path = corpus_dir / "truth.jsonl"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8") as lines:
        return {row["file"]: row for row in map(json.loads, lines) if row}


def dates_report(records: list[dict], truth: dict | None) -> dict:
    """Documents with and without a publication date, and how many dates match the truth's day."""
    dated = [r for r in records if r["date"]]
    out = {"dated": len(dated), "undated": len(records) - len(dated)}
    if truth:
        day = lambda row: datetime.datetime.fromisoformat(row["date"]).date().isoformat()
        out["right"] = sum(
            1 for r in dated if Path(r["id"]).name in truth and r["date"] == day(truth[Path(r["id"]).name])
        )
    return out


def report(corpus_dir: Path, limit: int | None, jobs: int, top: int, lang: str) -> dict:
    """The whole report as one dict."""
    docs_dir = corpus_dir / "docs" if (corpus_dir / "docs").is_dir() else corpus_dir
    start = time.perf_counter()
    records = extract_corpus(docs_dir, limit, jobs)
    seconds = time.perf_counter() - start
    judged = load_judged()
    truth = load_truth(corpus_dir)
    facets = {f: facet_report(records, f, top, judged) for f in FACETS}
    langs = Counter(r["lang"] or "none" for r in records)
    merged = Counter(tuple(pair) for r in records for pair in r["merged"])
    out = {
        "corpus": str(corpus_dir),
        "documents": len(records),
        "seconds": round(seconds, 1),
        "facets": facets,
        "merges": {"mentions": sum(merged.values()), "top": [[a, b, n] for (a, b), n in merged.most_common(15)]},
        "language": {
            "expected": lang,
            "accuracy": round(langs[lang] / max(len(records), 1), 4),
            "values": dict(langs.most_common()),
        },
        "dates": dates_report(records, truth),
    }
    if truth:
        out["labels"] = label_recall(records, truth)
    shown = [facets[f] for f in JUDGED_FACETS]
    out["headline"] = {
        "judged_right": {f: facets[f]["right"] for f in JUDGED_FACETS},
        "min_right": min(f["right"] for f in shown),
        "unjudged": sum(len(f["unjudged"]) for f in shown),
        "language_accuracy": out["language"]["accuracy"],
        "dated": out["dates"]["dated"],
    }
    return out


def print_report(out: dict, top: int) -> None:
    """The report as text, headline last."""
    print(f"{out['corpus']}: {out['documents']} documents extracted in {out['seconds']} s")
    for facet, f in out["facets"].items():
        print(
            f"\n== {facet}: {f['distinct']} values; top {top}: {f['right']} judged right, "
            f"{len(f['wrong'])} wrong, {len(f['unjudged'])} not judged"
        )
        for rank, (value, count, verdict) in enumerate(f["top"], 1):
            mark = {"ok": "+", "wrong": "-"}.get(verdict, "?")
            print(f"  {rank:3} {mark} {count:6}  {value}")
        if f["short"]:
            print(f"  one or two letters: {', '.join(f['short'])}")
        for group in f["variants_in_top"]:
            print(f"  same but for case/punctuation: {' | '.join(group)}")
        print(f"  variant groups over all values: {f['variant_groups']}")
    print(f"\n== merges: {out['merges']['mentions']} mentions shown under another form")
    for mention, value, n in out["merges"]["top"]:
        print(f"  {n:6}  {mention} -> {value}")
    labels = out.get("labels")
    if labels:
        p = labels["people"]
        print(
            f"\n== Reuters labels\n  people: {p['found']}/{p['articles']} found under person ({p['recall']}), "
            f"{p['mistyped']} as org/place ({p['mistyped_share']}): {p['mistyped_labels']}"
        )
        for code, o in labels["orgs"].items():
            print(f"  org {code:10} recall {o['recall']} of {o['articles']}, values {o['values']}")
        pl = labels["places"]
        print(
            f"  places: {pl['found']}/{pl['articles']} under place or country ({pl['recall']}); missed {pl['missed']}"
        )
    lang = out["language"]
    print(f"\n== language: {lang['accuracy']:.4f} {lang['expected']}; {lang['values']}")
    print(f"== dates: {out['dates']}")
    h = out["headline"]
    print(
        f"\nheadline: judged right in top {top} {h['judged_right']} (min {h['min_right']}, {h['unjudged']} unjudged), "
        f"language {h['language_accuracy']:.4f}, dated {h['dated']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus_dir", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object, headline last")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--top", type=int, default=50, help="values shown per facet")
    parser.add_argument("--lang", default="en", help="the corpus's language, for the accuracy figure")
    args = parser.parse_args(argv)
    if not args.corpus_dir.is_dir():
        parser.error(f"{args.corpus_dir} is not a folder")
    out = report(args.corpus_dir, args.limit, args.jobs, args.top, args.lang)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print_report(out, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
