"""The OpenSearch backend's pure parts, without a cluster: parsed queries as query DSL, documents
as the JSON the index receives, and what a partial answer says."""

from __future__ import annotations

import datetime

from indexer.documents.files import Document
from indexer.opensearch.mapping import document_source, stored
from indexer.opensearch.querydsl import to_dsl
from indexer.opensearch.searching import PARTIAL_NOTICE, partial_notice
from indexer.searching.query import parse_query
from indexer.searching.vocabulary import FieldTerms, Vocabulary


class Words(Vocabulary):
    """A vocabulary of a few words in every field (what the parser expands patterns against)."""

    def __init__(self, words: dict[str, int]):
        super().__init__(reader=None)
        self.terms = FieldTerms.of(sorted(words), [words[word] for word in sorted(words)])

    def field(self, fieldname: str) -> FieldTerms:
        return self.terms

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return 0


VOCABULARY = Words({"signal": 3, "signed": 5, "signing": 2})


def dsl(text: str) -> dict:
    return to_dsl(parse_query(text, VOCABULARY).query)


def test_a_field_word_is_one_exact_term_of_our_analysis():
    assert dsl("title:Signing") == {"term": {"title": {"value": "sign", "boost": 1.0}}}


def test_a_phrase_keeps_adjacent_words_adjacent():
    # whoosh counts slop from 1 (side by side), Lucene from 0
    assert dsl('title:"signed memorandum"') == {
        "match_phrase": {"title": {"query": "sign memorandum", "slop": 0, "boost": 1.0}}
    }


def test_not_and_or_become_bool_clauses():
    query = dsl("title:oil AND NOT title:iran")
    assert query["bool"]["must"] == [{"term": {"title": {"value": "oil", "boost": 1.0}}}]
    assert query["bool"]["must_not"] == [{"term": {"title": {"value": "iran", "boost": 1.0}}}]
    either = dsl("title:oil OR title:gas")["bool"]
    assert either["minimum_should_match"] == 1 and len(either["should"]) == 2


def test_a_prefix_arrives_as_the_vocabulary_words_it_stands_for():
    words = {clause["term"]["title"]["value"] for clause in dsl("title:sign*")["bool"]["should"]}
    assert words == {"signal", "signed", "signing"}


def test_a_date_range_is_a_range_of_publication_days():
    assert dsl("date:[1987-03-01 TO 1987-03]") == {"range": {"date": {"gte": "1987-03-01", "lte": "1987-03-31"}}}


def test_a_document_carries_our_terms_its_facets_and_its_stored_fields():
    document = Document(
        id="a.txt", path="news/a.txt", title="Ministers signed", body="Treaties were signed in Zürich.",
        source="wire", date=datetime.date(2017, 3, 23), language="en", places=("Zürich",), countries=("Switzerland",),
    )  # fmt: skip
    source = document_source(document)
    assert source["title"] == "minist sign"
    assert source["body"] == "treati sign zurich"
    assert source["facets"]["place"] == ["Zürich"] and source["facets"]["folder"] == ["news"]
    assert source["facets"]["year"] == ["2017"] and source["date"] == "2017-03-23"
    assert stored(source).date == datetime.date(2017, 3, 23)
    assert stored(source).places == ("Zürich",)


def test_an_answer_missing_shards_says_its_counts_may_be_short():
    assert partial_notice({"_shards": {"total": 2, "successful": 1, "failed": 1}}) == PARTIAL_NOTICE
    assert partial_notice({"_shards": {"total": 2, "successful": 2, "failed": 0}, "timed_out": False}) is None
