"""The index folder: generations of whoosh indexes, the pointer to the live one, the build lock.

    index_dir/
      CURRENT                  name of the live generation, replaced atomically
      gen-20261123-193000-123456/ one complete whoosh index with its manifest.json.gz
      .building-<pid>/         a generation being written (never read)
      .build.lock              held (flock) by the one process that builds

Readers only ever open the generation CURRENT names, so they never see a half-built index;
a build that dies leaves CURRENT untouched, and its lock goes with its process.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import functools
import gzip
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from .documents.files import Document
from .nearduplicates import Signature, read_signatures, write_near_duplicates
from .schema import SCHEMA_VERSION, create_schema, document_fields
from .storage.writing import open_writer

POINTER = "CURRENT"
LOCK = ".build.lock"
MANIFEST = "manifest.json.gz"  # a line per source file (hash, size, time): a third the size gzipped
INDEX_FILES = "index_files"  # the manifest's record of each file's size, to tell a truncated file at once
MANIFEST_BEFORE_VERSION_6 = "manifest.json"  # read only to name an old index's version
GENERATION_PREFIX = "gen-"
KEEP_GENERATIONS = 2  # the live one and one to roll back to
REPAIR = "rebuild it with `seedsearch index`, or restore the previous one with `seedsearch rollback`"


class IndexStateError(Exception):
    """Base of the errors a user sees about an index; the message says what to do."""


class IndexMissingError(IndexStateError):
    pass


class IndexVersionError(IndexStateError):
    pass


class IndexCorruptError(IndexStateError):
    pass


class IndexBusyError(IndexStateError):
    pass


class BuildError(IndexStateError):
    """A build that could not finish (a full disk, a worker that died); the live index is unchanged."""


@contextlib.contextmanager
def build_errors(index_dir: Path):
    """Turn what stops a build midway (OSError writing the index: a full disk, a read-only
    folder) into a BuildError that says so in one line; the live generation was never touched."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        raise BuildError(f"could not write the index in {index_dir}: {reason}; the live index is unchanged") from error


def current_generation(index_dir: Path) -> Path | None:
    """The live generation's folder, or None when no index has been built."""
    try:
        name = (index_dir / POINTER).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return index_dir / name if name else None


def index_is_current(index_dir: Path) -> bool:
    """True when the folder has a live generation built with this version's schema, its files whole."""
    live = current_generation(Path(index_dir))
    if live is None or not live.is_dir():
        return False
    manifest = read_manifest(live)
    return built_by_this_version(manifest) and damaged_files(live, manifest) is None


def built_by_this_version(manifest: dict) -> bool:
    """True when a generation's manifest says this version's schema built it."""
    return manifest.get("schema_version") == SCHEMA_VERSION


def generations(index_dir: Path) -> list[Path]:
    """All complete generations, oldest first."""
    if not index_dir.is_dir():
        return []
    return sorted(p for p in index_dir.iterdir() if p.name.startswith(GENERATION_PREFIX) and p.is_dir())


def read_manifest(generation: Path) -> dict:
    """A generation's manifest: schema version, source folder, file hashes, counts."""
    try:
        if not (generation / MANIFEST).exists():
            return json.loads((generation / MANIFEST_BEFORE_VERSION_6).read_text())
        return json.loads(gzip.decompress((generation / MANIFEST).read_bytes()))
    except (FileNotFoundError, gzip.BadGzipFile, EOFError, json.JSONDecodeError):
        return {}


def write_manifest(generation: Path, manifest: dict) -> None:
    encoded = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    (generation / MANIFEST).write_bytes(gzip.compress(encoded, mtime=0))


def open_index(index_dir: Path, generation: Path | None = None):
    """Open the live (or the given) generation, with a clear message when missing, stale or damaged."""
    generation = generation or current_generation(index_dir)
    if generation is None:
        raise IndexMissingError(
            f"no index in {index_dir}: build one with `seedsearch index SOURCE --index {index_dir}`"
        )
    if not generation.is_dir():
        raise corrupt_index(index_dir, f"its live generation {generation.name} is missing")
    manifest = read_manifest(generation)
    if not manifest:
        raise corrupt_index(index_dir, f"{generation.name} has no readable manifest")
    if not built_by_this_version(manifest):
        raise IndexVersionError(
            f"the index in {index_dir} was built by another version of seedsearch "
            f"(schema {manifest.get('schema_version')}, this one reads {SCHEMA_VERSION}): "
            "rebuild it with `seedsearch index`"
        )
    damaged = damaged_files(generation, manifest)
    if damaged:
        raise corrupt_index(index_dir, damaged)
    try:
        return whoosh_index.open_dir(str(generation))
    except Exception as error:  # whoosh raises many kinds (EOFError, pickle errors, OSError)
        raise corrupt_index(index_dir, f"{type(error).__name__}: {error}") from error


def corrupt_index(index_dir: Path, what: str) -> IndexCorruptError:
    """The error for a generation that cannot be read, saying what is wrong and how to repair it."""
    return IndexCorruptError(f"the index in {index_dir} is damaged ({what}): {REPAIR}")


def file_sizes(generation: Path) -> dict[str, int]:
    """The size of each file of a generation, as its manifest records them."""
    files = sorted(file for file in generation.iterdir() if file.is_file() and file.name != MANIFEST)
    return {file.name: file.stat().st_size for file in files}


def damaged_files(generation: Path, manifest: dict) -> str | None:
    """What differs from the file sizes the manifest recorded (a truncated or lost file), or None.

    Whoosh reads most files only when a search needs them: without this a cut-off file
    opens fine and then fails one search after another.
    """
    for name, size in manifest.get(INDEX_FILES, {}).items():
        try:
            actual = (generation / name).stat().st_size
        except FileNotFoundError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} has {actual:,} bytes, {size:,} when it was written"
    return None


@contextlib.contextmanager
def build_lock(index_dir: Path):
    """Hold the index's build lock; a second builder gets IndexBusyError at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock_file.seek(0)
            holder = lock_file.read().strip() or "another process"
            raise IndexBusyError(f"the index in {index_dir} is being built by another process ({holder})") from None
        lock_file.seek(0)
        lock_file.truncate()
        lock_file.write(f"pid {os.getpid()}")
        lock_file.flush()
        try:
            yield
        finally:
            lock_file.truncate(0)


def start_generation(index_dir: Path, based_on: Path | None = None) -> Path:
    """A fresh private folder for a new generation; a copy (hard links) of `based_on` if given.

    Whoosh never changes a segment file once written, so hard-linked files stay valid for
    readers of the old generation while the new one is written. Call with the lock held.
    """
    for stale in index_dir.glob(".building-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
    building = index_dir / f".building-{os.getpid()}"
    try:
        if based_on is None:
            building.mkdir()
            whoosh_index.create_in(str(building), create_schema())
        else:
            shutil.copytree(based_on, building, copy_function=os.link)
            (building / MANIFEST).unlink(missing_ok=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)  # a full disk: leave nothing half-made
        raise
    return building


@contextlib.contextmanager
def new_generation(index_dir: Path, based_on: Path | None = None, memory_mb: int = 256) -> Iterator[NewGeneration]:
    """A new generation to write (a copy of `based_on`, if given), live once published; left
    behind without a trace if the block fails before. Call with the build lock held."""
    building = start_generation(index_dir, based_on=based_on)
    try:
        generation = NewGeneration(index_dir, building, memory_mb)
        try:
            yield generation
        finally:
            generation.cancel()  # nothing to do once published
    finally:
        shutil.rmtree(building, ignore_errors=True)  # gone already once published


class NewGeneration:
    """A generation being written (`backend.GenerationWriter`): its documents added and deleted,
    then committed and made live by `publish`."""

    def __init__(self, index_dir: Path, folder: Path, memory_mb: int):
        self.index_dir, self.folder, self.memory_mb = index_dir, folder, memory_mb
        self.writer = open_writer(whoosh_index.open_dir(str(folder)), memory_mb)
        self.segments: list = []  # written by worker processes (`SegmentWriter`), committed with the writer's own
        self.finished = False  # published or cancelled

    def share_writer(self, shares: int) -> Callable[[], SegmentWriter]:
        """What a worker process writes its share of the documents with: a segment of its own."""
        return functools.partial(SegmentWriter, self.folder, self.memory_mb // shares)

    def kept_signatures(self) -> dict[str, tuple[Signature, ...]]:
        """Each file's document signatures in the generation this one is a copy of."""
        return read_signatures(self.folder)

    def group_versions(self, signatures: dict[str, tuple[Signature, ...]]) -> None:
        """Group near-identical documents by every file's signatures (written with the generation)."""
        write_near_duplicates(self.folder, signatures)

    def add(self, documents: Iterable[Document]) -> None:
        for document in documents:
            self.writer.add_document(**document_fields(document))

    def delete_files(self, paths: Iterable[str]) -> None:
        """Delete the documents of `paths` (source-relative): a file's one document has the path
        as its id, a file of records (JSON Lines) has ids "path#1", "path#2", ... The id prefix
        also matches other files ("a.txt#b.txt" for "a.txt"): a document goes only if its stored
        path is one of `paths`."""
        wanted = set(paths)
        if not wanted:
            return
        clauses = [clause for rel in sorted(wanted) for clause in (wq.Term("id", rel), wq.Prefix("id", f"{rel}#"))]
        with self.writer.searcher() as searcher:
            for docnum in wq.Or(clauses).docs(searcher):
                if searcher.stored_fields(docnum).get("path") in wanted:
                    self.writer.delete_document(docnum)

    def publish(self, manifest: dict) -> Path:
        """Commit the writer's own changes with the workers' segments and make the generation live."""
        self.writer.commit_with(self.segments)
        self.finished = True
        return publish_generation(self.index_dir, self.folder, manifest)

    def cancel(self) -> None:
        """Drop what was written, unless it was published."""
        if not self.finished:
            self.finished = True
            self.writer.cancel()


class SegmentWriter:
    """A worker process's share of a new generation: its documents written into a segment of
    their own, which the parent's NewGeneration commits with everything else."""

    def __init__(self, folder: Path, memory_mb: int):
        self.writer = open_writer(whoosh_index.open_dir(str(folder)), memory_mb, lock=False)

    def add(self, documents: Iterable[Document]) -> None:
        for document in documents:
            self.writer.add_document(**document_fields(document))

    def finish(self):
        """The finished segment, for `NewGeneration.segments`; None when nothing was added."""
        return self.writer.finish_segment()


class IndexFolder:
    """An index folder as a build writes it: locked, its live generation's files, new generations."""

    def __init__(self, index_dir: Path, memory_mb: int = 256):
        self.index_dir, self.memory_mb = Path(index_dir), memory_mb

    @property
    def label(self) -> Path:
        return self.index_dir

    @contextlib.contextmanager
    def writing(self):
        """The build lock held; a full disk or a lost lock as a clear error."""
        with build_errors(self.index_dir), build_lock(self.index_dir):
            yield

    def live(self) -> tuple[dict, Path] | None:
        """The live generation's file list and the generation, or None when there is nothing to build
        on (no index, one built by another version, or a damaged one)."""
        current = current_generation(self.index_dir)
        manifest = read_manifest(current) if current else {}
        if not built_by_this_version(manifest) or damaged_files(current, manifest):
            return None
        return manifest.get("files", {}), current

    def new_generation(self, based_on: Path | None):
        return new_generation(self.index_dir, based_on, self.memory_mb)


def publish_generation(index_dir: Path, building: Path, manifest: dict) -> Path:
    """Make a finished generation live in one atomic step, then drop the oldest ones."""
    manifest = {**manifest, "schema_version": SCHEMA_VERSION, INDEX_FILES: file_sizes(building)}
    write_manifest(building, manifest)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    generation = index_dir / f"{GENERATION_PREFIX}{stamp}"
    building.rename(generation)
    point_to(index_dir, generation)
    for old in generations(index_dir)[:-KEEP_GENERATIONS]:
        if old != generation:
            shutil.rmtree(old, ignore_errors=True)
    return generation


def point_to(index_dir: Path, generation: Path) -> None:
    """Atomically make `generation` the live one (write a temp file, fsync, rename)."""
    temp = index_dir / f".{POINTER}.{os.getpid()}"
    with open(temp, "w") as file:
        file.write(generation.name + "\n")
        file.flush()
        os.fsync(file.fileno())
    os.replace(temp, index_dir / POINTER)


def rollback(index_dir: Path) -> Path:
    """Make the generation before the live one live again."""
    with build_lock(index_dir):
        current = current_generation(index_dir)
        older = [g for g in generations(index_dir) if current is None or g.name < current.name]
        if not older:
            raise IndexMissingError(f"no earlier index generation in {index_dir} to roll back to")
        point_to(index_dir, older[-1])
        return older[-1]
