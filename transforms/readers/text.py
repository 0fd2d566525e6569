"""Plain-text captures: decoded and kept exactly as captured (tables stay flattened)."""

from __future__ import annotations

from transforms.model import ReadDocument
from transforms.readers.encoding import decode

TITLE_MAX_CHARS = 80


def read_text(content: bytes, content_type: str = "") -> ReadDocument:
    text, codec = decode(content, content_type)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first if len(first) <= TITLE_MAX_CHARS else ""  # a long first line is a paragraph
    status, reason = ("ok", "") if text.strip() else ("empty", "no text")
    return ReadDocument(kind="text", text=text, encoding=codec, title=first, status=status, reason=reason)
