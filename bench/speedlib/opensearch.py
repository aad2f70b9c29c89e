"""The OpenSearch backend timed beside ours: its build in a fresh process, and the cluster's memory.

Needs a running cluster (scripts/opensearch-cluster start). The build extracts with the same
workers as ours and sends the documents in bulk; its memory is the build process's peak RSS
(workers included), the cluster's the resident memory of each node's JVM after the queries.
The index size is the primaries' store (the replica doubles it on disk).
"""

from __future__ import annotations

import os
from pathlib import Path

from speedlib.builds import run_script

DEFAULT_URL = "http://127.0.0.1:9200,http://127.0.0.1:9201"
BUILD_SCRIPT = """
import json, resource, sys
from indexer import index_stats
from indexer.opensearch import OpenSearchIndex, build_index
source, url, name, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) or None
index = OpenSearchIndex(url, name)
report = build_index(source, index.cluster, jobs=jobs)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"docs": report.documents, "seconds": report.seconds,
                  "index_bytes": index_stats(index)["size_bytes"], "peak_rss_mb": max(own, children) / 1024}))
"""


def check_cluster(url: str) -> str | None:
    """Why the cluster at `url` cannot be used, or None when it answers."""
    from indexer import opensearch

    try:
        opensearch.Cluster(url, "probe").check()
    except opensearch.ClusterError as error:
        return f"{error}: start one with scripts/opensearch-cluster start"
    return None


def build_opensearch(source_dir: Path, url: str, name: str, jobs: int, timeout: float | None = None) -> dict:
    """One full OpenSearch build of `source_dir` into the alias `name`, in a fresh process."""
    args = (str(source_dir), url, name, str(jobs))
    return run_script(BUILD_SCRIPT, *args, timeout=timeout, what="the OpenSearch build")


def serve_options(url: str, name: str) -> tuple[str, ...]:
    """`seedsearch serve` options for the index `name` in the cluster."""
    return ("--backend", "opensearch", "--url", url, "--index-name", name)


def nodes_rss_mb(index) -> dict[str, float]:
    """Each node's JVM resident memory in MB (the nodes run on this machine)."""
    nodes = index.cluster.client.nodes.info(metric="process")["nodes"].values()
    return {node["name"]: rss_mb(node["process"]["id"]) for node in nodes}


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def bench_index_name() -> str:
    return f"bench-speed-{os.getpid()}"
