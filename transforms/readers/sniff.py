"""Decide what kind of document a byte string is.

Order of evidence: magic bytes first (a portal often serves a PDF as text/html or names a DOCX
`.doc`), then the HTTP Content-Type, then the URL extension.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

# kinds understood by `transforms.readers.read`; anything else is unsupported
KINDS = ("html", "pdf", "docx", "doc", "wps", "rtf", "xls", "xlsx", "text")

_CONTENT_TYPES = (
    ("application/pdf", "pdf"),
    ("wordprocessingml", "docx"),
    ("application/msword", "doc"),
    ("application/vnd.ms-works", "wps"),
    ("application/kswps", "wps"),
    ("application/wps", "wps"),
    ("spreadsheetml", "xlsx"),
    ("application/vnd.ms-excel", "xls"),
    ("application/rtf", "rtf"),
    ("text/rtf", "rtf"),
    ("application/ofd", "ofd"),
    ("text/html", "html"),
    ("application/xhtml", "html"),
    ("text/plain", "text"),
    ("image/", "image"),
    ("application/zip", "zip"),
    ("application/x-rar", "archive"),
    ("application/x-7z", "archive"),
)

_EXTENSIONS = {
    "pdf": "pdf", "docx": "docx", "doc": "doc", "wps": "wps", "rtf": "rtf", "xls": "xls",
    "xlsx": "xlsx", "et": "xls", "ofd": "ofd", "htm": "html", "html": "html", "shtml": "html",
    "jhtml": "html", "jsp": "html", "asp": "html", "aspx": "html", "php": "html", "txt": "text",
    "jpg": "image", "jpeg": "image", "png": "image", "gif": "image", "bmp": "image", "tif": "image",
    "tiff": "image", "zip": "zip", "rar": "archive", "7z": "archive",
}

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|table|div|script)\b",
                         re.IGNORECASE | re.DOTALL)

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _strip_bom(head: bytes) -> bytes:
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            if bom != _BOMS[0]:
                # utf-16: keep only ASCII bytes so the HTML test below still works
                head = head.replace(b"\x00", b"")
            break
    return head


def _zip_kind(content: bytes) -> str:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        # a truncated OOXML file still names its parts near the start
        head = content[:4096]
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
        return "ofd"
    if "mimetype" in names and "content.xml" in names:
        return "odf"
    return "zip"


def _ole_kind(content: bytes) -> str:
    head = content[:1 << 20]
    if "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head:
        return "encrypted_office"
    if "WordDocument".encode("utf-16-le") in head:
        return "doc"
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return "xls"
    if "PowerPoint".encode("utf-16-le") in head:
        return "ppt"
    return "ole"


def magic_kind(content: bytes) -> str | None:
    """Kind from the bytes themselves, or None when they do not say."""
    head = content[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in content[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(content)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _ole_kind(content)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head.startswith((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")):
        return "archive"
    if _HTML_START.match(_strip_bom(head)):
        return "html"
    return None


def content_type_kind(content_type: str) -> str | None:
    ct = (content_type or "").lower()
    for needle, kind in _CONTENT_TYPES:
        if needle in ct:
            return kind
    return None


def extension_kind(url: str) -> str | None:
    path = urlparse(url or "").path.lower()
    if "." not in path.rsplit("/", 1)[-1]:
        return None
    return _EXTENSIONS.get(path.rsplit(".", 1)[-1])


def looks_like_html(content: bytes) -> bool:
    """Markup deep inside a text-typed body (tables pasted without a doctype)."""
    head = content[:8192].lower()
    return sum(head.count(t) for t in (b"<p", b"<div", b"<table", b"<br", b"<span", b"<td")) >= 3


def _looks_binary(content: bytes) -> bool:
    head = content[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return b"\x00" in head or controls > len(head) * 0.05


def sniff(content: bytes, content_type: str = "", url: str = "") -> str:
    """Best guess of the document kind (see module doc for the order of evidence)."""
    kind = magic_kind(content)
    if kind:
        return kind
    kind = content_type_kind(content_type) or extension_kind(url)
    if kind in ("html", "text", None) and looks_like_html(content):
        return "html"
    if kind in ("text", None) and _looks_binary(content):
        return "binary"
    if kind in ("pdf", "docx", "xlsx", "doc", "xls", "wps", "ofd", "image"):
        # the header says binary but the bytes do not: a truncated or mislabelled file
        return kind
    return kind or "text"
