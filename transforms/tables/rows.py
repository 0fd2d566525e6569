"""The one shape every table source is reduced to before mapping: a sequence of rows.

A grid row (HTML/DOCX/PDF/XLS) keeps its cell positions and the header texts above each
column; a flattened-text row (pipe rows, one cell per line, blank-line separated, space
separated, concatenated cells) is a run of label cells followed by a run of value cells.
`positional` says whether blank cells survived (grids, pipe rows): only then can a short
row be read by position.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from transforms.numbers import parse_number

_VALUE = re.compile(
    r"^[?？]?\s*(?:[+＋\-－−]|增|减|增加|减少)?\s*\d[\d,，]*(?:\.\d+)?\s*(?:万元|元|条|件|次|篇|个|人次|人|项|份)?$"
)
_TRADITIONAL = str.maketrans({"萬": "万", "減": "减", "圓": "元", "無": "无", "個": "个", "項": "项", "條": "条"})
_NULL_MARKS = {"/", "／", "-", "—", "——", "–", "－", "--", "无", "—/—", "\\", "*", "×", "x", "X", "一"}


@dataclass
class Cell:
    text: str
    col: int | None = None              # grid column or position in a pipe row
    offset: int | None = None           # character offset in the document text
    header: tuple[str, ...] = ()        # header texts above this column, nearest first (grids)
    gap: int = 0                        # empty lines before this cell (flattened text)


@dataclass
class Row:
    labels: list[Cell]                  # text cells before the values (titles, headers, labels)
    values: list[Cell] = field(default_factory=list)
    positional: bool = False            # blank cells are real cells
    at_end: bool = False                # the document (capture) ends in or right after this row
    glued: bool = False                 # the values were printed glued to the label (no separator)
    gappy: bool = False                 # extra empty lines between the values (empty cells kept as lines)
    table_index: int | None = None
    row_index: int | None = None
    source: str = "text"                # text | html | pdf | docx | xls ...
    spilled: bool = False               # a grid cell holds several numbers: columns not trustworthy
    late_start: bool = False            # headerless grid row whose numbers start right of the others


def is_value_text(text: str) -> bool:
    """A cell that holds a number or a no-value mark (not a label)."""
    s = unicodedata.normalize("NFKC", text or "").strip().translate(_TRADITIONAL)
    if not s:
        return False
    if s in _NULL_MARKS:
        return True
    return bool(_VALUE.match(s))


def is_null_mark(text: str) -> bool:
    s = unicodedata.normalize("NFKC", text or "").strip().translate(_TRADITIONAL)
    return s in _NULL_MARKS


def read_value(text: str):
    """ParsedNumber of a value cell: signs written 增/减, a stray '?' before the digits."""
    s = unicodedata.normalize("NFKC", text or "").strip().translate(_TRADITIONAL).lstrip("?？").strip()
    sign = 1
    for word, sgn in (("增加", 1), ("减少", -1), ("增", 1), ("减", -1)):
        if s.startswith(word):
            s, sign = s[len(word):], sgn
            break
    s = s.replace("，", ",")
    parsed = parse_number(s, allow_chinese=False)
    if parsed.value is not None and sign < 0:
        from transforms.numbers import ParsedNumber

        parsed = ParsedNumber(-parsed.value, parsed.unit, None)
    return parsed
