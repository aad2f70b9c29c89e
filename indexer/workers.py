"""Files -> documents in the index, on one core or several: each worker process reads, extracts
and indexes a contiguous share of the files into a segment of its own."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .backend import GenerationWriter
from .documents.files import (
    DEFAULT_READING,
    Document,
    ReadOptions,
    SkipFile,
    SourceFile,
    read_source,
    relative_id,
)
from .documents.parts import extract_parts
from .nearduplicates import Signature, sign
from .store import BuildError

# Below this many files a worker pool costs more than it saves.
POOL_THRESHOLD = 64


@dataclass(frozen=True)
class LoadedFile:
    """One file after reading and extraction: its documents, or why it was skipped."""

    path: str
    content_hash: str | None
    stamp: tuple[int, int] | None  # (size, mtime_ns) when read, to skip re-hashing unchanged files
    documents: tuple[Document, ...] = ()
    skipped: str | None = None
    warnings: tuple[str, ...] = ()
    document_count: int | None = None  # when the documents went to the index as they came (load_file's `add`)
    signatures: tuple[Signature, ...] = ()  # kept when the documents are dropped: near-duplicates are found at the end

    @property
    def documents_read(self) -> int:
        return len(self.documents) if self.document_count is None else self.document_count


def file_stamp(path: Path) -> tuple[int, int]:
    """(size, mtime) of the file; for a symlink that is broken or loops, (-errno, the link's own
    mtime): a link that stays broken the same way is unchanged."""
    try:
        info = path.stat()
    except OSError as error:
        return -(error.errno or 0), path.lstat().st_mtime_ns
    return info.st_size, info.st_mtime_ns


def load_file(
    path: Path,
    source_dir: Path,
    options: ReadOptions = DEFAULT_READING,
    add: Callable[[Iterable[Document]], None] | None = None,
) -> LoadedFile:
    """Read and extract one file (runs in a worker process). With `add`, each document goes to
    it as soon as it is extracted and the record keeps only their count: a mailbox is read,
    extracted and indexed a message at a time."""
    try:
        stamp = file_stamp(path)
    except OSError:
        stamp = None
    try:
        source: SourceFile = read_source(path, source_dir, options)
    except Exception as error:  # noqa: BLE001 - a bug or a pathological file must not stop the build
        rel = relative_id(path, source_dir)
        return LoadedFile(rel, None, stamp, skipped=f"could not be read ({type(error).__name__}: {error})")
    if source.skipped:
        return LoadedFile(source.path, None, stamp, skipped=source.skipped)
    documents, count, problems, signatures = [], 0, [], []
    texts = iter(source.texts)
    while True:
        try:
            text = next(texts, None)
        except Exception as error:  # noqa: BLE001 - SkipFile, or a bug, while a mailbox was read
            reason = (
                str(error) if isinstance(error, SkipFile) else f"could not be read ({type(error).__name__}: {error})"
            )
            if not (documents or count):
                return LoadedFile(source.path, None, stamp, skipped=reason)
            problems.append(f"reading stopped: {reason}")
            break
        if text is None:
            break
        try:
            for document in extract_parts(text):
                signature = sign(document)
                if signature is not None:
                    signatures.append(signature)
                if add is None:
                    documents.append(document)
                else:
                    add((document,))
                    count += 1
        except Exception as error:  # noqa: BLE001 - a bug or a pathological text must not stop the build
            problems.append(f"{text.id}: extraction failed ({type(error).__name__}: {error})")
    warnings = (*source.warnings, *problems)  # a streamed file's warnings are complete once it is read
    skipped = None if documents or count else "extraction failed"
    loaded = LoadedFile(
        source.path, source.content_hash, stamp, tuple(documents), skipped, warnings, signatures=tuple(signatures)
    )
    return loaded if add is None else dataclasses.replace(loaded, document_count=count)


def index_files(
    generation: GenerationWriter,
    paths: list[Path],
    source_dir: Path,
    jobs: int | None,
    options: ReadOptions = DEFAULT_READING,
) -> Iterator[LoadedFile]:
    """Read, extract and index each file, yielding its record (documents dropped) as it is done;
    `options.on_ocr_page` hears of each page OCR has read, in this process.

    On several cores each worker process takes a contiguous share of the files, extracts and
    indexes them with a writer of its own (`generation.share_writer`: whoosh writes a segment),
    and what they wrote joins the generation's `segments` for its publishing: both halves of the
    work run in parallel, and document numbers follow file order.
    """
    jobs = min(jobs or os.cpu_count() or 1, max(1, len(paths) // POOL_THRESHOLD))
    if jobs == 1:
        for path in paths:
            yield load_file(path, source_dir, options, add=generation.add)
        return
    context = worker_context()
    messages = context.Queue(maxsize=1024)
    shares = split_by_size(paths, jobs)
    writer = generation.share_writer(jobs)
    shared = (source_dir, messages, options.ocr)  # a callback does not cross processes
    workers = [context.Process(target=index_share, args=(writer, n, share, *shared)) for n, share in enumerate(shares)]
    for worker in workers:
        worker.start()
    try:
        finished = {}
        while len(finished) < len(workers):
            kind, number, payload = next_message(messages, workers)
            if kind == "file":
                yield payload
            elif kind == "ocr page":
                if options.on_ocr_page:
                    options.on_ocr_page()
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


def index_share(new_writer: Callable, number: int, paths: list[Path], source_dir: Path, messages, ocr: bool) -> None:
    """Worker process: extract and index `paths` with a writer of its own; report each file (and
    each page read by OCR), then what the writer wrote."""
    options = ReadOptions(ocr=ocr, on_ocr_page=lambda: messages.put(("ocr page", number, None)))
    try:
        writer = new_writer()
        for path in paths:
            messages.put(("file", number, load_file(path, source_dir, options, add=writer.add)))
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
