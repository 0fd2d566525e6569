"""The old statistical tables (v2008_local, v2014_national): rows and value columns (a Mapper part)."""

from __future__ import annotations

import re

from transforms.labels import normalise_label
from transforms.tables.flat import unit_word
from transforms.tables.rows import Cell, Row, read_value
from transforms.tables.splits import split_runs


class OldTables:
    """Handlers of the old tables; mixed into `transforms.tables.mapper.Mapper`."""

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
                cols = []        # a title before the header ('2016年度' on its own line) is no column
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
            # a header printed as one run ('指标名称计量单位2012年度历年累计'): cut it into the known
            # column words, longest first, so that '区政府统计数' is a tier and not '统计数'
            joined = normalise_label(c.text)
            if any(joined.startswith(w) for w in cfg["label"]) or any(
                    joined.startswith(w) and joined[len(w):].startswith(tuple(cfg["label"])) for w in cfg["code"]):
                run_cols = []
                label_seen = False
                for m in self._old_header_words.finditer(joined):
                    word = m.group(0)
                    if word in cfg["label"]:
                        label_seen = True
                    elif word in cfg["code"]:
                        if label_seen:
                            run_cols.append("code")
                        else:
                            seq_first = True
                    elif word not in cfg["unit"]:
                        kind = self._old_kind(word)
                        if kind:
                            run_cols.append(kind)
                if [k for k in run_cols if k != "code"]:
                    self.state.old_cols = run_cols
                    self.state.old_seq_first = seq_first
                    self.state.kind = "old"
                    self._old_header_evidence({m.group(0) for m in self._old_header_words.finditer(joined)})
                    return
        if len(cols) >= 1 and any(normalise_label(c.text) in cfg["unit"] + cfg["label"] for c in cells) or len(cols) >= 2:
            self.state.old_cols = cols
            self.state.old_seq_first = seq_first
            self.state.kind = "old"
            self._old_header_evidence({normalise_label(c.text) for c in cells})

    def _old_header_evidence(self, words: set[str]) -> None:
        """The header words of the national table (统计指标 | 单位 | 统计数) or of the local ones
        (指标名称 | 计量单位, 历年累计, 本期实际 …): one vote for the format, so that a short excerpt of
        rows both generations share is not read as local by default."""
        national = self._old.get("header_national", [])
        local = self._old.get("header_local", [])
        if all(w in words for w in national) and national:
            self.evidence.old_national += 1
        elif words & set(local):
            self.evidence.old_local += 1

    @property
    def _old_header_words(self) -> re.Pattern[str]:
        """Every known column word of the old tables (and the year columns), longest first."""
        pat = getattr(self, "_old_header_words_re", None)
        if pat is None:
            cfg = self._old["columns"]
            words = {w for k in ("annual", "cumulative", "unit", "code", "label", "per_tier", "per_period", "compare")
                     for w in cfg.get(k, ())}
            alts = sorted(words, key=len, reverse=True)
            pat = re.compile(r"(?:19|20)\d{2}年度?(?:数|统计数|数据|数量|实际)?|" + "|".join(map(re.escape, alts)))
            self._old_header_words_re = pat
        return pat

    def _old_kind(self, header: str) -> str | None:
        """What an old-table column holds: annual[:year] | cumulative | ytd | per_tier:<name> |
        quarterly:<name> | compare:<name> | unit."""
        n = normalise_label(header)
        cols = self._old["columns"]
        if n in cols["unit"] or n in cols["code"]:
            return "unit"
        if n in cols["cumulative"]:
            return "ytd" if n.startswith("本年累计") else "cumulative"
        if n in cols["per_tier"]:
            return f"per_tier:{n}"
        if n in cols.get("per_period", ()):
            return f"quarterly:{n}"
        if n in cols.get("compare", ()):
            return f"compare:{n}"
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

    def _old_label(self, cells: list[Cell]) -> tuple[Cell | None, list[str], str | None]:
        """The row label cell (the last one that is not a unit), its candidate codes and the unit."""
        unit = None
        for i in range(len(cells) - 1, -1, -1):
            t = cells[i].text
            u = unit_word(t)
            if u:
                unit = unit or u
                continue
            codes = self.maps.old_codes(t)
            if codes:
                return cells[i], codes, unit
            if normalise_label(t):
                return cells[i], [], unit
        return None, [], unit

    def _old_context_code(self, label: Cell, table_index: int | None) -> list[str]:
        """A bare sub-row label ('1.当面', '4.网上') names a code only right below its parent rows
        (in the same table)."""
        key = normalise_label(label.text)
        last, last_table = getattr(self, "_old_last_code", (None, None))
        if last_table != table_index:
            return []
        for ctx in self._old.get("context_rows", {}).values():
            if key in ctx["labels"] and last in ctx["after"]:
                return [ctx["labels"][key]]
        return []

    def _map_old(self, row: Row) -> None:
        st = self.state
        label, codes, unit = self._old_label(row.labels)
        if label is None:
            return
        if not codes and row.values:
            codes = self._old_context_code(label, row.table_index)
        code = None
        if len(codes) == 1:
            code = codes[0]
        elif len(codes) > 1:
            # the group a label cell of the row names ('五、行政诉讼' in a merged column), else
            # the group of the nearest row above
            named = {g for c in row.labels if c is not label
                     for g, words in self._old.get("group_words", {}).items()
                     if any(w in normalise_label(c.text) for w in words)}
            group = next(iter(named)) if len(named) == 1 else (None if named else st.old_group)
            fits = [c for c in codes if self.maps.old_group_of(c) == group]
            code = fits[0] if len(fits) == 1 else None
            if code is None:
                self.flags.append(f"old_label_ambiguous@{label.text}")
        if code and row.values:
            # any row of a group (not only its head) says which group the shared labels below are in
            st.old_group = self.maps.old_group_of(code)
        if code is None and st.kind != "old":
            return
        if row.values:
            self._old_last_code = (code, row.table_index)
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
            prev_tail = getattr(self, "_old_prev_tail", None)
            self._old_prev_tail = None
            if not row.positional and values:
                tail = read_value(values[-1].text).value
                if len(values) > max(len(cols), 1) and tail is not None and tail == int(tail):
                    self._old_prev_tail = int(tail)   # one number too many: perhaps the next row's 序号
                elif (not st.old_seq_first and prev_tail is not None and tail == prev_tail + 1
                      and len(values) <= max(len(cols), 1)):
                    # numbers running 2, 3 … at the ends of rows: an unnamed 序号 column, and this
                    # row's number may be the next 序号 (its own cell blank)
                    self._ambiguous_old(row, label, code, "old_serial_or_value")
                    return
            if st.old_seq_first and not row.positional and len(values) == len(cols) + 1:
                values = values[:-1]           # the 序号 of the next row
            elif st.old_seq_first and not row.positional and cols and len(values) == len(cols) and not row.at_end:
                # a blank cell left no line: the last number may be the next row's 序号
                self._ambiguous_old(row, label, code, "old_serial_or_value")
                return
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
        annual_obs = None
        for kind, v in pairs:
            if kind == "code":
                continue
            if kind == "annual":
                if annual is None:
                    annual = v
                    self._emit(code, v, row, label, "old", unit_hint=unit, column_kind="annual")
                    annual_obs = self.observations[-1]
                continue
            dim = kind.split(":", 1)[1] if ":" in kind and not kind.startswith("year:") else kind
            self._emit(code, v, row, label, "old", unit_hint=unit, column_kind=kind.split(":")[0],
                       dimension=dim)
            if kind == "other" and code and v.text.strip() and (annual is None or not annual.text.strip()):
                # a number under no known header while the year's column is blank: the header
                # is misaligned; kept as a dimension, never the year's value
                self.observations[-1].flags.append("old_column_unnamed")
                self.flags.append(f"old_column_unnamed@{code}: a value under no known column header")
            if kind == "ytd" and annual is not None:
                a, b = read_value(annual.text).value, read_value(v.text).value
                if a is not None and b is not None and a != b:
                    # 本期实际 is the year only when it agrees with 本年累计 (the period may be a
                    # quarter or a month): which one is the year's figure cannot be told
                    self.flags.append(f"annual_vs_ytd@{code or label.text}: 本期实际 {a:g} != 本年累计 {b:g}")
                    if annual_obs is not None:
                        annual_obs.value = annual_obs.value_normalised = None
                        annual_obs.null_reason = "ambiguous"
                        annual_obs.flags.append("annual_vs_ytd")

    def _ambiguous_old(self, row: Row, label: Cell, code: str | None, why: str) -> None:
        for v in row.values:
            if v.text.strip():
                obs = self._obs(code, v, row, label, "old")
                obs.value = None
                obs.null_reason = "ambiguous"
                obs.flags.append(why)
                self.observations.append(obs)
