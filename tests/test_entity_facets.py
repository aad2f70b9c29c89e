"""What the person, org and place facets show over a corpus: no value judged wrong by hand in the top 50.

The corpora are read from ../shared/corpora (skipped when absent), a share of each so that the
test stays quick; bench/entities.py gives the same figures over whole corpora.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT))

from bench.entities import JUDGED_FACETS, extract_corpus, load_judged, variant_key
from indexer.documents import gazetteer as gz

TOP = 50


@pytest.fixture(scope="module", params=[("reuters21578", 3), ("bbc", 2)], ids=["reuters", "bbc"])
def facet_tops(request) -> dict[str, list[str]]:
    """The 50 most frequent values of each facet over every n-th document of a corpus."""
    name, stride = request.param
    docs = CORPORA / name / "docs"
    if not docs.is_dir():
        pytest.skip(f"{name} corpus not present")
    records = extract_corpus(docs, None, 2, stride=stride)
    return {f: [v for v, _ in Counter(v for r in records for v in r[f]).most_common(TOP)] for f in JUDGED_FACETS}


# Judged wrong and still shown: a band whose name looks like a person's ("Franz Ferdinand").
STILL_WRONG = {("person", "Franz Ferdinand")}


def test_no_value_judged_wrong_reappears(facet_tops):
    judged = load_judged()
    assert judged, "bench/data/judged_entities.tsv is missing"
    wrong = {f: [v for v in values if judged.get((f, v)) == "wrong"] for f, values in facet_tops.items()}
    assert {f: [v for v in values if (f, v) not in STILL_WRONG] for f, values in wrong.items()} == {
        f: [] for f in facet_tops
    }
    assert all(len(values) <= TOP - 48 for values in wrong.values())  # at least 48 of 50 right


def test_no_stray_letters_or_case_variants(facet_tops):
    for values in facet_tops.values():
        short = [v for v in values if sum(c.isalnum() for c in v) <= 2 and gz.fold(v) not in gz.KNOWN_ORGS]
        assert short == []
        keys = Counter(variant_key(v) for v in values)
        assert [v for v in values if keys[variant_key(v)] > 1] == []
