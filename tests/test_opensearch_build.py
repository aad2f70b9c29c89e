"""Building an OpenSearch index: a new physical index behind an alias switched in one call,
rollback, a failed or killed build leaving the live index alone, updates by content hash
(needs a running cluster; skipped without one, required in CI)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest
from helpers import ROOT, write_files

import indexer
from indexer import SourceError

ARTICLE = "Title: {title}\nDate: 2020-05-0{day}\n\n{body}\n"


def articles(folder, **bodies):
    return write_files(
        folder,
        {
            f"{name}.txt": ARTICLE.format(title=f"{name} report", day=n + 1, body=body)
            for n, (name, body) in enumerate(bodies.items())
        },
    )


@pytest.fixture
def server(opensearch_url, fresh_name):
    from indexer.opensearch import OpenSearchIndex

    return OpenSearchIndex(opensearch_url, fresh_name)


def found(server, query: str) -> set[str]:
    return {hit.id for hit in indexer.search(server, query).hits}


def test_a_rebuild_switches_the_alias_and_keeps_the_previous_build_for_rollback(server, tmp_path):
    from indexer.opensearch import build_index

    source = articles(tmp_path / "news", alpha="Copper mines reopened.", beta="Wheat harvest fell.")
    first = build_index(source, server.cluster).generation
    (source / "alpha.txt").write_text(ARTICLE.format(title="alpha report", day=1, body="Zinc smelters closed."))
    second = build_index(source, server.cluster).generation
    assert server.cluster.live_index() == second != first
    assert found(server, "zinc") == {"alpha.txt"} and found(server, "copper") == set()
    assert server.cluster.rollback() == first
    assert found(server, "copper") == {"alpha.txt"} and found(server, "zinc") == set()
    third = build_index(source, server.cluster).generation
    assert server.cluster.physical_indexes() == [first, third]  # the rolled-back-from build is gone


def test_a_failed_build_leaves_the_live_index_and_nothing_else(server, tmp_path):
    from indexer.opensearch import build_index

    source = articles(tmp_path / "news", alpha="Copper mines reopened.")
    live = build_index(source, server.cluster).generation
    empty = write_files(tmp_path / "binary", {"a.txt": b"\x00\x01\x02" * 100})
    with pytest.raises(SourceError):
        build_index(empty, server.cluster)
    assert server.cluster.live_index() == live
    assert server.cluster.physical_indexes() == [live]
    assert found(server, "copper") == {"alpha.txt"}


def test_a_killed_build_leaves_the_alias_on_the_old_index(server, tmp_path, opensearch_url, monkeypatch):
    from indexer.opensearch import build_index

    spools = tmp_path / "tmp"  # where the builds spool their documents
    spools.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spools))

    source = articles(tmp_path / "news", alpha="Copper mines reopened.")
    live = build_index(source, server.cluster).generation
    big = articles(tmp_path / "big", **{f"doc{n:04d}": f"Tin output rose {n} tonnes. " * 40 for n in range(3000)})
    script = (
        "import sys; from indexer.opensearch import Cluster, build_index; "
        "build_index(sys.argv[1], Cluster(sys.argv[2], sys.argv[3]), jobs=1)"
    )
    build = subprocess.Popen(
        [sys.executable, "-c", script, str(big), opensearch_url, server.alias],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(spools)},
    )
    try:
        deadline = time.monotonic() + 120
        while len(server.cluster.physical_indexes()) < 2 and time.monotonic() < deadline and build.poll() is None:
            time.sleep(0.2)
        time.sleep(1.0)  # documents are on their way
        assert build.poll() is None, "the build finished before it could be killed"
        os.kill(build.pid, signal.SIGKILL)
    finally:
        build.wait()
    assert server.cluster.live_index() == live
    assert found(server, "copper") == {"alpha.txt"} and found(server, "tin") == set()
    assert len(list(spools.iterdir())) == 1  # the killed build's spool, left behind
    # the next build publishes and clears away the half-built index and the spool
    rebuilt = build_index(source, server.cluster).generation
    assert server.cluster.physical_indexes() == [live, rebuilt]
    assert list(spools.iterdir()) == []


def test_only_the_spools_of_builds_whose_process_is_gone_are_removed(tmp_path):
    from indexer.opensearch.building import SPOOL_OWNER, SPOOL_PREFIX, remove_stale_spools

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], check=True, capture_output=True, text=True
    )
    owners = {"killed": gone.stdout.strip(), "running": str(os.getpid()), "unknown": None}
    for name, owner in owners.items():
        (tmp_path / f"{SPOOL_PREFIX}{name}").mkdir()
        if owner:
            (tmp_path / f"{SPOOL_PREFIX}{name}" / SPOOL_OWNER).write_text(owner)
    (tmp_path / "other").mkdir()

    assert remove_stale_spools(tmp_path) == [tmp_path / f"{SPOOL_PREFIX}killed"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other", f"{SPOOL_PREFIX}running", f"{SPOOL_PREFIX}unknown"]


def test_an_update_replaces_changed_files_drops_deleted_ones_and_skips_the_rest(server, tmp_path):
    from indexer.opensearch import build_index, update_index

    source = articles(tmp_path / "news", alpha="Copper mines reopened.", beta="Wheat harvest fell.", gamma="Gold.")
    live = build_index(source, server.cluster).generation
    (source / "alpha.txt").write_text(ARTICLE.format(title="alpha report", day=1, body="Zinc smelters closed."))
    (source / "beta.txt").unlink()
    (source / "delta.txt").write_text(ARTICLE.format(title="delta report", day=4, body="Nickel prices."))
    os.utime(source / "gamma.txt", ns=(1, 1))  # touched, same content: not read again
    report = update_index(source, server.cluster)
    assert (report.added, report.changed, report.removed, report.documents) == (1, 1, 1, 3)
    assert server.cluster.live_index() == live  # in place, by document id
    assert found(server, "zinc") == {"alpha.txt"} and found(server, "copper") == set()
    assert found(server, "wheat") == set() and found(server, "nickel") == {"delta.txt"}
    assert found(server, "gold") == {"gamma.txt"}
    again = update_index(source, server.cluster)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)


def test_an_unreachable_cluster_says_so_in_one_line(tmp_path):
    from indexer.opensearch import Cluster, ClusterError, build_index

    with pytest.raises(ClusterError, match=r"^OpenSearch at http://127.0.0.1:9 is unreachable \(\w+\)$"):
        build_index(articles(tmp_path / "news", alpha="Copper."), Cluster("http://127.0.0.1:9", "nothing"))
