"""Word queries matched and scored from cached postings agree with whoosh's own matchers, to the document."""

import random

import pytest
from helpers import write_files
from web_fixtures import PLACES, TOPICS, article
from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.schema import create_schema, document_fields
from indexer.searching.query import parse_query, split_proximity
from indexer.searching.scoring import PostingScorer, in_order_within, term_tree
from indexer.searching.vocabulary import Vocabulary
from indexer.storage.codec import SeedsearchCodec
from indexer.workers import load_file

WORDS = [*(p.lower() for p in PLACES), *TOPICS, "talks", "round", "minister", "petrov", "bank", "geneva", "absent"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """A whoosh index of real extracted articles in three segments, one with deleted documents."""
    source = write_files(tmp_path_factory.mktemp("articles"), {f"a{n:02}.txt": article(n) for n in range(30)})
    documents = [doc for path in sorted(source.iterdir()) for doc in load_file(path, source).documents]
    index_dir = tmp_path_factory.mktemp("index")
    index = whoosh_index.create_in(str(index_dir), create_schema())
    for batch in (documents[:12], documents[12:22], documents[22:]):
        with index.writer(codec=SeedsearchCodec()) as writer:
            writer.mergetype = lambda writer, segments: segments  # keep every segment
            for document in batch:
                writer.add_document(**document_fields(document))
    with index.writer() as writer:
        writer.mergetype = lambda writer, segments: segments
        writer.delete_by_term("id", "a03.txt")
        writer.delete_by_term("id", "a15.txt")
    with index.searcher() as opened:
        assert len(opened.leaf_searchers()) == 3
        yield opened


def queries():
    rng = random.Random(5)
    texts = [" ".join(rng.sample(WORDS, rng.choice((1, 2, 3)))) for _ in range(40)]
    phrases = ['"minister petrov"', '"world bank"', '"talks round"', 'title:"vaccine talks"', '"world bank" geneva']
    return [
        *texts,
        *phrases,
        "vaccine~ talks",
        "title:vaccine round",
        "railway negotiations in geneva were constructive",
    ]


NEGATED = [
    "talks NOT geneva",
    "talks -geneva -bank",
    "minister -(petrov OR round)",
    'talks -"world bank"',
    "NOT geneva",
]


@pytest.mark.parametrize("any_word", [False, True])
def test_matches_and_scores_equal_whoosh(searcher, any_word):
    scorer = PostingScorer(searcher, frozenset(searcher.reader().all_doc_ids()))
    vocabulary = Vocabulary(searcher.reader())
    compared = 0
    for text in queries() + ([] if any_word else NEGATED):  # an any-word reading is never of a NOT
        query = parse_query(text, vocabulary, any_word=any_word).query
        base, _ = split_proximity(query)
        tree = term_tree(base)
        assert tree is not None, text
        matching = scorer.matching(tree)
        assert matching == set(searcher.docs_for_query(base)), text
        scores = scorer.scores(tree, matching)
        for hit in searcher.search(base, limit=None):
            assert scores[hit.docnum] == pytest.approx(hit.score, rel=1e-9), (text, hit.docnum)
            compared += 1
    assert compared > 200


@pytest.mark.parametrize("text", ["talks OR NOT geneva", "(talks -geneva) OR round", "date:[2015 TO 2016]"])
def test_other_queries_are_left_to_whoosh(searcher, text):
    assert term_tree(parse_query(text, Vocabulary(searcher.reader())).query) is None


@pytest.mark.parametrize("text", ["pipe*", "*ail*", "vaccine~2~2", "[rail TO raj]"])
def test_patterns_become_word_queries(searcher, text):
    tree = term_tree(parse_query(text, Vocabulary(searcher.reader())).query)
    assert tree is not None and tree.leaves, text


def proximity_queries(vocabulary):
    for text in ["minister petrov", "talks round", "world bank", "delegates world bank"]:
        yield text, split_proximity(parse_query(text, vocabulary).query)[1]  # sloppy phrases in title and body
    yield "boosted phrase", wq.Phrase("body", ["vladimir", "petrov"], slop=1, boost=3.0)
    yield "wider slop", wq.Phrase("body", ["deleg", "geneva"], slop=8)
    yield "any query", wq.Or([wq.Term("body", "round"), wq.Phrase("body", ["world", "bank"])])  # left to whoosh


def test_scores_at_candidates_equal_whoosh_scores(searcher):
    scorer = PostingScorer(searcher, frozenset(searcher.reader().all_doc_ids()))
    for text, proximity in proximity_queries(Vocabulary(searcher.reader())):
        everywhere = {hit.docnum: hit.score for hit in searcher.search(proximity, limit=None)}
        candidates = range(0, 30, 2)  # every other document, across all three segments
        expected = {doc: score for doc, score in everywhere.items() if doc in candidates}
        assert expected, text
        assert scorer.scores_at(proximity, candidates) == pytest.approx(expected), text


@pytest.mark.parametrize(
    ("slop", "positions", "expected"),
    [
        (3, [[1, 10], [4]], True),  # 4 is 3 after 1
        (2, [[1, 10], [4]], False),
        (3, [[5], [5]], False),  # the same position is not a following word
        (3, [[5], [3]], False),  # nor one before it
        (1, [[2, 7], [3, 8], [9]], True),  # 7, 8, 9: the chain need not start at the first position
        (1, [[2], [3], [5]], False),
    ],
)
def test_words_in_order_within_slop(slop, positions, expected):
    assert in_order_within(slop, positions) is expected
