"""`seedsearch serve` started on loopback for a benchmark, and a bounded load of GETs against it."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from speedlib import ROOT


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seedsearch_command() -> str:
    """The seedsearch command of this Python's environment (or on PATH)."""
    beside = Path(sys.executable).with_name("seedsearch")
    found = str(beside) if beside.exists() else shutil.which("seedsearch")
    if not found:
        raise RuntimeError("the seedsearch command is not installed next to this Python or on PATH")
    return found


def fetch(url: str, timeout: float) -> bytes:
    """The body of a GET; RuntimeError unless it answers 200."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return response.read()


@dataclass
class Server:
    """`seedsearch serve` in its own process group, stopped (TERM, then KILL) on close."""

    index_dir: Path
    work_dir: Path
    workers: int
    timeout: float
    options: Sequence[str] = ()  # more `seedsearch serve` options (another backend's)
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self):
        self.log_path = self.work_dir / "serve.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        command = [
            seedsearch_command(),
            "serve",
            "--index",
            str(self.index_dir),
            "--source",
            str(self.work_dir / "no-source"),  # the index exists: never build one behind our back
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            *self.options,
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.work_dir,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                start_new_session=True,  # our own process group: Ctrl-C reaches us, we stop it
            )
        self.wait_ready()

    def wait_ready(self) -> None:
        """Poll / until it answers 200 (the first answer opens the index in one worker)."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"seedsearch serve exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                fetch(self.base_url + "/", timeout=max(1.0, deadline - time.monotonic()))
                return
            except (OSError, RuntimeError):
                time.sleep(0.2)
        raise RuntimeError(f"seedsearch serve did not answer within {self.timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the serve process (the gunicorn master)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parts = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(parts[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def workers_peak_rss_mb(self) -> float:
        """The largest VmHWM (peak resident set) among the workers."""
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


def run_load(base_url: str, paths: Sequence[str], clients: int, timeout: float) -> tuple[list[float], float]:
    """GET each path once from `clients` threads; each request's ms (in path order) and the wall seconds."""
    latencies: list[float | None] = [None] * len(paths)
    errors: list[str] = []
    next_index = iter(range(len(paths)))
    lock = threading.Lock()

    def client():
        while not errors:
            with lock:
                number = next(next_index, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                fetch(base_url + paths[number], timeout)
            except Exception as error:  # noqa: BLE001 - reported below with the URL
                errors.append(f"{paths[number]}: {type(error).__name__}: {error}")
                return
            latencies[number] = (time.perf_counter() - started) * 1000

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():  # joined in slices, so Ctrl-C is not held up
            thread.join(0.2)
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} request(s) failed, first: {errors[0]}")
    return latencies, wall
