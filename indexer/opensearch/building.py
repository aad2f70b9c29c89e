"""Build and update an OpenSearch index from a folder: build.py's steps, with a cluster's generations.

build.py finds what changed and hands each file's documents to a generation writer, on several
cores from worker processes; here is the cluster's (`ClusterStore`, `ServerGeneration`). Each
writer analyses its documents and spools their JSON to a temporary folder; publishing sends them
in bulk, once every document's names are known and merged across the index (names.py).

A full build writes a new physical index and publishes it by moving the alias; until then readers
keep the old one, and a build that fails or is killed leaves the alias where it was. An update
works on the live index by document id: changed files' documents are replaced in place, those of
deleted files dropped, and the index is refreshed once at the end, so readers see each
document's old or new version.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .. import build
from ..build import BuildReport
from ..documents.files import Document
from .cluster import Cluster, ClusterError, transport_errors
from .mapping import FILE_ENTRIES, FILES_BODY, MAPPING_VERSION, document_source, index_body, stored
from .names import as_document, collection_merges, read_merges, settle_merges, store_merges, with_merges

BULK_DOCUMENTS = 500
BULK_BYTES = 20 * 1024 * 1024
BULK_SECONDS = 300  # a bulk request on a busy machine: slow is not unreachable
SPOOL_PREFIX = "seedsearch-build-"
SPOOL_OWNER = "pid"  # the file in a spool folder naming the process that writes it


def build_index(source_dir: Path, cluster: Cluster, **options) -> BuildReport:
    """Index every file of source_dir into a new physical index and make it live (alias switch);
    the options of `indexer.build_index`."""
    with cluster.errors():
        return build.build_index(source_dir, ClusterStore(cluster), **options)


def update_index(source_dir: Path, cluster: Cluster, **options) -> BuildReport:
    """Re-index added and changed files (by content hash), drop deleted ones; a full build if none
    yet. The options of `indexer.update_index`."""
    with cluster.errors():
        return build.update_index(source_dir, ClusterStore(cluster), **options)


class ClusterStore:
    """An alias in a cluster as builds write it (`build.IndexStore`)."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.label = f"{cluster.url} (index {cluster.index_name})"
        self.known: dict = {}

    @contextlib.contextmanager
    def writing(self):
        self.cluster.check()  # an unreachable cluster says so before any file is read
        yield

    def live(self) -> tuple[dict, str] | None:
        live = self.cluster.live_index()
        known = read_files(self.cluster, live) if live else None
        if known is None:
            return None
        self.known = known
        return known, live

    @contextlib.contextmanager
    def new_generation(self, based_on: str | None):
        generation = ServerGeneration(self.cluster, based_on, self.known if based_on else {})
        try:
            yield generation
        finally:
            generation.cancel()


class SpoolWriter:
    """Documents as OpenSearch JSON, a line each, in a spool file of their own (a worker's share, or
    the parent's); each one's names (as extracted) a line each beside them."""

    def __init__(self, folder: Path):
        self.path = folder / f"{uuid.uuid4().hex}.jsonl"
        self.files = None  # (documents, names), open from the first document to `finish`
        self.count = 0

    def add(self, documents: Iterable[Document]) -> None:
        for document in documents:
            if self.files is None:  # open across calls: `finish` closes them
                self.files = tuple(
                    open(path, "w", encoding="utf-8")  # noqa: SIM115
                    for path in (self.path, names_of(self.path))
                )
            source = document_source(document)
            self.files[0].write(json.dumps(source, ensure_ascii=False) + "\n")
            self.files[1].write(json.dumps(source["names"], ensure_ascii=False) + "\n")
            self.count += 1

    def finish(self) -> Path | None:
        """The spool, complete (None when no document was added)."""
        for file in self.files or ():
            file.close()
        self.files = None
        return self.path if self.count else None


def names_of(spool: Path) -> Path:
    return spool.with_suffix(".names")


def read_spools(spools: list[Path], names: bool = False) -> Iterator[dict]:
    """The documents (or only their names) of the spools, in order."""
    for spool in spools:
        with open(names_of(spool) if names else spool, encoding="utf-8") as lines:
            yield from map(json.loads, lines)


class ServerGeneration:
    """A new build being written (`backend.GenerationWriter`): a new physical index, or, `based_on`
    the live one, an update of it in place. Nothing reaches the cluster before `publish`."""

    def __init__(self, cluster: Cluster, based_on: str | None, known: dict):
        self.cluster, self.based_on, self.known = cluster, based_on, known
        remove_stale_spools(Path(tempfile.gettempdir()))
        self.folder = Path(tempfile.mkdtemp(prefix=SPOOL_PREFIX))
        (self.folder / SPOOL_OWNER).write_text(str(os.getpid()))
        self.own = SpoolWriter(self.folder)  # documents added in this process
        self.segments: list[Path] = []  # the worker processes' spools
        self.deleted: list[str] = []
        self.physical: str | None = None  # a new physical index, once created
        self.finished = False

    def add(self, documents: Iterable[Document]) -> None:
        self.own.add(documents)

    def share_writer(self, shares: int) -> Callable[[], SpoolWriter]:
        return functools.partial(SpoolWriter, self.folder)

    def delete_files(self, paths: Iterable[str]) -> None:
        self.deleted.extend(paths)

    def kept_signatures(self) -> dict:
        return {}  # a cluster's index does not group near-identical versions yet

    def group_versions(self, signatures: dict) -> None:
        pass

    def publish(self, manifest: dict) -> str:
        """Send everything and make it live: the alias moved to a new index, or the live one refreshed."""
        spools = [spool for spool in (self.own.finish(), *self.segments) if spool]
        about = {"built": manifest.get("built"), "source_dir": manifest.get("source_dir")}
        if self.based_on is None:
            published = self.write_new(spools, manifest["files"], about)
        else:
            published = self.update(spools, manifest["files"], about)
        self.finished = True
        return published

    def write_new(self, spools: list[Path], files: dict, about: dict) -> str:
        cluster, client = self.cluster, self.cluster.client
        physical = self.physical = cluster.new_index_name()
        body = index_body()
        body["settings"]["index"] |= {"number_of_replicas": 0, "refresh_interval": -1}  # replicas copy it whole later
        client.indices.create(index=physical, body=body)
        client.indices.create(index=f"{physical}-files", body=FILES_BODY)
        merges = collection_merges(list(read_spools(spools, names=True)))
        send(cluster, (index_action(physical, with_merges(source, merges)) for source in read_spools(spools)))
        send(cluster, file_actions(physical, files))
        store_merges(client, physical, merges, about)
        replicas = index_body()["settings"]["index"]["number_of_replicas"]
        client.indices.put_settings(
            index=physical, body={"index": {"number_of_replicas": replicas, "refresh_interval": None}}
        )
        client.indices.refresh(index=f"{physical},{physical}-files")
        wait_for_replicas(client, physical)
        cluster.publish(physical)
        return physical

    def update(self, spools: list[Path], files: dict, about: dict) -> str:
        """The live index's changed documents replaced by id; then the names merged again over all."""
        cluster, client, live = self.cluster, self.cluster.client, self.based_on
        client.indices.put_settings(index=live, body={"index": {"refresh_interval": -1}})
        try:
            merges, old_ids, sent_ids = read_merges(client, live), ids_of_files(cluster, live, self.deleted), set()
            send(cluster, (index_action(live, with_merges(source, merges), sent_ids) for source in read_spools(spools)))
            delete_ids(cluster, live, sorted(old_ids - sent_ids))
            changed = {rel: entry for rel, entry in files.items() if self.known.get(rel) != entry}
            send(cluster, file_actions(live, changed))
            for rel in set(self.known) - set(files):
                client.delete(index=f"{live}-files", id=rel, ignore=404)
            client.indices.refresh(index=live)  # what the merges are computed over
            settle_merges(client, live, lambda ids, merges: resend_merged(cluster, live, ids, merges), about)
        finally:
            client.indices.put_settings(index=live, body={"index": {"refresh_interval": None}})
            client.indices.refresh(index=f"{live},{live}-files")
        return live

    def cancel(self) -> None:
        """Drop the spools, and a new physical index unless it was published."""
        self.own.finish()
        shutil.rmtree(self.folder, ignore_errors=True)
        if not self.finished and self.physical:
            try:
                self.cluster.delete(self.physical)
            except transport_errors():
                pass  # a build left behind is never live, and the next publish deletes it
        self.finished = True


def remove_stale_spools(folder: Path) -> list[Path]:
    """Remove the spool folders of builds whose process is gone (a killed build cannot clean up
    after itself); those of running builds, and folders without an owner, are left. The removed."""
    removed = []
    for spool in folder.glob(f"{SPOOL_PREFIX}*"):
        try:
            owner = int((spool / SPOOL_OWNER).read_text())
        except (OSError, ValueError):
            continue
        if not process_exists(owner):
            shutil.rmtree(spool, ignore_errors=True)
            removed.append(spool)
    return removed


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's
    return True


def file_actions(physical: str, files: dict) -> Iterator[dict]:
    """Bulk actions writing the file list's entries (path -> manifest entry)."""
    for rel, entry in files.items():
        yield {"_index": f"{physical}-files", "_id": rel, "_source": {"path": rel, **entry}}


def index_action(physical: str, source: dict, sent_ids: set | None = None) -> dict:
    """The bulk action indexing `source`; its id is added to `sent_ids`."""
    if sent_ids is not None:
        sent_ids.add(source["id"])
    return {"_index": physical, "_id": source["id"], "_source": source}


def send(cluster, actions: Iterable[dict]) -> None:
    """Bulk requests for `actions`; the first document the cluster refuses stops the build."""
    from opensearchpy.helpers import streaming_bulk

    for ok, item in streaming_bulk(
        cluster.client,
        actions,
        chunk_size=BULK_DOCUMENTS,
        max_chunk_bytes=BULK_BYTES,
        raise_on_error=False,
        request_timeout=BULK_SECONDS,
    ):
        if not ok:
            raise ClusterError(f"OpenSearch refused a document: {item}")


def wait_for_replicas(client, physical: str, tries: int = 15) -> None:
    """Wait (20 s a try) until the replica is copied: a node lost later then costs no answers. The
    primary holds the whole index, so a slow copy delays, never stops, publishing. (The server
    answers each try within the client's own timeout, which a busy machine would otherwise meet.)"""
    for _ in range(tries):
        health = client.cluster.health(
            index=physical, wait_for_status="green", params={"timeout": "20s"}, request_timeout=60, ignore=408
        )
        if health["status"] == "green":
            return


def resend_merged(cluster, physical: str, ids: list[str], merges) -> None:
    """Documents sent again, whole (the index keeps no analysed text to update in place), with
    their names merged by `merges`: rebuilt from their stored fields."""
    from opensearchpy.helpers import scan

    query = {"query": {"ids": {"values": ids}}, "_source": ["stored", "names"]}

    def actions() -> Iterator[dict]:
        for hit in scan(cluster.client, index=physical, query=query):
            source = document_source(as_document(stored(hit["_source"])))
            source["names"] = hit["_source"]["names"]  # as extracted, not as stored and split again
            yield index_action(physical, with_merges(source, merges))

    send(cluster, actions())


def read_files(cluster: Cluster, physical: str) -> dict | None:
    """The live build's file list (path -> manifest entry), or None when it was built by another version."""
    from opensearchpy.helpers import scan

    meta = cluster.client.indices.get_mapping(index=physical)[physical]["mappings"].get("_meta", {})
    if meta.get("seedsearch_mapping") != MAPPING_VERSION:
        return None
    found = {}
    for hit in scan(cluster.client, index=f"{physical}-files", query={"query": FILE_ENTRIES}):
        entry = dict(hit["_source"])
        found[entry.pop("path")] = entry
    return found


def ids_of_files(cluster: Cluster, physical: str, files: list[str]) -> set[str]:
    """The ids of the documents of `files` (source paths) in the index."""
    from opensearchpy.helpers import scan

    if not files:
        return set()
    query = {"query": {"terms": {"file": files}}, "_source": False}
    return {hit["_id"] for hit in scan(cluster.client, index=physical, query=query)}


def delete_ids(cluster: Cluster, physical: str, ids: list[str]) -> None:
    from opensearchpy.helpers import bulk

    bulk(cluster.client, ({"_op_type": "delete", "_index": physical, "_id": doc_id} for doc_id in ids))
