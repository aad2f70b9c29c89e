"""store.new_generation: a generation is written aside and becomes live only when published."""

import contextlib

import pytest
from helpers import write_files

from indexer import build_index, search
from indexer.store import build_lock, current_generation, generations, new_generation, read_manifest


@pytest.fixture
def index_dir(tmp_path):
    source = write_files(
        tmp_path / "source",
        {"a.txt": "Alpha forum\n\nThe forum opened.", "b.txt": "Beta summit\n\nThe summit ended."},
    )
    build_index(source, tmp_path / "index", jobs=1)
    return tmp_path / "index"


def ids(index_dir):
    return sorted(hit.id for hit in search(index_dir, "", page_size=10).hits)


def test_a_published_generation_is_live_with_its_manifest(index_dir):
    live = current_generation(index_dir)
    with build_lock(index_dir), new_generation(index_dir, based_on=live) as generation:
        generation.delete_files(["a.txt"])
        published = generation.publish({"files": {}, "documents": 1})
    assert current_generation(index_dir) == published != live
    assert read_manifest(published)["documents"] == 1
    assert ids(index_dir) == ["b.txt"]
    assert not list(index_dir.glob(".building-*"))


@pytest.mark.parametrize("fails", [False, True])
def test_a_generation_not_published_leaves_no_trace(index_dir, fails):
    live, before = current_generation(index_dir), generations(index_dir)
    failing = pytest.raises(RuntimeError) if fails else contextlib.nullcontext()
    with failing, build_lock(index_dir), new_generation(index_dir, based_on=live) as generation:
        generation.delete_files(["a.txt", "b.txt"])
        if fails:
            raise RuntimeError("stopped midway")
    assert (current_generation(index_dir), generations(index_dir)) == (live, before)
    assert ids(index_dir) == ["a.txt", "b.txt"]
    assert not list(index_dir.glob(".building-*"))
