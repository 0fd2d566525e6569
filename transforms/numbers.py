"""Reading printed numbers: full-width digits, separators, Chinese numerals, blanks.

`parse_number` never guesses: text that is not a number gives `value=None` with a
reason, and the marks that mean "nothing here" (—, /, -, 无, blank) are told apart from
zero, because a blank cell is not a reported 0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Marks printed instead of a number, and the reason recorded for each.
_NULL_MARKS = {
    "": "blank",
    "/": "slash", "／": "slash", "\\": "slash",
    "-": "dash", "—": "dash", "——": "dash", "–": "dash", "－": "dash", "--": "dash", "一": "dash",
    "无": "none_word", "空": "none_word", "暂无": "none_word", "未统计": "none_word",
    "*": "dash", "×": "dash", "x": "dash", "X": "dash",
}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

_UNIT_SUFFIX = re.compile(r"(万元|元|条|件|次|篇|个|人次|人|项|份|家|起)$")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


@dataclass(frozen=True)
class ParsedNumber:
    value: float | None
    unit: str | None = None          # unit printed with the number, if any
    null_reason: str | None = None   # why value is None


def chinese_numeral(text: str) -> int | None:
    """Value of a Chinese numeral such as 十二, 一百零五, 三千; None if not one."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
            continue
        unit = _CN_UNITS[ch]
        if unit >= 10_000:
            section = (section + (digit or 0)) * unit
            total += section
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def normalise_text(text: str) -> str:
    """NFKC (full-width digits and signs to ASCII) and no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def parse_number(text: str | None, *, allow_chinese: bool = True) -> ParsedNumber:
    """Parse one printed cell value."""
    raw = normalise_text(text or "")
    if raw in _NULL_MARKS:
        return ParsedNumber(None, null_reason=_NULL_MARKS[raw])
    s = raw
    unit = None
    m = _UNIT_SUFFIX.search(s)
    if m and m.start() > 0:
        unit, s = m.group(1), s[: m.start()]
    s = s.replace("＋", "+").replace("－", "-").replace("−", "-").replace("—", "-")
    if _NUMBER.match(s):
        value = float(s.replace(",", ""))
        return ParsedNumber(value, unit)
    if allow_chinese:
        sign = -1 if s.startswith("-") else 1
        cn = chinese_numeral(s.lstrip("+-"))
        if cn is not None and s.lstrip("+-") not in ("一",):
            return ParsedNumber(float(sign * cn), unit)
    return ParsedNumber(None, unit, null_reason="unparsable")


def to_normalised(value: float | None, unit: str | None) -> tuple[float | None, str | None]:
    """Money to 元; every other unit unchanged."""
    if value is None:
        return None, unit
    if unit == "万元":
        return round(value * 10_000, 4), "元"
    return value, unit
