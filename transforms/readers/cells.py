"""Helpers shared by the readers that build grids."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def join_wrapped(lines: list[str]) -> str:
    """Join the lines of one cell: a break between CJK characters or digits is a wrap (removed),
    other breaks become a space."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not (_CJK.match(out[-1]) or _CJK.match(line[0])
                        or (out[-1].isdigit() and line[0].isdigit())):
            out += " "
        out += line
    return out


def cell_text(text: str | None) -> str:
    if not text:
        return ""
    return join_wrapped(text.replace("\xa0", " ").splitlines())


def pad(rows: list[list[str]]) -> list[list[str]]:
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def drop_empty_rows(rows: list[list[str]]) -> list[list[str]]:
    return [r for r in rows if any(c.strip() for c in r)]


def expand_spans(cells: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Lay out rows of (text, rowspan, colspan) cells on a grid, merged text repeated per slot.

    Columns that never hold a cell of their own (every slot belongs to a cell that also covers
    a kept neighbour column) are dropped: Word exports leave such phantom grid columns, which
    would otherwise show the same header over two different values.
    """
    slots: dict[tuple[int, int], int] = {}
    texts: list[str] = []
    n_rows = len(cells)
    width = 0
    for r, row in enumerate(cells):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in slots:
                c += 1
            cid = len(texts)
            texts.append(text)
            rowspan = n_rows - r if rowspan == 0 else max(rowspan, 1)
            for dr in range(rowspan):
                for dc in range(max(colspan, 1)):
                    slots.setdefault((r + dr, c + dc), cid)
            c += max(colspan, 1)
            width = max(width, c)
    n_rows = len(cells)
    ids = [[slots.get((r, c)) for c in range(width)] for r in range(n_rows)]
    return [[texts[cid] if cid is not None else "" for cid in row] for row in drop_phantom_columns(ids)]


def drop_phantom_columns(ids: list[list]) -> list[list]:
    """Remove columns whose every slot belongs to a cell that also covers a kept column.

    `ids[r][c]` identifies the cell occupying a slot (None for an empty slot)."""
    width = max((len(r) for r in ids), default=0)
    rows = [list(r) + [None] * (width - len(r)) for r in ids]
    cols = list(range(width))
    for col in range(width):
        kept = [c for c in cols if c != col]
        if not kept or col not in cols:
            continue
        if all(row[col] is not None and any(row[k] == row[col] for k in kept) for row in rows):
            cols = kept
    return [[row[c] for c in cols] for row in rows]
