"""Build and update an OpenSearch index from a folder, with the same extraction as the whoosh build.

Worker processes read, extract and analyse the files (`load_file`, then `document_source`); the
parent sends their documents to the cluster in bulk. A full build writes a new physical index
and publishes it by moving the alias; until then readers keep the old one, and a build that
fails or is killed leaves the alias where it was. An update works on the live index by document
id: changed files' documents are replaced in place, those of deleted files dropped, and the
index is refreshed once at the end, so readers see each document's old or new version.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..build import (
    BuildReport,
    SourceError,
    finish_report,
    list_source,
    manifest_entry,
    no_documents_message,
    still_current,
)
from ..documents.files import ReadOptions, relative_id
from ..workers import POOL_THRESHOLD, LoadedFile, load_file, worker_context
from .cluster import Cluster, ClusterError, transport_errors
from .mapping import FILE_ENTRIES, FILES_BODY, MAPPING_VERSION, document_source, index_body, stored
from .names import as_document, collection_merges, read_merges, settle_merges, store_merges, with_merges

BULK_DOCUMENTS = 500
BULK_BYTES = 20 * 1024 * 1024


def build_index(
    source_dir: Path,
    cluster: Cluster,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    follow_outside: bool = False,
    ocr: bool = True,
    ocr_progress: Callable[[], None] | None = None,
) -> BuildReport:
    """Index every file of source_dir into a new physical index and make it live (alias switch).
    Scans are read by OCR unless `ocr` is False (`ocr_progress` is heard only without worker processes)."""
    options = ReadOptions(ocr=ocr, on_ocr_page=ocr_progress)
    with cluster.errors():
        return write_new_index(Path(source_dir), cluster, jobs, progress, follow_outside, options)


def update_index(
    source_dir: Path,
    cluster: Cluster,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    follow_outside: bool = False,
    ocr: bool = True,
    ocr_progress: Callable[[], None] | None = None,
) -> BuildReport:
    """Re-index added and changed files (by content hash), drop deleted ones; a full build if none yet."""
    options = ReadOptions(ocr=ocr, on_ocr_page=ocr_progress)
    with cluster.errors():
        return update_live_index(Path(source_dir), cluster, jobs, progress, follow_outside, options)


def write_new_index(source_dir: Path, cluster: Cluster, jobs, progress, follow_outside: bool, options) -> BuildReport:
    """A new physical index from every file, published once complete."""
    listing = list_source(source_dir, follow_outside)
    cluster.check()
    started = time.perf_counter()
    report = BuildReport(source_dir, cluster_label(cluster), files=len(listing.paths), hidden=listing.hidden)
    report.left_out = listing.left_out
    physical = cluster.new_index_name()
    client = cluster.client
    try:
        body = index_body()
        body["settings"]["index"] |= {"number_of_replicas": 0, "refresh_interval": -1}  # replicas copy it whole later
        client.indices.create(index=physical, body=body)
        client.indices.create(index=f"{physical}-files", body=FILES_BODY)
        files = send_files(cluster, physical, listing.paths, source_dir, jobs, progress, report, {}, options, None)
        finish_report(report, files, started)
        if report.documents == 0:
            raise SourceError(no_documents_message(report))
        replicas = index_body()["settings"]["index"]["number_of_replicas"]
        client.indices.put_settings(
            index=physical, body={"index": {"number_of_replicas": replicas, "refresh_interval": None}}
        )
        client.indices.refresh(index=f"{physical},{physical}-files")
        wait_for_replicas(client, physical)
        cluster.publish(physical)
    except BaseException:
        try:
            cluster.delete(physical)
        except transport_errors():
            pass  # a build left behind is never live, and the next publish deletes it
        raise
    report.generation = physical
    report.seconds = time.perf_counter() - started
    return report


def update_live_index(source_dir: Path, cluster: Cluster, jobs, progress, follow_outside: bool, options) -> BuildReport:
    """The live index with the changed files' documents replaced by id, in place."""
    cluster.check()
    live = cluster.live_index()
    known = read_files(cluster, live) if live else None
    if known is None:
        return write_new_index(source_dir, cluster, jobs, progress, follow_outside, options)
    listing = list_source(source_dir, follow_outside)
    started = time.perf_counter()
    present = {relative_id(path, source_dir): path for path in listing.paths}
    files, to_read = {}, []
    for rel, path in present.items():
        entry = still_current(path, known.get(rel), options)
        if entry is None:
            to_read.append(path)
        else:
            files[rel] = entry
    gone = sorted(set(known) - set(present))
    report = BuildReport(source_dir, cluster_label(cluster), files=len(listing.paths), hidden=listing.hidden)
    report.left_out, report.removed = listing.left_out, len(gone)
    if to_read or gone:
        client = cluster.client
        client.indices.put_settings(index=live, body={"index": {"refresh_interval": -1}})
        try:
            rereading = [rel for rel in (relative_id(path, source_dir) for path in to_read) if rel in known]
            old_ids = ids_of_files(cluster, live, gone + rereading)
            sent_ids = set()
            merges = read_merges(client, live)
            files |= send_files(
                cluster, live, to_read, source_dir, jobs, progress, report, known, options, merges, sent_ids
            )
            delete_ids(cluster, live, sorted(old_ids - sent_ids))
            for rel in gone:
                client.delete(index=f"{live}-files", id=rel, ignore=404)
            client.indices.refresh(index=live)  # what the merges are computed over
            settle_merges(client, live, lambda ids, merges: resend_merged(cluster, live, ids, merges))
        finally:
            client.indices.put_settings(index=live, body={"index": {"refresh_interval": None}})
            client.indices.refresh(index=f"{live},{live}-files")
    finish_report(report, files, started, live)
    return report


def wait_for_replicas(client, physical: str, tries: int = 10) -> None:
    """Wait (30 s a try, the server's own limit) until the replica is copied: a node lost later then
    costs no answers. The primary holds the whole index, so a slow copy delays, never stops, publishing."""
    for _ in range(tries):
        if client.cluster.health(index=physical, wait_for_status="green", ignore=408)["status"] == "green":
            return


def cluster_label(cluster: Cluster) -> str:
    """Where an index lives, as reports print it."""
    return f"{cluster.url} (index {cluster.index_name})"


def send_files(cluster, physical, paths, source_dir, jobs, progress, report, known, options, merges, sent_ids=None):
    """Extract `paths` in worker processes and bulk-index their documents, their names merged by
    `merges` (None: by the merges over these documents alone, once all are read), then the file
    entries; the documents' ids are added to `sent_ids`. Returns the file entries."""
    files = {}
    documents = extracted_documents(paths, source_dir, jobs, options, progress, report, known, files)
    if merges is None:
        with spooled(documents) as (spool, names):
            merges = collection_merges(names)
            send(cluster, (index_action(physical, with_merges(source, merges)) for source in spool()))
        store_merges(cluster.client, physical, merges)
    else:
        send(cluster, (index_action(physical, with_merges(source, merges), sent_ids) for source in documents))
    send(
        cluster,
        (
            {"_index": f"{physical}-files", "_id": rel, "_source": {"path": rel, **entry}}
            for rel, entry in files.items()
        ),
    )
    return files


def extracted_documents(paths, source_dir, jobs, options, progress, report, known, files) -> Iterator[dict]:
    """Each document of `paths` as OpenSearch JSON; each file's entry goes to `files`, its counts to `report`."""
    for loaded, sources in extracted(paths, source_dir, jobs, options):
        if loaded.path in known:
            report.changed += 1
        else:
            report.added += 1
        report.warnings.extend(f"{loaded.path}: {warning}" for warning in loaded.warnings)
        files[loaded.path] = manifest_entry(loaded)
        yield from sources
        if progress:
            progress(1)


@contextlib.contextmanager
def spooled(sources: Iterator[dict]):
    """Every source written to a temporary file, with each one's names kept: (a function reading
    the sources back, the names). What a name stands for is known once every document is read."""
    names = []
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for source in sources:
            names.append(source["names"])
            spool.write(json.dumps(source, ensure_ascii=False) + "\n")

        def read_back() -> Iterator[dict]:
            spool.seek(0)
            return map(json.loads, spool)

        yield read_back, names


def index_action(physical: str, source: dict, sent_ids: set | None = None) -> dict:
    """The bulk action indexing `source`; its id is added to `sent_ids`."""
    if sent_ids is not None:
        sent_ids.add(source["id"])
    return {"_index": physical, "_id": source["id"], "_source": source}


def send(cluster, actions: Iterable[dict]) -> None:
    """Bulk requests for `actions`; the first document the cluster refuses stops the build."""
    from opensearchpy.helpers import streaming_bulk

    for ok, item in streaming_bulk(
        cluster.client, actions, chunk_size=BULK_DOCUMENTS, max_chunk_bytes=BULK_BYTES, raise_on_error=False
    ):
        if not ok:
            raise ClusterError(f"OpenSearch refused a document: {item}")


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


def extracted(
    paths: list[Path], source_dir: Path, jobs: int | None, options
) -> Iterator[tuple[LoadedFile, list[dict]]]:
    """Each file's record and its documents as OpenSearch JSON, in file order, by a pool of workers."""
    jobs = min(jobs or os.cpu_count() or 1, max(1, len(paths) // POOL_THRESHOLD))
    if jobs == 1:
        yield from (extract_file(path, source_dir, options) for path in paths)
        return
    shared = ReadOptions(ocr=options.ocr)  # a callback does not cross processes
    with worker_context().Pool(jobs) as pool:
        yield from pool.imap(extract_file_star, ((path, source_dir, shared) for path in paths), chunksize=8)


def extract_file(path: Path, source_dir: Path, options) -> tuple[LoadedFile, list[dict]]:
    """Worker: one file read, extracted and analysed."""
    loaded = load_file(path, source_dir, options)
    sources = [document_source(document) for document in loaded.documents]
    return dataclasses.replace(loaded, documents=(), document_count=len(sources)), sources


def extract_file_star(arguments: tuple) -> tuple[LoadedFile, list[dict]]:
    return extract_file(*arguments)


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
