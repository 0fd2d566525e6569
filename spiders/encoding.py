"""Decoding pages as browsers do, with the quirks of government sites.

Order: BOM, HTTP Content-Type charset, <meta> charset, the portal's hint, then a strict UTF-8
try and GB18030. Declared gb2312/gbk is decoded as GB18030 (a superset): many pages declared
gb2312 carry GBK-only characters (PORTALS.md §4). Raw bytes are what we archive; decoding is only
for finding links and titles.
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "cp936": "gb18030", "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "utf-8",
              "us-ascii": "utf-8", "utf8": "utf-8"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _canonical(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encoding(body: bytes, content_type: str = "") -> tuple[str | None, str]:
    """(encoding, where it came from) from BOM, header or meta, without guessing."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return enc, "bom"
    m = _HEADER.search(content_type or "")
    if m and _canonical(m.group(1)):
        return _canonical(m.group(1)), "header"
    m = _META.search(body[:4096])
    if m and _canonical(m.group(1).decode("ascii", "ignore")):
        return _canonical(m.group(1).decode("ascii", "ignore")), "meta"
    return None, ""


def decode_html(body: bytes, content_type: str = "", hint: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Never raises: undecodable bytes become U+FFFD."""
    enc, source = declared_encoding(body, content_type)
    if enc:
        if source == "bom":
            return body.decode(enc, errors="replace"), enc
        try:
            return body.decode(enc), enc
        except UnicodeDecodeError:
            pass  # the declaration is wrong (common); fall through to detection
    candidates = [c for c in (_canonical(hint), "utf-8", "gb18030") if c]
    for cand in dict.fromkeys(candidates):
        try:
            return body.decode(cand), cand
        except UnicodeDecodeError:
            continue
    return body.decode(enc or "gb18030", errors="replace"), enc or "gb18030"
