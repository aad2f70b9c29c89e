"""Fixtures for the OpenSearch backend: a running cluster (skip when there is none, unless CI
requires one), and the same folders indexed by both backends."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from helpers import SEEDS_DIR, corpus

import indexer

# `scripts/opensearch-cluster start` serves these; CI sets SEEDSEARCH_OPENSEARCH=required.
URL = os.environ.get("SEARCH_OPENSEARCH_URL", "http://127.0.0.1:9200,http://127.0.0.1:9201")
REQUIRED = os.environ.get("SEEDSEARCH_OPENSEARCH") == "required"
REUTERS_SAMPLE = 250  # every 30th article: a spread of dates, places and people


@pytest.fixture(scope="session")
def opensearch_url() -> str:
    """The test cluster's URL; the test is skipped when no cluster answers (failed in CI)."""
    opensearch = pytest.importorskip("indexer.opensearch")
    try:
        opensearch.Cluster(URL, "probe").check()
    except opensearch.ClusterError as error:
        if REQUIRED:
            pytest.fail(f"SEEDSEARCH_OPENSEARCH=required but {error}")
        pytest.skip(f"no OpenSearch cluster: {error} (scripts/opensearch-cluster start)")
    return URL


@pytest.fixture
def fresh_name(opensearch_url):
    """A new index name in the test cluster, deleted after the test."""
    from indexer.opensearch import Cluster

    name = f"test-{uuid.uuid4().hex[:10]}"
    yield name
    Cluster(opensearch_url, name).delete_all()


def both_backends(source: Path, opensearch_url: str, tmp_dir: Path, name: str):
    """`source` indexed by whoosh (a folder) and by OpenSearch (an OpenSearchIndex)."""
    from indexer.opensearch import OpenSearchIndex, build_index

    index_dir = tmp_dir / "whoosh"
    indexer.build_index(source, index_dir, jobs=1)
    server = OpenSearchIndex(opensearch_url, name)
    build_index(source, server.cluster, jobs=1)
    return index_dir, server


@pytest.fixture(scope="session")
def reuters_sample(tmp_path_factory) -> Path:
    """A few hundred Reuters articles, copied (the corpus is read-only)."""
    docs = corpus("reuters21578") / "docs"
    folder = tmp_path_factory.mktemp("reuters-sample")
    for path in sorted(docs.iterdir())[::30][:REUTERS_SAMPLE]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="session", params=["seeds", "reuters"])
def twin_indexes(request, opensearch_url, tmp_path_factory):
    """(whoosh index folder, OpenSearchIndex) of the seeds, then of the Reuters sample."""
    from indexer.opensearch import Cluster

    source = SEEDS_DIR if request.param == "seeds" else request.getfixturevalue("reuters_sample")
    name = f"test-twins-{request.param}-{uuid.uuid4().hex[:6]}"
    yield both_backends(source, opensearch_url, tmp_path_factory.mktemp(f"twins-{request.param}"), name)
    Cluster(opensearch_url, name).delete_all()
