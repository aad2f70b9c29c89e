"""Scanned pages (PNG, JPEG, TIFF) -> one source text by OCR, its pages separated by form feeds.

Pillow decodes the image (each frame of a multi-page TIFF is a page) and refuses one whose
header promises more pixels than MAX_PIXELS before decoding it: a small file can expand to
gigabytes (a decompression bomb). A large page is scaled down to OCR_PIXELS first, which
bounds the memory and the time of OCR.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageSequence, UnidentifiedImageError

from ..files import ReadOptions, SkipFile, SourceText
from ..pages import PAGE_BREAK, clean_page
from .ocr import PageNotRead, ocr_problem, recognize

MAX_PIXELS = 100_000_000  # an A3 page at 600 dpi is 70 million
OCR_PIXELS = 12_000_000  # an A4 page at 300 dpi is 8.7 million
MAX_PAGES = 2_000


def read(data: bytes, suffix: str, rel: str, options: ReadOptions) -> tuple[list[SourceText], list[str]]:
    """The text OCR reads on each page of an image file."""
    problem = ocr_problem(options.ocr)
    if problem:
        raise SkipFile(problem)
    image = open_image(data)
    pages, problems = [], []
    try:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > MAX_PAGES:
                problems.append(f"pages after {MAX_PAGES} not read")
                break
            try:
                pages.append(clean_page(recognize(page_image(frame), dpi=None)))
            except PageNotRead as error:
                problems.append(f"page {number} not read by OCR ({error})")
                pages.append("")
            finally:
                if options.on_ocr_page:
                    options.on_ocr_page()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:  # a damaged later frame
        problems.append(f"image damaged after page {len(pages)} ({type(error).__name__})")
    finally:
        image.close()
    if not any(pages):
        raise SkipFile("no text found by OCR" + (f" ({problems[0]})" if problems else ""))
    return [SourceText(rel, rel, "image", PAGE_BREAK.join(pages))], problems


def open_image(data: bytes) -> Image.Image:
    """The image, its header read and its size checked, or SkipFile with the reason."""
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own bound and refuses above twice it; ours is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise SkipFile(f"image too large (over {MAX_PIXELS // 1_000_000} million pixels)") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise SkipFile("not a readable image (damaged, or not the format its name says)") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        megapixels = width * height // 1_000_000
        raise SkipFile(f"image too large ({megapixels} million pixels; the limit is {MAX_PIXELS // 1_000_000} million)")
    return image


def page_image(frame: Image.Image) -> Image.Image:
    """A frame as a grayscale image of at most OCR_PIXELS, decoded within the pixel bound."""
    width, height = frame.size
    if width * height > MAX_PIXELS:  # a later TIFF frame larger than the first
        raise PageNotRead(
            f"{width * height // 1_000_000} million pixels; the limit is {MAX_PIXELS // 1_000_000} million"
        )
    scale = min(1.0, (OCR_PIXELS / max(width * height, 1)) ** 0.5)
    if scale < 1.0 and frame.format == "JPEG":
        frame.draft("L", (int(width * scale), int(height * scale)))  # JPEG decodes at a fraction of its size
    gray = frame.convert("L")
    if scale < 1.0 and gray.width * gray.height > OCR_PIXELS:
        gray = gray.resize((int(width * scale), int(height * scale)), Image.Resampling.LANCZOS)
    return gray
