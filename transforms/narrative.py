"""Headline figures stated in the prose of a report (source="narrative").

Many reports, and every report without a statistical table, state their main figures in
sentences: 2013年新增主动公开政府信息45条; 未收到政府信息公开申请; 办结17件. The phrasings are
data (`transforms/data/narrative_patterns.yaml`); this module only splits the text into
sentences, runs the patterns of the report's era and turns matches into Observations.

Precision comes first: a figure is read only when printed exactly between its label and
its unit, so approximate figures (约/余/多/近/万), rates and category breakdowns are not
read. A code stated with two different values in the prose is kept with `value=None`
(`null_reason="ambiguous"`) rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from transforms.dictionary import load_default
from transforms.model import Observation, ReportMeta
from transforms.numbers import chinese_numeral, to_normalised

PATTERNS_PATH = Path(str(resources.files("transforms") / "data" / "narrative_patterns.yaml"))

NEW_FORMATS = ("v2019", "v2021")
OLD_FORMATS = ("v2008_local", "v2014_national")
CONFLICT_FLAG = "narrative_vs_table"
ZERO_NULL_REASONS = ("blank", "dash", "slash", "none_word")   # printed marks that mean 0 in a located table
AMBIGUOUS_FLAG = "narrative_multiple_values"

# Sentence boundaries. A single line break ends a sentence only after a short line (table
# cells, headings); a long line is a wrapped paragraph (PDF text layers) and is joined.
_SENTENCE_END = set("。；;！!？?|")
_WRAPPED_LINE_MIN = 15
_UNITS = ("人次", "条", "件", "人", "名", "个", "份", "起", "宗")
_MAX_DIGITS = 10        # longer digit runs are glued cells or identifiers, not counts
_FULLWIDTH = str.maketrans("０１２３４５６７８９，", "0123456789,")
_CLAUSE_START = re.compile(r"[，,：:、]")
# Mirror sites insert pinyin after characters: 主(zhu)動公(gong)開. Skipped like whitespace.
_PINYIN_INSERT = re.compile(r"(?<=[\u3400-\u9fff])(?:\([a-z]{1,6}\))+")
# Characters that only occur in traditional-script text (big5 gateways, mirrors).
_TRADITIONAL_MARKERS = set("開請條報處數資訊務機關與這")


@dataclass(frozen=True)
class Pattern:
    code: str
    era: str                          # old | new | any
    regexes: tuple[re.Pattern[str], ...]
    value: float | None = None        # fixed value for patterns without a number
    require: tuple[str, ...] = ()
    reject: tuple[str, ...] = ()
    reject_before: tuple[str, ...] = ()
    reject_clause_before: tuple[str, ...] = ()
    reject_after: tuple[str, ...] = ()
    without_table: bool = False


@dataclass(frozen=True)
class PatternSet:
    patterns: tuple[Pattern, ...]
    approx_after: tuple[str, ...]


def _compile(entry: dict[str, Any], number: str, connectors: str) -> Pattern:
    regexes = entry["regex"] if isinstance(entry["regex"], list) else [entry["regex"]]
    compiled = tuple(
        re.compile(r.replace("{NUM}", number).replace("{CONN}", connectors)) for r in regexes
    )
    if entry.get("value") is None and not all("num" in c.groupindex for c in compiled):
        raise ValueError(f"pattern for {entry['code']} has neither {{NUM}} nor a fixed value")
    return Pattern(
        code=entry["code"],
        era=entry.get("era", "any"),
        regexes=compiled,
        value=None if entry.get("value") is None else float(entry["value"]),
        require=tuple(entry.get("require", ())),
        reject=tuple(entry.get("reject", ())),
        reject_before=tuple(entry.get("reject_before", ())),
        reject_clause_before=tuple(entry.get("reject_clause_before", ())),
        reject_after=tuple(entry.get("reject_after", ())),
        without_table=bool(entry.get("without_table", False)),
    )


def load_patterns(path: Path | str | None = None) -> PatternSet:
    """Compile a pattern file (the packaged one by default); codes are checked against the dictionary."""
    if path is None:
        return _default_patterns()
    with open(path, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    codes = set(load_default().indicators)
    patterns = []
    for entry in raw["patterns"]:
        if entry["code"] not in codes:
            raise ValueError(f"narrative pattern code {entry['code']!r} is not in indicators.yaml")
        if entry.get("era", "any") not in ("old", "new", "any"):
            raise ValueError(f"bad era {entry.get('era')!r} for {entry['code']}")
        patterns.append(_compile(entry, raw["number"], raw["connectors"]))
    return PatternSet(tuple(patterns), tuple(raw.get("approx_after", ())))


@lru_cache(maxsize=1)
def _default_patterns() -> PatternSet:
    return load_patterns(PATTERNS_PATH)


def report_era(meta: ReportMeta) -> str | None:
    """old | new | None: the format decides, else the statistics year."""
    if meta.format_version in NEW_FORMATS:
        return "new"
    if meta.format_version in OLD_FORMATS:
        return "old"
    if meta.report_year is not None:
        return "new" if meta.report_year >= 2019 else "old"
    return None


def _sentences(text: str) -> list[tuple[str, list[int]]]:
    """Split into sentences with whitespace removed; each comes with its map to `text` offsets."""
    out: list[tuple[str, list[int]]] = []
    chars: list[str] = []
    offsets: list[int] = []
    line_len = 0

    def flush() -> None:
        if chars:
            out.append(("".join(chars), offsets.copy()))
        chars.clear()
        offsets.clear()

    ignored = {i for m in _PINYIN_INSERT.finditer(text) for i in range(m.start(), m.end())}
    gap = False
    for i, ch in enumerate(text):
        if i in ignored:
            continue
        if ch == "\n":
            if line_len < _WRAPPED_LINE_MIN:
                flush()
            line_len = 0
            gap = True
            continue
        if ch.isspace():
            gap = True
            continue
        line_len += 1
        if ch in _SENTENCE_END:
            flush()
            continue
        ch = ch.translate(_FULLWIDTH)
        if gap and ch.isdigit() and chars and chars[-1].isdigit():
            flush()          # two printed numbers (table columns) must not merge into one
        gap = False
        chars.append(ch)
        offsets.append(i)
    flush()
    return out


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified characters, one character at a time so offsets stay valid."""
    if not any(ch in _TRADITIONAL_MARKERS for ch in text):
        return text
    cc = _t2s()
    table = {}
    for ch in set(text):
        if ord(ch) > 0x2E7F:
            out = cc.convert(ch)
            if len(out) == 1 and out != ch:
                table[ord(ch)] = out
    return text.translate(table)


def _number(text: str) -> float | None:
    digits = text.replace(",", "").replace("，", "")
    if digits.isdigit():
        return float(digits) if len(digits) <= _MAX_DIGITS else None
    cn = chinese_numeral(text)
    return None if cn is None else float(cn)


def _unit_after(sentence: str, pos: int) -> str | None:
    return next((u for u in _UNITS if sentence.startswith(u, pos)), None)


def _matches(pattern: Pattern, sentence: str, approx_after: tuple[str, ...]):
    if pattern.require and not any(w in sentence for w in pattern.require):
        return
    if any(w in sentence for w in pattern.reject):
        return
    for rx in pattern.regexes:
        for m in rx.finditer(sentence):
            before = sentence[: m.start()]
            if any(w in before for w in pattern.reject_before):
                continue
            clause = _CLAUSE_START.split(before)[-1]
            if any(w in clause for w in pattern.reject_clause_before):
                continue
            if any(sentence.startswith(w, m.end()) for w in approx_after + pattern.reject_after):
                continue
            yield m


def extract_narrative(text: str, meta: ReportMeta) -> list[Observation]:
    """Observations for the headline figures stated exactly in `text` (table='narrative')."""
    era = report_era(meta)
    pset = _default_patterns()
    has_table = meta.format_version in NEW_FORMATS + OLD_FORMATS
    active = [p for p in pset.patterns if (p.era == "any" or p.era == era)
              and not (p.without_table and has_table)]
    dictionary = load_default().indicators
    found: list[Observation] = []
    seen: set[tuple[str, float, int]] = set()
    for sentence, offsets in _sentences(to_simplified(text or "")):
        for pattern in active:
            for m in _matches(pattern, sentence, pset.approx_after):
                if pattern.value is not None:
                    value, pos, unit = pattern.value, m.start(), None
                else:
                    value = _number(m.group("num"))
                    if value is None:
                        continue
                    pos, unit = m.start("num"), _unit_after(sentence, m.end("num"))
                key = (pattern.code, value, offsets[pos])
                if key in seen:
                    continue
                seen.add(key)
                unit = unit or dictionary[pattern.code].unit
                norm, norm_unit = to_normalised(value, unit)
                found.append(Observation(
                    indicator_code=pattern.code,
                    value=value,
                    unit=unit,
                    value_normalised=norm,
                    unit_normalised=norm_unit,
                    raw_row_label=m.group(0),
                    raw_text=text[offsets[0]: offsets[-1] + 1],
                    table="narrative",
                    char_offset=offsets[pos],
                    source="narrative",
                ))
    return _resolve_repeats(found)


def _resolve_repeats(found: list[Observation]) -> list[Observation]:
    """One observation per (code, value); a code stated with different values becomes ambiguous."""
    by_code: dict[str, list[Observation]] = {}
    for obs in found:
        by_code.setdefault(obs.indicator_code or "", []).append(obs)
    out: list[Observation] = []
    for group in by_code.values():
        values = {o.value for o in group}
        if len(values) == 1:
            out.append(group[0])
            continue
        for o in group:
            o.null_reason = "ambiguous"
            o.flags.append(AMBIGUOUS_FLAG)
            o.raw_col_label = f"stated value {o.value:g}"
            o.value = o.value_normalised = None
            out.append(o)
    out.sort(key=lambda o: o.char_offset or 0)
    return out


def _table_value(observations: list[Observation], code: str) -> tuple[Observation, float] | None:
    """The table's observation and value for `code`; a cell printed blank (-, /, 无) counts 0."""
    for obs in observations:
        if (obs.source == "narrative" or obs.indicator_code != code or obs.dimension is not None
                or obs.value_column_kind not in (None, "annual")):
            continue
        if obs.value is not None:
            return obs, obs.value
        if obs.null_reason in ZERO_NULL_REASONS:
            return obs, 0.0
    return None


def narrative_conflicts(observations: list[Observation]) -> list[str]:
    """Flag narrative values that differ from the table value of the same code.

    The table value wins (it is what `ParsedReport.values()` reports when table
    observations come first); both observations get the `narrative_vs_table` flag and a
    document-level flag string is returned per conflict. A table cell printed blank
    counts as 0 here. Values are never changed.
    """
    out: list[str] = []
    for obs in observations:
        if obs.source != "narrative" or obs.value is None or not obs.indicator_code:
            continue
        found = _table_value(observations, obs.indicator_code)
        if found is None or abs(found[1] - obs.value) < 1e-9:
            continue
        table, table_value = found
        for o in (obs, table):
            if CONFLICT_FLAG not in o.flags:
                o.flags.append(CONFLICT_FLAG)
        phrase = obs.raw_row_label or (obs.raw_text or "")[:80]
        printed = f"{table_value:g}" if table.value is not None else f"a blank cell ({table.null_reason})"
        out.append(f"{CONFLICT_FLAG}@{obs.indicator_code}: warning: the narrative says {obs.value:g} "
                   f"(「{phrase}」) while the table prints {printed}")
    return out
