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

from transforms.labels import LabelMaps, default_maps, normalise_label
from transforms.model import Observation
from transforms.numbers import to_normalised
from transforms.tables.flat import unit_word
from transforms.tables.rows import Cell, Row, is_null_mark, read_value
from transforms.tables.splits import group_total_check, row_total_check, split_runs

_NULL_REASON = {"blank": "blank", "dash": "dash", "slash": "slash", "none_word": "none_word"}
_UNIT_IN_HEADER = re.compile(r"(万元)|[(（]\s*(元)\s*[)）]|单位[:：]\s*(元)")


def header_unit(text: str) -> str | None:
    """A money unit printed in a column header ('本年收费金额（单位：万元）', '采购总金额（元）')."""
    m = _UNIT_IN_HEADER.search((text or "").replace(" ", ""))
    return next((g for g in m.groups() if g), None) if m else None


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
    old_cols: list[str] = field(default_factory=list)
    old_seq_first: bool = False           # a 序号 column before the labels (flattened: ends the row above)
    old_group: str | None = None


class Mapper:
    def __init__(self, family: str, maps: LabelMaps | None = None) -> None:
        self.maps = maps or default_maps()
        self.state = MapState(family=family)
        self.observations: list[Observation] = []
        self.flags: list[str] = []
        self.evidence = Evidence()
        self.glued_doc = False              # the document prints cells run together
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

    def _matches_label(self, text: str) -> bool:
        if self.state.family == "national":
            return bool(self.maps.sec2_row(text) or self.maps.sec3_row(text, self.state.sec3_parent)
                        or self.maps.sec3_row(text, "其他处理") or self.maps.sec3_group(text))
        return bool(self.maps.old_codes(text))

    def _merge_split_label(self, cells: list[Cell]) -> list[Cell]:
        """Join a row label printed over several cells ('5.要求行政机关确认或重新' + '出具已获取信息')."""
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
        return cells

    def _row(self, row: Row) -> None:
        st = self.state
        if not row.positional or not (row.values and row.values[0].header):
            row.labels = self._merge_split_label(row.labels)
        self._context(row.labels)
        has_values = any(v.text.strip() for v in row.values)
        joined = "".join(normalise_label(c.text) for c in row.labels[-3:])
        sec4_line = "行政复议" in joined and "行政诉讼" in joined and len([v for v in row.values if v.text.strip()]) == 15
        if st.family == "national" and (self._sec4_header(row.labels) or sec4_line or (
                st.kind == "sec4" and (not row.labels or self._national_label(row.labels)[0] is None))):
            st.kind = "sec4"
            if has_values:
                self._map_sec4(row)
            return
        if st.family == "national":
            label_idx, kind = self._national_label(row.labels)
            if kind:
                st.kind = kind
            if st.kind == "sec2":
                self._sec2_header(row.labels[:label_idx] if label_idx is not None else row.labels, row)
            if st.kind == "sec3":
                self._sec3_groups(row.labels[:label_idx] if label_idx is not None else row.labels)
            if label_idx is None:
                if has_values and st.kind in ("sec2", "sec3"):
                    self._unmapped(row)
                return
            if not row.values:
                return                      # a header row ('自然人 | 法人或其他组织 | 总计'): context only
            label = row.labels[label_idx]
            if st.kind == "sec2":
                self._map_sec2(row, label)
            elif st.kind == "sec3":
                self._map_sec3(row, label)
        else:
            self._old_header(row.labels)
            if not has_values and not row.values:
                return
            self._map_old(row)

    # ------------------------------------------------------------------ national labels
    def _national_label(self, cells: list[Cell]) -> tuple[int | None, str | None]:
        st = self.state
        for i in range(len(cells) - 1, -1, -1):
            t = cells[i].text
            if unit_word(t) or not normalise_label(t):
                continue
            # only the last label cell names the row: an earlier one is a title, header or group
            # (a group such as （六）其他处理 must not take the cells of a sub-row it does not know)
            if self.maps.sec2_row(t):
                return i, "sec2"
            key = normalise_label(t)
            if key in self._nat["sec3"]["leaf_when_valued"]:
                return i, "sec3"
            parent = st.sec3_parent
            for c in cells[:i]:
                g = self.maps.sec3_group(c.text)
                if g:
                    parent = g
            if self.maps.sec3_row(t, parent):
                return i, "sec3"
            # labels cut by a page or line break: accept a unique prefix
            if st.kind == "sec3" and len(key) >= 5:
                hits = self._sec3_loose(key)
                if len(hits) == 1:
                    return i, "sec3"
            return None, None
        return None, None

    # ------------------------------------------------------------------ section 二
    def _sec2_header(self, cells: list[Cell], row: Row) -> None:
        st = self.state
        texts = [c.text for c in cells if c.text.strip()]
        norm = [normalise_label(t) for t in texts]
        start = None
        for i, n in enumerate(norm):
            if any(n.startswith(m) for m in self._nat["sec2"]["header_markers"]):
                start = i
        if start is None:
            if any(any(m in n for m in self._nat["sec2"]["title_markers"]) for n in norm):
                start = max(i for i, n in enumerate(norm) if any(m in n for m in self._nat["sec2"]["title_markers"]))
            else:
                return
        marker = norm[start]
        rest_first = ""
        for m in self._nat["sec2"]["header_markers"]:
            if marker.startswith(m):
                rest_first = marker[len(m):]
        header_texts = ([rest_first] if rest_first else []) + texts[start + 1:]
        st.sec2_header_raw = header_texts
        st.sec2_header = self._parse_sec2_header(header_texts) if header_texts else None

    def _parse_sec2_header(self, texts: list[str]) -> list[set[str]] | None:
        cols = self.maps.sec2_cols
        aliases = self._nat["sec2"]["col_aliases"]
        joined = "".join(normalise_label(t) for t in texts)
        # 1) the whole header as a sequence of known column names (headers run together)
        seg: list[set[str]] = []
        pos = 0
        names = sorted(cols | set(aliases), key=len, reverse=True)
        while pos < len(joined):
            for name in names:
                if joined.startswith(name, pos):
                    seg.append({aliases.get(name, name)})
                    pos += len(name)
                    break
            else:
                seg = []
                break
        if seg:
            return seg
        # 2) cell by cell, a cut header cell standing for every column it begins
        out = []
        for t in texts:
            cand = self.maps.sec2_col_candidates(t)
            if cand:
                out.append(cand)
        return out or None

    def _sec2_columns(self, row_key: str, nvalues: int) -> list[str] | None:
        """The column names of the sub-table of `row_key` under the current header."""
        header = self.state.sec2_header
        options = []
        for tpl in self._nat["sec2"]["templates"]:
            if row_key not in tpl["rows"]:
                continue
            tcols = [normalise_label(c) for c in tpl["cols"]]
            if header:
                if len(header) == len(tcols) and all(tc in h for tc, h in zip(tcols, header, strict=True)):
                    options.append(tcols)
            elif nvalues == len(tcols):
                options.append(tcols)
        if header and not options and all(len(h) == 1 for h in header):
            # a header of known columns in an order no template has (local variants)
            options.append([next(iter(h)) for h in header])
        return options[0] if len(options) == 1 else None

    def _map_sec2(self, row: Row, label: Cell) -> None:
        st = self.state
        self.evidence.tables.add("sec2")
        row_key = self.maps.sec2_row(label.text)
        assert row_key is not None
        units = {header_unit(t) for t in st.sec2_header_raw} - {None}
        unit_of_header = units.pop() if len(units) == 1 else None
        if row.values and row.values[0].header:
            # grid: every value cell names its own column; cut headers ('本年新') by the layouts
            resolved = self._sec2_grid_columns(row_key, row.values)
            seen: dict[str, Cell] = {}
            for v in row.values:
                cand = set()
                unit_here = None
                for h in v.header[:1]:
                    cand = self.maps.sec2_col_candidates(h)
                    unit_here = header_unit(h)
                if id(v) in resolved:
                    cand = {resolved[id(v)]}
                if len(cand) != 1:
                    if v.text.strip():
                        self._emit(None, v, row, label, "sec2", raw_col=v.header[0] if v.header else None)
                    continue
                col = next(iter(cand))
                code = self.maps.sec2_code(row_key, col)
                self._evidence_col(col)
                if code in seen:
                    if seen[code].text.strip() != v.text.strip():
                        self.flags.append(f"merged_cell_mismatch@{code}: {seen[code].text!r} vs {v.text!r}")
                    continue
                seen[code] = v
                self._emit(code, v, row, label, "sec2", raw_col=v.header[0], unit_hint=unit_here)
            return
        values = self._trim(row, None)
        cols = self._sec2_columns(row_key, len(values))
        if cols is None:
            if row.glued:
                # no header: the digit run decides only if every layout of this row agrees
                opts = []
                for tpl in self._nat["sec2"]["templates"]:
                    if row_key in tpl["rows"]:
                        tcols = [normalise_label(c) for c in tpl["cols"]]
                        if split_runs([values[0].text], len(tcols)):
                            opts.append(tcols)
                cols = opts[0] if len(opts) == 1 else None
            if cols is None:
                self._ambiguous_row(row, label, "sec2", "sec2_columns_unknown")
                return
        for col in cols:
            self._evidence_col(col)
        codes = [self.maps.sec2_code(row_key, c) for c in cols]
        printed = [t for t in st.sec2_header_raw if t.strip()]
        shown = printed if len(printed) == len(cols) else cols
        self._place(row, label, "sec2", codes, values, shown, check=None, unit_hint=unit_of_header)

    def _sec2_grid_columns(self, row_key: str, values: list[Cell]) -> dict[int, str]:
        """Columns of grid cells whose header is cut, when one sub-table layout fits the whole header."""
        groups: list[tuple[str, list[Cell]]] = []
        for v in values:
            h = v.header[0] if v.header else ""
            if groups and normalise_label(groups[-1][0]) == normalise_label(h) and h and \
                    groups[-1][1][0].text.strip() == v.text.strip():
                groups[-1][1].append(v)          # one merged cell over several grid columns
            else:
                groups.append((h, [v]))
        cands = [self.maps.sec2_col_candidates(h) for h, _ in groups]
        if all(len(c) == 1 for c in cands) or not all(cands):
            return {}
        fits = []
        for tpl in self._nat["sec2"]["templates"]:
            tcols = [normalise_label(c) for c in tpl["cols"]]
            if row_key in tpl["rows"] and len(tcols) == len(cands) and all(
                    tc in c for tc, c in zip(tcols, cands, strict=True)):
                fits.append(tcols)
        if len(fits) != 1:
            return {}
        return {id(v): col for col, (_, cells) in zip(fits[0], groups, strict=True) for v in cells}

    def _evidence_col(self, col: str) -> None:
        if col in {normalise_label(c) for c in self._nat["sec2"]["v2021_columns"]}:
            self.evidence.v2021 += 1
        elif col in {normalise_label(c) for c in self._nat["sec2"]["v2019_columns"]}:
            self.evidence.v2019 += 1

    # ------------------------------------------------------------------ section 三
    def _sec3_groups(self, cells: list[Cell]) -> None:
        found = None
        for c in cells:
            g = self.maps.sec3_group(c.text)
            if g:
                found = g
        if found is None and cells:
            joined = "".join(normalise_label(c.text) for c in cells)
            best = -1
            for g in self._nat["sec3"]["groups"]:
                pos = joined.rfind(g)
                if pos > best and pos + len(g) == len(joined):
                    best, found = pos, g
        if found:
            self.state.sec3_parent = found

    def _sec3_loose(self, key: str) -> set[str]:
        """Rows a label cut short ('要求行政机关确认或重新') or run on ('结转下年度继续办理的…') may be."""
        hits = {code for k, code in self.maps.sec3_rows.items() if k.startswith(key)}
        if not hits:
            hits = {code for k, code in self.maps.sec3_rows.items() if len(k) >= 6 and key.startswith(k)}
        return hits

    def _sec3_code_for(self, label: Cell) -> str | None:
        st = self.state
        code = self.maps.sec3_row(label.text, st.sec3_parent)
        if code is None:
            key = normalise_label(label.text)
            if key in self._nat["sec3"]["leaf_when_valued"]:
                return self._nat["sec3"]["leaf_when_valued"][key]
            hits = self._sec3_loose(key) if len(key) >= 5 else set()
            if len(hits) == 1:
                code = hits.pop()
        return code

    def _map_sec3(self, row: Row, label: Cell) -> None:
        st = self.state
        self.evidence.tables.add("sec3")
        row_code = self._sec3_code_for(label)
        if row_code is None:
            return
        if row_code in ("res_other_no_correction", "res_other_fee_unpaid"):
            self.evidence.v2021 += 1
        if row_code == "res_other":
            self.evidence.v2019 += 1
        key = normalise_label(label.text)
        if key in self.maps.national["sec3"]["groups"]:
            st.sec3_parent = key
        order = self._nat["sec3"]["column_order"]
        if row.values and row.values[0].header:
            cols = []
            for v in row.values:
                col = None
                for h in v.header:
                    col = self.maps.applicant(h)
                    if col:
                        break
                cols.append(col)
            if self._grid_columns_ok(cols, order):
                seen: dict[str, Cell] = {}
                for v, col in zip(row.values, cols, strict=True):
                    if col is None:
                        if v.text.strip():
                            self._emit(None, v, row, label, "sec3")
                        continue
                    code = f"sec3.{row_code}@{col}"
                    if code in seen:
                        if seen[code].text.strip() != v.text.strip():
                            self.flags.append(f"merged_cell_mismatch@{code}: {seen[code].text!r} vs {v.text!r}")
                        continue
                    seen[code] = v
                    self._emit(code, v, row, label, "sec3", raw_col=self._applicant_label(v.header))
                return
            self.flags.append(f"sec3_header_unusable@{label.text}: read by position")
            row = Row(labels=row.labels, values=[v for v in row.values if v.text.strip()] if len(
                [v for v in row.values if v.text.strip()]) == len(order) else row.values, positional=True,
                at_end=False, table_index=row.table_index, row_index=row.row_index, source=row.source)
        values = self._trim(row, len(order))
        codes = [f"sec3.{row_code}@{c}" for c in order]
        names = {m["code"]: m["zh"] for m in self.maps.dictionary.members("applicant_type")}
        self._place(row, label, "sec3", codes, values, [names[c] for c in order], check=row_total_check)

    def _grid_columns_ok(self, cols: list[str | None], order: list[str]) -> bool:
        """Grid headers name every column once, in the template order (else they are misaligned)."""
        firsts: list[str] = []
        for c in cols:
            if c and c not in firsts:
                firsts.append(c)
        return firsts == list(order)

    def _applicant_label(self, header: tuple[str, ...]) -> str | None:
        return next((h for h in header if self.maps.applicant(h)), None)

    # ------------------------------------------------------------------ section 四
    def _map_sec4(self, row: Row) -> None:
        self.evidence.tables.add("sec4")
        order = self.maps.dictionary.sec4_cells
        label = Cell("行政复议/行政诉讼")
        if row.values and row.values[0].header:
            cells = []
            for v in row.values:
                group = result = None
                for h in v.header:
                    result = result or self.maps.sec4_result(h)
                    g = self.maps.sec4_group(h)
                    if g and group is None:
                        group = g
                cells.append(f"{group}@{result}" if group and result else None)
            if self._grid_columns_ok(cells, order):
                seen: set[str] = set()
                for v, cell in zip(row.values, cells, strict=True):
                    if cell is None:
                        if v.text.strip():
                            self._emit(None, v, row, label, "sec4")
                        continue
                    code = f"sec4.{cell}"
                    if code in seen:
                        continue
                    seen.add(code)
                    self._emit(code, v, row, label, "sec4", raw_col="/".join(v.header[:2]))
                return
            self.flags.append("sec4_header_unusable: read by position")
            row = Row(labels=row.labels, values=row.values, positional=True, at_end=False,
                      table_index=row.table_index, row_index=row.row_index, source=row.source)
        values = self._trim(row, len(order))
        codes = [f"sec4.{c}" for c in order]
        self._place(row, label, "sec4", codes, values, order, check=group_total_check)

    # ------------------------------------------------------------------ old tables
    def _old_header(self, cells: list[Cell]) -> None:
        cols = []
        cfg = self._old["columns"]
        seq_first = False
        seen_label = False
        for c in cells:
            n = normalise_label(c.text)
            if n in cfg["label"]:
                seen_label = True
            if n in cfg["code"]:
                if seen_label:
                    cols.append("code")
                else:
                    seq_first = True
            else:
                kind = self._old_kind(c.text)
                if kind and kind != "unit":
                    cols.append(kind)
        for c in cells if not cols else ():
            # a header printed as one run ('指标名称计量单位2012年度历年累计')
            joined = normalise_label(c.text)
            if any(joined.startswith(w) for w in cfg["label"]):
                found = [(m.start(), f"annual:{m.group(1)}" if m.group(1) else "annual")
                         for m in re.finditer(r"((?:19|20)\d{2})年度?|本期实际|小计|统计数", joined)]
                found += [(m.start(), "ytd" if m.group(0) == "本年累计" else "cumulative")
                          for m in re.finditer(r"历年累计|本年累计", joined)]
                run_cols = [k for _, k in sorted(found)]
                if run_cols:
                    self.state.old_cols = run_cols
                    self.state.kind = "old"
                    return
        if len(cols) >= 1 and any(normalise_label(c.text) in cfg["unit"] + cfg["label"] for c in cells) or len(cols) >= 2:
            self.state.old_cols = cols
            self.state.old_seq_first = seq_first
            self.state.kind = "old"

    def _old_kind(self, header: str) -> str | None:
        """What an old-table column holds: annual[:year] | cumulative | ytd | tier:<name> | unit."""
        n = normalise_label(header)
        cols = self._old["columns"]
        if n in cols["unit"] or n in cols["code"]:
            return "unit"
        if n in cols["cumulative"]:
            return "ytd" if n == "本年累计" else "cumulative"
        if n in cols["per_tier"]:
            return f"tier:{n}"
        if n in cols["annual"] or self._old_annual_re.search(n):
            m = re.match(r"((?:19|20)\d{2})年", n)
            return f"annual:{m.group(1)}" if m else "annual"
        return None

    def _resolve_old_columns(self, pairs: list[tuple[str | None, Cell]]) -> list[tuple[str, Cell]] | None:
        """Pick the year's own column; None when it cannot be told (several years, none the report's)."""
        annual = [i for i, (k, _) in enumerate(pairs) if k and k.startswith("annual")]
        years = {pairs[i][0] for i in annual}
        out: list[tuple[str, Cell]] = []
        if len(annual) > 1 and len(years) > 1:
            want = f"annual:{self.report_year}" if self.report_year else None
            if want not in years:
                return None
            for k, v in pairs:
                if k and k.startswith("annual"):
                    out.append(("annual" if k == want else f"year:{k.split(':', 1)[1]}", v))
                else:
                    out.append((k or "other", v))
            return out
        if not annual:
            ytd = [i for i, (k, _) in enumerate(pairs) if k == "ytd"]
            if len(ytd) == 1:
                self.flags.append("ytd_as_annual: the table's only value column is 本年累计")
                return [("annual" if k == "ytd" else (k or "other"), v) for k, v in pairs]
            if pairs and all(k for k, _ in pairs):
                return [(k, v) for k, v in pairs if k]     # per-tier / cumulative columns only
            return None
        return [(("annual" if k and k.startswith("annual") else (k or "other")), v) for k, v in pairs]

    def _old_label(self, cells: list[Cell]) -> tuple[Cell | None, str | None, list[str], str | None]:
        unit = None
        for i in range(len(cells) - 1, -1, -1):
            t = cells[i].text
            u = unit_word(t)
            if u:
                unit = unit or u
                continue
            codes = self.maps.old_codes(t)
            if codes:
                return cells[i], None, codes, unit
            if normalise_label(t):
                return cells[i], None, [], unit
        return None, None, [], unit

    def _map_old(self, row: Row) -> None:
        st = self.state
        label, _, codes, unit = self._old_label(row.labels)
        if label is None:
            return
        code = None
        if len(codes) == 1:
            code = codes[0]
        elif len(codes) > 1:
            fits = [c for c in codes if self.maps.old_group_of(c) == st.old_group]
            code = fits[0] if len(fits) == 1 else None
            if code is None:
                self.flags.append(f"old_label_ambiguous@{label.text}")
        if code:
            group = self.maps.old_group_of(code)
            if group and code in (self._old["groups"][group][0],):
                st.old_group = group
            elif group is None and code in ("rev_total_old", "lit_total_old"):
                st.old_group = None
        if code is None and st.kind != "old":
            return
        st.kind = "old"
        self.evidence.tables.add("old")
        if code:
            ind = self.maps.dictionary.indicators[code]
            if ind.formats == ("v2014_national",):
                self.evidence.old_national += 1
            elif "v2014_national" not in ind.formats:
                self.evidence.old_local += 1
        if row.values and row.values[0].header:
            kinds = []
            for v in row.values:
                k = None
                for h in v.header:
                    k = self._old_kind(h)
                    if k:
                        break
                kinds.append(k)
            raw_pairs = [(k, v) for k, v in zip(kinds, row.values, strict=True) if k != "unit"]
            if len(raw_pairs) == 1 and raw_pairs[0][0] is None:
                raw_pairs = [("annual", raw_pairs[0][1])]
            pairs = self._resolve_old_columns(raw_pairs)
            if pairs is None:
                self._ambiguous_old(row, label, code, "old_columns_unknown")
                return
        else:
            values = [v for v in row.values if v.text.strip() or row.positional]
            cols = st.old_cols
            if row.glued or self.glued_doc:
                cuts = split_runs([v.text.strip() for v in values], len(cols)) if cols and all(
                    v.text.strip().isdigit() for v in values) else []
                if len(cuts) != 1:
                    self._ambiguous_old(row, label, code, "old_digit_run")
                    return
                values = [Cell(str(x), offset=values[0].offset) for x in cuts[0]]
            if st.old_seq_first and not row.positional and len(values) == len(cols) + 1:
                values = values[:-1]           # the 序号 of the next row
            if len(values) == len(cols) and cols:
                pairs = list(zip(cols, values, strict=True))
            elif len(values) == 1 and (not cols or cols[0].startswith("annual")) and not row.positional:
                pairs = [("annual", values[0])] if not cols or len(cols) == 1 or row.at_end else []
                if not pairs:
                    self._ambiguous_old(row, label, code, "old_value_count")
                    return
            elif len(values) > len(cols) and cols and row.positional and not any(
                    v.text.strip() for v in values[len(cols):]):
                pairs = list(zip(cols, values, strict=False))
            else:
                self._ambiguous_old(row, label, code, "old_value_count")
                return
            resolved = self._resolve_old_columns(pairs)
            if resolved is None:
                self._ambiguous_old(row, label, code, "old_columns_unknown")
                return
            pairs = resolved
        annual = None
        for kind, v in pairs:
            if kind == "code":
                continue
            if kind == "annual":
                if annual is None:
                    annual = v
                    self._emit(code, v, row, label, "old", unit_hint=unit, column_kind="annual")
                continue
            dim = kind.split(":", 1)[1] if kind.startswith("tier:") else kind
            self._emit(code, v, row, label, "old", unit_hint=unit, column_kind=kind.split(":")[0],
                       dimension=dim)
            if kind == "ytd" and annual is not None:
                a, b = read_value(annual.text).value, read_value(v.text).value
                if a is not None and b is not None and a != b:
                    self.flags.append(f"annual_vs_ytd@{code or label.text}: 本期实际 {a:g} != 本年累计 {b:g}")

    def _ambiguous_old(self, row: Row, label: Cell, code: str | None, why: str) -> None:
        for v in row.values:
            if v.text.strip():
                obs = self._obs(code, v, row, label, "old")
                obs.value = None
                obs.null_reason = "ambiguous"
                obs.flags.append(why)
                self.observations.append(obs)

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
                obs.unit = parsed.unit or unit_hint or (ind.unit if ind else None)
                if ind and not ind.signed and obs.value < 0:
                    obs.flags.append("negative_value")
                obs.value_normalised, obs.unit_normalised = to_normalised(obs.value, obs.unit)
        self.observations.append(obs)
