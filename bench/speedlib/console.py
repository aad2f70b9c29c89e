"""What every bench script does around its work: progress on stderr, a scratch folder removed whatever happens."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def progress(quiet: bool) -> Callable[[str], None]:
    """say(message): the message on stderr after the seconds elapsed, unless quiet."""
    started = time.monotonic()

    def say(message: str) -> None:
        if not quiet:
            print(f"[{time.monotonic() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    return say


def run_in_scratch(prefix: str, work: Callable[[Path], None], leftovers: str = "temporary files") -> int:
    """Run work(scratch folder) and remove the folder whatever happens: the exit code.

    Ctrl-C and SIGTERM stop with 130; a failed build, a timeout or an OS error prints one line, 1.
    """
    signal.signal(signal.SIGTERM, raise_interrupt)  # clean up on kill, as on Ctrl-C
    work_dir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        work(work_dir)
        return 0
    except KeyboardInterrupt:
        print(f"interrupted: {leftovers} removed", file=sys.stderr)
        return 130
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
