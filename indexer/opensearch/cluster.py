"""The connection to an OpenSearch cluster, and the alias that names the live physical index.

A build writes a new physical index `NAME-YYYYmmddHHMMSSffffff` and then moves the alias `NAME`
(and `NAME-files`, the file list of that build) to it in one `_aliases` call: readers see the old
index or the new one, never a half-built one. The previous index is kept for `rollback`; older
ones are deleted.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass

DEFAULT_URL = "http://127.0.0.1:9200"
DEFAULT_INDEX_NAME = "seedsearch"


class ClusterError(Exception):
    """The cluster cannot be reached or refused a request; the message says which and why."""


def create_client(url: str):
    """An opensearch-py client for `url` (all of a cluster's nodes may be given, comma-separated):
    a request that fails on one node is retried on the next."""
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise ClusterError("the OpenSearch backend needs opensearch-py: pip install 'seedsearch[opensearch]'") from None
    hosts = [host.strip() for host in url.split(",") if host.strip()]
    return OpenSearch(hosts, timeout=30, max_retries=2, retry_on_timeout=True)


def transport_errors() -> tuple[type[Exception], ...]:
    from opensearchpy.exceptions import OpenSearchException

    return (OpenSearchException,)


@dataclass
class Cluster:
    """One cluster and one alias in it: where a seedsearch index lives."""

    url: str = DEFAULT_URL
    index_name: str = DEFAULT_INDEX_NAME

    def __post_init__(self):
        self.client = create_client(self.url)

    @property
    def files_alias(self) -> str:
        return f"{self.index_name}-files"

    def failure(self, error: Exception) -> ClusterError:
        """A client error as one line: the cluster is unreachable, or it refused the request (and why)."""
        from opensearchpy.exceptions import ConnectionError as Unreachable

        if isinstance(error, Unreachable):
            return ClusterError(f"OpenSearch at {self.url} is unreachable ({type(error).__name__})")
        reason = f"{getattr(error, 'error', '') or error}"[:300]
        return ClusterError(f"OpenSearch at {self.url} refused the request ({type(error).__name__}: {reason})")

    @contextlib.contextmanager
    def errors(self):
        """Within: any client error comes out as a one-line ClusterError."""
        try:
            yield
        except transport_errors() as error:
            raise self.failure(error) from None

    def check(self) -> dict:
        """The cluster's health; ClusterError in one line when it does not answer."""
        try:
            return self.client.cluster.health()
        except transport_errors() as error:
            raise self.failure(error) from None

    def live_index(self) -> str | None:
        """The physical index the alias points at, or None when there is none yet."""
        try:
            found = self.client.indices.get_alias(name=self.index_name)
        except transport_errors() as error:
            if getattr(error, "status_code", None) == 404:
                return None
            raise self.failure(error) from None
        return next(iter(found), None)

    def physical_indexes(self) -> list[str]:
        """This alias's physical indexes, oldest first (their names sort by creation time)."""
        found = self.client.indices.get(index=f"{self.index_name}-2*", expand_wildcards="open")
        return sorted(name for name in found if not name.endswith("-files"))

    def new_index_name(self) -> str:
        return f"{self.index_name}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"

    def publish(self, physical: str) -> None:
        """Point the alias (and its file list's alias) at `physical` in one call; keep the build
        that was live for `rollback`, delete older ones."""
        previous = self.live_index()
        self.switch(physical, previous)
        for old in self.physical_indexes():
            if old not in (physical, previous):
                self.delete(old)

    def rollback(self) -> str:
        """Make the build before the live one live again; returns its name."""
        with self.errors():
            live = self.live_index()
            older = [name for name in self.physical_indexes() if live is None or name < live]
            if not older:
                raise ClusterError(f"no earlier build of {self.index_name} to roll back to")
            self.switch(older[-1], live)
        return older[-1]

    def switch(self, physical: str, previous: str | None) -> None:
        """One `_aliases` call: both aliases leave `previous` and point at `physical`."""
        actions = [
            {"add": {"index": physical, "alias": self.index_name}},
            {"add": {"index": f"{physical}-files", "alias": self.files_alias}},
        ]
        if previous and previous != physical:
            actions += [
                {"remove": {"index": previous, "alias": self.index_name}},
                {"remove": {"index": f"{previous}-files", "alias": self.files_alias}},
            ]
        self.client.indices.update_aliases(body={"actions": actions})

    def delete(self, physical: str) -> None:
        self.client.indices.delete(index=f"{physical},{physical}-files", ignore_unavailable=True)

    def delete_all(self) -> None:
        """Every build of this index and its alias (for tests and benchmarks)."""
        for name in self.physical_indexes():
            self.delete(name)
