"""Rows -> Observations: the state machine that knows the table layouts.

It walks the rows of one source (a grid or a flattened text) in order, follows which
table it is in (二 第二十条 sub-tables, 三, 四, or an old statistical table) from titles,
header cells and the labels themselves, and maps each value cell to a code. A value is
emitted only when its row and column are certain: a row with fewer values than columns
is read by position only where blank cells survive (grids, pipe rows) or where the
capture stops inside the row; otherwise its cells are kept with value=None and
null_reason="ambiguous". Labels that map to no code are kept with indicator_code=None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.labels import LabelMaps, default_maps, enumerator, normalise_label
from transforms.model import Observation
from transforms.numbers import to_normalised
from transforms.tables.flat import unit_word
from transforms.tables.national import NationalTables
from transforms.tables.old import OldTables
from transforms.tables.rows import Cell, Row, is_null_mark, read_value
from transforms.tables.splits import group_total_check, split_runs

_NULL_REASON = {"blank": "blank", "dash": "dash", "slash": "slash", "none_word": "none_word"}


@dataclass
class Evidence:
    """What the tables say about the format generation."""

    v2019: int = 0
    v2021: int = 0
    old_local: int = 0
    old_national: int = 0
    tables: set[str] = field(default_factory=set)


@dataclass
class MapState:
    family: str                           # national | old
    kind: str | None = None               # sec2 | sec3 | sec4 | old
    sec2_header: list[set[str]] | None = None
    sec2_header_raw: list[str] = field(default_factory=list)
    sec3_parent: str | None = None
    sec3_heads: list[str] = field(default_factory=list)   # applicant columns in the order printed (text)
    sec3_order_unknown: bool = False      # a header printed the columns out of template order
    old_cols: list[str] = field(default_factory=list)
    old_seq_first: bool = False           # a 序号 column before the labels (flattened: ends the row above)
    old_group: str | None = None


class Mapper(NationalTables, OldTables):
    def __init__(self, family: str, maps: LabelMaps | None = None) -> None:
        self.maps = maps or default_maps()
        self.state = MapState(family=family)
        self.observations: list[Observation] = []
        self.flags: list[str] = []
        self.evidence = Evidence()
        self.glued_doc = False              # the document prints cells run together
        self.saw_v2021_other_rows = False   # a v2021 sub-row of （六）其他处理 is printed (read or not)
        self.sec3_out_of_order = False      # a table-三 header printed the columns out of template order
        self.sec3_order_elsewhere = False   # a table-三 header out of template order read in another pass
        self.report_year: int | None = None  # picks the year's column when an old table prints several years
        self._nat = self.maps.national
        self._old = self.maps.old
        self._old_annual_re = re.compile(self._old["columns"]["annual_pattern"])

    # ------------------------------------------------------------------ context
    def _context(self, cells: list[Cell]) -> None:
        st = self.state
        for c in cells:
            n = normalise_label(c.text, keep_enum=True)
            if not n or len(n) > 60:
                continue
            if any(m in n for m in self._nat["sec2"]["title_markers"]) and len(n) <= 20:
                st.kind, st.sec2_header, st.sec2_header_raw = "sec2", None, []
            elif any(m in n for m in self._nat["sec3"]["markers"]) and st.family == "national":
                if st.kind != "sec3":
                    st.sec3_parent = None
                    st.sec3_heads = []
                    st.sec3_order_unknown = False
                st.kind = "sec3"
            elif st.family == "old" and any(m in n for m in self._old["markers"]):
                st.kind = "old"

    def _sec4_header(self, cells: list[Cell]) -> bool:
        found = {self.maps.sec4_result(c.text) for c in cells} - {None}
        if len(found - {"total"}) >= 2:
            return True
        groups = {normalise_label(c.text) for c in cells}
        if {"行政复议", "行政诉讼"} <= groups or {"未经复议直接起诉", "复议后起诉"} <= groups:
            return True
        joined = "".join(normalise_label(c.text) for c in cells)
        return "结果维持" in joined and ("结果纠正" in joined or "尚未审结" in joined) and "行政复议" in joined

    # ------------------------------------------------------------------ entry
    def feed(self, rows: list[Row]) -> None:
        self.glued_doc = self.glued_doc or any(r.glued for r in rows)
        for row in rows:
            try:
                self._row(row)
            except Exception as exc:  # one bad row must not lose the table
                self.flags.append(f"row_error@{row.table_index}:{row.row_index}: {type(exc).__name__}: {exc}")
        if self.state.family == "national":
            self._drop_group_subtotals()

    def _matches_label(self, text: str) -> bool:
        if self.state.family == "national":
            return bool(self.maps.sec2_row(text) or self.maps.sec3_row(text, self.state.sec3_parent)
                        or self.maps.sec3_row(text, "其他处理") or self.maps.sec3_group(text))
        return bool(self.maps.old_codes(text))

    def _merge_split_label(self, cells: list[Cell]) -> list[Cell]:
        """Join a row label printed over several cells ('5.要求行政机关确认或重新' + '出具已获取信息')."""
        if self.state.family == "national":
            cells = self._split_runs(cells)
        end = len(cells)
        while end and unit_word(cells[end - 1].text):
            end -= 1
        if end < 2 or self._matches_label(cells[end - 1].text):
            return cells
        for k in range(2, min(6, end) + 1):
            joined = "".join(c.text.strip() for c in cells[end - k:end])
            if self._matches_label(joined):
                merged = Cell(joined, col=cells[end - k].col, offset=cells[end - k].offset)
                return [*cells[:end - k], merged, *cells[end:]]
        if self.state.kind == "sec3":
            # a label wrapped in its cell and cut by the row's numbers ('2．申请人逾期未按收费通知' +
            # '要求缴纳费用、行政机关不再'): the enumerated start plus its continuation lines, when
            # they begin exactly one known row label
            for k in range(2, min(4, end) + 1):
                if not enumerator(cells[end - k].text):
                    continue
                joined = "".join(c.text.strip() for c in cells[end - k:end])
                key = normalise_label(joined)
                if len(key) >= 8 and len(self._sec3_loose(key)) == 1:
                    merged = Cell(joined, col=cells[end - k].col, offset=cells[end - k].offset)
                    return [*cells[:end - k], merged, *cells[end:]]
        return cells

    def _split_runs(self, cells: list[Cell]) -> list[Cell]:
        """Cells of one visual line of an unruled PDF table ('（六）其他处理  2．申请人…') apart."""
        out: list[Cell] = []
        for c in cells:
            parts = [p for p in re.split(r"\s{2,}", c.text.strip()) if p]
            if len(parts) > 1 and sum(1 for p in parts if self.maps.sec3_group(p) or enumerator(p)) >= 2:
                out.extend(Cell(p, col=c.col, offset=c.offset) for p in parts)
            else:
                out.append(c)
        return out

    def _row(self, row: Row) -> None:
        st = self.state
        if not row.positional or not (row.values and row.values[0].header):
            row.labels = self._merge_split_label(row.labels)
        self._context(row.labels)
        if st.family == "national" and not self.saw_v2021_other_rows:
            joined_all = "".join(normalise_label(c.text) for c in row.labels)
            self.saw_v2021_other_rows = any(m in joined_all for m in self._nat["sec3"]["v2021_other_markers"])
        has_values = any(v.text.strip() for v in row.values)
        joined = "".join(normalise_label(c.text) for c in row.labels[-3:])
        sec4_line = "行政复议" in joined and "行政诉讼" in joined and len([v for v in row.values if v.text.strip()]) == 15
        if st.family == "national" and (self._sec4_header(row.labels) or sec4_line or (
                st.kind == "sec4" and (not row.labels or self._national_label(row.labels)[0] is None))):
            st.kind = "sec4"
            if has_values and row.spilled:
                self.evidence.tables.add("sec4")
                self._ambiguous_row(row, Cell("行政复议/行政诉讼"), "sec4", "cell_with_several_numbers")
            elif has_values:
                self._map_sec4(row)
            return
        if st.family == "national":
            label_idx, kind = self._national_label(row.labels)
            if kind:
                st.kind = kind
            if st.kind == "sec2":
                self._sec2_header(row.labels[:label_idx] if label_idx is not None else row.labels, row)
            if st.kind == "sec3":
                for c in row.labels:
                    for tok in c.text.split():
                        a = self.maps.applicant(tok)
                        if a and a not in st.sec3_heads:
                            st.sec3_heads.append(a)
                # header text printing 总计 before 自然人 (cells glued: 总计自然): rows read later
                # by position (a continuation without its header) cannot be placed
                head = "".join(normalise_label(c.text) for c in (
                    row.labels[:label_idx] if label_idx is not None else row.labels) if not enumerator(c.text))
                if "总计" in head and "自然" in head and head.index("总计") < head.index("自然"):
                    st.sec3_order_unknown = self.sec3_out_of_order = True
                # a row without cells is a group row ('（六）其他处理' above its sub-rows)
                self._sec3_groups(row.labels[:label_idx] if label_idx is not None and row.values else row.labels)
            if label_idx is None:
                if has_values and st.kind in ("sec2", "sec3"):
                    self._unmapped(row)
                return
            if not row.values:
                return                      # a header row ('自然人 | 法人或其他组织 | 总计'): context only
            label = row.labels[label_idx]
            if row.spilled:
                self.evidence.tables.add(st.kind or "sec3")
                self._ambiguous_row(row, label, st.kind or "sec3", "cell_with_several_numbers")
                return
            if st.kind == "sec2":
                self._map_sec2(row, label)
            elif st.kind == "sec3":
                self._map_sec3(row, label)
        else:
            self._old_header(row.labels)
            if not has_values and not row.values:
                return
            self._map_old(row)
    # ------------------------------------------------------------------ placing values
    def _trim(self, row: Row, n: int | None) -> list[Cell]:
        values = list(row.values)
        if row.positional and n is not None:
            while len(values) > n and not values[-1].text.strip():
                values.pop()
        elif row.positional:
            while values and not values[-1].text.strip():
                values.pop()
        elif not row.positional:
            values = [v for v in values if v.text.strip()]
        return values

    def _place(self, row: Row, label: Cell, table: str, codes: list[str | None], values: list[Cell],
               cols: list[str], check, unit_hint: str | None = None) -> None:
        n = len(codes)
        runs = all(v.text.strip().isdigit() for v in values) and bool(values)
        leading_zero = any(len(v.text.strip()) > 1 and v.text.strip().startswith("0") and v.text.strip().isdigit()
                           for v in values)
        if leading_zero and not runs:
            self._ambiguous_row(row, label, table, "digit_run_mixed", codes=codes)
            return
        if runs and len(values) >= n and any(
                (len(v.text.strip()) > 1 and v.text.strip().startswith("0")) or len(v.text.strip()) > 12
                for v in values):
            # every cell present yet one is a digit run no table prints ('0101900084…'): cells of
            # a column read as one
            self._ambiguous_row(row, label, table, "digit_run_in_full_row", codes=codes)
            return
        if runs and len(values) < n and (row.glued or leading_zero or (self.glued_doc and len(values) == 1)):
            cuts = split_runs([v.text.strip() for v in values], n, check)
            if len(cuts) == 1:
                for code, val, col in zip(codes, cuts[0], cols, strict=True):
                    self._emit(code, Cell(str(val), offset=values[0].offset), row, label, table,
                               raw_col=col, unit_hint=unit_hint, flag="split_from_digit_run")
                return
            self._ambiguous_row(row, label, table, "digit_run_splits" if cuts else "digit_run_no_split",
                                codes=codes)
            return
        prefix_ok = True
        if len(values) < n and check is group_total_check:
            # a capture cut inside the 四 row: the groups it shows whole must add up
            nums = [read_value(v.text).value for v in values]
            whole = len(nums) // 5 * 5
            prefix_ok = all(x is not None for x in nums[:whole]) and (
                whole == 0 or check([int(x) for x in nums[:whole]]))  # type: ignore[arg-type]
        if len(values) == n or (len(values) < n and row.at_end and not row.gappy and prefix_ok):
            for code, v, col in zip(codes, values, cols, strict=False):
                self._emit(code, v, row, label, table, raw_col=col, unit_hint=unit_hint)
            return
        if len(values) > n and not row.positional:
            # more numbers than cells: only the identities could tell which belong here
            self._ambiguous_row(row, label, table, "too_many_values", codes=codes)
            return
        self._ambiguous_row(row, label, table, "too_few_values", codes=codes)

    def _ambiguous_row(self, row: Row, label: Cell, table: str, why: str, codes: list | None = None) -> None:
        codes = codes or [None]
        for code in codes:
            obs = Observation(indicator_code=code, value=None, raw_row_label=label.text,
                              raw_text=" ".join(v.text for v in row.values), table=table,
                              table_index=row.table_index, row=row.row_index,
                              char_offset=label.offset, null_reason="ambiguous", flags=[why])
            self.observations.append(obs)

    def _unmapped(self, row: Row) -> None:
        label = next((c for c in reversed(row.labels) if c.text.strip()), Cell(""))
        for v in row.values:
            if v.text.strip():
                self._emit(None, v, row, label, self.state.kind)

    def _obs(self, code: str | None, v: Cell, row: Row, label: Cell, table: str | None,
             raw_col: str | None = None) -> Observation:
        return Observation(indicator_code=code, value=None, raw_row_label=label.text,
                           raw_col_label=raw_col, raw_text=v.text, table=table,
                           table_index=row.table_index, row=row.row_index, col=v.col,
                           char_offset=v.offset if row.table_index is None else None)

    def _emit(self, code: str | None, v: Cell, row: Row, label: Cell, table: str | None,
              raw_col: str | None = None, unit_hint: str | None = None, column_kind: str | None = None,
              dimension: str | None = None, flag: str | None = None) -> None:
        obs = self._obs(code, v, row, label, table, raw_col)
        obs.value_column_kind = column_kind
        obs.dimension = dimension
        if flag:
            obs.flags.append(flag)
        text = v.text.strip()
        if not text:
            obs.null_reason = "blank"
        else:
            parsed = read_value(text)
            if parsed.value is None:
                obs.null_reason = _NULL_REASON.get(parsed.null_reason or "", "unparsable") if is_null_mark(text) \
                    else (parsed.null_reason or "unparsable")
            else:
                obs.value = parsed.value
                ind = self.maps.dictionary.indicators.get(code) if code else None
                obs.unit = parsed.unit or unit_hint
                if obs.unit is None and code in self._nat["unit_must_be_printed"]:
                    obs.flags.append("unit_not_printed")   # 元 or 万元: the template does not say
                elif obs.unit is None:
                    obs.unit = ind.unit if ind else None
                if ind and not ind.signed and obs.value < 0:
                    obs.flags.append("negative_value")
                if "unit_not_printed" not in obs.flags:
                    obs.value_normalised, obs.unit_normalised = to_normalised(obs.value, obs.unit)
        self.observations.append(obs)
