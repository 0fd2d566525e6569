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
