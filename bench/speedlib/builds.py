"""Our index built in a fresh process (its own peak memory), and the corpus laid out for it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from speedlib import ROOT

BUILD_SCRIPT = """
import json, resource, sys
from pathlib import Path
from indexer import build_index
source, index_dir, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) or None
report = build_index(source, index_dir, jobs=jobs)
size = sum(p.stat().st_size for p in report.generation.rglob("*") if p.is_file())
# The pool's workers are the forkserver's children: stop (and wait for) the forkserver, so
# that RUSAGE_CHILDREN below includes them. _stop is private; without it they go uncounted.
try:
    from multiprocessing import forkserver
    forkserver._forkserver._stop()
except Exception as error:
    print(f"peak RSS leaves out the build's worker processes ({error!r})", file=sys.stderr)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"docs": report.documents, "seconds": report.seconds, "index_bytes": size,
                  "main_rss_mb": own / 1024, "children_rss_mb": children / 1024}))
"""


def run_script(script: str, *args: str, timeout: float | None = None, what: str = "the script") -> dict:
    """Run a Python script in a fresh process from the project root: the JSON object of its last line.

    A failure raises RuntimeError with the end of its stderr.
    """
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def build_in_subprocess(source_dir: Path, index_dir: Path, jobs: int, timeout: float | None = None) -> dict:
    """One full build with the real indexer in a fresh process, so its peak RSS is this build's."""
    result = run_script(BUILD_SCRIPT, str(source_dir), str(index_dir), str(jobs), timeout=timeout, what="the build")
    result["peak_rss_mb"] = max(result["main_rss_mb"], result["children_rss_mb"])
    return result


def link_or_copy(src: str, dst: str) -> None:
    """Hard-link a file (same content, no disk), copying where links are not possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def replicate_corpus(source_dir: Path, dest_dir: Path, copies: int) -> Path:
    """source_dir copied `copies` times as dest_dir/r0, r1, ...: the same files under distinct ids."""
    for number in range(copies):
        shutil.copytree(source_dir, dest_dir / f"r{number}", copy_function=link_or_copy)
    return dest_dir
