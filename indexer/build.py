"""Full rebuild (into a new generation, switched atomically) and incremental update."""

from __future__ import annotations

import datetime
import time
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .backend import GenerationWriter
from .documents.files import (
    DEFAULT_READING,
    ReadOptions,
    SkipFile,
    SourceListing,
    file_hash,
    list_files,
    relative_id,
)
from .documents.readers.ocr import NEEDS_OCR, ocr_problem
from .store import IndexFolder, index_is_current
from .workers import LoadedFile, file_stamp, index_files

WRITER_MEMORY_MB = 256


class SourceError(Exception):
    """The source folder cannot be indexed; the message says why."""


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
    index_dir: Path | IndexStore,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    follow_outside: bool = False,
    ocr: bool = True,
    ocr_progress: Callable[[], None] | None = None,
) -> BuildReport:
    """Index every file of source_dir into a new generation of index_dir and make it live
    (index_dir: an index folder, or another engine's IndexStore).

    Symlinks to files outside source_dir are left out (and reported) unless `follow_outside`.
    Scans (images, PDF pages without text) are read by OCR unless `ocr` is False;
    `ocr_progress` is called after each page OCR has read, `progress` with each number of files done.
    """
    source_dir, store = Path(source_dir), as_store(index_dir)
    listing = list_source(source_dir, follow_outside)
    options = ReadOptions(ocr=ocr, on_ocr_page=ocr_progress)
    with store.writing():
        return write_generation(source_dir, store, listing, {}, None, jobs, progress, options)


def update_index(
    source_dir: Path,
    index_dir: Path | IndexStore,
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    follow_outside: bool = False,
    ocr: bool = True,
    ocr_progress: Callable[[], None] | None = None,
) -> BuildReport:
    """Re-index added and changed files (by content hash), drop deleted ones; a full build if none yet.

    Files skipped before for want of OCR are read again once OCR can read them."""
    source_dir, store = Path(source_dir), as_store(index_dir)
    listing = list_source(source_dir, follow_outside)
    options = ReadOptions(ocr=ocr, on_ocr_page=ocr_progress)
    with store.writing():
        known, current = store.live() or ({}, None)  # nothing to build on: a full build
        return write_generation(source_dir, store, listing, known, current, jobs, progress, options)


def as_store(index) -> IndexStore:
    """Where an index is written: an index folder (a path), or a store itself (a cluster's)."""
    return IndexFolder(Path(index), WRITER_MEMORY_MB) if isinstance(index, (str, Path)) else index


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


class IndexStore(Protocol):
    """Where builds write an index (`store.IndexFolder`, or a cluster's): each engine's own way to
    hold one build at a time, find the live build's files, and write a new generation."""

    label: object  # where the index is, as reports print it

    def writing(self) -> AbstractContextManager: ...

    def live(self) -> tuple[dict, object] | None:
        """The live build's file list (path -> manifest entry) and the build, None when there is
        nothing to build on."""

    def new_generation(self, based_on) -> AbstractContextManager[GenerationWriter]:
        """A new generation, a copy of `based_on` (or empty for None), dropped unless published."""


def write_generation(source_dir, store, listing, known, based_on, jobs, progress, options) -> BuildReport:
    """Write a new generation (from scratch, or on top of `based_on` with only what changed)."""
    started = time.perf_counter()
    paths = listing.paths
    present = {relative_id(path, source_dir): path for path in paths}
    files, to_read = {}, []
    for rel, path in present.items():
        entry = still_current(path, known.get(rel), options)
        if entry is None:
            to_read.append(path)
        else:
            files[rel] = entry
    gone = sorted(set(known) - set(present))
    report = BuildReport(source_dir, store.label, files=len(paths), removed=len(gone), hidden=listing.hidden)
    report.left_out = listing.left_out
    if based_on is not None and not to_read and not gone:
        return finish_report(report, files, started, based_on)
    if progress and files:
        progress(len(files))

    with store.new_generation(based_on) as generation:
        rereading = [rel for rel in (relative_id(path, source_dir) for path in to_read) if rel in known]
        generation.delete_files(gone + rereading)
        kept = generation.kept_signatures()
        signatures = {rel: kept[rel] for rel in files if rel in kept}  # of the files not read again
        for loaded in index_files(generation, to_read, source_dir, jobs, options):
            if loaded.path in known:
                report.changed += 1
            else:
                report.added += 1
            files[loaded.path] = manifest_entry(loaded)
            signatures[loaded.path] = loaded.signatures
            report.warnings.extend(f"{loaded.path}: {warning}" for warning in loaded.warnings)
            if progress:
                progress(1)
        finish_report(report, files, started)
        if report.documents == 0:
            raise SourceError(no_documents_message(report))
        generation.group_versions(signatures)
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


def still_current(path: Path, entry: dict | None, options: ReadOptions = DEFAULT_READING) -> dict | None:
    """The manifest entry of a file that has not changed since it was indexed, else None (also
    for a file skipped for want of OCR, once OCR can read it)."""
    if entry is None or ((entry.get("skipped") or "").startswith(NEEDS_OCR) and ocr_problem(options.ocr) is None):
        return None
    try:
        stamp = file_stamp(path)
        if entry.get("stamp") == list(stamp):
            return entry
        if entry.get("hash") and entry["hash"] == file_hash(path):
            return {**entry, "stamp": list(stamp)}  # touched, same content
    except (OSError, SkipFile):
        pass
    return None


def manifest_entry(loaded: LoadedFile) -> dict:
    """The manifest line of a file whose documents are indexed."""
    return {
        "hash": loaded.content_hash,
        "stamp": list(loaded.stamp) if loaded.stamp else None,
        "documents": loaded.documents_read,
        "skipped": loaded.skipped,
    }
