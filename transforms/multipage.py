"""Articles split over several HTML pages (TRS `createPageHTML`, `_1.html`, `_2.html` ...).

The crawler stores each page as its own document (role `page_part`, same `report_url` as the
first page). One page alone holds only part of the tables (section 四 often starts on page
two), so the pages are joined into one HTML document before extraction: the first page's
head and body, followed by the body content of every continuation page, re-encoded as UTF-8.
"""

from __future__ import annotations

import re

import lxml.html

_PART_NUMBER = re.compile(r"_(\d+)\.[A-Za-z]+$")
FALLBACK_ENCODINGS = ("utf-8", "gb18030")


def part_order(url: str) -> tuple[int, str]:
    """`t2021_1005_2.html` -> 2 (pages sort by number, not as text)."""
    m = _PART_NUMBER.search(url or "")
    return (int(m.group(1)) if m else 0, url or "")


def decode(content: bytes, encoding: str | None) -> str:
    """Decode with the encoding the crawler used, else UTF-8, else GB18030 (a superset of GBK)."""
    for enc in ((encoding,) if encoding else ()) + FALLBACK_ENCODINGS:
        try:
            return content.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("gb18030", errors="replace")


def join_pages(pages: list[tuple[bytes, str | None]]) -> bytes:
    """One UTF-8 HTML document from (bytes, encoding) pages, in reading order."""
    trees = [lxml.html.document_fromstring(decode(content, enc)) for content, enc in pages]
    main = trees[0]
    body = main.body
    for tree in trees[1:]:
        for child in list(tree.body):
            body.append(child)
    for meta in main.xpath("//meta[@charset] | //meta[translate(@http-equiv, 'CONTENT-TYP', 'content-typ')"
                           "='content-type']"):
        meta.getparent().remove(meta)
    charset = lxml.html.Element("meta")
    charset.set("charset", "utf-8")
    main.head.insert(0, charset)
    return lxml.html.tostring(main, encoding="utf-8", doctype="<!DOCTYPE html>")
