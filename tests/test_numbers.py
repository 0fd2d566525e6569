"""Printed numbers: separators, full-width digits, signs, units, and the marks that are not zero."""

from __future__ import annotations

import pytest

from transforms.numbers import chinese_numeral, parse_number, to_normalised
from transforms.tables.rows import is_value_text, read_value


@pytest.mark.parametrize(("text", "value", "unit", "reason"), [
    ("0", 0, None, None),
    ("１２３", 123, None, None),
    ("1,234", 1234, None, None),
    ("24252.311082", 24252.311082, None, None),
    ("160.5964万元", 160.5964, "万元", None),
    ("73802895.90元", 73802895.9, "元", None),
    ("-1", -1, None, None),
    ("+19", 19, None, None),
    ("", None, None, "blank"),
    ("/", None, None, "slash"),
    ("—", None, None, "dash"),
    ("-", None, None, "dash"),
    ("无", None, None, "none_word"),
    ("约20", None, None, "unparsable"),
])
def test_parse_number(text, value, unit, reason):
    got = parse_number(text)
    assert got.value == value and got.unit == unit and got.null_reason == reason


def test_chinese_numerals():
    assert chinese_numeral("十二") == 12
    assert chinese_numeral("一百零五") == 105
    assert chinese_numeral("两千") == 2000
    assert chinese_numeral("十二条") is None


@pytest.mark.parametrize(("text", "value"), [("减4", -4), ("增3", 3), ("? 0", 0), ("增加 2", 2), ("0件", 0)])
def test_cell_values(text, value):
    assert read_value(text).value == value


@pytest.mark.parametrize(("text", "is_value"), [
    ("0", True), ("/", True), ("—", True), ("12.5万元", True), ("减4", True),
    ("1.属于国家秘密", False), ("2013年度", False), ("99.71%", False), ("第二十条第（一）项", False),
])
def test_value_cells_told_from_labels(text, is_value):
    assert is_value_text(text) is is_value


def test_money_normalised_to_yuan():
    assert to_normalised(20.3, "万元") == (203000.0, "元")
    assert to_normalised(5, "件") == (5, "件")
    assert to_normalised(None, "万元") == (None, "万元")
