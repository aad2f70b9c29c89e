"""Page images -> text, by the Tesseract OCR engine (Debian's tesseract-ocr) run as a program.

Each page is read by a tesseract process of its own, with a time limit: a call into a C library
cannot be interrupted, a process can be killed, and a crash of the engine loses one page, not
the build. The page goes in on standard input as a grayscale PGM, the text comes back on
standard output. English and Russian are read at once ("eng+rus").
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

LANGUAGES = ("eng", "rus")
SECONDS_PER_PAGE = 120  # a dense A4 page at 300 dpi takes a few seconds
DPI = 300  # what tesseract is trained for; scans are rendered at this resolution
NEEDS_OCR = "needs OCR"  # every reason a scan was not read starts so: an update reads it once OCR can run
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus, or make install"


class PageNotRead(Exception):
    """OCR failed on one page; the message says why."""


@functools.cache
def tesseract_languages() -> tuple[str, ...] | None:
    """The languages of LANGUAGES that this machine's tesseract reads, or None without tesseract."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    installed = set(listed.stdout.split())
    return tuple(language for language in LANGUAGES if language in installed)


def ocr_problem(enabled: bool) -> str | None:
    """Why a scan cannot be read by OCR now (a skip reason), or None when it can."""
    if not enabled:
        return f"{NEEDS_OCR} (OCR is off; index without --no-ocr to read scans)"
    languages = tesseract_languages()
    if languages is None:
        return f"{NEEDS_OCR} (tesseract is not installed: {INSTALL_HINT})"
    if not languages:
        return f"{NEEDS_OCR} (tesseract has no English or Russian data: {INSTALL_HINT})"
    return None


def recognize(image: Image.Image, *, dpi: int | None = DPI) -> str:
    """The text of a page image (a Pillow image); PageNotRead on failure."""
    program = shutil.which("tesseract")
    if program is None or not tesseract_languages():
        raise PageNotRead("tesseract is not available")
    command = [program, "stdin", "stdout", "-l", "+".join(tesseract_languages()), "-c", "page_separator="]
    if dpi:
        command += ["--dpi", str(dpi)]
    gray = image if image.mode == "L" else image.convert("L")
    pgm = f"P5\n{gray.width} {gray.height}\n255\n".encode() + gray.tobytes()
    # One thread: the build already runs a worker per core, and OpenMP's threads would fight over them.
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            command, check=False, input=pgm, capture_output=True, timeout=SECONDS_PER_PAGE, env=environment
        )
    except subprocess.TimeoutExpired:
        raise PageNotRead(f"OCR took longer than {SECONDS_PER_PAGE} s") from None
    except OSError as error:
        raise PageNotRead(f"tesseract could not run ({error.strerror or error})") from None
    if done.returncode != 0:
        raise PageNotRead(f"tesseract failed (exit code {done.returncode})")
    return done.stdout.decode("utf-8", errors="replace")
