"""Shared fixtures: indexes built from the seed documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SEEDS_DIR

from indexer import build_index

pytest_plugins = ["web_fixtures", "opensearch_fixtures"]  # the web tests' corpus and app fixtures; a cluster


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index of the two seed documents, built once for the session (read-only in tests)."""
    index_dir = tmp_path_factory.mktemp("seed-index")
    build_index(SEEDS_DIR, index_dir, jobs=1)
    return index_dir
