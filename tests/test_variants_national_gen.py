"""Generated real-world layout variants of the 2019/2021 national tables (二, 三, 四).

Nothing is copied from real reports: the layouts imitate what other CMS templates, Word
exports and gateways do to the official template (FORMATS.md), and the numbers come from
`synthetic_tables.make_national` so that the table identities hold. `Variant` options
combine freely; `build_html` returns the page and the values a correct extraction yields
(cells printed blank, / or — are absent from the truth, as in the corpus).
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, replace

from synthetic_tables import (
    APPLICANT_CODES,
    RESULTS,
    SEC2,
    SEC3_HEAD,
    SEC3_OTHER,
    SEC3_RESULTS,
    SEC4_ORDER,
    STORY_CSS,
    make_national,
)

ORGS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TITLE = "某某县人民政府办公室{year}年政府信息公开工作年度报告"
HUBEI_ROW = {"规章": "规章（设区的市、自治州人民政府应提供相关数据）",
             "行政规范性文件": "行政规范性文件（包括以本机关名义或者本机关办公室名义印发的文件）",
             "规范性文件": "规范性文件（包括以本机关名义或者本机关办公室名义印发的文件）"}
HUBEI_COL = {"上一年项目数量": "上一年项目数量（指上一年度事项数）",
             "本年增/减": "本年增/减（减用负值表示，如-8）",
             "本年制发件数": "本年制发件数（指本年度印发的文件数）"}
_FW = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


@dataclass(frozen=True)
class Variant:
    fmt: str = "v2021"                   # generation of 三 (split （六）其他处理 rows or not)
    sec2_fmt: str | None = None          # generation of the 第二十条 columns (None: same as fmt)
    seed: int = 5
    sec2_layout: str = "four"            # four | one | outside_titles
    sec3_header: str = "3rows"           # 3rows | 2rows | 1row | rowspan_label
    sec3_labels: str = "nested"          # nested (rowspan group cells) | flat (one label column, group rows)
    sec3_split: bool = False             # header and body in two <table>s
    seq_col: bool = False                # a leading 序号 column in 三
    total_word: str = "总计"
    stray_col: bool = False              # an empty column after the labels and at the end
    sec4_header: str = "3level"          # 3level | 2rows
    numbering: str = "1．"               # 1． | 1. | 1、 | (1) | （1）
    hubei: bool = False                  # long parentheticals in labels
    br: bool = False                     # line breaks inside labels and headers
    values: str = "plain"                # plain | fullwidth | jian | thousands
    nulls: str = "zero"                  # zero | blank | slash | dash  (how some zero cells are printed)
    signs: str = "plain"                 # plain | plus | word
    proc_unit: str = "header_wan"        # header_wan | cell_yuan | none
    wrap: str = "none"                   # none | word | trs | layout
    traditional: bool = False            # whole page in traditional characters, big5 encoded
    sec3_transposed: bool = False        # 三 with applicants as rows and outcomes as columns
    subtotals: bool = False              # group rows (flat labels) print the sums of their sub-rows
    sec4_layout: str = "row"             # row | label_col (a label column left of the cells) | grid3x5
    sec2_title_col: bool = False         # 第二十条第（x）项 as a rowspan cell left of each sub-table
    qita: bool = False                   # 其它 for 其他 (labels and headers)
    footnote: bool = False               # a note row across each table's foot
    zeng_jian: str = "本年增/减"          # how the 本年增/减 header is printed
    sec3_cols: str = "template"          # template | total_first | three (自然人 | 法人或其他组织 | 总计)


def _fmt_num(v: float, var: Variant, code: str = "") -> str:
    if code.endswith("_change"):
        if var.signs == "plus":
            s = f"{v:+d}" if v else "0"
        elif var.signs == "word":
            s = f"增加{v}" if v > 0 else (f"减少{-v}" if v < 0 else "0")
        else:
            s = str(v)
    elif isinstance(v, float):
        s = f"{v:g}"
    elif var.values == "thousands" and v >= 1000:
        s = f"{v:,}"
    else:
        s = str(v)
    if var.values == "fullwidth":
        s = s.translate(_FW)
    elif var.values == "jian" and not code.startswith("s2_"):
        s += "件"
    return s


def _br(text: str, var: Variant) -> str:
    t = _html.escape(text)
    if var.br and len(text) >= 4:
        mid = len(text) // 2
        t = _html.escape(text[:mid]) + "<br/>" + _html.escape(text[mid:])
    return t


def _renumber(label: str, var: Variant) -> str:
    if len(label) > 2 and label[0].isdigit() and label[1] == "．":
        n = label[0]
        form = {"1．": f"{n}．", "1.": f"{n}.", "1、": f"{n}、", "(1)": f"({n})", "（1）": f"（{n}）"}[var.numbering]
        return form + label[2:]
    return label


class Page:
    """Truth and HTML parts of one generated report."""

    def __init__(self, var: Variant) -> None:
        self.var = var
        rep3 = make_national(var.fmt, var.seed)
        rep2 = make_national(var.sec2_fmt or var.fmt, var.seed + 100)
        self.truth: dict[str, float] = {k: v for k, v in rep3.truth.items() if not k.startswith("s2_")}
        self.truth.update({k: v for k, v in rep2.truth.items() if k.startswith("s2_")})
        if var.values == "thousands":
            for k in ("s2_penalty_decisions", "s2_license_decisions"):
                if k in self.truth:
                    self.truth[k] = 12345 + var.seed
        self.nulled = 0

    def cell(self, code: str) -> str:
        """The printed text of one value cell (nulls drop the truth)."""
        v = self.truth[code]
        if v == 0 and self.var.nulls != "zero" and code.startswith("sec3.") and self.nulled < 20:
            self.nulled += 1
            del self.truth[code]
            return {"blank": "", "slash": "/", "dash": "—"}[self.var.nulls]
        return _fmt_num(v, self.var, code)


def _td(text: str, rowspan: int = 1, colspan: int = 1, raw: bool = False) -> str:
    attrs = (f" rowspan='{rowspan}'" if rowspan > 1 else "") + (f" colspan='{colspan}'" if colspan > 1 else "")
    return f"<td{attrs}>{text if raw else _html.escape(text)}</td>"


# ---------------------------------------------------------------------------------- section 二
def sec2_tables(p: Page) -> list[str]:
    var = p.var
    subs = SEC2[var.sec2_fmt or var.fmt]
    width = 4
    blocks: list[tuple[str, list[str]]] = []
    for title, cols, sub in subs:
        rows = []
        head = [_td("信息内容")]
        for i, c in enumerate(cols):
            name = HUBEI_COL.get(c, c) if var.hubei else c
            if c == "采购总金额":
                name += {"header_wan": "（万元）", "cell_yuan": "", "none": ""}[var.proc_unit]
            span = width - len(cols) if i == len(cols) - 1 else 1
            head.append(_td(_br(name, var), colspan=span, raw=True))
        rows.append("<tr>" + "".join(head) + "</tr>")
        for label, codes in sub:
            name = HUBEI_ROW.get(label, label) if var.hubei else label
            tds = [_td(_br(name, var), raw=True)]
            for i, code in enumerate(codes):
                text = p.cell(code)
                if code == "s2_procurement_amount" and var.proc_unit == "cell_yuan":
                    yuan = round(p.truth[code] * 10000)
                    p.truth[code] = yuan
                    text = f"{yuan}元"
                span = width - len(codes) if i == len(codes) - 1 else 1
                tds.append(_td(text, colspan=span))
            rows.append("<tr>" + "".join(tds) + "</tr>")
        blocks.append((title, rows))
    if var.sec2_title_col:
        out = []
        for t, r in blocks:
            r = [r[0].replace("<tr>", f"<tr>{_td(t, rowspan=len(r))}", 1), *r[1:]]
            out.append("".join(r))
        return [f"<table border='1'>{''.join(out)}</table>"]
    if var.sec2_layout == "one":
        body = "".join(f"<tr>{_td(t, colspan=width)}</tr>" + "".join(r) for t, r in blocks)
        return [f"<table border='1'>{body}</table>"]
    if var.sec2_layout == "outside_titles":
        return [f"<p>{t}</p><table border='1'>{''.join(r)}</table>" for t, r in blocks]
    return [f"<table border='1'><tr>{_td(t, colspan=width)}</tr>{''.join(r)}</table>" for t, r in blocks]


# ---------------------------------------------------------------------------------- section 三
def _sec3_rows(var: Variant) -> list[tuple[str | None, str | None, str, str]]:
    """(top group, sub group, leaf label, code) in printed order."""
    out = [(None, None, label, code) for _, label, code in SEC3_HEAD]
    for group, label, code in SEC3_RESULTS + SEC3_OTHER[var.fmt]:
        out.append(("三、本年度办理结果", group, _renumber(label, var), code))
    out.append(("三、本年度办理结果", None, "（七）总计", "res_total"))
    out.append((None, None, "四、结转下年度继续办理", "req_carried_forward"))
    return out


def sec3_tables(p: Page) -> list[str]:
    var = p.var
    if var.sec3_transposed:
        return [_sec3_transposed(p)]
    seq = 1 if var.seq_col else 0
    lab_w = 3 if var.sec3_labels == "nested" else 1
    stray = 1 if var.stray_col else 0
    total = var.total_word
    head: list[str] = []
    seq_td = _td("序号", rowspan=3 if var.sec3_header != "1row" else 1) if seq else ""
    stray_td = "<td></td>" if stray else ""
    if var.sec3_header == "3rows":
        n = 3
        head.append("<tr>" + (_td("序号", rowspan=3) if seq else "") + _td(NOTE, rowspan=3, colspan=lab_w)
                    + (_td("", rowspan=3) if stray else "") + _td("申请人情况", colspan=7)
                    + (_td("", rowspan=3) if stray else "") + "</tr>")
        head.append("<tr>" + _td("自然人", rowspan=2) + _td("法人或其他组织", colspan=5)
                    + _td(total, rowspan=2) + "</tr>")
        head.append("<tr>" + "".join(_td(_br(o, var), raw=True) for o in ORGS) + "</tr>")
    elif var.sec3_header == "2rows":
        n = 2
        head.append("<tr>" + (_td("序号", rowspan=2) if seq else "") + _td("申请人情况", rowspan=2, colspan=lab_w)
                    + (_td("", rowspan=2) if stray else "") + _td("自然人", rowspan=2) + _td("法人或其他组织", colspan=5)
                    + _td(total, rowspan=2) + (_td("", rowspan=2) if stray else "") + "</tr>")
        head.append("<tr>" + "".join(_td(_br(o, var), raw=True) for o in ORGS) + "</tr>")
    elif var.sec3_header == "rowspan_label":
        n = 3
        head.append("<tr>" + (_td("序号", rowspan=3) if seq else "") + _td("申请人情况", rowspan=3, colspan=lab_w)
                    + (_td("", rowspan=3) if stray else "") + _td("自然人", rowspan=3)
                    + _td("法人或其他组织", colspan=5) + _td(total, rowspan=3)
                    + (_td("", rowspan=3) if stray else "") + "</tr>")
        head.append("<tr>" + "".join(_td(o, rowspan=2) for o in ORGS) + "</tr>")
        head.append("<tr></tr>")
    elif var.sec3_cols == "total_first":
        n = 2
        head.append("<tr>" + (_td("序号", rowspan=2) if seq else "") + _td("申请人情况", rowspan=2, colspan=lab_w)
                    + (_td("", rowspan=2) if stray else "") + _td(total, rowspan=2)
                    + _td("自然人", rowspan=2) + _td("法人或其他组织", colspan=5) + (_td("", rowspan=2) if stray else "")
                    + "</tr>")
        head.append("<tr>" + "".join(_td(o) for o in ORGS) + "</tr>")
    elif var.sec3_cols == "three":
        n = 1
        head.append("<tr>" + seq_td + _td("申请人情况", colspan=lab_w) + stray_td + _td("自然人") + _td("法人或其他组织")
                    + _td(total) + stray_td + "</tr>")
    else:
        n = 1
        head.append("<tr>" + seq_td + _td("申请人情况", colspan=lab_w) + stray_td + _td("自然人")
                    + "".join(_td(o) for o in ORGS) + _td(total) + stray_td + "</tr>")
    del n
    body: list[str] = []
    rows = _sec3_rows(var)
    # rowspans of the nested label columns
    top_span: dict[int, int] = {}
    sub_span: dict[int, int] = {}
    for i, (top, sub, _, _) in enumerate(rows):
        if top and (i == 0 or rows[i - 1][0] != top):
            top_span[i] = sum(1 for j in range(i, len(rows)) if rows[j][0] == top and all(
                rows[k][0] == top for k in range(i, j + 1)))
        if sub and (i == 0 or rows[i - 1][1] != sub):
            sub_span[i] = sum(1 for j in range(i, len(rows)) if all(rows[k][1] == sub for k in range(i, j + 1)))
    counter = 0
    for i, (top, sub, leaf, code) in enumerate(rows):
        leaf_txt = leaf
        if var.hubei and code == "req_new_received":
            leaf_txt += "（指本年度内新收到的申请数量，含网上、信函、当面等各种渠道）"
        cells = [p.cell(f"sec3.{code}@{c}") for c in APPLICANT_CODES]
        if var.sec3_cols == "total_first":
            cells = [cells[6], *cells[:6]]
        elif var.sec3_cols == "three":
            orgs = sum(p.truth.pop(f"sec3.{code}@{c}", 0) for c in APPLICANT_CODES[1:6])
            cells = [cells[0], str(orgs), cells[6]]
        vals = "".join(_td(c) for c in cells) + stray_td
        if var.sec3_labels == "flat":
            for g in (top, sub):
                if g and ((g == top and i in top_span) or (g == sub and i in sub_span)):
                    counter += 1
                    if var.subtotals:
                        members = [r[3] for r in rows if (r[0] if g == top else r[1]) == g and r[3] != "res_total"]
                        sums = [sum(p.truth.get(f"sec3.{m}@{c}", 0) for m in members) for c in APPLICANT_CODES]
                        if var.sec3_cols == "total_first":
                            sums = [sums[6], *sums[:6]]
                        elif var.sec3_cols == "three":
                            sums = [sums[0], sum(sums[1:6]), sums[6]]
                        cells_g = "".join(_td(_fmt_num(x, var)) for x in sums)
                    else:
                        cells_g = "<td></td>" * (3 if var.sec3_cols == "three" else 7)
                    body.append("<tr>" + (_td(str(counter)) if seq else "") + _td(g) + stray_td
                                + cells_g + stray_td + "</tr>")
            counter += 1
            body.append("<tr>" + (_td(str(counter)) if seq else "") + _td(_br(leaf_txt, var), raw=True)
                        + stray_td + vals + "</tr>")
            continue
        counter += 1
        lab = ""
        if top is None:
            lab = _td(_br(leaf_txt, var), colspan=3, raw=True)
        else:
            if i in top_span:
                lab += _td(top, rowspan=top_span[i])
            if sub is None:
                lab += _td(_br(leaf_txt, var), colspan=2, raw=True)
            else:
                if i in sub_span:
                    lab += _td(sub, rowspan=sub_span[i])
                lab += _td(_br(leaf_txt, var), raw=True)
        body.append("<tr>" + (_td(str(counter)) if seq else "") + lab + stray_td + vals + "</tr>")
    if var.sec3_split:
        return [f"<table border='1'>{''.join(head)}</table>", f"<table border='1'>{''.join(body)}</table>"]
    return [f"<table border='1'>{''.join(head + body)}</table>"]


def _sec3_transposed(p: Page) -> str:
    rows = _sec3_rows(p.var)
    names = ["自然人", *ORGS, p.var.total_word]
    head = "<tr>" + _td("申请人情况") + "".join(_td(leaf) for _, _, leaf, _ in rows) + "</tr>"
    body = "".join("<tr>" + _td(n) + "".join(_td(p.cell(f"sec3.{code}@{col}")) for _, _, _, code in rows) + "</tr>"
                   for n, col in zip(names, APPLICANT_CODES, strict=True))
    return f"<table border='1'>{head}{body}</table>"


# ---------------------------------------------------------------------------------- section 四
def sec4_tables(p: Page) -> list[str]:
    var = p.var
    vals = "".join(_td(p.cell(f"sec4.{c}")) for c in SEC4_ORDER)
    if var.sec4_header == "2rows":
        head = ("<tr>" + _td("行政复议", colspan=5) + _td("未经复议直接起诉", colspan=5) + _td("复议后起诉", colspan=5)
                + "</tr><tr>" + "".join(_td(_br(r, var), raw=True) for r in RESULTS * 3) + "</tr>")
    else:
        head = ("<tr>" + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr><tr>"
                + "".join(_td(_br(r, var), rowspan=2, raw=True) for r in RESULTS)
                + _td("未经复议直接起诉", colspan=5) + _td("复议后起诉", colspan=5) + "</tr><tr>"
                + "".join(_td(r) for r in RESULTS * 2) + "</tr>")
    if var.sec4_layout == "grid3x5":
        names = [("行政复议", "review"), ("行政诉讼（未经复议直接起诉）", "lit_direct"), ("行政诉讼（复议后起诉）", "lit_after_review")]
        rows = "".join("<tr>" + _td(n) + "".join(_td(p.cell(f"sec4.{g}@{r}")) for r in
                                                ("upheld", "corrected", "other", "pending", "total")) + "</tr>"
                       for n, g in names)
        return [f"<table border='1'><tr>{_td('类别')}{''.join(_td(r) for r in RESULTS)}</tr>{rows}</table>"]
    if var.sec4_layout == "label_col":
        n_head = 2 if var.sec4_header == "2rows" else 3
        head = head.replace("<tr>", f"<tr>{_td('类别', rowspan=n_head)}", 1)
        return [f"<table border='1'>{head}<tr>{_td('数量（件）')}{vals}</tr></table>"]
    return [f"<table border='1'>{head}<tr>{vals}</tr></table>"]


# ---------------------------------------------------------------------------------- page
def _word_export(markup: str) -> str:
    """What Word's 'save as HTML' does to cells: MsoNormal paragraphs, spans, <o:p>."""
    import re

    def cell(m: re.Match[str]) -> str:
        inner = m.group(2)
        if "<" in inner:
            parts = inner.split("<br/>")
            inner = "".join(f"<p class=MsoNormal align=center><span style='font-size:9.0pt'>{x}</span></p>"
                            for x in parts)
        elif inner:
            chars = "".join(f"<span lang=EN-US style='font-family:宋体'>{ch}</span>" for ch in inner)
            inner = f"<p class=MsoNormal align=center style='text-align:center'>{chars}<o:p></o:p></p>"
        else:
            inner = "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
        return f"<td{m.group(1)} width=60 valign=top style='border:solid windowtext 1.0pt'>{inner}</td>"

    markup = re.sub(r"<td([^>]*)>(.*?)</td>", cell, markup)
    return markup.replace("<table border='1'>", "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>")


def build_html(var: Variant) -> tuple[bytes, dict[str, float], str]:
    """(page bytes, truth values, title) of one variant."""
    p = Page(var)
    year = 2020 if var.fmt == "v2019" else 2022
    title = TITLE.format(year=year)
    parts = [f"<h1>{title}</h1>",
             f"<p>本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为{year}年1月1日至{year}年12月31日。</p>",
             "<p>一、总体情况</p><p>本机关认真落实政府信息公开工作各项要求。</p>",
             "<p>二、主动公开政府信息情况</p>", *sec2_tables(p),
             "<p>三、收到和处理政府信息公开申请情况</p>", *sec3_tables(p),
             "<p>四、政府信息公开行政复议、行政诉讼情况</p>", *sec4_tables(p),
             "<p>五、存在的主要问题及改进情况</p><p>工作仍有不足。</p><p>六、其他需要报告的事项</p><p>无。</p>"]
    content = "".join(parts)
    if var.qita:
        content = content.replace("其他", "其它")
    if var.footnote:
        content = content.replace("</table>", "<tr><td colspan='12'>注：本表数据统计截至本年度12月31日。</td></tr></table>")
    if var.zeng_jian != "本年增/减":
        content = content.replace("本年增/减", var.zeng_jian)
    if var.wrap == "word":
        content = _word_export(content)
    elif var.wrap == "trs":
        content = f"<div class='TRS_Editor'><div class='Custom_UnionStyle'>{content}</div></div>"
    elif var.wrap == "layout":
        content = (f"<table width='100%'><tr><td><table width='900'><tr><td class='bt_content'>{content}"
                   "</td></tr></table></td></tr><tr><td>打印本页 关闭窗口</td></tr></table>")
    charset = "big5" if var.traditional else "utf-8"
    page = (f"<html><head><meta http-equiv='Content-Type' content='text/html; charset={charset}'>"
            f"<title>{title}</title></head><body><div class='nav'><a href='/'>首页</a> &gt; <a href='/x'>年度报告</a>"
            f"</div>{content}<div class='footer'>主办单位：某某县人民政府办公室</div></body></html>")
    if var.traditional:
        from opencc import OpenCC

        page = OpenCC("s2t").convert(page)
        return page.encode("big5", errors="xmlcharrefreplace"), p.truth, OpenCC("s2t").convert(title)
    return page.encode("utf-8"), p.truth, title


def variants() -> dict[str, Variant]:
    """Named variants: each changes a few options of the base layout."""
    base = Variant()
    b19 = Variant(fmt="v2019")
    out = {
        "base2021": base, "base2019": b19,
        "sec3_2rows": replace(base, sec3_header="2rows"),
        "sec3_1row": replace(base, sec3_header="1row"),
        "sec3_rowspan_label": replace(base, sec3_header="rowspan_label"),
        "sec3_flat_labels": replace(base, sec3_labels="flat"),
        "sec3_flat_labels_2019": replace(b19, sec3_labels="flat", sec3_header="2rows"),
        "seq_col": replace(base, seq_col=True),
        "seq_col_flat": replace(base, seq_col=True, sec3_labels="flat", sec3_header="1row"),
        "total_heji": replace(base, total_word="合计"),
        "stray_cols": replace(base, stray_col=True),
        "sec2_one_table": replace(base, sec2_layout="one"),
        "sec2_one_table_2019": replace(b19, sec2_layout="one"),
        "sec2_outside_titles": replace(base, sec2_layout="outside_titles"),
        "sec2_outside_titles_2019": replace(b19, sec2_layout="outside_titles"),
        "sec4_2rows": replace(base, sec4_header="2rows"),
        "sec3_split": replace(base, sec3_split=True),
        "sec3_split_2rows": replace(b19, sec3_split=True, sec3_header="2rows"),
        "hubei": replace(b19, hubei=True),
        "hubei_2021": replace(base, hubei=True),
        "numbering_dot": replace(base, numbering="1."),
        "numbering_dun": replace(base, numbering="1、"),
        "numbering_paren": replace(base, numbering="(1)"),
        "numbering_fwparen": replace(b19, numbering="（1）"),
        "br_in_labels": replace(base, br=True),
        "br_in_labels_2019": replace(b19, br=True),
        "fullwidth": replace(base, values="fullwidth"),
        "jian": replace(base, values="jian"),
        "thousands": replace(base, values="thousands"),
        "blank_cells": replace(base, nulls="blank"),
        "slash_cells": replace(base, nulls="slash"),
        "dash_cells": replace(b19, nulls="dash"),
        "mixed_2021_with_2019_cols": replace(base, sec2_fmt="v2019"),
        "mixed_2019_with_2021_cols": replace(b19, sec2_fmt="v2021"),
        "signs_plus": replace(b19, signs="plus", seed=6),
        "signs_word": replace(b19, signs="word", seed=7),
        "proc_cell_yuan": replace(b19, proc_unit="cell_yuan"),
        "proc_no_unit": replace(b19, proc_unit="none"),
        "word_export": replace(base, wrap="word"),
        "word_export_2019_br": replace(b19, wrap="word", br=True, sec3_header="2rows"),
        "trs_editor": replace(base, wrap="trs"),
        "layout_tables": replace(base, wrap="layout"),
        "big5": replace(base, traditional=True),
        "big5_2019": replace(b19, traditional=True, sec2_layout="one"),
        "transposed": replace(base, sec3_transposed=True),
        "qita": replace(base, qita=True),
        "qita_2019": replace(b19, qita=True, sec3_labels="flat"),
        "footnotes": replace(base, footnote=True),
        "zengjian_paren": replace(b19, zeng_jian="本年增（减）"),
        "zengjian_jian": replace(b19, zeng_jian="增减"),
        "sec3_total_first": replace(base, sec3_header="custom", sec3_cols="total_first"),
        "sec3_three_cols": replace(b19, sec3_header="custom", sec3_cols="three"),
        "subtotals_2021": replace(base, sec3_labels="flat", subtotals=True),
        "subtotals_2019": replace(b19, sec3_labels="flat", subtotals=True, seq_col=True),
        "flat_blank_stray": replace(base, sec3_labels="flat", nulls="blank", stray_col=True),
        "sec4_label_col": replace(base, sec4_layout="label_col"),
        "sec4_label_col_2rows": replace(base, sec4_layout="label_col", sec4_header="2rows"),
        "sec4_grid3x5": replace(base, sec4_layout="grid3x5"),
        "sec2_title_col": replace(base, sec2_title_col=True),
        "sec2_title_col_2019": replace(b19, sec2_title_col=True),
        "kitchen_sink": replace(base, sec3_header="2rows", seq_col=True, total_word="合计", stray_col=True,
                                sec2_layout="one", sec4_header="2rows", numbering="1、", br=True,
                                values="fullwidth", nulls="blank", wrap="word"),
        "kitchen_sink_2019": replace(b19, sec3_header="rowspan_label", sec3_split=True, hubei=True,
                                     signs="word", proc_unit="cell_yuan", nulls="slash", wrap="trs",
                                     sec2_layout="outside_titles"),
    }
    return out


# ---------------------------------------------------------------------------------- PDF without rulings
@dataclass(frozen=True)
class PdfVariant:
    fmt: str = "v2021"
    seed: int = 11
    leaf_width: float = 330.0            # label column width (narrow: long labels wrap over 2-3 lines)
    valign: str = "top"                  # top | center  (values against a wrapped label)
    nested: bool = True                  # group labels in their own columns, vertically centred
    nulls: str = "zero"                  # zero | blank  (blank: some zero cells printed empty)
    font_size: float = 8.0


def _wrap(text: str, width: float, size: float) -> list[str]:
    per_line = max(int(width // size), 1)
    return [text[i:i + per_line] for i in range(0, len(text), per_line)] or [""]


def build_pdf_text_table(var: PdfVariant) -> tuple[bytes, dict[str, float], str]:
    """A report whose tables are laid out as text at grid positions, without any ruling (a DOCX
    table without borders printed to PDF)."""
    import pymupdf

    p = Page(Variant(fmt=var.fmt, seed=var.seed, nulls=var.nulls))
    year = 2020 if var.fmt == "v2019" else 2022
    title = TITLE.format(year=year)
    doc = pymupdf.open()
    size = var.font_size
    lh = size * 1.6
    page = doc.new_page(width=842, height=1400)
    y = 40.0

    def newpage_if(need: float) -> None:
        nonlocal page, y
        if y + need > 1360:
            page = doc.new_page(width=842, height=1400)
            y = 40.0

    def put(x: float, yy: float, text: str) -> None:
        if text:
            page.insert_text((x, yy), text, fontname="china-s", fontsize=size)

    def line(text: str) -> None:
        nonlocal y
        newpage_if(lh)
        put(40, y, text)
        y += lh * 1.3

    x_val = 40 + (120 if var.nested else 0) + var.leaf_width + 10
    colw = 48.0
    line(title)
    line(f"本报告根据《中华人民共和国政府信息公开条例》编制，统计期限为{year}年1月1日至{year}年12月31日。")
    line("一、总体情况")
    line("本机关认真落实政府信息公开工作各项要求。")
    line("二、主动公开政府信息情况")
    for t, cols, sub in SEC2[var.fmt]:
        line(t)
        newpage_if(lh * 4)
        put(40, y, "信息内容")
        for k, c in enumerate(cols):
            put(x_val + k * colw * 2, y, c)
        y += lh
        for label, codes in sub:
            put(40, y, label)
            for k, code in enumerate(codes):
                put(x_val + k * colw * 2, y, p.cell(code))
            y += lh
        y += lh * 0.5
    line("三、收到和处理政府信息公开申请情况")
    newpage_if(lh * 4)
    put(40, y, "申请人情况")
    put(x_val, y + lh / 2, "自然人")
    put(x_val + colw * 2, y, "法人或其他组织")
    put(x_val + colw * 6, y + lh / 2, "总计")
    y += lh
    for k, o in enumerate(ORGS):
        put(x_val + colw * (k + 1), y, o)
    y += lh * 1.3
    rows = _sec3_rows(Variant(fmt=var.fmt))
    if not var.nested:
        # one label column: a group is a row of its own above its first sub-row
        flat: list[tuple[str | None, str | None, str, str]] = []
        for i, (top, sub, leaf, code) in enumerate(rows):
            for level, g in ((0, top), (1, sub)):
                if g and (i == 0 or rows[i - 1][level] != g):
                    flat.append((None, None, g, ""))
            flat.append((None, None, leaf, code))
        rows = flat
    heights = []
    for top, _sub, leaf, _code in rows:
        w = var.leaf_width if (top or not var.nested) else var.leaf_width + 120
        heights.append(len(_wrap(leaf, w, size)))
    # place the group labels at the vertical centre of their rows (as Word centres merged cells)
    ys: list[float] = []
    yy = y
    for h in heights:
        ys.append(yy)
        yy += h * lh + 2
    for level in (0, 1):
        i = 0
        while i < len(rows):
            g = rows[i][level]
            j = i
            while j < len(rows) and rows[j][level] == g:
                j += 1
            if g and var.nested:
                mid = (ys[i] + ys[j - 1] + (heights[j - 1] - 1) * lh) / 2
                for n, part in enumerate(_wrap(g, 55 if level == 0 else 60, size)):
                    put(40 + level * 60, mid + n * lh, part)
            i = j
    for (top, _sub, leaf, code), yy, h in zip(rows, ys, heights, strict=True):
        if var.nested:
            x_lab = 160 if top else 40
            w = var.leaf_width if top else var.leaf_width + 120
        else:
            x_lab, w = 40, var.leaf_width
        parts = _wrap(leaf, w, size)
        for n, part in enumerate(parts):
            put(x_lab, yy + n * lh, part)
        vy = yy if var.valign == "top" else yy + (h - 1) * lh / 2
        for k, col in enumerate(APPLICANT_CODES if code else ()):
            put(x_val + k * colw, vy, p.cell(f"sec3.{code}@{col}"))
    y = ys[-1] + heights[-1] * lh + lh
    page_break_needed = y > 1300
    if page_break_needed:
        page = doc.new_page(width=842, height=1400)
        y = 40.0
    line("四、政府信息公开行政复议、行政诉讼情况")
    c4 = 50.0
    put(40 + c4 * 2, y, "行政复议")
    put(40 + c4 * 9, y, "行政诉讼")
    y += lh
    for k, r in enumerate(RESULTS):
        put(40 + c4 * k, y + lh / 2, r)
    put(40 + c4 * 6, y, "未经复议直接起诉")
    put(40 + c4 * 11, y, "复议后起诉")
    y += lh
    for k, r in enumerate(RESULTS * 2):
        put(40 + c4 * (k + 5), y, r)
    y += lh
    for k, c in enumerate(SEC4_ORDER):
        put(40 + c4 * k, y, p.cell(f"sec4.{c}"))
    y += lh * 2
    line("五、存在的主要问题及改进情况")
    line("工作仍有不足。")
    data = doc.tobytes()
    doc.close()
    return data, p.truth, title


def pdf_variants() -> dict[str, PdfVariant]:
    base = PdfVariant()
    return {
        "pdf_text_2021": base,
        "pdf_text_2019": replace(base, fmt="v2019"),
        "pdf_text_wrapped_top": replace(base, leaf_width=110.0),
        "pdf_text_wrapped_center": replace(base, leaf_width=110.0, valign="center"),
        "pdf_text_flat_labels": replace(base, nested=False),
        "pdf_text_blanks": replace(base, nulls="blank"),
        "pdf_text_wrapped_blanks_2019": replace(base, fmt="v2019", leaf_width=110.0, valign="center", nulls="blank"),
    }


# ---------------------------------------------------------------------------------- DOCX
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_V = "urn:schemas-microsoft-com:vml"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def _html_cells(table) -> tuple[list[tuple[int, int, int, int, str]], int, int]:
    """(row, col, rowspan, colspan, text) of every cell of an HTML table laid on its grid."""
    taken: set[tuple[int, int]] = set()
    out = []
    width = 0
    trs = table.xpath("./tr|./tbody/tr")
    for r, tr in enumerate(trs):
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            text = "\n".join(x.strip() for x in td.itertext() if x.strip()) if td.find("br") is None else \
                "".join(td.itertext())
            out.append((r, c, rs, cs, text))
            c += cs
            width = max(width, c)
    return out, len(trs), width


def build_docx(var: Variant, container: str = "body", borders: bool = True) -> tuple[bytes, dict[str, float], str]:
    """The HTML variant as a Word document: merged cells as gridSpan/vMerge (python-docx merge);
    container = body | textbox (each table inside a text box) | nested (inside a 1x1 layout table)."""
    import copy
    import io

    import docx
    import lxml.html
    from docx.oxml import parse_xml

    content, truth, title = build_html(replace(var, wrap="none", traditional=False))
    root = lxml.html.document_fromstring(content.decode("utf-8"))
    d = docx.Document()
    for el in root.find("body"):
        if el.tag in ("p", "h1"):
            d.add_paragraph(el.text_content())
        elif el.tag == "table":
            cells, n_rows, width = _html_cells(el)
            t = d.add_table(rows=n_rows, cols=width)
            if borders:
                t.style = "Table Grid"
            for r, c, rs, cs, text in cells:
                cell = t.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(t.cell(min(r + rs, n_rows) - 1, c + cs - 1))
                cell.text = text
            if container == "textbox":
                tbl = t._tbl
                box = parse_xml(
                    f'<w:p xmlns:w="{_W}" xmlns:mc="{_MC}" xmlns:v="{_V}" xmlns:wps="{_WPS}"><w:r>'
                    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
                    '<w:txbxContent/></wps:txbx></wps:wsp></w:drawing></mc:Choice>'
                    '<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent/></v:textbox></v:shape></w:pict>'
                    '</mc:Fallback></mc:AlternateContent></w:r></w:p>')
                tbl.addprevious(box)
                contents = box.findall(f".//{{{_W}}}txbxContent")
                contents[1].append(copy.deepcopy(tbl))
                contents[1].append(parse_xml(f'<w:p xmlns:w="{_W}"/>'))
                contents[0].append(tbl)
                contents[0].append(parse_xml(f'<w:p xmlns:w="{_W}"/>'))
            elif container == "nested":
                outer = d.add_table(rows=1, cols=1)
                cell_el = outer.cell(0, 0)._tc
                t._tbl.addprevious(outer._tbl)
                cell_el.append(t._tbl)
                cell_el.append(parse_xml(f'<w:p xmlns:w="{_W}"/>'))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), truth, title


def docx_variants() -> dict[str, tuple[Variant, str, bool]]:
    v = variants()
    return {
        "docx_base2021": (v["base2021"], "body", True),
        "docx_base2019": (v["base2019"], "body", True),
        "docx_sec3_2rows_seq": (replace(v["seq_col"], sec3_header="2rows"), "body", True),
        "docx_flat_blank": (v["flat_blank_stray"], "body", True),
        "docx_sec4_2rows": (v["sec4_2rows"], "body", True),
        "docx_one_sec2_table": (v["sec2_one_table_2019"], "body", True),
        "docx_textbox": (v["base2021"], "textbox", True),
        "docx_nested": (v["base2019"], "nested", True),
        "docx_no_borders": (v["base2021"], "body", False),
    }


def build_inner_text(var: Variant, cell_sep: str = "\t") -> tuple[bytes, dict[str, float], str]:
    """The page as a browser's innerText copy: merged cells printed once, cells of a row
    joined by tabs, a line break inside a cell kept."""
    import lxml.html

    content, truth, title = build_html(replace(var, wrap="none", traditional=False))
    root = lxml.html.document_fromstring(content.decode("utf-8"))
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = []
    for el in root.find("body"):
        if el.tag == "table":
            for tr in el.xpath("./tr|./tbody/tr"):
                cells = [td.text_content().strip() for td in tr.xpath("./td|./th")]
                if cells:
                    lines.append(cell_sep.join(cells))
        elif el.tag in ("p", "h1"):
            lines.append(el.text_content())
    return "\n".join(lines).encode("utf-8"), truth, title


def build_story_pdf(var: Variant) -> tuple[bytes, dict[str, float], str]:
    """The HTML variant printed to PDF with ruled cells (PyMuPDF Story), pages broken mid-table."""
    from spiders.fixture_site.documents import story_pdf

    content, truth, title = build_html(replace(var, wrap="none", traditional=False))
    markup = content.decode("utf-8").replace("<table border='1'>", "<table border='1' cellpadding='2'>")
    return story_pdf(markup, STORY_CSS, "a4", 30), truth, title


# every option with its values: random combinations test what no single variant does
OPTIONS = dict(
    fmt=["v2021", "v2019"], sec2_fmt=[None, None, "v2019", "v2021"], sec2_layout=["four", "one", "outside_titles"],
    sec3_header=["3rows", "2rows", "1row", "rowspan_label"], sec3_labels=["nested", "flat"], sec3_split=[False, True],
    seq_col=[False, True], total_word=["总计", "合计"], stray_col=[False, True], sec4_header=["3level", "2rows"],
    numbering=["1．", "1.", "1、", "(1)", "（1）"], hubei=[False, True], br=[False, True],
    values=["plain", "fullwidth", "jian", "thousands"], nulls=["zero", "blank", "slash", "dash"],
    signs=["plain", "plus", "word"], proc_unit=["header_wan", "cell_yuan", "none"], wrap=["none", "word", "trs", "layout"],
    traditional=[False, True], subtotals=[False, True], sec4_layout=["row", "label_col", "grid3x5"],
    sec2_title_col=[False, True], qita=[False, True], footnote=[False, True],
    zeng_jian=["本年增/减", "本年增（减）", "增减"], sec3_cols=["template", "template", "template", "total_first", "three"])


def random_variant(rng) -> Variant:
    kw = {k: rng.choice(v) for k, v in OPTIONS.items()}
    if kw["sec3_cols"] != "template":
        kw["sec3_header"] = "custom"
    return Variant(seed=rng.randint(1, 1000), **kw)
