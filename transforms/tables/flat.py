"""Flattened tables in plain text -> rows.

Text captures and PDF text layers flatten a table in several ways (the corpus calls them
one_cell_per_line, pipe_rows, lone_pipe_lines, blank_line_separated, space_separated and
concatenated_cells). All of them are read the same way: the text becomes a stream of
cells; a line with two or more pipe-separated cells is one positional row; everything
else is a run of label cells followed by a run of value cells. Which rendering a text uses
is recorded (`detect_rendering`) but the reading does not depend on it.
"""

from __future__ import annotations

import re
import unicodedata

from transforms.labels import normalise_label
from transforms.tables.rows import Cell, Row, is_value_text

_SPLIT_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_GLUED = re.compile(r"^(?P<label>.*[^\d\s.,+\-/])(?P<digits>\d+)$")
_SERIAL = re.compile(r"^\d{1,3}$")
_UNIT_WORDS = {"条", "件", "次", "篇", "个", "人", "人次", "项", "万元", "元", "份", "期", "家", "场"}


def detect_rendering(text: str) -> str:
    """A name for the way the tables of a text are flattened (for the record only)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    pipe_rows = sum(1 for ln in lines if _pipe_cells(ln) and len([c for c in _pipe_cells(ln) if c.strip()]) >= 2)
    lone = sum(1 for ln in lines if ln.strip() == "|")
    ending = sum(1 for ln in lines if ln.rstrip().endswith("|"))
    if lone >= 5:
        return "lone_pipe_lines"
    if pipe_rows >= 5:
        return "pipe_rows"
    if ending >= 10:
        return "one_cell_per_line"
    blank = text.count("\n\n")
    values = sum(1 for ln in lines if is_value_text(ln))
    if any(len(_SPLIT_SPACES.split(ln)) > 20 and sum(is_value_text(t) for t in _SPLIT_SPACES.split(ln)) > 5
           for ln in lines):
        return "space_separated"
    if values >= 5 and blank >= values // 2:
        return "blank_line_separated"
    if values >= 5:
        return "one_cell_per_line"
    if any(_GLUED.match(ln.strip()) for ln in lines):
        return "concatenated_cells"
    return "narrative_only"


def _pipe_cells(line: str) -> list[str] | None:
    s = line.strip()
    if "|" not in s.strip("|"):
        return None
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return s.split("|")


def _value_tail(line: str) -> tuple[str, list[str]]:
    """(text before, value tokens) of a line that ends with numbers ('…不计其他情  0  0  27')."""
    parts = [p for p in _SPLIT_SPACES.split(line.strip()) if p]
    k = len(parts)
    while k and is_value_text(parts[k - 1]):
        k -= 1
    if k == len(parts):
        return line, []
    return " ".join(parts[:k]), parts[k:]


def _join_open_parens(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Join a line that opens a parenthesis with the following lines until it closes.

    A label wrapped inside its cell (PDF text of a table without rulings) has the row's
    numbers on one of its lines (the first, or a middle one when cells are centred): they are
    taken out and put after the joined label."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(lines):
        text, off = lines[i]
        norm = unicodedata.normalize("NFKC", text)
        j = i
        stash: list[str] = []
        if norm.count("(") > norm.count(")") and "|" not in text.strip(" |"):
            head, tail = _value_tail(text)
            head_norm = unicodedata.normalize("NFKC", head)
            if tail and head.strip() and head_norm.count("(") > head_norm.count(")"):
                text, stash, norm = head, tail, head_norm
        while norm.count("(") > norm.count(")") and j + 1 < len(lines) and j - i < 6 and "|" not in text.strip(" |"):
            nxt = lines[j + 1][0]
            if "|" in nxt.strip(" |") or not nxt.strip() or is_value_text(nxt.strip(" |")):
                break
            if nxt.count("\t") >= 2 and not stash:
                # the rest of a tab-separated row: the label's end, then its cells (kept in place)
                text = text.rstrip() + nxt.lstrip(" \u3000")
                j += 1
                break
            head, tail = _value_tail(nxt)
            if tail:
                if stash:
                    break                   # a second run of numbers: the next row
                stash = tail
                nxt = head if head.strip() and not all(is_value_text(x) for x in head.split()) else ""
            text = text.rstrip(" |") + nxt.strip()
            norm = unicodedata.normalize("NFKC", text)
            j += 1
        if stash:
            text = text + "  " + "  ".join(stash)
        out.append((text, off))
        i = j + 1
    return out


def _stream_tokens(text: str) -> list[tuple[str, Cell | list[Cell]]]:
    """('cell', Cell) for a free cell, ('row', [Cell, ...]) for a pipe row."""
    raw_lines: list[tuple[str, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        raw_lines.append((line.rstrip("\r\n"), pos))
        pos += len(line)
    lines = _join_open_parens(raw_lines)
    tokens: list[tuple[str, Cell | list[Cell]]] = []
    empty = 0
    for line, off in lines:
        s = line.strip()
        if not s or not s.strip("| \t\u3000\xa0"):
            empty += 1
            continue
        gap, empty = empty, 0
        cells = _pipe_cells(s)
        if cells is None and s.count("\t") >= 2 and len(s) <= 1500:
            # a browser's copy of a table (innerText): cells joined by tabs, empty cells kept
            cells = line.rstrip("\r\n").split("\t")
        if cells is not None and (len(s) > 1500 or max(len(c.strip()) for c in cells) > 250):
            # a long paragraph or page line that merely contains pipes: not a table row
            cells = None
            s = s.replace("|", " ")
        if cells is not None and sum(1 for c in cells if c.strip()) >= 2:
            # positional row: drop the blank cells of merged label columns in front
            while cells and not cells[0].strip():
                cells.pop(0)
            tokens.append(("row", [Cell(c.strip(), col=i, offset=off) for i, c in enumerate(cells)]))
            continue
        s = s.strip("| \t\u3000\xa0")
        if is_value_text(s):
            tokens.append(("cell", Cell(s, offset=off, gap=gap)))
            continue
        parts = [p for p in _SPLIT_SPACES.split(s) if p.strip("?？")]
        if len(parts) > 1 and sum(1 for p in parts if is_value_text(p)) >= 1 and _splittable(parts):
            if (len(parts) > 3 and parts[0].isdigit() and len(parts[0]) <= 3 and not is_value_text(parts[1])
                    and sum(1 for p in parts[2:] if is_value_text(p)) >= 2):
                # '9 （5）属于三类内部事务信息 0 23 …': a 序号 opens the row; it is not a cell
                # of the row above (whose blank cells were lost with the spaces)
                tokens.append(("serial", Cell(parts[0], offset=off, gap=gap)))
                parts = parts[1:]
            for k, p in enumerate(parts):
                tokens.append(("cell", Cell(p, offset=off, gap=gap if k == 0 else 0)))
        else:
            tokens.append(("cell", Cell(s, offset=off, gap=gap)))
    return tokens


def _splittable(parts: list[str]) -> bool:
    """Split a line at spaces when its numbers stand apart as cells (space-separated tables)."""
    values = [p for p in parts if is_value_text(p)]
    if not values:
        return False
    # a line that is a label followed by numbers, or a long flattened table line
    return is_value_text(parts[-1]) or len(values) >= 3


def rows_from_text(text: str) -> list[Row]:
    """Rows of the flattened tables in `text` (label runs + value runs, pipe rows)."""
    tokens = _stream_tokens(text)
    rows: list[Row] = []
    labels: list[Cell] = []
    values: list[Cell] = []
    glued = False

    def flush() -> None:
        nonlocal labels, values, glued
        if labels or values:
            rows.append(Row(labels=labels, values=values, positional=False, glued=glued))
        labels, values, glued = [], [], False

    for idx, (kind, tok) in enumerate(tokens):
        if kind == "row" and len(tok) == 2 and tok[0].text.isdigit() and len(tok[0].text) <= 3 \
                and tok[1].text and not is_value_text(tok[1].text):  # type: ignore[union-attr]
            # '26 | （1）申请人无正当理由逾期不补正、': a 序号 and the first line of a label broken
            # inside its cell; the label runs on into the next row
            if values:
                flush()
            labels.append(tok[1])  # type: ignore[index]
            continue
        if kind == "row":
            carried: list[Cell] = []
            if labels and not values:
                # label lines right above (a row label broken by a line break inside its cell)
                carried, labels = labels, []
            flush()
            cells = tok  # type: ignore[assignment]
            lab: list[Cell] = list(carried)
            i = 0
            if (len(cells) > 2 and cells[0].text.isdigit() and len(cells[0].text) <= 3 and cells[1].text
                    and not is_value_text(cells[1].text) and any(is_value_text(c.text) for c in cells[2:])):
                i = 1                       # a 序号 column before the row label
            if (len(cells) > 2 and _SERIAL.match(cells[0].text) and cells[1].text
                    and not is_value_text(cells[1].text)):
                lab.append(cells[0])        # a 序号 cell before the label ('2 | 收到申请数 | 件 | 7'): not a value
                i = 1
            if not any(is_value_text(c.text) for c in cells[i:]):
                # a header row: every text cell is a label ('申请人情况 |  | 总计 | 自然人')
                lab.extend(c for c in cells[i:] if c.text)
                i = len(cells)
            while i < len(cells) and cells[i].text and not is_value_text(cells[i].text):
                lab.append(cells[i])
                i += 1
            vals = cells[i:]
            # a text cell after the values (a stray label) ends the row
            for k, c in enumerate(vals):
                if c.text and not is_value_text(c.text):
                    vals = vals[:k]
                    break
            for pos, c in enumerate(vals):
                c.col = pos
            rows.append(Row(labels=lab, values=vals, positional=True))
            continue
        if kind == "serial":
            flush()
            continue
        cell: Cell = tok  # type: ignore[assignment]
        if is_value_text(cell.text):
            values.append(cell)
            continue
        if values:
            flush()
        m = _GLUED.match(cell.text.strip())
        found = _glued_label(m.group("label")) if m else None
        if found:
            head, label, unit = found
            if head:
                labels.append(Cell(head, offset=cell.offset))
            labels.append(Cell(label, offset=cell.offset))
            if unit:
                labels.append(Cell(unit, offset=cell.offset))
            values.append(Cell(m.group("digits"), offset=cell.offset))
            nxt = tokens[idx + 1] if idx + 1 < len(tokens) else None
            if nxt and nxt[0] == "cell" and nxt[1].offset == cell.offset and is_value_text(nxt[1].text):  # type: ignore[union-attr]
                # more cells on the same line after spaces ('其他对外管理服务事项268  -4  268'): the
                # label ran into its first cell, whose digits are one number
                continue
            glued = True
            flush()
            continue
        labels.append(cell)
    flush()
    _mark_gaps(rows)
    if rows:
        rows[-1].at_end = True
        # a row whose values end the capture: the capture may stop inside the row
    return rows


_ENUM_START = re.compile(r"[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[一二三四五六七八九十]+、")


def _glued_label(text: str) -> tuple[str, str, str | None] | None:
    """(text before the label, row label, unit) of a label printed glued to its numbers."""
    unit = None
    for u in sorted(_UNIT_WORDS, key=len, reverse=True):
        if text.endswith(u) and not _looks_like_row_label(text) and _looks_like_row_label(text[: -len(u)]):
            text, unit = text[: -len(u)], u
            break
    starts = [0] + [m.start() for m in _ENUM_START.finditer(text) if m.start() > 0]
    for start in starts:
        if normalise_label(text[start:]) and _looks_like_row_label(text[start:]):
            return text[:start], text[start:], unit
    return None


def _mark_gaps(rows: list[Row]) -> None:
    """Flag rows whose value cells stand further apart than the text's usual spacing.

    Some captures keep an empty cell as an extra empty line (blank-line separated tables):
    such a row cannot be read by position even where the capture stops inside it.
    """
    gaps: dict[int, int] = {}
    for row in rows:
        if not row.positional:
            for v in row.values:
                gaps[v.gap] = gaps.get(v.gap, 0) + 1
    if not gaps:
        return
    usual = max(gaps, key=lambda g: gaps[g])
    for row in rows:
        if not row.positional and any(v.gap > usual for v in row.values):
            row.gappy = True


def _looks_like_row_label(label: str) -> bool:
    from transforms.labels import default_maps

    maps = default_maps()
    key = normalise_label(label)
    if maps.sec2_row(label) or maps.sec3_row(label, None) or maps.old_codes(label):
        return True
    return key in maps.national["sec3"]["row_aliases"]


def unit_word(text: str) -> str | None:
    s = normalise_label(text)
    return s if s in _UNIT_WORDS else None
