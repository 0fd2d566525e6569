"""Table grids (HTML/DOCX/PDF/XLS, merged cells already expanded) -> rows.

Rows without any number are header rows: their texts are stacked per column so that every
value cell below carries the header texts above it (nearest first). A title row (one text
repeated across the row, e.g. 第二十条第（一）项) or a header row after data rows starts a
new header block. The label cells of a data row are the cells left of the first value
column.
"""

from __future__ import annotations

import re

from transforms.labels import LabelMaps, default_maps, normalise_label
from transforms.model import Table
from transforms.tables.rows import Cell, Row, is_value_text

# a cell of digits no table prints: a leading zero ('0101900084') or more than 12 digits (a
# column of cells read as one)
_RUN_TOGETHER = re.compile(r"^\s*(?:0\d+|\d{13,})\s*$")
_SEVERAL_NUMBERS = re.compile(r"^\s*(?:[+\-增减加少]*\s*\d[\d,.]*\s+){1,}[+\-增减加少]*\s*\d[\d,.]*\s*$")


def _is_value_header(text: str, maps: LabelMaps, annual_re: re.Pattern[str]) -> bool:
    n = normalise_label(text)
    if not n:
        return False
    cols = maps.old["columns"]
    return bool(
        maps.sec2_col_candidates(text)
        or maps.applicant(text)
        or maps.sec4_result(text)
        or maps.sec4_group(text)
        or n in cols["annual"] or n in cols["cumulative"] or n in cols["per_tier"]
        or n in cols.get("per_period", ()) or n in cols.get("compare", ())
        or annual_re.search(n)
    )


def _dedupe(cells: list[Cell]) -> list[Cell]:
    out: list[Cell] = []
    for c in cells:
        if not c.text.strip():
            continue
        if out and normalise_label(out[-1].text, keep_enum=True) == normalise_label(c.text, keep_enum=True):
            continue
        out.append(c)
    return out


def _side_by_side(grid: list[list[str]], maps: LabelMaps) -> int | None:
    """Width of one half of an old table printed in two halves side by side
    ('统计指标 | 单位 | 统计数 | 统计指标 | 单位 | 统计数'), else None."""
    labels = set(maps.old["columns"]["label"])
    for raw in grid[:3]:
        texts = [normalise_label(t) for t in raw]
        if any(is_value_text(t or "") for t in raw) or not texts or texts[0] not in labels:
            continue
        for k in range(2, len(texts) // 2 + 1):
            if texts[k:2 * k] == texts[:k] and all(len(r) >= 2 * k for r in grid):
                return k
    return None


def rows_from_grid(table: Table, maps: LabelMaps | None = None) -> list[Row]:
    maps = maps or default_maps()
    half = _side_by_side(table.rows, maps)
    if half:
        # read the left half, then the right half, as two tables of one grid
        left = Table(rows=[r[:half] for r in table.rows], index=table.index, source=table.source, page=table.page)
        right = Table(rows=[r[half:2 * half] for r in table.rows], index=table.index, source=table.source,
                      page=table.page)
        right_rows = rows_from_grid(right, maps)
        for row in right_rows:
            for c in (*row.labels, *row.values):
                c.col = None if c.col is None else c.col + half
        return rows_from_grid(left, maps) + right_rows
    annual_re = re.compile(maps.old["columns"]["annual_pattern"])
    headers: dict[int, list[str]] = {}
    value_col: dict[int, bool] = {}
    code_col: dict[int, bool] = {}
    code_names = set(maps.old["columns"]["code"])
    after_data = False
    header_ragged = False
    width = max((len(r) for r in table.rows), default=0)
    rows: list[Row] = []
    for r, raw in enumerate(table.rows):
        texts = [(t or "").strip() for t in raw]
        nonempty = [t for t in texts if t]
        if not nonempty:
            continue
        values_here = [is_value_text(t) for t in texts]
        cells = [Cell(t, col=j) for j, t in enumerate(texts)]
        if not any(values_here):
            distinct = {normalise_label(t, keep_enum=True) for t in nonempty}
            title = len(distinct) == 1 and len(texts) > 1 and len(nonempty) == len(texts)
            if after_data and not title and len(texts) == width and any(value_col.values()) and all(
                    not value_col.get(j) for j, t in enumerate(texts) if t):
                # a group row between data rows ('（六）其他处理' with empty value cells): a label,
                # not a new header block
                rows.append(Row(labels=_dedupe(cells), positional=True, table_index=table.index,
                                row_index=r, source=table.source))
                continue
            if title or after_data:
                headers, value_col, code_col = {}, {}, {}
                after_data = False
                header_ragged = False
            if len(texts) < width and not title:
                header_ragged = True         # a header row that lost cells: its columns are not trusted
            if not title:
                for j, t in enumerate(texts):
                    if t:
                        stack = headers.setdefault(j, [])
                        if not stack or normalise_label(stack[0]) != normalise_label(t):
                            stack.insert(0, t)
                        value_col[j] = value_col.get(j, False) or _is_value_header(t, maps, annual_re)
                        code_col[j] = code_col.get(j, False) or normalise_label(t) in code_names
            rows.append(Row(labels=_dedupe(cells), positional=True, table_index=table.index,
                            row_index=r, source=table.source))
            continue
        after_data = True
        first = None
        for j, t in enumerate(texts):
            if code_col.get(j):
                continue
            if values_here[j] or (not t and value_col.get(j) and j > 0 and any(texts[:j])):
                first = j
                break
        if first is None:
            first = len(texts)
        labels = _dedupe([c for c in cells[:first] if not code_col.get(c.col or 0)])
        values = []
        # a row that lost cells (ragged grid) cannot be read by column: its values are read as
        # a flattened row (exact template counts only)
        trusted = len(texts) == width and not header_ragged
        for j in range(first, len(texts)):
            c = cells[j]
            c.header = tuple(headers.get(j, ())) if trusted else ()
            values.append(c)
        # several numbers in one cell ('0 1'): text spilled over a cell border (PDF) or cells
        # run together; no cell of the row can be trusted to stand in its own column
        spilled = any(_SEVERAL_NUMBERS.match(v.text) or _RUN_TOGETHER.match(v.text) for v in values)
        # a text cell among the values (a note, a unit) is not a value
        values = [v for v in values if not v.text or is_value_text(v.text) or not v.header]
        rows.append(Row(labels=labels, values=values, positional=True, table_index=table.index,
                        row_index=r, source=table.source, spilled=spilled))
    # rows read without column headers whose numbers start right of the table's first value
    # column: blank cells in front were taken for label space, positions are not known
    headerless = [row for row in rows if row.values and not row.values[0].header and row.values[0].col is not None]
    if headerless:
        start = min(row.values[0].col for row in headerless)  # type: ignore[type-var]
        for row in headerless:
            row.late_start = row.values[0].col > start  # type: ignore[operator]
    if rows:
        rows[-1].at_end = False
    return rows
