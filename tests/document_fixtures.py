"""Small files of binary document formats, built in code: PDF, Word, OpenDocument, e-mail."""

from __future__ import annotations


def pdf_string(text: str) -> str:
    """A PDF literal string: backslashes and parentheses escaped."""
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(pages: list[list[str]], info: dict[str, str] | None = None, *, encrypted: bool = False) -> bytes:
    """A PDF whose page k shows the lines pages[k] in Helvetica, with a document info dictionary.

    `encrypted` adds a standard security handler whose user password is not empty, so a reader
    needs a password to open the file.
    """
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        stream = "BT /F1 12 Tf 14 TL 72 720 Td " + " ".join(f"{pdf_string(line)} Tj T*" for line in lines) + " ET"
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
        content = len(objects)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R"
            " /Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    objects.append("<< " + " ".join(f"/{key} {pdf_string(value)}" for key, value in (info or {}).items()) + " >>")
    trailer = f"/Root 1 0 R /Info {len(objects)} 0 R"
    if encrypted:
        objects.append(f"<< /Filter /Standard /V 1 /R 2 /O <{'ab' * 32}> /U <{'cd' * 32}> /P -4 >>")
        trailer += f" /Encrypt {len(objects)} 0 R /ID [<{'01' * 16}> <{'01' * 16}>]"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_docx(blocks: list[tuple[str, str]], **properties) -> bytes:
    """A Word file of (style, text) paragraphs, styles such as "Title", "Heading 1" or "Normal"."""
    import io

    import docx

    document = docx.Document()
    for style, text in blocks:
        document.add_paragraph(text, style=style)
    for name, value in properties.items():
        setattr(document.core_properties, name, value)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(blocks: list[tuple[int, str]], meta: dict[str, str]) -> bytes:
    """An OpenDocument text of (outline level, text) blocks, level 0 for a paragraph, and meta.xml elements
    such as {"dc:title": ..., "meta:initial-creator": ..., "meta:creation-date": ...}."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"'
    )
    body = "".join(
        f'<text:h text:outline-level="{level}">{escape(text)}</text:h>' if level else f"<text:p>{escape(text)}</text:p>"
        for level, text in blocks
    )
    content = f'<?xml version="1.0"?><office:document-content {namespaces}><office:body><office:text>{body}'
    content += "</office:text></office:body></office:document-content>"
    fields = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in meta.items())
    meta_xml = f'<?xml version="1.0"?><office:document-meta {namespaces}><office:meta>{fields}</office:meta>'
    meta_xml += "</office:document-meta>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", meta_xml)
    return out.getvalue()


def make_email(subject: str, sender: str, to: str, date: str, *, text: str = "", html: str = "", cc: str = "") -> bytes:
    """An e-mail with a plain-text part, an HTML part, or both (alternatives)."""
    from email.message import EmailMessage

    message = EmailMessage()
    for name, value in (("Subject", subject), ("From", sender), ("To", to), ("Cc", cc), ("Date", date)):
        if value:
            message[name] = value
    if text:
        message.set_content(text)
    if html:
        (message.add_alternative if text else message.set_content)(html, subtype="html")
    return message.as_bytes()


def make_mbox(messages: list[bytes]) -> bytes:
    """An mbox mailbox of the messages, their body lines that start with "From " quoted."""
    import re

    return b"".join(
        b"From sender@example.org Mon Apr 11 09:30:00 2016\n" + re.sub(rb"(?m)^(>*From )", rb">\1", message) + b"\n"
        for message in messages
    )


FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


def scan_font(size: int):
    """A TrueType font with Cyrillic letters for rendering a page image, else Pillow's own (Latin only)."""
    from pathlib import Path

    from PIL import ImageFont

    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def render_page(lines: list[str], *, width: int = 1700, size: int = 40):
    """A white page image at about 200 dpi with the lines in black, as a scanner would give it."""
    from PIL import Image, ImageDraw

    font = scan_font(size)
    page = Image.new("L", (width, 120 + 2 * size * len(lines)), 255)
    draw = ImageDraw.Draw(page)
    for number, line in enumerate(lines):
        draw.text((80, 60 + 2 * size * number), line, fill=0, font=font)
    return page


def make_image(pages: list[list[str]], image_format: str = "PNG") -> bytes:
    """An image file of scanned pages: a PNG or JPEG of the first, a TIFF of every page."""
    import io

    images = [render_page(lines) for lines in pages]
    out = io.BytesIO()
    images[0].save(out, image_format, save_all=len(images) > 1, append_images=images[1:], dpi=(200, 200))
    return out.getvalue()


def make_scanned_pdf(pages: list[list[str]]) -> bytes:
    """A PDF whose pages are images of the lines, without a text layer: a scan."""
    import io

    images = [render_page(lines) for lines in pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=200)
    return out.getvalue()


def make_large_mbox(messages: int, attachment_bytes: int) -> bytes:
    """An mbox of `messages` short messages, message n saying "codeword<n>", each carrying an
    attachment of `attachment_bytes` in a format nothing reads (as mailboxes grow large)."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "Shipment report #N#"  # '#' is not in base64's alphabet: only these are replaced
    message["From"] = "Jane Doe <jane@example.org>"
    message["Date"] = "Tue, 12 Apr 2016 09:30:00 +0000"
    message.set_content("The shipment arrived in Riga. codeword#N#\n")
    payload = (bytes(range(256)) * (attachment_bytes // 256 + 1))[:attachment_bytes]
    message.add_attachment(payload, maintype="application", subtype="octet-stream", filename="scan.bin")
    template = message.as_bytes()
    return make_mbox([template.replace(b"#N#", str(number).encode()) for number in range(1, messages + 1)])
