"""The indexing fast path of our analyzers makes the very tokens of their filter chains."""

import pickle

import pytest
from helpers import SEEDS_DIR, corpus
from whoosh.analysis.analyzers import CompositeAnalyzer

from indexer.analysis import create_plain_analyzer, create_text_analyzer

EDGE_CASES = [
    "",
    "the of and",
    "The U.S. and the E.U. don't agree — WSIS+10, ITU's 2015 forum",
    "Zürich, São Paulo and ÉCOLE; naïve café",
    "Министерство связи и массовых коммуникаций Российской Федерации подписало ёлку",
    "and the internet and the internet",
    "ＡＢＣ ｆｕｌｌｗｉｄｔｈ ½ x² ﬁnance",
]


def texts():
    found = [*EDGE_CASES, *(path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt")))]
    reuters = corpus("reuters21578") / "docs"
    if reuters.is_dir():
        found += [path.read_text(encoding="utf-8") for path in sorted(reuters.iterdir())[:200]]
    return found


def chain(analyzer):
    """The same tokeniser and filters as a plain whoosh chain."""
    return CompositeAnalyzer(*analyzer.items)


@pytest.mark.parametrize("create", [create_text_analyzer, create_plain_analyzer])
@pytest.mark.parametrize("options", [{"positions": True, "boosts": True}, {"boosts": True}, {}])
def test_indexing_tokens_are_the_chains(create, options):
    analyzer = create()
    for text in texts():
        for _ in range(2):  # the second time from remembered terms
            fast = [(t.text, getattr(t, "pos", None), t.boost) for t in analyzer(text, mode="index", **options)]
            slow = [(t.text, getattr(t, "pos", None), t.boost) for t in chain(analyzer)(text, mode="index", **options)]
            assert fast == slow, text[:80]


def test_other_calls_run_the_chain():
    analyzer = create_text_analyzer()
    text = "The signing of the memorandum"
    kept = [(t.text, t.stopped, t.startchar) for t in analyzer(text, chars=True, removestops=False, mode="query")]
    assert kept == [(t.text, t.stopped, t.startchar) for t in chain(analyzer)(text, chars=True, removestops=False)]
    assert ("the", True, 0) in kept
    assert [t.text for t in analyzer("signing memoranda", no_morph=True)] == ["signing", "memoranda"]


def test_pickles_without_its_remembered_terms():
    analyzer = create_text_analyzer()
    list(analyzer("internet governance", mode="index", positions=True))
    assert analyzer._terms
    copy = pickle.loads(pickle.dumps(analyzer))
    assert copy == analyzer
    assert not copy._terms
    assert [t.text for t in copy("internet governance")] == ["internet", "govern"]
