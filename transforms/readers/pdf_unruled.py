"""Table grids rebuilt from word positions on PDF pages without rulings.

A page printed from an HTML table without borders has no lines for `find_tables`. Its rows are
found from the numbers instead: a line whose words end in two or more numbers is a data row; the
numbers' x ranges, merged across rows, are the value columns; everything left of them is the row
label. Label words on other lines (a label wrapped over several lines, centred or top-aligned
against its numbers) belong to the nearest data row; lines above the first data row are the
header, each word placed in the value column under its centre (stacked levels bottom-aligned).
When any word cannot be placed without doubt (a label word half-way between two rows, a word
over the value columns in the body, two numbers in one column) the block yields no grid and its
lines stay in the page text: a lost cell is flagged downstream, a guessed one would be wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(r"[-+－]?\d[\d,，.]*(?:元|万元|件|条)?")
_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+、")
_ENUMERATED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+|[一二三四五六七八九十]+、|\d+\s*[．.、])")
PARAGRAPH_WIDTH = 0.45      # a single run wider than this share of the page is prose
BLOCK_GAP = 2.6             # line heights of empty space that end a block
AMBIGUOUS = 0.3             # line heights: a label word this close to half-way is not placed


@dataclass
class _Line:
    y0: float
    y1: float
    words: list[tuple]      # (x0, y0, x1, y1, text)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


@dataclass
class TextGrid:
    bbox: tuple[float, float, float, float]
    cols: list[tuple[float, float]]
    cells: list[tuple[int, int, str, tuple]]     # row, col, text, bbox
    n_rows: int


def _lines(words: list[tuple]) -> list[_Line]:
    out: list[_Line] = []
    for w in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        yc, h = (w[1] + w[3]) / 2, w[3] - w[1]
        if out and abs(out[-1].yc - yc) < 0.4 * max(h, out[-1].h):
            ln = out[-1]
            ln.words.append(w)
            ln.y0, ln.y1 = min(ln.y0, w[1]), max(ln.y1, w[3])
        else:
            out.append(_Line(w[1], w[3], [w]))
    for ln in out:
        ln.words.sort(key=lambda w: w[0])
    return out


def _numbers(line: _Line, least: int = 1) -> list[tuple] | None:
    """The trailing numbers of a data row (nothing but numbers after the first); a block needs
    rows of two or more, inside it a row may hold one (本年处理决定数量)."""
    first = next((i for i, w in enumerate(line.words) if _NUMBER.fullmatch(w[4])), None)
    if first is None:
        return None
    tail = line.words[first:]
    if len(tail) < least or not all(_NUMBER.fullmatch(w[4]) for w in tail):
        return None
    return tail


def _blocks(lines: list[_Line], width: float) -> list[list[_Line]]:
    """Runs of short lines (no prose, no section heading, no wide gap) holding ≥ 2 data rows."""
    blocks: list[list[_Line]] = []
    cur: list[_Line] = []

    def close() -> None:
        if sum(1 for ln in cur if _numbers(ln, 2)) >= 2:
            blocks.append(list(cur))
        cur.clear()

    for ln in lines:
        if any(w[2] - w[0] > PARAGRAPH_WIDTH * width for w in ln.words):
            close()
            continue
        if cur and ln.y0 - cur[-1].y1 > BLOCK_GAP * max(ln.h, cur[-1].h):
            close()
        cur.append(ln)
    close()
    return blocks


def _value_columns(nums: dict[int, list[tuple]]) -> list[tuple[float, float]] | None:
    """x ranges of the value columns from the rows that fill every column (the i-th number of
    each); None when the columns overlap (cells aligned too differently to tell them apart)."""
    n = max(len(v) for v in nums.values())
    full = [v for v in nums.values() if len(v) == n]
    cols = [(min(v[c][0] for v in full), max(v[c][2] for v in full)) for c in range(n)]
    if any(cols[c][1] >= cols[c + 1][0] for c in range(n - 1)):
        return None
    return cols


def _gutters(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Merged x ranges: columns separated by a gutter no word crosses."""
    out: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1] + 2.0:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out] or [(0.0, 0.0)]


def _place(words: list[tuple], cols: list[tuple[float, float]]) -> list[int] | None:
    """Column of each number of a row with blank cells: the one column its x range meets."""
    out = []
    for w in words:
        hit = [c for c, (a, b) in enumerate(cols) if w[0] <= b and w[2] >= a]
        if len(hit) != 1 or (out and hit[0] <= out[-1]):
            return None
        out.append(hit[0])
    return out


def _header_columns(words: list[tuple], value_cols: list[tuple[float, float]], value_x: float,
                    n_label: int) -> dict[tuple, int]:
    """Value column of each header word, by order: a header centred in a wide cell may stand
    right of its column's left-aligned numbers, so when the one-column header words form as
    many x groups as there are value columns, group k heads column k; words spanning several
    columns (法人或其他组织) go to the group under their centre. Empty when that does not hold
    (the caller then places words by x)."""
    heads = [w for w in words if (w[0] + w[2]) / 2 >= value_x]
    if len(value_cols) < 2 or not heads:
        return {}
    lefts = [a for a, _b in value_cols]
    pitch = sorted(b - a for a, b in zip(lefts, lefts[1:], strict=False))[(len(lefts) - 1) // 2]
    narrow = [w for w in heads if w[2] - w[0] < 0.9 * pitch]
    groups = _gutters([(w[0], w[2]) for w in narrow])
    if len(groups) != len(value_cols):
        return {}
    out = {}
    for w in heads:
        xc = (w[0] + w[2]) / 2
        k = min(range(len(groups)), key=lambda g: 0 if groups[g][0] <= xc <= groups[g][1]
                else min(abs(xc - groups[g][0]), abs(xc - groups[g][1])))
        out[w] = n_label + k
    return out


def _split_at_headers(block: list[_Line]) -> list[list[_Line]] | None:
    """A block holding several tables (a header line after data rows) is cut before that header;
    label-only lines between are given to the nearer side."""
    rows = [i for i, ln in enumerate(block) if _numbers(ln)]
    cuts = [0]
    for i, ln in enumerate(block):
        if i in rows or i < rows[0]:
            continue
        # value columns of the current table: those of its rows so far
        xs = [w[0] for r in rows if cuts[-1] <= r < i for w in _numbers(block[r])]
        if not xs:
            continue
        value_x = min(xs) - 1.0
        if any((w[0] + w[2]) / 2 >= value_x for w in ln.words):   # a header line after data
            prev = max(r for r in rows if r < i)
            start = i
            while start - 1 > prev and (block[start - 1].yc - block[prev].yc) > (ln.yc - block[start - 1].yc):
                start -= 1
            cuts.append(start)
    parts = [block[a:b] for a, b in zip(cuts, [*cuts[1:], len(block)], strict=False)]
    return [p for p in parts if any(_numbers(ln) for ln in p)]


def _pieces(words: list[tuple]) -> list[list[tuple]]:
    """A label cell's pieces: words over one another (overlapping x ranges, or a wrapped line
    starting near the line above) form one piece read top to bottom; pieces read left to right
    (a group label before its row label)."""
    words = sorted(words, key=lambda w: (w[1], w[0]))
    parent = list(range(len(words)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, u in enumerate(words):
        for j in range(i):
            v = words[j]
            h = u[3] - u[1]
            overlap = u[0] <= v[2] and u[2] >= v[0] and u[1] > v[1] + 0.5 * h
            wrapped = 0 <= u[1] - v[3] < 0.8 * h and abs(u[0] - v[0]) <= 2.5 * h
            if overlap or wrapped:
                parent[root(i)] = root(j)
    groups: dict[int, list[tuple]] = {}
    for i, w in enumerate(words):
        groups.setdefault(root(i), []).append(w)
    return sorted(groups.values(), key=lambda p: (min(w[0] for w in p), p[0][1]))


def _text(piece: list[tuple]) -> str:
    return "".join(w[4] for w in piece)


def _grid(block: list[_Line]) -> TextGrid | None:
    data = [i for i, ln in enumerate(block) if _numbers(ln)]
    nums = {i: _numbers(block[i]) for i in data}
    value_cols = _value_columns(nums)
    if value_cols is None:
        return None
    placed = {i: _place(nums[i], value_cols) for i in data}
    if any(p is None for p in placed.values()):
        return None
    value_x = value_cols[0][0] - 1.0
    own = [w for i in data for w in block[i].words[: len(block[i].words) - len(nums[i])]]
    # a label over the value columns, or one ending in a digit (a number printed against its
    # label reads as one word: 行政规范性文件1), makes the row's cells uncertain
    if any((w[0] + w[2]) / 2 >= value_x or w[4][-1:].isdigit() for w in own):
        return None
    end = data[-1] + 1     # lines after the last row: only its own wrapped label, not what follows
    while (end < len(block) and block[end].y0 - block[end - 1].y1 < 0.8 * block[end].h
           and block[end].yc - block[data[-1]].yc <= 2.5 * block[end].h):
        end += 1
    block = block[:end]
    # header: from the first line reaching over the value columns (titles and headings above stay text)
    # ... and after the last line above it that holds a number or opens a section (一、…)
    top = 0
    for j in range(data[0]):
        if any(_NUMBER.fullmatch(w[4]) for w in block[j].words) or _SECTION.match(block[j].words[0][4]):
            top = j + 1
    first_head = next((j for j in range(top, data[0]) if any((w[0] + w[2]) / 2 >= value_x for w in block[j].words)),
                      data[0])
    body_from = data[0] if first_head < data[0] else top    # no header: lines above are row labels
    block_words = [w for ln in block[min(first_head, body_from):] for w in ln.words]
    label_x0 = min(w[0] for w in block_words)
    x1 = max(w[2] for w in block_words)
    bounds = [(value_cols[c - 1][1] + value_cols[c][0]) / 2 for c in range(1, len(value_cols))]
    # label columns (row label, unit…): x ranges of the body's label words with a gutter between
    body_labels = [w for ln in block[data[0]:] for w in ln.words if (w[0] + w[2]) / 2 < value_x]
    label_cols = _gutters([(w[0], w[2]) for w in body_labels])
    lb = [label_x0] + [(label_cols[k - 1][1] + label_cols[k][0]) / 2 for k in range(1, len(label_cols))]
    cols = [(lb[k], lb[k + 1] if k + 1 < len(lb) else value_x) for k in range(len(lb))]
    n_label = len(cols)
    cols += [(value_x if c == 0 else bounds[c - 1], bounds[c] if c < len(bounds) else x1)
             for c in range(len(value_cols))]

    def column(w) -> int:
        xc = (w[0] + w[2]) / 2
        return max([0] + [c for c, (a, _b) in enumerate(cols) if a <= xc + 0.01])

    n_header = 0
    cells: list[tuple[int, int, str, tuple]] = []
    head_words = [w for ln in block[first_head:data[0]] for w in ln.words]
    for w in head_words:   # a one-line header run over several value columns: cells printed glued
        spans = [c for c in range(n_label, len(cols)) if w[0] < cols[c][1] - 1 and w[2] > cols[c][0] + 1]
        if len(spans) > 1 and data[0] - first_head == 1 and not any(v[1] >= w[3] - 1 and w[0] <= (v[0] + v[2]) / 2 <= w[2] for v in head_words):
            return None
    per_col: dict[int, list[list[tuple]]] = {}
    head_col = _header_columns([w for ln in block[first_head:data[0]] for w in ln.words], value_cols, value_x, n_label)
    for ln in block[first_head:data[0]]:
        for w in ln.words:
            units = per_col.setdefault(head_col.get(w, column(w)), [])
            if units and w[1] - units[-1][-1][3] < 0.9 * (w[3] - w[1]):
                units[-1].append(w)          # continues the cell above (a wrapped header)
            else:
                units.append([w])
    if per_col:
        n_header = max(len(u) for u in per_col.values())
        for c, units in per_col.items():
            for k, unit in enumerate(units):
                text = "".join(w[4] for w in sorted(unit, key=lambda w: (round(w[1]), w[0])))
                box = (cols[c][0], min(w[1] for w in unit), cols[c][1], max(w[3] for w in unit))
                cells.append((n_header - len(units) + k, c, text, box))
    # body: label words of other lines go to the nearest data row. A word half-way between two
    # rows is dropped when it lies left of both rows' own labels (a group label over several
    # rows); a line half-way between two rows that carry their own labels is a row of its own
    # (a group label printed flat: （六）其他处理); anything else leaves the block as text
    labels: dict[int, list[tuple]] = {i: list(block[i].words[: len(block[i].words) - len(nums[i])]) for i in data}
    own_x0 = {i: min((w[0] for w in labels[i]), default=None) for i in data}
    solo: dict[int, list[tuple]] = {}
    for j in range(body_from, len(block)):
        if j in nums:
            continue
        ln = block[j]
        if any((w[0] + w[2]) / 2 >= value_x for w in ln.words):
            return None
        above = max((i for i in data if i < j), default=None)
        below = min((i for i in data if i > j), default=None)
        for w in ln.words:
            yc = (w[1] + w[3]) / 2
            if (below is not None and above is not None and labels[above] and not _ENUMERATED.match(w[4])
                    and own_x0[below] is not None and w[2] > own_x0[below]
                    and _ENUMERATED.match(labels[below][0][4])):
                labels[above].append(w)   # the row below starts its label on its own line: not this
                continue
            near = sorted(data, key=lambda i: abs(block[i].yc - yc))
            if len(near) > 1 and abs(abs(block[near[1]].yc - yc) - abs(block[near[0]].yc - yc)) < AMBIGUOUS * ln.h:
                if all(own_x0[i] is not None and w[2] < own_x0[i] for i in near[:2]):
                    continue
                if (all(own_x0[i] is not None for i in near[:2]) and min(near[:2]) < j < max(near[:2])
                        and _ENUMERATED.match(ln.words[0][4])):
                    solo.setdefault(j, []).append(w)
                    continue
                return None
            labels[near[0]].append(w)
    order = sorted([(block[i].yc, i) for i in data] + [(block[j].yc, j) for j in solo])
    # one label column holding a group label and a row label side by side (三、本年度办理结果 |
    # （一）予以公开) becomes two: the rightmost piece is the row label, the others its group; a
    # label in one piece fills both (a merged cell)
    row_pieces = {i: _pieces(labels[i] if i in labels else solo[i]) for _y, i in order}
    split = n_label == 1 and any(len(p) > 1 for p in row_pieces.values())
    if split:
        leaf_x0 = min(min(w[0] for w in p[-1]) for p in row_pieces.values() if len(p) > 1)
        cols = [(cols[0][0], leaf_x0), (leaf_x0, cols[0][1]), *cols[1:]]
        cells = [(r, c + 1, t, b) for r, c, t, b in cells if c] + [x for r, c, t, b in cells if not c
                                                                   for x in ((r, 0, t, b), (r, 1, t, b))]
        n_label = 2
    for r, (_y, i) in enumerate(order, start=n_header):
        # a cell's box is its column's x range (continuation pages are laid on columns by x)
        ws_all = labels[i] if i in labels else solo[i]
        if split and ws_all:
            pieces = row_pieces[i]
            y0, y1 = min(w[1] for w in ws_all), max(w[3] for w in ws_all)
            if len(pieces) > 1:
                cells.append((r, 0, " ".join(_text(p) for p in pieces[:-1]), (cols[0][0], y0, cols[0][1], y1)))
                cells.append((r, 1, _text(pieces[-1]), (cols[1][0], y0, cols[1][1], y1)))
            else:
                cells.append((r, 0, _text(pieces[0]), (cols[0][0], y0, cols[1][1], y1)))
                cells.append((r, 1, _text(pieces[0]), (cols[0][0], y0, cols[1][1], y1)))
        for k in range(0 if split else n_label):
            ws = [w for w in ws_all if column(w) == k]
            if ws:
                text = " ".join(_text(p) for p in _pieces(ws))
                cells.append((r, k, text, (cols[k][0], min(w[1] for w in ws), cols[k][1], max(w[3] for w in ws))))
        for w, c in zip(nums.get(i, []), placed.get(i, []), strict=True):
            k = c + n_label
            cells.append((r, k, w[4], (cols[k][0], w[1], cols[k][1], w[3])))
    bbox = (min(w[0] for w in block_words), min(w[1] for w in block_words),
            max(w[2] for w in block_words), max(w[3] for w in block_words))
    return TextGrid(bbox=bbox, cols=cols, cells=cells, n_rows=n_header + len(order))


def text_grids(page) -> list[TextGrid]:
    """Grids of the unruled tables of one page (none when nothing looks like a table; a layout
    this code cannot handle leaves the page as text rather than failing the document)."""
    try:
        return _text_grids(page)
    except (ValueError, IndexError, KeyError, StopIteration):
        return []


def _text_grids(page) -> list[TextGrid]:
    words = [tuple(w[:5]) for w in page.get_text("words") if w[4].strip()]
    if not words:
        return []
    width = page.rect.width
    out = []
    for block in _blocks(_lines(words), width):
        parts = _split_at_headers(block)
        for part in parts or []:
            grid = _grid(part)
            if grid is not None:
                out.append(grid)
    return out
