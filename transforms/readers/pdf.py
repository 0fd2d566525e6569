"""PDF -> text + table grids with PyMuPDF.

- Tables: `page.find_tables()` grids that are drawn with rulings (white background boxes are
  not tables); merged cells (None slots) are filled with the text of the cell
  that covers them (found from cell boxes); line breaks inside a cell are wrap artefacts and
  are removed between CJK characters (a vertical header printed one character per line reads
  as one word).
- A table that starts at the top of a page right after a table that ended the previous page
  is its continuation: with the same column count its rows are appended; with a different
  column count (a header fragment left on the previous page) every fragment is re-gridded onto
  the columns of the widest fragment by x position. Running headers and footers (margin lines
  repeated on several pages, digits folded: print date, title, URL, "3/14") are ignored.
- Text: lines outside tables in reading order; runs on one baseline (an unruled table row) form
  one line joined by two spaces; a full-width line that reaches the right margin is joined to
  the next one (paragraph wrap) unless the next starts a heading or is indented; each table is
  flattened inline at its position (one row per line, cells joined by " | ").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.model import ReadDocument, Table
from transforms.readers.cells import cell_text, drop_empty_rows, join_wrapped
from transforms.readers.pdf_unruled import text_grids

CELL_SEPARATOR = " | "
MAX_PAGES = 500
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|"
                      r"\d+[.、．]|第[一二三四五六七八九十]+[章节部分])")
_EPS = 2.0
MIN_RULINGS = 4          # border strokes a find_tables grid needs to count as a real table
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")


@dataclass
class _Fragment:
    page: int
    bbox: tuple[float, float, float, float]
    cols: list[tuple[float, float]]                       # x ranges of the columns
    spans: list[tuple[int, int, int, int, str, tuple]] = field(default_factory=list)  # r0,r1,c0,c1,text,bbox
    n_rows: int = 0
    debris: list[tuple[tuple, str]] = field(default_factory=list)  # unruled text above the grid
    source: str = "pdf"                                   # pdf_text: rebuilt from word positions

    def grid(self) -> list[list[str]]:
        rows = [[""] * len(self.cols) for _ in range(self.n_rows)]
        for r0, r1, c0, c1, text, _ in self.spans:
            for r in range(r0, _row_span_end(r0, r1, text)):
                for c in range(c0, c1):
                    rows[r][c] = text
        return rows


_NUMBER_CELL = re.compile(r"^\s*[+\-－]?\s*[\d０-９][\d０-９,，.．]*\s*(?:件|条|万元|元)?\s*$")


def _row_span_end(r0: int, r1: int, text: str) -> int:
    """A number is not repeated down a cell that spans rows: a cell found over several data rows
    is more often an empty cell whose border the PDF did not draw than a real merged number."""
    return r0 + 1 if r1 - r0 > 1 and _NUMBER_CELL.match(text or "") else r1


def _is_ruling(drawing: dict) -> bool:
    """A stroked path, or a thin filled bar that is not white (how Chromium draws borders).
    White filled boxes (paragraph backgrounds) are not rulings: find_tables turns them into
    one-line pseudo tables, which are dropped."""
    rect = drawing["rect"]
    if drawing.get("color") is not None and "s" in drawing.get("type", ""):
        return True  # any stroke (width 0 is PDF's thinnest visible line)
    fill = drawing.get("fill")
    if fill is not None and tuple(round(x, 2) for x in fill) != (1.0, 1.0, 1.0):
        return min(rect.width, rect.height) <= 2.5
    return False


def _ruled_tables(page) -> list:
    import pymupdf

    rulings = [d["rect"] for d in page.get_drawings() if _is_ruling(d)]
    out = []
    for t in page.find_tables().tables:
        box = pymupdf.Rect(t.bbox)
        if sum(1 for r in rulings if box.intersects(r) or box.contains(r)) >= MIN_RULINGS:
            out.append(t)
    return out


def _fragment(page_no: int, table) -> _Fragment | None:
    rows = table.rows
    if not rows:
        return None
    texts = table.extract()
    n_cols = max(len(r.cells) for r in rows)
    # column left edges: the smallest x0 seen at each column index
    lefts: list[float | None] = [None] * n_cols
    for row in rows:
        for c, box in enumerate(row.cells):
            if box is not None and (lefts[c] is None or box[0] < lefts[c]):
                lefts[c] = box[0]
    x0, y0, x1, y1 = table.bbox
    for c in range(n_cols):
        if lefts[c] is None:
            lefts[c] = lefts[c - 1] + _EPS if c else x0
    cols = [(lefts[c], lefts[c + 1] if c + 1 < n_cols else x1) for c in range(n_cols)]
    tops = [r.bbox[1] for r in rows]
    frag = _Fragment(page=page_no, bbox=tuple(table.bbox), cols=cols, n_rows=len(rows))
    for r, row in enumerate(rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue
            c1 = c + 1
            while c1 < n_cols and cols[c1][0] < box[2] - _EPS:
                c1 += 1
            r1 = r + 1
            while r1 < len(rows) and tops[r1] < box[3] - _EPS:
                r1 += 1
            raw = texts[r][c] if r < len(texts) and c < len(texts[r]) else ""
            frag.spans.append((r, r1, c, c1, cell_text(raw), tuple(box)))
    return frag


def _regrid(frag: _Fragment, cols: list[tuple[float, float]]) -> list[list[str]]:
    """Place a fragment's cells onto other column ranges by x overlap."""
    rows = [[""] * len(cols) for _ in range(frag.n_rows)]
    for r0, r1, _c0, _c1, text, box in frag.spans:
        for c, (cx0, cx1) in enumerate(cols):
            centre = (cx0 + cx1) / 2
            if box[0] - _EPS <= centre <= box[2] + _EPS:
                for r in range(r0, _row_span_end(r0, r1, text)):
                    rows[r][c] = text
    return rows


@dataclass
class _Item:
    page: int
    y: float
    kind: str               # line | table
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    table: int = -1
    segments: int = 1       # text runs on this visual row (> 1: columns of an unruled table)


def _visual_rows(items: list[_Item]) -> list[_Item]:
    """Lines printed on the same baseline (cells of a table without rulings) become one line,
    runs separated by two spaces, so rows stay rows and are never joined as paragraph wraps."""
    out: list[_Item] = []
    row: list[_Item] = []

    def close() -> None:
        if not row:
            return
        if len(row) == 1:
            out.append(row[0])
        else:
            row.sort(key=lambda it: it.x0)
            out.append(_Item(page=row[0].page, y=min(it.y for it in row), kind="line",
                             text="  ".join(it.text.strip() for it in row), x0=row[0].x0, x1=row[-1].x1,
                             size=max(it.size for it in row), segments=len(row)))
        row.clear()

    for it in items:
        if (it.kind == "line" and row and it.page == row[0].page
                and abs(it.y - row[0].y) < 0.5 * max(it.size, row[0].size)):
            row.append(it)
            continue
        close()
        if it.kind == "line":
            row.append(it)
        else:
            out.append(it)
    close()
    return out


def _inside(box, tb) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return tb[0] - _EPS <= cx <= tb[2] + _EPS and tb[1] - _EPS <= cy <= tb[3] + _EPS


def read_pdf(content: bytes) -> ReadDocument:
    import pymupdf

    if hasattr(pymupdf, "no_recommend_layout"):
        pymupdf.no_recommend_layout()  # keep stdout clean (the evaluation prints JSON there)

    if b"%%EOF" not in content[-4096:]:
        return ReadDocument(kind="pdf", text="", status="decode_error",
                            reason="PDF is truncated (no %%EOF marker at the end)")
    try:
        doc = pymupdf.open(stream=content, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for corrupt files
        return ReadDocument(kind="pdf", text="", status="decode_error", reason=f"PDF could not be opened: {exc}")
    try:
        if doc.needs_pass:
            return ReadDocument(kind="pdf", text="", status="encrypted", reason="PDF is password-protected")
        if doc.page_count == 0:
            return ReadDocument(kind="pdf", text="", status="decode_error", reason="PDF has no pages")
        if doc.page_count > MAX_PAGES:
            return ReadDocument(kind="pdf", text="", status="too_large",
                                reason=f"PDF has {doc.page_count} pages (limit {MAX_PAGES})")
        return _read_pages(doc)
    except Exception as exc:
        return ReadDocument(kind="pdf", text="", status="decode_error", reason=f"PDF could not be read: {exc}")
    finally:
        doc.close()


def _columns_of(box, cols: list[tuple[float, float]]) -> list[int]:
    """Columns a cell box covers: those whose centre lies inside it, else the one holding its centre."""
    hit = [c for c, (x0, x1) in enumerate(cols) if box[0] - _EPS <= (x0 + x1) / 2 <= box[2] + _EPS]
    if hit:
        return hit
    centre = (box[0] + box[2]) / 2
    return [c for c, (x0, x1) in enumerate(cols) if x0 - _EPS <= centre <= x1 + _EPS][:1]


def _top_spans(frag: _Fragment, cols: list[tuple[float, float]]) -> list[int]:
    """Per column: rows covered by an empty cell in the first row, or all rows when no cell of
    the fragment lies in the column: a merged cell continued from the previous page, whose
    text was printed there."""
    out = [0] * len(cols)
    covered = [False] * len(cols)
    for r0, r1, _c0, _c1, text, box in frag.spans:
        for c in _columns_of(box, cols):
            covered[c] = True
            if r0 == 0 and not text:
                out[c] = max(out[c], r1 - r0)
    return [n if covered[c] else frag.n_rows for c, n in enumerate(out)]


_NUMBER = re.compile(r"[-+－]?\d[\d,，.]*\s*(?:元|万元|%|件|条)?")


def _is_number(cell: str) -> bool:
    return bool(_NUMBER.fullmatch(cell.strip()))


def _is_split_row(prev: list[str], first: list[str]) -> bool:
    """The first row of a continuation is the rest of the previous page's last row: it has no
    numbers, is empty wherever the previous row has numbers, and continues some label."""
    if not any(_is_number(c) for c in prev) or any(_is_number(c) for c in first):
        return False
    if any(first[c].strip() for c in range(len(first)) if c < len(prev) and _is_number(prev[c])):
        return False
    return any(first[c].strip() and prev[c].strip() for c in range(min(len(first), len(prev))))


def _join_rows(prev: list[str], extra: list[str]) -> list[str]:
    return [join_wrapped([a, b]) if b.strip() and b.strip() != a.strip() else a for a, b in zip(prev, extra, strict=False)]


def _merge_group(group: list[_Fragment]) -> list[list[str]]:
    base = max(group, key=lambda f: len(f.cols))
    cols = base.cols
    rows: list[list[str]] = []
    for i, frag in enumerate(group):
        grid = frag.grid() if len(frag.cols) == len(cols) else _regrid(frag, cols)
        if i == 0:
            rows.extend(grid)
            continue
        top = _top_spans(frag, cols)
        if frag.debris and rows:
            extra = [""] * len(cols)
            for box, text in sorted(frag.debris, key=lambda d: d[0][1]):
                for c in _columns_of(box, cols)[:1]:
                    extra[c] = join_wrapped([extra[c], text])
            rows[-1] = _join_rows(rows[-1], extra)
        if rows and grid and _is_split_row(rows[-1], grid[0]):
            rows[-1] = _join_rows(rows[-1], grid[0])
            grid = grid[1:]
            top = [max(0, n - 1) for n in top]
        if rows:
            for c, n in enumerate(top):
                for r in range(min(n, len(grid))):
                    # a label cell runs on across the page break; a number does not (the empty
                    # cell below it is an empty cell)
                    if not grid[r][c].strip() and not _is_number(rows[-1][c]):
                        grid[r][c] = rows[-1][c]
        rows.extend(grid)
    return drop_empty_rows(rows)


def _can_continue(prev: _Fragment, frag: _Fragment) -> bool:
    """Grids rebuilt from words continue only onto the same columns: their cells carry no
    border box, so laying them on other columns by x could put a number in two columns."""
    if "pdf_text" not in (prev.source, frag.source):
        return True
    return (prev.source == frag.source and len(prev.cols) == len(frag.cols)
            and all(abs((a[0] + a[1]) / 2 - (b[0] + b[1]) / 2) < 12 for a, b in zip(prev.cols[-1:], frag.cols[-1:], strict=True))
            and all(abs(a[0] - b[0]) < 12 for a, b in zip(prev.cols[1:], frag.cols[1:], strict=True)))


def _margin_key(line: dict, text: str, height: float) -> str | None:
    """Normalised text of a line in the top/bottom margin (digits folded), else None."""
    y0, y1 = line["bbox"][1], line["bbox"][3]
    if y0 > 0.9 * height or y1 < 0.08 * height:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))
    return None


_DIGIT = re.compile(r"[0-9０-９]")


def _line_text(line: dict) -> str:
    """A line's text (rawdict). Numbers of adjacent borderless cells printed against each other
    (full-width ３１１２０ for ３１ | １２ | ０) are cut where two digits stand a quarter character apart."""
    out: list[str] = []
    prev = None
    for span in line.get("spans", []):
        size = span.get("size", 10.0)
        for ch in span.get("chars", []):
            if (prev is not None and _DIGIT.match(ch["c"]) and _DIGIT.match(prev["c"])
                    and ch["bbox"][0] - prev["bbox"][2] > 0.25 * size):
                out.append("  ")
            out.append(ch["c"])
            prev = ch
    return "".join(out)


def _rejoin_wrapped_numbers(lines: list[tuple]) -> list[tuple]:
    """A number too wide for its borderless cell wraps digit by digit (full-width ２ over ３ for
    ２３), its pieces printed above and below the row's other numbers, overlapping them. Number
    lines on baselines that overlap form a cluster; the pieces over one another (x ranges that
    meet) are joined top to bottom on the row's baseline (the one holding most numbers). A
    cluster not of that shape (no single row baseline, two pieces side by side) has its numbers
    removed: a lost row is flagged downstream, a mis-joined one would be wrong. Numbers side by
    side are kept clear of the margin keys (a row at the top of a page is not a page number)."""
    def box(k: int) -> tuple:
        return lines[k][0]["bbox"]

    nums = sorted((k for k, (_ln, t, _key) in enumerate(lines) if _NUMBER_CELL.match(t)),
                  key=lambda k: (box(k)[1] + box(k)[3]) / 2)
    bases: list[list[int]] = []
    for k in nums:
        h = box(k)[3] - box(k)[1]
        if bases and abs((box(k)[1] + box(k)[3]) / 2 - (box(bases[-1][0])[1] + box(bases[-1][0])[3]) / 2) < 0.25 * h:
            bases[-1].append(k)
        else:
            bases.append([k])
    clusters: list[list[list[int]]] = []
    for b in bases:
        top, h = min(box(k)[1] for k in b), max(box(k)[3] - box(k)[1] for k in b)
        if clusters and top < max(box(k)[3] for k in clusters[-1][-1]) - 0.1 * h:
            clusters[-1].append(b)
        else:
            clusters.append([b])
    drop: set[int] = set()
    # numbers side by side on one baseline are a table row, not a page number in the margin
    replace: dict[int, tuple] = {k: (lines[k][0], lines[k][1], None) for b in bases if len(b) > 1 for k in b}
    for cl in clusters:
        if len(cl) == 1:
            continue
        counts = sorted((len(b) for b in cl), reverse=True)
        main = max(cl, key=len)
        ks = [k for b in cl for k in b]
        groups: list[list[int]] = []
        for k in sorted(ks, key=lambda k: box(k)[0]):
            if groups and box(k)[0] <= max(box(j)[2] for j in groups[-1]):
                groups[-1].append(k)
            else:
                groups.append([k])
        ok = len(cl) <= 3 and counts[0] > counts[1] and (len(cl) < 3 or cl[1] is main) and all(
            len({next(i for i, b in enumerate(cl) if k in b) for k in g}) == len(g) for g in groups)
        if not ok:
            drop.update(ks)
            continue
        y0, y1 = min(box(k)[1] for k in main), max(box(k)[3] for k in main)
        for g in groups:
            g.sort(key=lambda k: box(k)[1])
            ln = lines[g[0]][0]
            bbox = (min(box(k)[0] for k in g), y0, max(box(k)[2] for k in g), y1)
            size = max((s.get("size", 10.0) for s in ln.get("spans", [])), default=10.0)
            replace[g[0]] = ({"bbox": bbox, "spans": [{"size": size}]}, "".join(lines[k][1] for k in g), None)
            drop.update(g[1:])
    return [replace.get(k, x) for k, x in enumerate(lines) if k not in drop]


def _read_pages(doc) -> ReadDocument:
    fragments: list[_Fragment] = []
    items: list[_Item] = []
    pages = []
    margin_pages: dict[str, set[int]] = {}
    for page_no, page in enumerate(doc, start=1):
        page_frags = []
        for t in _ruled_tables(page):
            frag = _fragment(page_no, t)
            if frag is not None and frag.n_rows:
                page_frags.append(frag)
        if not page_frags:
            page_frags = [_Fragment(page=page_no, bbox=g.bbox, cols=g.cols, n_rows=g.n_rows, source="pdf_text",
                                    spans=[(r, r + 1, c, c + 1, text, box) for r, c, text, box in g.cells])
                          for g in text_grids(page)]
        page_frags.sort(key=lambda f: f.bbox[1])
        lines = []
        for block in page.get_text("rawdict", sort=True).get("blocks", []):
            for line in block.get("lines", []):
                text = _line_text(line)
                if not text.strip() or any(_inside(line["bbox"], f.bbox) for f in page_frags):
                    continue
                key = _margin_key(line, text, page.rect.height)
                if key is not None:
                    margin_pages.setdefault(key, set()).add(page_no)
                lines.append((line, text, key))
        pages.append((page_no, page_frags, _rejoin_wrapped_numbers(lines)))
    # running headers and footers (print date, title, URL, "1/14"): margin lines repeated on other
    # pages, and lone page numbers; they would break table continuations and paragraphs
    running = {k for k, on in margin_pages.items() if len(on) >= 2 or _PAGE_NUMBER.match(k.replace("#", "1"))}
    prev_page_ends_with_table = False
    for page_no, page_frags, all_lines in pages:
        lines = [(ln, t) for ln, t, key in all_lines if key is None or key not in running]
        if page_frags and prev_page_ends_with_table:
            # header cells cut by the page break leave their lower part above the continuation
            # grid without rulings: short lines above the first grid and within its width
            top = page_frags[0]
            above = [(ln, t) for ln, t in lines if ln["bbox"][3] <= top.bbox[1] + _EPS]
            if above and all(len(t.strip()) <= 8 and top.bbox[0] - _EPS <= (ln["bbox"][0] + ln["bbox"][2]) / 2
                             <= top.bbox[2] + _EPS for ln, t in above):
                top.debris = [(tuple(ln["bbox"]), t) for ln, t in above]
                lines = [x for x in lines if x not in above]
        for frag in page_frags:
            fragments.append(frag)
            items.append(_Item(page=page_no, y=frag.bbox[1], kind="table", x0=frag.bbox[0],
                               table=len(fragments) - 1))
        for line, text in lines:
            size = max((s["size"] for s in line["spans"]), default=10.0)
            items.append(_Item(page=page_no, y=line["bbox"][1], kind="line", text=text,
                               x0=line["bbox"][0], x1=line["bbox"][2], size=size))
        last_table_end = max((f.bbox[3] for f in page_frags), default=None)
        prev_page_ends_with_table = last_table_end is not None and not any(
            ln["bbox"][1] >= last_table_end - _EPS for ln, _ in lines)
    items.sort(key=lambda it: (it.page, round(it.y, 1), it.x0))
    right_edge: dict[int, float] = {}
    left_edge: dict[int, float] = {}
    for it in items:
        if it.kind == "line":
            right_edge[it.page] = max(right_edge.get(it.page, 0.0), it.x1)
            left_edge[it.page] = min(left_edge.get(it.page, 1e9), it.x0)

    # tables: a grid that opens a page right after a grid that closed the previous page continues it
    groups: list[list[int]] = []
    prev_table_item: _Item | None = None
    last_kind_before: str | None = None
    for it in items:
        if it.kind == "table":
            continues = (prev_table_item is not None and last_kind_before == "table"
                         and it.page == prev_table_item.page + 1
                         and _can_continue(fragments[prev_table_item.table], fragments[it.table]))
            if continues:
                groups[-1].append(it.table)
            else:
                groups.append([it.table])
            prev_table_item = it
            last_kind_before = "table"
        else:
            last_kind_before = "line"
    table_of_fragment: dict[int, int] = {}
    grids: list[list[list[str]]] = []
    for g in groups:
        for fi in g:
            table_of_fragment[fi] = len(grids)
        grids.append(_merge_group([fragments[fi] for fi in g]))

    items = _visual_rows(items)

    # text assembly
    lines: list[str] = []
    current: list[str] = []
    length = 0
    tables: list[Table] = []
    emitted: set[int] = set()
    prev: _Item | None = None

    def flush() -> None:
        nonlocal current, length
        line = join_wrapped(current) if current else ""
        current = []
        if line.strip():
            length += len(line) + (1 if lines else 0)
            lines.append(line)

    for it in items:
        if it.kind == "table":
            flush()
            prev = None
            ti = table_of_fragment[it.table]
            if ti in emitted:
                continue
            emitted.add(ti)
            offset = length + (1 if lines else 0)
            tables.append(Table(rows=grids[ti], index=len(tables), source=fragments[it.table].source,
                                page=fragments[it.table].page, char_offset=offset))
            for row in grids[ti]:
                flush_line = CELL_SEPARATOR.join(row)
                length += len(flush_line) + (1 if lines else 0)
                lines.append(flush_line)
            continue
        wrap = (prev is not None
                and prev.segments == 1 and it.segments == 1
                and prev.x1 >= right_edge.get(prev.page, 0) - 2 * prev.size
                and prev.x0 <= left_edge.get(prev.page, 0) + 2.5 * prev.size
                and not _HEADING.match(it.text)
                and it.x0 <= left_edge.get(it.page, 0) + it.size * 0.8)
        if not wrap:
            flush()
        current.append(it.text)
        prev = it
    flush()
    text = "\n".join(lines)
    meta = {k: v for k, v in (doc.metadata or {}).items() if isinstance(v, str) and v}
    status, reason = "ok", ""
    if len(re.sub(r"\s", "", text)) < 20:
        status, reason = "empty", "PDF has no text layer (scanned images?); OCR is not attempted"
    return ReadDocument(kind="pdf", text=text, tables=tables, title=meta.get("title", ""), meta=meta,
                        status=status, reason=reason)
