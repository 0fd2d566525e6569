"""Section 二, 三 and 四 of the 2019/2021 formats: labels, headers and columns (a Mapper part)."""

from __future__ import annotations

import re

from transforms.labels import label_tails, normalise_label
from transforms.tables.flat import unit_word
from transforms.tables.rows import Cell, Row
from transforms.tables.splits import group_total_check, row_total_check, split_runs

_UNIT_IN_HEADER = re.compile(r"(万元)|[(（]\s*(元)\s*[)）]|单位[:：]\s*(元)")


def header_unit(text: str) -> str | None:
    """A money unit printed in a column header ('本年收费金额（单位：万元）', '采购总金额（元）')."""
    m = _UNIT_IN_HEADER.search((text or "").replace(" ", ""))
    return next((g for g in m.groups() if g), None) if m else None


class NationalTables:
    """Handlers of the national tables; mixed into `transforms.tables.mapper.Mapper`."""

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

    def _segment_columns(self, text: str) -> list[set[str]] | None:
        """A header run together ('上一年项目数量本年增/减处理决定数量') as known column names, or None."""
        cols = self.maps.sec2_cols
        aliases = self._nat["sec2"]["col_aliases"]
        names = sorted(cols | set(aliases), key=len, reverse=True)
        seg: list[set[str]] = []
        pos = 0
        while pos < len(text):
            for name in names:
                if text.startswith(name, pos):
                    seg.append({aliases.get(name, name)})
                    pos += len(name)
                    break
            else:
                return None
        return seg or None

    def _parse_sec2_header(self, texts: list[str]) -> list[set[str]] | None:
        # 1) the whole header as a sequence of known column names (headers run together)
        seg = self._segment_columns("".join(normalise_label(t) for t in texts))
        if seg:
            return seg
        # 2) cell by cell: a cell of several run-together names, or a cut cell standing for every
        #    column it begins ('本年新'); a cell that is neither makes the header unreadable
        out: list[set[str]] = []
        for t in texts:
            if not normalise_label(t):
                continue
            cand = self.maps.sec2_col_candidates(t)
            if cand:
                out.append(cand)
                continue
            seg = self._segment_columns(normalise_label(t))
            if seg is None:
                return None
            out.extend(seg)
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
            elif nvalues == len(tcols) and not self.state.sec2_header_raw:
                # no header printed for this sub-table: the number of cells picks the layout
                options.append(tcols)
        if header and not options and all(len(h) == 1 for h in header) and len(
                {next(iter(h)) for h in header}) == len(header):
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
        cols = self._sec2_columns(row_key, -1 if row.glued else len(values))
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

    def _several_rows_in_label(self, text: str) -> bool:
        import unicodedata

        s = unicodedata.normalize("NFKC", text or "")
        cuts = sorted({0, *(len(s) - len(t) for t in label_tails(s))})
        if len(cuts) < 2:
            return False
        segments = [s[a:b] for a, b in zip(cuts, [*cuts[1:], len(s)], strict=True)]
        codes = {self.maps.sec3_row(p.lstrip("(（"), "其他处理") for p in segments}
        return len(codes - {None}) >= 2

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
        if self._several_rows_in_label(label.text):
            # one label cell naming several rows ('1、属于国家秘密2、其他法律…4、保护第三方合法权益'):
            # rows merged by the reader; which numbers belong to which row is not known
            self._ambiguous_row(row, label, "sec3", "label_names_several_rows",
                                codes=[f"sec3.{row_code}@{c}" for c in self._nat["sec3"]["column_order"]])
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
            if self._grid_columns_ok(cols, order, partial=len(row.values) != len(order)):
                if [c for i, c in enumerate(cols) if c and c not in cols[:i]] != list(order):
                    # a continuation without this header cannot be placed
                    st.sec3_order_unknown = self.sec3_out_of_order = True
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
        heads = st.sec3_heads
        if st.sec3_order_unknown or self.sec3_order_elsewhere or ("natural_person" in heads and heads.index("natural_person") > 0):
            # the header printed 总计 or an organisation before 自然人: the columns are not in the
            # template order, and a flattened row cannot say which number is which
            self._ambiguous_row(row, label, "sec3", "sec3_column_order_unknown",
                                codes=[f"sec3.{row_code}@{c}" for c in order])
            return
        values = self._trim(row, len(order))
        codes = [f"sec3.{row_code}@{c}" for c in order]
        # read by position with blank cells: a row starting right of the others (blank cells in
        # front taken for label space), or a blank 总计 beside numbers (trailing padding taken for
        # cells) means the positions are not the columns
        uncertain = row.late_start or (not values[-1].text.strip() and any(v.text.strip() for v in values[:-1])) \
            if values else False
        if row.positional and len(values) == len(order) and uncertain and \
                sum(1 for v in values if v.text.strip()) != len(order):
            self._ambiguous_row(row, label, "sec3", "sec3_positions_uncertain", codes=codes)
            return
        names = {m["code"]: m["zh"] for m in self.maps.dictionary.members("applicant_type")}
        self._place(row, label, "sec3", codes, values, [names[c] for c in order], check=row_total_check)

    def _grid_columns_ok(self, cols: list[str | None], order: list[str], partial: bool = False) -> bool:
        """The grid headers can be trusted: they name every column once, in the template order or
        in another order (columns rearranged by a site), or (`partial`: a row that has not the
        template's number of cells) name some columns in the template order
        (自然人 | 法人或其他组织 | 总计), each named column in one run of cells."""
        firsts: list[str] = []
        for c in cols:
            if c and c not in firsts:
                firsts.append(c)
        if firsts == list(order):
            return True
        runs = [c for i, c in enumerate(cols) if c and (i == 0 or cols[i - 1] != c)]
        if len(runs) != len(set(runs)):
            return False                     # a column named twice apart: headers misaligned
        if set(firsts) == set(order):
            return True
        pos = [order.index(c) for c in firsts]
        return partial and len(firsts) >= 2 and pos == sorted(pos)

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
            row_group = self._sec4_row_group(row.labels)
            if row_group and not any(cells) and len(row.values) == 5:
                # 四 printed as a grid: one row per group (行政复议 / 未经复议直接起诉 / 复议后起诉)
                # under the five result columns
                results = [next((r for r in map(self.maps.sec4_result, v.header) if r), None) for v in row.values]
                if results == ["upheld", "corrected", "other", "pending", "total"]:
                    for v, res in zip(row.values, results, strict=True):
                        self._emit(f"sec4.{row_group}@{res}", v, row, row.labels[-1], "sec4", raw_col=v.header[0])
                    return
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
        row_group = self._sec4_row_group(row.labels)
        if row_group:
            # one row per group (行政复议 / 未经复议直接起诉 / 复议后起诉): five results in order
            results = ["upheld", "corrected", "other", "pending", "total"]
            if len(values) == 5 or (row.positional and len([v for v in values if v.text.strip()]) == 5):
                five = values if len(values) == 5 else [v for v in values if v.text.strip()]
                for v, res in zip(five, results, strict=True):
                    self._emit(f"sec4.{row_group}@{res}", v, row, row.labels[-1], "sec4", raw_col=res)
            else:
                self._ambiguous_row(row, row.labels[-1], "sec4", "sec4_group_row_cells",
                                    codes=[f"sec4.{row_group}@{r}" for r in results])
            return
        self._place(row, label, "sec4", codes, values, order, check=group_total_check)

    def _sec4_row_group(self, labels: list[Cell]) -> str | None:
        """The 四 group the row label names ('行政诉讼（未经复议直接起诉）' -> lit_direct), or None.
        Only the last label cell names the row (earlier ones are headers)."""
        for c in [c for c in labels if c.text.strip()][-1:]:
            raw = normalise_label(c.text, keep_enum=True) + re.sub(r"\s+", "", c.text or "")
            for name in ("未经复议直接起诉", "复议后起诉"):
                if name in raw:
                    return self._nat["sec4"]["groups"][name]
            g = self.maps.sec4_group(c.text)
            if g:
                return g
        return None

    def _drop_group_subtotals(self) -> None:
        """A v2021 table prints （六）其他处理 as a group over three sub-rows: values printed in the
        group row are its subtotals, not the v2019 leaf res_other."""
        split = ("sec3.res_other_no_correction@", "sec3.res_other_fee_unpaid@", "sec3.res_other_misc@")
        if not self.saw_v2021_other_rows and not any(
                o.indicator_code and o.indicator_code.startswith(split) for o in self.observations):
            return
        for o in self.observations:
            if o.indicator_code and o.indicator_code.startswith("sec3.res_other@") and o.value is not None:
                o.value = None
                o.value_normalised = None
                o.null_reason = "ambiguous"
                if "v2021_group_subtotal" not in o.flags:
                    o.flags.append("v2021_group_subtotal")
