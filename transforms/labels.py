"""Label normalisation and matching: printed row/column labels -> canonical codes.

Every label variant lives in data (`transforms/data/indicators.yaml` zh/zh_variants and
`transforms/data/labels/*.yaml`); this module only normalises text and looks it up.
Normalisation makes one key out of the many ways a label is printed: NFKC (full-width
to half-width), traditional to simplified characters, no whitespace or line breaks, no
quotes, no leading enumerators (一、 (一) 1. 1、 1) ①), no parentheticals (long Hubei
instructions, pinyin glosses) and no punctuation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from transforms.dictionary import Dictionary, load_default

LABELS_DIR = Path(str(resources.files("transforms") / "data" / "labels"))

_CN_NUM = "一二三四五六七八九十"
_ENUM = re.compile(
    rf"^(?:其中[:：]?|\(?[{_CN_NUM}]+\)|[{_CN_NUM}]+[、.]|\(\d+\)|\d+[.、)](?!\d)|[①-⑳]|第[{_CN_NUM}]+[,，、])"
)
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüɑ]+\)", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]*)\)")
_OPEN_TAIL = re.compile(r"\([^()]*$")
_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉<>:;,，。.、；：!！?？·•…\-_—=*#]")
_ENUM_ONLY = re.compile(rf"^(?:[{_CN_NUM}]+|\d+)$")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    return _t2s().convert(text)


@lru_cache(maxsize=65536)
def normalise_label(text: str | None, *, keep_enum: bool = False) -> str:
    """The lookup key of a printed label (see the module docstring)."""
    s = unicodedata.normalize("NFKC", text or "")
    s = to_simplified(s)
    s = s.replace("其它", "其他")   # both spellings are in use (其它结果, 3．其它, 其它形式申请数)
    s = re.sub(r"\s+", "", s)
    s = s.replace("〔", "(").replace("〕", ")").replace("【", "(").replace("】", ")")
    s = s.replace("[", "(").replace("]", ")")
    s = _PINYIN.sub("", s)
    s = s.strip("|")
    if not keep_enum:
        for _ in range(4):
            m = _ENUM.match(s)
            if not m or m.end() == len(s):
                break
            s = s[m.end():]
    # drop parentheticals that are not bare enumerators, innermost first
    for _ in range(4):
        new = _PAREN.sub(lambda m: m.group(0) if _ENUM_ONLY.match(m.group(1)) else "", s)
        if new == s:
            break
        s = new
    s = _OPEN_TAIL.sub("", s)
    s = _DROP.sub("", s)
    return s


_INNER_ENUM = re.compile(r"[（(][一二三四五六七八九十]+[）)]|(?<![\d.])\d{1,2}[.．、)）](?!\d)|[一二三四五六七八九十]+、")


def label_tails(text: str | None) -> list[str]:
    """The parts of a label that start at an inner enumerator, last first.

    '（二）通过不同渠道和方式公开政府信息的情况 1.政府公报公开政府信息数' -> ['1.政府公报公开政府信息数'].
    """
    s = unicodedata.normalize("NFKC", text or "")
    starts = [m.start() for m in _INNER_ENUM.finditer(s) if m.start() > 0]
    return [s[i:] for i in reversed(starts)]


def enumerator(text: str | None) -> str | None:
    """The leading enumerator of a label ('(六)', '3.'), normalised, or None."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    m = _ENUM.match(s)
    return m.group(0) if m else None


@dataclass
class LabelMaps:
    """Lookup tables built once from the dictionary and the label data files."""

    dictionary: Dictionary
    national: dict[str, Any]
    old: dict[str, Any]
    sec2_cells: dict[tuple[str, str], str] = field(default_factory=dict)
    sec2_rows: set[str] = field(default_factory=set)
    sec2_cols: set[str] = field(default_factory=set)
    sec3_rows: dict[str, str] = field(default_factory=dict)
    old_labels: dict[str, list[str]] = field(default_factory=dict)

    # ---- section 二 ----
    def sec2_row(self, label: str) -> str | None:
        key = normalise_label(label)
        key = self.national["sec2"]["row_aliases"].get(key, key)
        return key if key in self.sec2_rows else None

    def sec2_code(self, row: str, col: str) -> str | None:
        code = self.sec2_cells.get((row, col))
        if code is None:
            for alt in self.national["sec2"]["row_fallbacks"].get(row, []):
                code = self.sec2_cells.get((alt, col))
                if code:
                    break
        return code

    def sec2_col_candidates(self, label: str) -> set[str]:
        """Known column names a printed header cell may be (prefix match for cut headers)."""
        key = normalise_label(label)
        key = self.national["sec2"]["col_aliases"].get(key, key)
        if not key:
            return set()
        if key in self.sec2_cols:
            return {key}
        return {c for c in self.sec2_cols if c.startswith(key)} if len(key) >= 2 else set()

    # ---- section 三 ----
    def sec3_row(self, label: str, parent: str | None) -> str | None:
        key = normalise_label(label)
        key = self.national["sec3"]["row_aliases"].get(key, key)
        ctx = self.national["sec3"]["context_rows"].get(key)
        if ctx:
            return ctx.get(parent or "")
        code = self.sec3_rows.get(key)
        if code is None:
            for tail in label_tails(label):
                code = self.sec3_rows.get(normalise_label(tail))
                if code:
                    break
        return code

    def sec3_group(self, label: str) -> str | None:
        key = normalise_label(label)
        return key if key in self.national["sec3"]["groups"] else None

    def applicant(self, label: str) -> str | None:
        if enumerator(label):
            return None                     # '3．其他', '（七）总计' are row labels, not columns
        key = normalise_label(label)
        return self.national["sec3"]["columns"].get(key)

    # ---- section 四 ----
    def sec4_result(self, label: str) -> str | None:
        return self.national["sec4"]["results"].get(normalise_label(label))

    def sec4_group(self, label: str) -> str | None:
        return self.national["sec4"]["groups"].get(normalise_label(label))

    # ---- old tables ----
    def old_codes(self, label: str) -> list[str]:
        key = normalise_label(label)
        key = self.old["aliases"].get(key, key)
        codes = self.old_labels.get(key)
        if not codes:
            for tail in label_tails(label):
                tkey = normalise_label(tail)
                codes = self.old_labels.get(self.old["aliases"].get(tkey, tkey))
                if codes:
                    break
        return list(codes or [])

    def old_group_of(self, code: str) -> str | None:
        for group, codes in self.old["groups"].items():
            if code in codes:
                return group
        return None


def _load_yaml(name: str) -> dict[str, Any]:
    with open(LABELS_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def build_maps(dictionary: Dictionary | None = None) -> LabelMaps:
    d = dictionary or load_default()
    maps = LabelMaps(dictionary=d, national=_load_yaml("national.yaml"), old=_load_yaml("old.yaml"))
    nat2 = maps.national["sec2"]
    for entry in d.raw.get("section2", []):
        for zh in (entry["zh"], *entry.get("zh_variants", ())):
            if "/" not in zh:
                continue
            row, col = zh.split("/", 1)
            row_key, col_key = normalise_label(row), normalise_label(col)
            col_key = nat2["col_aliases"].get(col_key, col_key)
            maps.sec2_cells.setdefault((row_key, col_key), entry["code"])
            maps.sec2_rows.add(row_key)
            maps.sec2_cols.add(col_key)
    for tpl in nat2["templates"]:
        maps.sec2_cols.update(normalise_label(c) for c in tpl["cols"])
    for row in d.sec3_rows:
        for zh in (row["zh"], *row.get("zh_variants", ())):
            maps.sec3_rows.setdefault(normalise_label(zh), row["code"])
    for ind in d.indicators.values():
        if ind.table != "old":
            continue
        for zh in (ind.zh, *ind.zh_variants):
            key = normalise_label(zh)
            if key and ind.code not in maps.old_labels.setdefault(key, []):
                maps.old_labels[key].append(ind.code)
    return maps


@lru_cache(maxsize=1)
def default_maps() -> LabelMaps:
    return build_maps()
