"""OpenSearch as a second backend: the same documents, queries, facets and snippets, served by a cluster.

Needs the optional dependency opensearch-py (`pip install 'seedsearch[opensearch]'`).
"""

from .building import build_index, update_index
from .cluster import DEFAULT_INDEX_NAME, DEFAULT_URL, Cluster, ClusterError
from .searching import OpenSearchIndex

__all__ = [
    "DEFAULT_INDEX_NAME",
    "DEFAULT_URL",
    "Cluster",
    "ClusterError",
    "OpenSearchIndex",
    "build_index",
    "update_index",
]
