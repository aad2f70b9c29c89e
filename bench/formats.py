"""Reading speed of each document format, and the bounds: a 2,000-page PDF, a zip bomb, a 100 MB
mailbox, a mixed build.

python bench/formats.py [ARTICLES_DIR] [--files 50] [--scans 8] [--runs 3] [--json]

News articles (*.txt below ARTICLES_DIR, first line the title; default: the BBC corpus, else
seeds/) are written as PDF (5 pages each), .docx, .odt, .rtf, .eml and one .mbox, with the
fixture builders the tests use, and the first lines of --scans of them as scanned pages (PNG
images, and PDFs of two image pages) for OCR, when tesseract is installed. For each format:
files read per second (read_file) and documents per second read and extracted (extract_parts),
medians of --runs, on one core. Each bound runs in a fresh process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # run without install; the tests' fixture builders

from document_fixtures import (
    make_docx,
    make_email,
    make_image,
    make_large_mbox,
    make_mbox,
    make_odt,
    make_pdf,
    make_scanned_pdf,
)
from speedlib.builds import run_script

from indexer.documents.files import read_file
from indexer.documents.parts import extract_parts

PDF_PAGES = 5
BIG_PDF_PAGES = 2000
BOMB_MB = 1024
SCAN_LINES = 12  # lines of an article on a scanned page
MAILBOX_MESSAGES = 1000
MAILBOX_ATTACHMENT_BYTES = 72 * 1024  # a 100 MB mailbox, as attachments make them
# Peak memory is VmHWM, the high-water mark of this process's own memory: ru_maxrss would
# carry over the bench process's own peak, since exec after vfork keeps it.
PEAK_MB = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) / 1024"
ONE_FILE = f"""
import json, sys, time
from pathlib import Path
from indexer.documents.files import read_file
path = Path(sys.argv[1])
start = time.perf_counter()
source = read_file(path, path.parent)
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "peak_rss_mb": {PEAK_MB}, "skipped": source.skipped,
                  "chars": sum(len(text.text) for text in source.texts)}}))
"""
ONE_BUILD = f"""
import json, resource, sys
from pathlib import Path
from indexer import build_index
report = build_index(Path(sys.argv[1]), Path(sys.argv[2]), jobs=int(sys.argv[3]))
workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({{"docs": report.documents, "seconds": report.seconds, "skipped": len(report.skipped),
                  "peak_rss_mb": max({PEAK_MB}, workers_mb)}}))
"""


def load_articles(articles_dir: Path, count: int) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of the first `count` articles."""
    articles = []
    for path in sorted(articles_dir.rglob("*.txt"))[:count]:
        lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > 1:
            articles.append((lines[0], lines[1:]))
    return (articles * (count // max(len(articles), 1) + 1))[:count]


def latin(text: str) -> str:
    """Text the hand-written PDF's Helvetica (Latin-1) can show."""
    return text.encode("latin-1", "replace").decode("latin-1")


def write_rtf(title: str, paragraphs: list[str]) -> bytes:
    escaped = [p.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}") for p in [title, *paragraphs]]
    body = "".join("".join(c if ord(c) < 128 else f"\\u{ord(c)}?" for c in p) + "\\par " for p in escaped)
    return ("{\\rtf1\\ansi{\\info{\\title x}{\\creatim\\yr2016\\mo4\\dy12}}" + body + "}").encode("ascii")


def write_fixtures(folder: Path, articles: list[tuple[str, list[str]]]) -> None:
    """Each article in every format, and all of them as the messages of one mailbox."""
    messages = []
    for number, (title, paragraphs) in enumerate(articles):
        lines = [latin(line[i : i + 90]) for line in paragraphs for i in range(0, len(line), 90)]
        pages = [lines[k::PDF_PAGES] for k in range(PDF_PAGES)]
        (folder / f"{number}.pdf").write_bytes(make_pdf(pages, {"Title": latin(title)}))
        (folder / f"{number}.docx").write_bytes(make_docx([("Title", title)] + [("Normal", p) for p in paragraphs]))
        (folder / f"{number}.odt").write_bytes(
            make_odt([(1, title)] + [(0, p) for p in paragraphs], {"dc:title": title})
        )
        (folder / f"{number}.rtf").write_bytes(write_rtf(title, paragraphs))
        message = make_email(
            title,
            "Jane Doe <jane@example.org>",
            "Ivan Petrov <ivan@example.ru>",
            "Tue, 12 Apr 2016 09:30:00 +0000",
            text="\n\n".join(paragraphs),
        )
        (folder / f"{number}.eml").write_bytes(message)
        messages.append(message)
    (folder / "inbox.mbox").write_bytes(make_mbox(messages))


def write_scans(folder: Path, articles: list[tuple[str, list[str]]]) -> None:
    """The first lines of each article as a scanned page (PNG) and as a scanned PDF of two pages."""
    for number, (title, paragraphs) in enumerate(articles):
        lines = [title] + [line[i : i + 70] for line in paragraphs for i in range(0, len(line), 70)]
        (folder / f"{number}.png").write_bytes(make_image([lines[:SCAN_LINES]]))
        pages = [lines[:SCAN_LINES], lines[SCAN_LINES : 2 * SCAN_LINES] or lines[:SCAN_LINES]]
        (folder / f"{number}.pdf").write_bytes(make_scanned_pdf(pages))


def time_format(folder: Path, suffix: str) -> dict:
    """Seconds to read the files of one format, and to read and extract them."""
    paths = sorted(folder.glob(f"*{suffix}"))
    start = time.perf_counter()
    sources = [read_file(path, folder) for path in paths]
    read_s = time.perf_counter() - start
    texts = [text for source in sources for text in source.texts]
    start = time.perf_counter()
    documents = [document for text in texts for document in extract_parts(text)]
    extract_s = time.perf_counter() - start
    assert not any(source.skipped for source in sources), [source.skipped for source in sources]
    return {"files": len(paths), "docs": len(documents), "read_s": read_s, "total_s": read_s + extract_s}


def write_bomb(path: Path) -> None:
    """A .docx whose one entry of zeros expands BOMB_MB megabytes (about a thousandth of that zipped)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("word/document.xml", "w") as entry:
        chunk = b"\0" * 1048576
        for _ in range(BOMB_MB):
            entry.write(chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = ROOT.parent / "shared" / "corpora" / "bbc" / "docs"
    parser.add_argument("articles", type=Path, nargs="?", default=default if default.is_dir() else ROOT / "seeds")
    parser.add_argument("--files", type=int, default=50, help="articles per format")
    parser.add_argument("--scans", type=int, default=8, help="scanned pages per scan format")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = {"formats": {}, "bounds": {}}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch, "mixed")
        folder.mkdir()
        write_fixtures(folder, load_articles(args.articles, args.files))
        for suffix in (".pdf", ".docx", ".odt", ".rtf", ".eml", ".mbox"):
            runs = [time_format(folder, suffix) for _ in range(args.runs)]
            read_s = statistics.median(run["read_s"] for run in runs)
            total_s = statistics.median(run["total_s"] for run in runs)
            figures = {
                "files": runs[0]["files"],
                "docs": runs[0]["docs"],
                "files_per_s": runs[0]["files"] / read_s,
                "docs_per_s_read_and_extract": runs[0]["docs"] / total_s,
            }
            if suffix == ".pdf":
                figures["pages_per_s"] = runs[0]["files"] * PDF_PAGES / read_s
            result["formats"][suffix] = figures
        if shutil.which("tesseract"):
            scans = Path(scratch, "scans")
            scans.mkdir()
            write_scans(scans, load_articles(args.articles, args.scans))
            for suffix, pages in ((".png", 1), (".pdf", 2)):
                runs = [time_format(scans, suffix) for _ in range(args.runs)]
                read_s = statistics.median(run["read_s"] for run in runs)
                result["formats"][f"scanned {suffix}"] = {
                    "files": runs[0]["files"],
                    "docs": runs[0]["docs"],
                    "files_per_s": runs[0]["files"] / read_s,
                    "docs_per_s_read_and_extract": runs[0]["docs"] / statistics.median(r["total_s"] for r in runs),
                    "pages_per_s": runs[0]["files"] * pages / read_s,
                }
        big = Path(scratch, "big.pdf")
        lines = [f"Line {i}: officials from Russia and Germany met in Berlin to discuss the budget." for i in range(45)]
        big.write_bytes(make_pdf([lines] * BIG_PDF_PAGES, {"Title": "Big"}))
        result["bounds"]["pdf_2000_pages"] = {"mb": big.stat().st_size / 1048576, **run_script(ONE_FILE, str(big))}
        bomb = Path(scratch, "bomb.docx")
        write_bomb(bomb)
        result["bounds"]["docx_zip_bomb"] = {
            "mb": bomb.stat().st_size / 1048576,
            "expands_mb": BOMB_MB,
            **run_script(ONE_FILE, str(bomb)),
        }
        mailbox = Path(scratch, "large.mbox")
        mailbox.write_bytes(make_large_mbox(MAILBOX_MESSAGES, MAILBOX_ATTACHMENT_BYTES))
        result["bounds"]["mbox_100_mb"] = {"mb": mailbox.stat().st_size / 1048576, **run_script(ONE_FILE, str(mailbox))}
        build = run_script(ONE_BUILD, str(folder), str(Path(scratch, "index")), "2")
        build["files"] = len(list(folder.iterdir()))
        result["mixed_build"] = build
    if args.json:
        print(json.dumps(result))
        return
    for suffix, figures in result["formats"].items():
        pages = f", {figures['pages_per_s']:.0f} pages/s" if "pages_per_s" in figures else ""
        print(
            f"{suffix:12} {figures['files']:4} files {figures['docs']:4} docs  read {figures['files_per_s']:6.1f} files/s"
            f"{pages}; read+extract {figures['docs_per_s_read_and_extract']:5.1f} docs/s"
        )
    for name, bound in result["bounds"].items():
        print(
            f"{name:15} {bound['mb']:.2f} MB file: {bound['seconds']:.2f} s, peak RSS {bound['peak_rss_mb']:.0f} MB,"
            f" {bound['skipped'] or str(bound['chars']) + ' characters read'}"
        )
    print(
        f"mixed build: {build['files']} files -> {build['docs']} docs in {build['seconds']:.1f} s on 2 workers "
        f"({build['docs'] / build['seconds']:.1f} docs/s), peak RSS {build['peak_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
