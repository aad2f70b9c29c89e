"""Full rebuild (into a new generation, switched atomically) and incremental update."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import multiprocessing
import os
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .documents.files import (
    Document,
    SkipFile,
    SourceFile,
    SourceListing,
    list_files,
    read_bytes,
    read_file,
    relative_id,
)
from .documents.parts import extract_parts
from .store import (
    BuildError,
    NewGeneration,
    SegmentWriter,
    build_errors,
    build_lock,
    built_by_this_version,
    current_generation,
    damaged_files,
    index_is_current,
    new_generation,
    read_manifest,
)

# Below this many files a worker pool costs more than it saves.
POOL_THRESHOLD = 64
WRITER_MEMORY_MB = 256


class SourceError(Exception):
    """The source folder cannot be indexed; the message says why."""


@dataclass(frozen=True)
class LoadedFile:
    """One file after reading and extraction: its documents, or why it was skipped."""

    path: str
    content_hash: str | None
    stamp: tuple[int, int] | None  # (size, mtime_ns) when read, to skip re-hashing unchanged files
    documents: tuple[Document, ...] = ()
    skipped: str | None = None
    warnings: tuple[str, ...] = ()
    document_count: int | None = None  # once the documents are indexed and dropped

    def indexed(self) -> LoadedFile:
        """This file's record without its documents, once they are in the index."""
        return dataclasses.replace(self, documents=(), document_count=len(self.documents))


@dataclass
class BuildReport:
    """What a build or update did, for the final report."""

    source_dir: Path
    index_dir: Path
    files: int = 0
    documents: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # files read and skipped, and `left_out`
    left_out: dict[str, str] = field(default_factory=dict)  # entries the walk left out (outside links, bad names)
    hidden: int = 0  # files and folders left out because their names start with a dot
    warnings: list[str] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    removed: int = 0
    seconds: float = 0.0
    generation: Path | None = None

    @property
    def skipped_by_reason(self) -> Counter:
        """Skipped files counted by the kind of reason ("too large", "binary content", ...)."""
        return count_reasons(self.skipped)

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def build_index(
    source_dir: Path,
    index_dir: Path,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    follow_outside: bool = False,
) -> BuildReport:
    """Index every file of source_dir into a new generation of index_dir and make it live.

    Symlinks to files outside source_dir are left out (and reported) unless `follow_outside`.
    """
    source_dir, index_dir = Path(source_dir), Path(index_dir)
    listing = list_source(source_dir, follow_outside)
    with build_errors(index_dir), build_lock(index_dir):
        return write_generation(source_dir, index_dir, listing, {}, None, jobs, progress)


def update_index(
    source_dir: Path,
    index_dir: Path,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    follow_outside: bool = False,
) -> BuildReport:
    """Re-index added and changed files (by content hash), drop deleted ones; a full build if none yet."""
    source_dir, index_dir = Path(source_dir), Path(index_dir)
    listing = list_source(source_dir, follow_outside)
    with build_errors(index_dir), build_lock(index_dir):
        current = current_generation(index_dir)
        manifest = read_manifest(current) if current else {}
        if not built_by_this_version(manifest) or damaged_files(current, manifest):  # nothing to build on
            return write_generation(source_dir, index_dir, listing, {}, None, jobs, progress)
        return write_generation(source_dir, index_dir, listing, manifest.get("files", {}), current, jobs, progress)


def ensure_index(index_dir: Path, source_dir: Path) -> bool:
    """Build the index from source_dir when it is missing, damaged or was built by another version
    of seedsearch; True when it was built."""
    if index_is_current(Path(index_dir)):
        return False
    build_index(Path(source_dir), Path(index_dir))
    return True


def list_source(source_dir: Path, follow_outside: bool = False) -> SourceListing:
    """The files to index and what was left out, or SourceError for a missing or empty folder."""
    if not source_dir.exists():
        raise SourceError(f"source folder {source_dir} does not exist")
    if not source_dir.is_dir():
        raise SourceError(f"{source_dir} is not a folder")
    listing = list_files(source_dir, follow_outside=follow_outside)
    if not listing.paths:
        reasons = count_reasons(listing.left_out) + Counter({"hidden": listing.hidden})
        summary = ", ".join(f"{count} {reason}" for reason, count in reasons.most_common())
        raise SourceError(f"source folder {source_dir} has no files to index" + (f" ({summary})" if summary else ""))
    return listing


def count_reasons(skipped: dict[str, str]) -> Counter:
    """Reasons counted by their kind: the words before any parenthesis ("too large (50 MB; ...)")."""
    return Counter(reason.split(" (")[0] for reason in skipped.values())


def write_generation(source_dir, index_dir, listing, known, based_on, jobs, progress) -> BuildReport:
    """Write a new generation (from scratch, or on top of `based_on` with only what changed)."""
    started = time.perf_counter()
    paths = listing.paths
    present = {relative_id(path, source_dir): path for path in paths}
    files, to_read = {}, []
    for rel, path in present.items():
        entry = still_current(path, known.get(rel))
        if entry is None:
            to_read.append(path)
        else:
            files[rel] = entry
    gone = sorted(set(known) - set(present))
    report = BuildReport(source_dir, index_dir, files=len(paths), removed=len(gone), hidden=listing.hidden)
    report.left_out = listing.left_out
    if based_on is not None and not to_read and not gone:
        return finish_report(report, files, started, based_on)
    if progress and files:
        progress(len(files))

    with new_generation(index_dir, based_on, WRITER_MEMORY_MB) as generation:
        rereading = [rel for rel in (relative_id(path, source_dir) for path in to_read) if rel in known]
        generation.delete_files(gone + rereading)
        for loaded in index_files(generation, to_read, source_dir, jobs):
            if loaded.path in known:
                report.changed += 1
            else:
                report.added += 1
            files[loaded.path] = manifest_entry(loaded)
            report.warnings.extend(f"{loaded.path}: {warning}" for warning in loaded.warnings)
            if progress:
                progress(1)
        finish_report(report, files, started)
        if report.documents == 0:
            raise SourceError(no_documents_message(report))
        manifest = {
            "source_dir": str(source_dir.resolve()),
            "built": datetime.datetime.now().isoformat(timespec="seconds"),
            "documents": report.documents,
            "files": files,
        }
        report.generation = generation.publish(manifest)
    report.seconds = time.perf_counter() - started
    return report


def finish_report(report: BuildReport, files: dict, started: float, generation: Path | None = None) -> BuildReport:
    """Totals over every file of the new generation, read now or carried over."""
    report.documents = sum(entry["documents"] for entry in files.values())
    skipped = {rel: entry["skipped"] for rel, entry in files.items() if entry["skipped"]}
    report.skipped = dict(sorted({**report.left_out, **skipped}.items()))
    report.seconds = time.perf_counter() - started
    report.generation = generation
    return report


def no_documents_message(report: BuildReport) -> str:
    reasons = ", ".join(f"{count} {reason}" for reason, count in report.skipped_by_reason.most_common())
    return f"no document could be read from {report.source_dir} ({reasons or 'no supported files'})"


def still_current(path: Path, entry: dict | None) -> dict | None:
    """The manifest entry of a file that has not changed since it was indexed, else None."""
    if entry is None:
        return None
    try:
        stamp = file_stamp(path)
        if entry.get("stamp") == list(stamp):
            return entry
        if entry.get("hash") and entry["hash"] == hashlib.sha1(read_bytes(path)).hexdigest():
            return {**entry, "stamp": list(stamp)}  # touched, same content
    except (OSError, SkipFile):
        pass
    return None


def file_stamp(path: Path) -> tuple[int, int]:
    """(size, mtime) of the file; for a symlink that is broken or loops, (-errno, the link's own
    mtime): a link that stays broken the same way is unchanged."""
    try:
        info = path.stat()
    except OSError as error:
        return -(error.errno or 0), path.lstat().st_mtime_ns
    return info.st_size, info.st_mtime_ns


def manifest_entry(loaded: LoadedFile) -> dict:
    """The manifest line of a file whose documents are indexed (`LoadedFile.indexed`)."""
    return {
        "hash": loaded.content_hash,
        "stamp": list(loaded.stamp) if loaded.stamp else None,
        "documents": loaded.document_count,
        "skipped": loaded.skipped,
    }


def load_file(path: Path, source_dir: Path) -> LoadedFile:
    """Read and extract one file (runs in a worker process)."""
    try:
        stamp = file_stamp(path)
    except OSError:
        stamp = None
    try:
        source: SourceFile = read_file(path, source_dir)
    except Exception as error:  # noqa: BLE001 - a bug or a pathological file must not stop the build
        rel = relative_id(path, source_dir)
        return LoadedFile(rel, None, stamp, skipped=f"could not be read ({type(error).__name__}: {error})")
    if source.skipped:
        return LoadedFile(source.path, None, stamp, skipped=source.skipped)
    documents, warnings = [], list(source.warnings)
    for text in source.texts:
        try:
            documents.extend(extract_parts(text))
        except Exception as error:  # noqa: BLE001 - a bug or a pathological text must not stop the build
            warnings.append(f"{text.id}: extraction failed ({type(error).__name__}: {error})")
    skipped = None if documents else "extraction failed"
    return LoadedFile(source.path, source.content_hash, stamp, tuple(documents), skipped, tuple(warnings))


def index_files(
    generation: NewGeneration, paths: list[Path], source_dir: Path, jobs: int | None
) -> Iterator[LoadedFile]:
    """Read, extract and index each file, yielding its record (documents dropped) as it is done.

    On several cores each worker process takes a contiguous share of the files, extracts and
    indexes them into a segment of its own, and the segments join the generation's for its
    commit: both halves of the work run in parallel, and document numbers follow file order.
    """
    jobs = min(jobs or os.cpu_count() or 1, max(1, len(paths) // POOL_THRESHOLD))
    if jobs == 1:
        for path in paths:
            loaded = load_file(path, source_dir)
            generation.add(loaded.documents)
            yield loaded.indexed()
        return
    context = worker_context()
    messages = context.Queue(maxsize=1024)
    shares = split_by_size(paths, jobs)
    folder = generation.folder
    workers = [
        context.Process(target=index_share, args=(folder, n, share, source_dir, messages, WRITER_MEMORY_MB // jobs))
        for n, share in enumerate(shares)
    ]
    for worker in workers:
        worker.start()
    try:
        finished = {}
        while len(finished) < len(workers):
            kind, number, payload = next_message(messages, workers)
            if kind == "file":
                yield payload
            elif kind == "segment":
                finished[number] = payload
            elif isinstance(payload, OSError):
                raise payload  # a full disk in a worker is a full disk
            else:
                raise BuildError(f"an indexing worker failed ({payload}); the live index is unchanged")
        generation.segments.extend(segment for _, segment in sorted(finished.items()) if segment is not None)
        for worker in workers:
            worker.join()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()


def split_by_size(paths: list[Path], parts: int) -> list[list[Path]]:
    """`paths` cut into `parts` contiguous shares of about equal bytes: the work a file makes
    grows with its size, and the build ends when the last worker does."""
    sizes = []
    for path in paths:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    total, shares, share, running = sum(sizes), [], [], 0
    for path, size in zip(paths, sizes):
        boundary = total * (len(shares) + 1) / parts
        if share and len(shares) < parts - 1 and running + size / 2 > boundary:  # nearer if cut before it
            shares.append(share)
            share = []
        share.append(path)
        running += size
    return [*shares, share]


def next_message(messages, workers):
    """The next message from the workers; an error if one died without saying why."""
    while True:
        try:
            return messages.get(timeout=1)
        except queue.Empty:
            dead = [worker for worker in workers if worker.exitcode not in (None, 0)]
            if dead:
                message = f"an indexing worker died (exit code {dead[0].exitcode}); the live index is unchanged"
                raise BuildError(message) from None


def index_share(folder: Path, number: int, paths: list[Path], source_dir: Path, messages, limitmb: int) -> None:
    """Worker process: extract and index `paths` into a new segment; report each file, then the segment."""
    try:
        writer = SegmentWriter(folder, limitmb)
        for path in paths:
            loaded = load_file(path, source_dir)
            writer.add(loaded.documents)
            messages.put(("file", number, loaded.indexed()))
        messages.put(("segment", number, writer.finish()))
    except OSError as error:
        messages.put(("error", number, OSError(error.errno, error.strerror, error.filename)))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which stops the build
        messages.put(("error", number, f"{type(error).__name__}: {error}"))


def worker_context():
    """Fork when this process runs no other thread (fast, and scripts need no __main__ guard);
    otherwise a fork server, since forking a threaded process can deadlock the child."""
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["indexer.documents.extract"])
    return context
