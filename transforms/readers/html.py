"""HTML pages -> text in reading order + expanded table grids.

- Tables: rowspan/colspan expanded (a merged cell's text is repeated in every slot it covers);
  a table that contains another table, has a single column, or a single row of long text is a
  layout table: its cells are read as blocks and only the inner tables become grids.
- Tables hidden in JavaScript strings (`document.write('<table>...')`, `var html = '...'`) and
  iframes' inline HTML (`srcdoc`) are parsed in place.
- Main content: scripts, styles and forms' widgets are dropped, then the reader descends from
  <body> into the child holding most of the non-link text while it holds >= 60% of it; the
  chosen block is widened until it contains every data table of the page. The article title
  (ArticleTitle, or the last <h1>/<h2> above the block) opens `text` when the block lacks it.
- `text`: one line per block; a table row is one line, cells joined by " | "; a cell's own
  line breaks are removed between CJK characters (Chinese wraps) and become spaces otherwise. `Table.char_offset` is the offset of the table's first row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

import lxml.html
from lxml import etree

from transforms.model import ReadDocument, Table
from transforms.readers.cells import expand_spans, join_wrapped
from transforms.readers.encoding import decode

CELL_SEPARATOR = " | "
MAX_SPAN = 500

_BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "pre", "dl", "dt", "dd", "hr", "center", "form",
    "address", "figure", "figcaption", "caption", "main", "aside", "tbody", "thead", "tfoot", "body",
    "fieldset", "legend", "details", "summary", "nav",
}
_DROP_TAGS = ("script", "style", "noscript", "template", "select", "option", "button", "textarea",
              "svg", "object", "embed", "audio", "video", "canvas", "map", "head", "iframe", "input")
_WS = re.compile(r"[ \t\r\n\f\v\xa0\u3000\u2002\u2003\u2009\ufeff]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060]")
_JS_STRING = re.compile(r"""'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`""", re.DOTALL)
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_HTML_IN_STRING = re.compile(r"<\s*(table|tr|td|p|div|span|br)\b", re.IGNORECASE)
_CJK_CHARS = re.compile(r"[\u4e00-\u9fff]")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "", "f": "", "v": "", "0": ""}


def clean_line(s: str) -> str:
    return _WS.sub(" ", _ZERO_WIDTH.sub("", s)).strip()


def _js_unescape(s: str) -> str:
    def repl(m: re.Match[str]) -> str:
        e = m.group(1)
        if e.startswith("u{"):
            return chr(int(e[2:-1], 16))
        if e[0] in "ux" and len(e) > 1:
            return chr(int(e[1:], 16))
        return _SIMPLE_ESCAPES.get(e, e)

    return _JS_ESCAPE.sub(repl, s)


def _script_html(script: etree._Element) -> str | None:
    """HTML carried by a script: a template script's body or the page's JS string literals."""
    body = script.text or ""
    if not body:
        return None
    stype = (script.get("type") or "").lower()
    if "html" in stype or "template" in stype:
        return body if _HTML_IN_STRING.search(body) else None
    if not _HTML_IN_STRING.search(body) and not re.search(r"%3Ctable", body, re.IGNORECASE):
        return None
    literals = [_js_unescape(next(g for g in m.groups() if g is not None)) for m in _JS_STRING.finditer(body)]
    literals = [unquote(x) if re.search(r"%3C", x, re.IGNORECASE) else x for x in literals]
    # from the first literal that holds markup on: ids and option strings before it are not content
    start = next((i for i, x in enumerate(literals) if _HTML_IN_STRING.search(x)), None)
    if start is None:
        return None
    joined = "".join(literals[start:])
    # widgets (share buttons, pop-ups) carry markup too: only tables or real text are content
    if re.search(r"<\s*table", joined, re.IGNORECASE) or len(_CJK_CHARS.findall(joined)) >= 30:
        return joined
    return None


def _fragment(markup: str) -> etree._Element | None:
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def _replace(old: etree._Element, new: etree._Element) -> None:
    new.tail = old.tail
    parent = old.getparent()
    if parent is not None:
        parent.replace(old, new)


def inline_embedded_html(root: etree._Element) -> int:
    """Replace scripts carrying HTML and iframes with srcdoc by the parsed HTML; return how many."""
    count = 0
    for script in list(root.iter("script")):
        markup = _script_html(script)
        frag = _fragment(markup) if markup else None
        if frag is not None:
            _replace(script, frag)
            count += 1
    for iframe in list(root.iter("iframe")):
        srcdoc = iframe.get("srcdoc")
        frag = _fragment(srcdoc) if srcdoc else None
        if frag is not None:
            body = frag.find(".//body")
            _replace(iframe, body if body is not None else frag)
            count += 1
    return count


def _own_rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _span(value: str | None) -> int:
    try:
        n = int(str(value).strip().rstrip(";"))
    except (TypeError, ValueError):
        return 1
    return min(max(n, 0), MAX_SPAN)


def _nested_tables(table: etree._Element) -> list[etree._Element]:
    return table.xpath(".//table")


@dataclass
class _Writer:
    """Accumulates lines; inline fragments are joined, blocks break lines."""

    lines: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    length: int = 0  # length of "\n".join(lines) plus the separating newline

    def add(self, s: str | None) -> None:
        if s:
            self.current.append(s)

    def newline(self) -> None:
        line = clean_line("".join(self.current))
        self.current = []
        if line:
            self.push(line)

    def push(self, line: str) -> None:
        self.length += len(line) + (1 if self.lines else 0)
        self.lines.append(line)

    def offset(self) -> int:
        return self.length + (1 if self.lines else 0)

    def text(self) -> str:
        self.newline()
        return "\n".join(self.lines)


class _Reader:
    def __init__(self) -> None:
        self.tables: list[Table] = []

    # -- cell text --------------------------------------------------------------------------
    def cell_text(self, cell: etree._Element) -> str:
        w = _Writer()
        self.walk_children(cell, w, in_cell=True)
        return join_wrapped(w.text().split("\n"))

    def grid(self, table: etree._Element) -> list[list[str]]:
        cells = [[(self.cell_text(cell), _span(cell.get("rowspan")), max(_span(cell.get("colspan")), 1))
                  for cell in tr.xpath("./td|./th")] for tr in _own_rows(table)]
        return [row for row in expand_spans(cells) if any(cell for cell in row)]

    def is_layout(self, table: etree._Element, rows: list[list[str]]) -> bool:
        if _nested_tables(table):
            return True
        if not rows:
            return True
        width = max(len(r) for r in rows)
        if width == 1:
            return True
        return len(rows) == 1 and any(len(c) > 200 for c in rows[0])

    # -- walking ----------------------------------------------------------------------------
    def walk_children(self, el: etree._Element, w: _Writer, in_cell: bool = False) -> None:
        w.add(el.text)
        for child in el:
            self.walk(child, w, in_cell)
            w.add(child.tail)

    def walk(self, el: etree._Element, w: _Writer, in_cell: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:  # comments, processing instructions
            return
        tag = tag.lower()
        if tag == "br":
            w.newline()
            return
        if tag == "table":
            self.table(el, w, in_cell)
            return
        if tag in ("td", "th"):
            w.newline()
            self.walk_children(el, w, in_cell)
            w.newline()
            return
        block = tag in _BLOCK_TAGS
        if block:
            w.newline()
        self.walk_children(el, w, in_cell)
        if block:
            w.newline()

    def table(self, el: etree._Element, w: _Writer, in_cell: bool) -> None:
        rows = self.grid(el) if not _nested_tables(el) else []
        w.newline()
        if self.is_layout(el, rows):
            for tr in _own_rows(el) or [el]:
                for cell in tr.xpath("./td|./th") if tr is not el else [el]:
                    w.newline()
                    self.walk_children(cell, w, in_cell)
                    w.newline()
            return
        offset = w.offset()
        for row in rows:
            w.push(CELL_SEPARATOR.join(row))
        if not in_cell:
            self.tables.append(Table(rows=rows, index=len(self.tables), source="html", char_offset=offset))
        else:
            # a data table inside a data-table cell: keep the grid, offsets are not meaningful
            self.tables.append(Table(rows=rows, index=len(self.tables), source="html"))


# -- main content -------------------------------------------------------------------------------
def _text_weights(root: etree._Element) -> dict[etree._Element, int]:
    """Non-link, non-space characters under each element."""
    weights: dict[etree._Element, int] = {}

    def visit(el: etree._Element, in_link: bool) -> int:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        link = in_link or tag == "a"
        total = 0 if link or not tag else len(_WS.sub("", el.text or ""))
        for child in el:
            total += visit(child, link)
            if not link:
                total += len(_WS.sub("", child.tail or ""))
        weights[el] = total
        return total

    visit(root, False)
    return weights


def _is_data_table(table: etree._Element) -> bool:
    if _nested_tables(table):
        return False
    rows = _own_rows(table)
    if len(rows) < 2:
        return False
    return max((len(r.xpath("./td|./th")) for r in rows), default=0) >= 2 and bool(
        re.search(r"\d", table.text_content()))


def main_content(body: etree._Element, share: float = 0.6) -> etree._Element:
    weights = _text_weights(body)
    node = body
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        if not children or weights.get(node, 0) == 0:
            break
        best = max(children, key=lambda c: weights.get(c, 0))
        if weights.get(best, 0) < share * weights[node] or best.tag in ("table", "tr", "tbody", "p"):
            break
        node = best
    if weights.get(node, 0) < 200:
        return body
    ancestors = set(node.iterancestors()) | {node}
    for table in body.iter("table"):
        if _is_data_table(table) and node not in set(table.iterancestors()):
            # widen to the lowest common ancestor
            for anc in table.iterancestors():
                if anc in ancestors:
                    node = anc
                    ancestors = set(node.iterancestors()) | {node}
                    break
    return node


# -- page metadata ------------------------------------------------------------------------------
_DATE_LABEL = re.compile(
    r"(发布时间|发布日期|发文日期|成文日期|公开日期|生成日期|更新日期|日期|时间)\s*[:：]?\s*"
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_INDEX_NUMBER = re.compile(r"索\s*引\s*号\s*[:：|]?\s*\|?\s*([0-9A-Za-z][0-9A-Za-z\-_/.]{5,})")


def page_meta(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for m in root.iter("meta"):
        name = m.get("name") or m.get("property") or m.get("http-equiv")
        content = m.get("content")
        if name and content is not None and content.strip():
            meta.setdefault(name.strip(), clean_line(content))
    return meta


def page_title(root: etree._Element, meta: dict[str, str]) -> str:
    for key in ("ArticleTitle", "articletitle", "og:title", "title", "Title"):
        if meta.get(key):
            return meta[key]
    for xp in ("//title", "//h1", "//h2"):
        for el in root.xpath(xp):
            t = clean_line(el.text_content())
            if t:
                return t
    return ""


def _heading_outside(body: etree._Element, node: etree._Element, meta: dict[str, str]) -> str | None:
    """The article's title when the main block leaves it out (it usually sits in an <h1> or a
    title div above the body): the page's ArticleTitle, else the last <h1>/<h2> before the block."""
    inside = clean_line(node.text_content())[:600]
    title = meta.get("ArticleTitle") or meta.get("og:title")
    if not title:
        before = []
        for el in body.iter("h1", "h2"):
            if el is node or node in set(el.iterancestors()):
                break
            if node not in set(el.iterancestors()):
                before.append(clean_line(el.text_content()))
        title = next((t for t in reversed(before) if 4 <= len(t) <= 80), None)
    if not title or node is body:
        return None
    title = clean_line(title)
    compact = re.sub(r"\s", "", title)
    return None if compact in re.sub(r"\s", "", inside) else title


def read_html(content: bytes, content_type: str = "") -> ReadDocument:
    text, codec = decode(content, content_type)
    if not text.strip():
        return ReadDocument(kind="html", text="", encoding=codec, status="empty", reason="blank page")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        return ReadDocument(kind="html", text="", encoding=codec, status="decode_error",
                            reason=f"HTML could not be parsed: {exc}")
    meta = page_meta(root)
    title = page_title(root, meta)
    embedded = inline_embedded_html(root)
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None:
            el.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    full = _Reader()
    w = _Writer()
    full.walk(body, w)
    page_text = w.text()
    node = main_content(body)
    reader = _Reader()
    w = _Writer()
    heading = _heading_outside(body, node, meta)
    if heading:
        w.push(heading)
    reader.walk(node, w)
    doc_text = w.text()
    reader.tables = join_split_headers(reader.tables)
    extra = _page_facts(page_text)
    for k, v in extra.items():
        meta.setdefault(k, v)
    if embedded:
        meta["embedded_html_blocks"] = str(embedded)
    meta["page_text_chars"] = str(len(page_text))
    return ReadDocument(kind="html", text=doc_text, tables=reader.tables, encoding=codec, title=title,
                        meta=meta)


_NUMERIC = re.compile(r"^\s*[+\-]?[\d０-９][\d０-９,，.]*\s*$")


def join_split_headers(tables: list[Table]) -> list[Table]:
    """A table holding only header rows right before a table of the same width (some sites print
    the header of 三 and its body as two tables) is one table: the body gets its headers."""
    out: list[Table] = []
    for t in tables:
        prev = out[-1] if out else None
        if (prev is not None and prev.char_offset is not None and t.char_offset is not None and prev.rows
                and t.rows and len(prev.rows[0]) == len(t.rows[0]) > 2
                and all(len(r) == len(prev.rows[0]) for r in prev.rows)
                and not any(_NUMERIC.match(c) for r in prev.rows for c in r)
                and t.char_offset == prev.char_offset + len("\n".join(CELL_SEPARATOR.join(r) for r in prev.rows)) + 1):
            out[-1] = Table(rows=prev.rows + t.rows, index=prev.index, source=prev.source, page=prev.page,
                            char_offset=prev.char_offset)
            continue
        out.append(t)
    for i, t in enumerate(out):
        t.index = i
    return out


def _page_facts(page_text: str) -> dict[str, str]:
    """Dates and index numbers printed around the article (outside the main block)."""
    out: dict[str, str] = {}
    m = _DATE_LABEL.search(page_text)
    if m:
        y, mo, d = int(m.group(2)), int(m.group(3)), int(m.group(4))
        if 1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
            out["page_date"] = f"{y:04d}-{mo:02d}-{d:02d}"
    m = _INDEX_NUMBER.search(page_text)
    if m:
        out["index_number"] = m.group(1)
    return out
