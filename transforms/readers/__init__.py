"""Readers: document bytes -> `ReadDocument` (text in reading order + table grids).

`read(doc)` never raises: bad input comes back with a status from
`transforms.model.DOCUMENT_STATUSES` and a human-readable reason.
"""

from __future__ import annotations

from transforms.model import ReadDocument, SourceDocument
from transforms.readers.errors import error_page_reason
from transforms.readers.sniff import sniff

MAX_BYTES = 50 * 1024 * 1024   # larger documents get status too_large (reports are < 20 MB)

_UNSUPPORTED = {
    "ofd": "OFD (China's fixed-layout format) is not supported; convert to PDF first",
    "image": "image document: OCR is not supported",
    "zip": "ZIP archive: unpack it and read the documents inside",
    "archive": "compressed archive (rar/7z/gzip): unpack it and read the documents inside",
    "odf": "OpenDocument files are not supported",
    "ppt": "PowerPoint files are not supported",
    "ole": "unknown OLE2 (legacy Office) document",
    "binary": "unknown binary format (no known signature)",
}


def _read(doc: SourceDocument, kind: str) -> ReadDocument:
    content = doc.content
    if kind == "html":
        from transforms.readers.html import read_html

        out = read_html(content, doc.content_type)
    elif kind == "text":
        from transforms.readers.text import read_text

        out = read_text(content, doc.content_type)
    elif kind == "pdf":
        from transforms.readers.pdf import read_pdf

        return read_pdf(content)
    elif kind == "docx":
        from transforms.readers.office import read_docx

        return read_docx(content)
    elif kind in ("doc", "wps", "rtf"):
        from transforms.readers.office import read_legacy_word

        return read_legacy_word(content, kind)
    elif kind in ("xls", "xlsx"):
        from transforms.readers.sheets import read_sheets

        return read_sheets(content, kind)
    elif kind == "encrypted_office":
        return ReadDocument(kind="office", text="", status="encrypted", reason="password-protected Office file")
    else:
        return ReadDocument(kind=kind, text="", status="unsupported_format",
                            reason=_UNSUPPORTED.get(kind, f"unsupported document kind {kind!r}"))
    if out.status == "ok":
        raw = content[:200_000].decode(out.encoding or "utf-8", "replace")
        reason = error_page_reason(raw, out.text, out.title)
        if reason:
            out.status, out.reason = "error_page", reason
    return out


def read(doc: SourceDocument) -> ReadDocument:
    """Read a document into text and tables; see the module docs of each reader for details."""
    content = doc.content or b""
    if len(content) > MAX_BYTES:
        return ReadDocument(kind="unknown", text="", status="too_large",
                            reason=f"{len(content)} bytes (limit {MAX_BYTES})")
    if not content.strip():
        return ReadDocument(kind="unknown", text="", status="empty", reason="no bytes")
    kind = sniff(content, doc.content_type, doc.url)
    try:
        return _read(doc, kind)
    except Exception as exc:  # a reader bug must not stop a run
        return ReadDocument(kind=kind, text="", status="failed", reason=f"{type(exc).__name__}: {exc}")


__all__ = ["MAX_BYTES", "read"]
