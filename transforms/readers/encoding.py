"""Bytes -> str for HTML and text documents.

Chinese portals declare `gb2312` for pages that use GBK/GB18030 characters, omit the charset,
or send UTF-8 with a BOM. Order: BOM, strict UTF-8 (valid
UTF-8 with non-ASCII bytes is almost never another encoding), the declared charset (header, then
<meta>; GB2312/GBK widened to GB18030), strict GB18030, statistical detection (charset_normalizer),
and finally the declared charset with replacement characters.
"""

from __future__ import annotations

import codecs
import re

# declared names that are really a subset of a wider codec in practice
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
          "cp936": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "gb18030", "big5": "big5hkscs",
          "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "utf-8", "us-ascii": "utf-8"}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.IGNORECASE)


def normalise_codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _WIDER.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charsets(content: bytes, content_type: str = "") -> list[str]:
    out: list[str] = []
    m = _HEADER_CHARSET.search(content_type or "")
    if m:
        out.append(m.group(1))
    m = _META_CHARSET.search(content[:4096])
    if m:
        out.append(m.group(1).decode("ascii", "replace"))
    return [c for c in (normalise_codec(n) for n in out) if c]


def decode(content: bytes, content_type: str = "") -> tuple[str, str]:
    """Return (text, codec used). Never raises."""
    if content.startswith(codecs.BOM_UTF8):
        return content[3:].decode("utf-8", "replace"), "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16", "replace"), "utf-16"
    declared = declared_charsets(content, content_type)
    tried: list[str] = []
    for codec in ["utf-8", *declared, "gb18030"]:
        if codec in tried:
            continue
        tried.append(codec)
        try:
            return content.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(content[:200_000]).best()
        if best is not None and best.encoding:
            codec = normalise_codec(best.encoding) or best.encoding
            return content.decode(codec, "replace"), codec
    except Exception:  # detection is best effort
        pass
    codec = declared[0] if declared else "utf-8"
    return content.decode(codec, "replace"), codec
