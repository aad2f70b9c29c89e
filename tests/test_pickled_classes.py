"""Whoosh pickles the schema (analyzers, postings formats, columns) and the codec into an index's
table of contents: moving one of those classes to another module makes older indexes unreadable,
so such a move comes with a SCHEMA_VERSION bump, and an older index asks to be rebuilt."""

import importlib
import re
import sys

import pytest
from helpers import write_files

from indexer import IndexVersionError, build_index, search
from indexer.schema import SCHEMA_VERSION
from indexer.store import current_generation, read_manifest, write_manifest

# The modules whose classes a fresh index's table of contents names, for each schema version.
# A test failing here means a pickled class moved: bump SCHEMA_VERSION and record the new set.
PICKLED_MODULES = {
    9: {"indexer.analysis", "indexer.storage.codec", "indexer.storage.columns", "indexer.storage.formats"},
    10: {
        "indexer.analysis",
        "indexer.storage.codec",
        "indexer.storage.columns",
        "indexer.storage.formats",
    },  # + first_page
    11: {"indexer.analysis", "indexer.storage.codec", "indexer.storage.columns", "indexer.storage.formats"},
}
# Schema 8 pickled the storage classes from the flat package, before storage/ had its own folder.
MOVED_AFTER_8 = {
    "indexer.storage.codec": "indexer.codec",
    "indexer.storage.columns": "indexer.columns",
    "indexer.storage.formats": "indexer.formats",
}


@pytest.fixture
def source(tmp_path):
    return write_files(
        tmp_path / "source",
        {"a.txt": "Alpha forum opens\n\nMarch 3, 2016\n\nLONDON, March 3 - The forum opened in London.\n"},
    )


def pickled_modules(index_dir):
    """The indexer modules named in the live generation's table of contents."""
    (toc,) = current_generation(index_dir).glob("*.toc")
    return {name.decode() for name in re.findall(rb"indexer(?:\.\w+)+", toc.read_bytes())}


def test_the_classes_an_index_pickles_are_where_this_schema_version_says(source, tmp_path):
    build_index(source, tmp_path / "index", jobs=1)
    assert pickled_modules(tmp_path / "index") == PICKLED_MODULES[SCHEMA_VERSION]


def test_an_index_whose_classes_have_moved_asks_for_a_rebuild(source, tmp_path, monkeypatch):
    """An index that schema 8 wrote, its classes pickled from modules that no longer exist."""
    with monkeypatch.context() as patch:
        for new, old in MOVED_AFTER_8.items():
            module = importlib.import_module(new)
            patch.setitem(sys.modules, old, module)
            for value in vars(module).values():
                if isinstance(value, type) and value.__module__ == new:
                    patch.setattr(value, "__module__", old)
        build_index(source, tmp_path / "index", jobs=1)
    generation = current_generation(tmp_path / "index")
    write_manifest(generation, {**read_manifest(generation), "schema_version": 8})
    assert pickled_modules(tmp_path / "index") == {"indexer.analysis", *MOVED_AFTER_8.values()}

    with pytest.raises(IndexVersionError, match="built by another version .* rebuild it with `seedsearch index`"):
        search(tmp_path / "index", "forum")
