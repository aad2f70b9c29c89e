"""Helpers for tests: paths of the seeds and shared corpora, and writing small folders of files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
CORPORA_DIR = ROOT.parent / "shared" / "corpora"
FIRST_SEED = "000_da3b932311e528c8.txt"
SECOND_SEED = "002_9e64d5ca6b538b7b.txt"


def corpus(name: str) -> Path:
    """A shared corpus folder, or skip the test when this machine does not have it."""
    path = CORPORA_DIR / name
    if not path.is_dir():
        pytest.skip(f"corpus {name} not available at {path}")
    return path


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Create `files` (relative path -> text or bytes) below `folder`."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def run_bench_tool(tool: Path, *args: str, tmpdir: Path | None = None, timeout: float = 120) -> dict:
    """Run a bench/ script with --json in a fresh process (TMPDIR=tmpdir if given): its one JSON object."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **({"TMPDIR": str(tmpdir)} if tmpdir else {})}
    out = subprocess.run(
        [sys.executable, str(tool), *args, "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def run_python(*args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
    """Python with `args` in a child process from the project root (its own memory, its own
    hang), checked; stopped after `timeout` seconds if given."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        timeout=timeout,
    )
