"""Spreadsheets: every sheet is one table grid (merged ranges repeated in every slot)."""

from __future__ import annotations

import io

from transforms.model import ReadDocument, Table
from transforms.readers.cells import cell_text, drop_empty_rows, pad

CELL_SEPARATOR = " | "


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell_text(str(value))


def _xlsx_sheets(content: bytes) -> list[tuple[str, list[list[str]]]]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    out = []
    for ws in wb.worksheets:
        rows = [[_fmt(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for rng in ws.merged_cells.ranges:
            value = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(rows[r]))):
                    rows[r][c] = value
        out.append((ws.title, rows))
    return out


def _xls_sheets(content: bytes) -> list[tuple[str, list[list[str]]]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, formatting_info=True)
    except NotImplementedError:  # some BIFF variants: no formatting (merged ranges) available
        book = xlrd.open_workbook(file_contents=content)
    out = []
    for sh in book.sheets():
        rows = [[_fmt(sh.cell_value(r, c)) for c in range(sh.ncols)] for r in range(sh.nrows)]
        for r0, r1, c0, c1 in sh.merged_cells:
            value = rows[r0][c0]
            for r in range(r0, r1):
                for c in range(c0, c1):
                    rows[r][c] = value
        out.append((sh.name, rows))
    return out


def read_sheets(content: bytes, kind: str) -> ReadDocument:
    try:
        sheets = _xlsx_sheets(content) if kind == "xlsx" else _xls_sheets(content)
    except Exception as exc:
        text = str(exc)
        status = "encrypted" if "encrypt" in text.lower() or "password" in text.lower() else "decode_error"
        return ReadDocument(kind=kind, text="", status=status, reason=f"{kind.upper()} could not be read: {text}")
    lines: list[str] = []
    tables: list[Table] = []
    length = 0
    for name, rows in sheets:
        rows = drop_empty_rows(pad(rows))
        if not rows:
            continue
        length += len(name) + (1 if lines else 0)
        lines.append(name)
        offset = length + (1 if lines else 0)
        tables.append(Table(rows=rows, index=len(tables), source=kind, char_offset=offset))
        for row in rows:
            line = CELL_SEPARATOR.join(row)
            length += len(line) + (1 if lines else 0)
            lines.append(line)
    text = "\n".join(lines)
    return ReadDocument(kind=kind, text=text, tables=tables, meta={"sheets": str(len(sheets))},
                        status="ok" if tables else "empty", reason="" if tables else "all sheets are blank")
