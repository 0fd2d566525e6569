"""Plain-text captures: decoded and kept exactly as captured (tables stay flattened)."""

from __future__ import annotations

from transforms.model import ReadDocument
from transforms.readers.encoding import decode


def read_text(content: bytes, content_type: str = "") -> ReadDocument:
    text, codec = decode(content, content_type)
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    status, reason = ("ok", "") if text.strip() else ("empty", "no text")
    return ReadDocument(kind="text", text=text, encoding=codec, title=first[:200], status=status, reason=reason)
