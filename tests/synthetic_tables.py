"""Synthetic annual-report tables for the cells tests: every generation, every rendering.

Nothing here is copied from real reports: the layouts follow the official templates
(FORMATS.md) and the numbers are drawn at random so that the table identities hold
(row total = sum of the applicant columns, group total = sum of the results).
"""

from __future__ import annotations

import html
import io
import random
from dataclasses import dataclass, field

APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
APPLICANT_CODES = ["natural_person", "org_commercial", "org_research", "org_public_welfare",
                   "org_legal_service", "org_other", "total"]

SEC2 = {
    "v2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", ["s2_rules_issued", "s2_rules_repealed", "s2_rules_in_force"]),
          ("行政规范性文件", ["s2_normdocs_issued", "s2_normdocs_repealed", "s2_normdocs_in_force"])]),
        ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", ["s2_license_decisions"])]),
        ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", ["s2_penalty_decisions"]),
                                                  ("行政强制", ["s2_coercion_decisions"])]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", ["s2_fees_amount"])]),
    ],
    "v2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("规章", ["s2_rules_new_made", "s2_rules_new_published", "s2_rules_total_published"]),
          ("规范性文件", ["s2_normdocs_new_made", "s2_normdocs_new_published", "s2_normdocs_total_published"])]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政许可", ["s2_license_items_prev", "s2_license_items_change", "s2_license_decisions"]),
          ("其他对外管理服务事项", ["s2_other_services_items_prev", "s2_other_services_items_change",
                                   "s2_other_services_decisions"])]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("行政处罚", ["s2_penalty_items_prev", "s2_penalty_items_change", "s2_penalty_decisions"]),
          ("行政强制", ["s2_coercion_items_prev", "s2_coercion_items_change", "s2_coercion_decisions"])]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"],
         [("行政事业性收费", ["s2_fees_items_prev", "s2_fees_items_change"])]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"],
         [("政府集中采购", ["s2_procurement_projects", "s2_procurement_amount"])]),
    ],
}

# (group label or None, row label, row code)
SEC3_HEAD = [(None, "一、本年新收政府信息公开申请数量", "req_new_received"),
             (None, "二、上年结转政府信息公开申请数量", "req_carried_over")]
SEC3_RESULTS = [
    (None, "（一）予以公开", "res_granted"),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "res_partially_granted"),
    ("（三）不予公开", "1．属于国家秘密", "res_denied_state_secret"),
    ("（三）不予公开", "2．其他法律行政法规禁止公开", "res_denied_other_law"),
    ("（三）不予公开", "3．危及“三安全一稳定”", "res_denied_security_stability"),
    ("（三）不予公开", "4．保护第三方合法权益", "res_denied_third_party"),
    ("（三）不予公开", "5．属于三类内部事务信息", "res_denied_internal_affairs"),
    ("（三）不予公开", "6．属于四类过程性信息", "res_denied_process_info"),
    ("（三）不予公开", "7．属于行政执法案卷", "res_denied_enforcement_file"),
    ("（三）不予公开", "8．属于行政查询事项", "res_denied_admin_query"),
    ("（四）无法提供", "1．本机关不掌握相关政府信息", "res_unable_not_held"),
    ("（四）无法提供", "2．没有现成信息需要另行制作", "res_unable_need_creation"),
    ("（四）无法提供", "3．补正后申请内容仍不明确", "res_unable_unclear"),
    ("（五）不予处理", "1．信访举报投诉类申请", "res_np_petition"),
    ("（五）不予处理", "2．重复申请", "res_np_repeat"),
    ("（五）不予处理", "3．要求提供公开出版物", "res_np_publication"),
    ("（五）不予处理", "4．无正当理由大量反复申请", "res_np_massive"),
    ("（五）不予处理", "5．要求行政机关确认或重新出具已获取信息", "res_np_confirm_reissue"),
]
SEC3_OTHER = {
    "v2019": [(None, "（六）其他处理", "res_other")],
    "v2021": [("（六）其他处理", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "res_other_no_correction"),
              ("（六）其他处理", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
               "res_other_fee_unpaid"),
              ("（六）其他处理", "3．其他", "res_other_misc")],
}
SEC4_ORDER = ["review@upheld", "review@corrected", "review@other", "review@pending", "review@total",
              "lit_direct@upheld", "lit_direct@corrected", "lit_direct@other", "lit_direct@pending", "lit_direct@total",
              "lit_after_review@upheld", "lit_after_review@corrected", "lit_after_review@other",
              "lit_after_review@pending", "lit_after_review@total"]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

# old tables: (label, unit, code)
OLD_LOCAL = [("主动公开信息数", "条", "pro_items_total"), ("其中：1、网站公开", "条", "pro_ch_website"),
             ("2、政府公报公开", "条", "pro_ch_gazette"), ("受理依申请公开信息总数", "条", "req_received"),
             ("其中：1、当面申请数", "条", "req_ch_in_person"), ("2、传真申请数", "条", "req_ch_fax"),
             ("3、电子邮件申请数", "条", "req_ch_email"), ("4、网上申请数", "条", "req_ch_online"),
             ("5、信函申请数", "条", "req_ch_letter"), ("对申请的答复总数", "条", "ans_total"),
             ("其中：1、同意公开答复数", "条", "ans_granted"), ("2、同意部分公开答复数", "条", "ans_partial"),
             ("3、否决公开答复数", "条", "ans_denied_total"), ("行政复议数", "件", "rev_total_old"),
             ("行政诉讼数", "件", "lit_total_old"), ("行政申诉数", "件", "appeals_total_old")]
OLD_NATIONAL = [
    ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "pro_items_total"),
    ("其中：主动公开规范性文件数", "条", "pro_normdocs_published"),
    ("制发规范性文件总数", "件", "pro_normdocs_issued_total"),
    ("1.政府公报公开政府信息数", "条", "pro_ch_gazette"), ("2.政府网站公开政府信息数", "条", "pro_ch_website"),
    ("（一）收到申请数", "件", "req_received"), ("1.当面申请数", "件", "req_ch_in_person"),
    ("（二）申请办结数", "件", "req_closed"), ("1.按时办结数", "件", "req_closed_on_time"),
    ("2.延期办结数", "件", "req_closed_extended"), ("（三）申请答复数", "件", "ans_total"),
    ("1.属于已主动公开范围数", "件", "ans_already_public"),
    ("四、行政复议数量", "件", "rev_total_old"), ("（一）维持具体行政行为数", "件", "rev_old_upheld"),
    ("（二）被依法纠错数", "件", "rev_old_corrected"), ("（三）其他情形数", "件", "rev_old_other"),
    ("五、行政诉讼数量", "件", "lit_total_old"),
    ("（一）维持具体行政行为或者驳回原告诉讼请求数", "件", "lit_old_upheld"),
    ("（二）被依法纠错数", "件", "lit_old_corrected"), ("（三）其他情形数", "件", "lit_old_other"),
    ("六、举报投诉数量", "件", "complaints_total"), ("七、依申请公开信息收取的费用", "万元", "fees_collected"),
    ("1.专职人员数（不包括政府公报及政府网站工作人员数）", "人", "staff_full_time"),
]


@dataclass
class Report:
    """A synthetic report: its tables as logical rows and the values a parser must find."""

    fmt: str
    truth: dict[str, float] = field(default_factory=dict)
    cumulative: dict[str, float] = field(default_factory=dict)
    # logical tables: list of (kind, rows); a row is (label cells, value texts)
    tables: list[tuple[str, list[tuple[list[str], list[str]]]]] = field(default_factory=list)


def _applicant_row(rng: random.Random, zero_share: float = 0.6) -> list[int]:
    cells = [0 if rng.random() < zero_share else rng.randint(1, 40) for _ in range(6)]
    return [*cells, sum(cells)]


def make_national(fmt: str, seed: int = 1) -> Report:
    rng = random.Random(seed)
    rep = Report(fmt=fmt)
    rows: list[tuple[list[str], list[str]]] = []
    for title, cols, sub in SEC2[fmt]:
        rows.append(([title], []))
        rows.append((["信息内容", *cols], []))
        for label, codes in sub:
            vals = []
            for code in codes:
                if code.endswith("_change"):
                    v = rng.randint(-5, 9)
                elif code in ("s2_fees_amount", "s2_procurement_amount"):
                    v = round(rng.uniform(1, 500), 2)
                else:
                    v = rng.randint(0, 300)
                rep.truth[code] = v
                vals.append(f"{v:+d}" if code.endswith("_change") and v > 0 and seed % 2 else
                            (f"{v:g}" if isinstance(v, float) else str(v)))
            rows.append(([label], vals))
    rep.tables.append(("sec2", rows))
    rows = [(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"], []),
            (["自然人", "法人或其他组织", "总计"], []), (APPLICANTS[1:6], [])]
    body = SEC3_HEAD + SEC3_RESULTS + SEC3_OTHER[fmt]
    per_row = {code: _applicant_row(rng) for _, _, code in body}
    total = [sum(per_row[code][i] for _, _, code in SEC3_RESULTS + SEC3_OTHER[fmt]) for i in range(7)]
    carried_forward = [rng.randint(0, 3) for _ in range(6)]
    carried_forward.append(sum(carried_forward))
    per_row["res_total"] = total
    per_row["req_carried_forward"] = carried_forward
    for group, label, code in [*body, (None, "（七）总计", "res_total"), (None, "四、结转下年度继续办理", "req_carried_forward")]:
        labels = ([group] if group else []) + [label]
        if code.startswith("res_") and code != "res_total" or code == "res_total":
            labels = ["三、本年度办理结果", *labels]
        for col, v in zip(APPLICANT_CODES, per_row[code], strict=True):
            rep.truth[f"sec3.{code}@{col}"] = v
        rows.append((labels, [str(v) for v in per_row[code]]))
    rep.tables.append(("sec3", rows))
    vals = []
    for _ in range(3):
        four = [rng.randint(0, 4) for _ in range(4)]
        vals += [*four, sum(four)]
    for cell, v in zip(SEC4_ORDER, vals, strict=True):
        rep.truth[f"sec4.{cell}"] = v
    rep.tables.append(("sec4", [(["行政复议", "行政诉讼"], []), ([*RESULTS, "未经复议直接起诉", "复议后起诉"], []),
                                ([*RESULTS, *RESULTS], []), ([], [str(v) for v in vals])]))
    return rep


def make_old(fmt: str, seed: int = 1) -> Report:
    rng = random.Random(seed)
    rep = Report(fmt=fmt)
    spec = OLD_LOCAL if fmt == "v2008_local" else OLD_NATIONAL
    if fmt == "v2008_local":
        rows = [(["指标名称", "计量单位", "2012年度", "历年累计"], [])]
    else:
        rows = [(["统计指标", "单位", "统计数"], [])]
    for label, unit, code in spec:
        v = rng.randint(0, 900) if unit != "万元" else round(rng.uniform(0, 9), 2)
        rep.truth[code] = v
        text = f"{v:g}" if isinstance(v, float) else str(v)
        if fmt == "v2008_local":
            cum = v + rng.randint(1, 5000)
            rep.cumulative[code] = cum
            rows.append(([label, unit], [text, str(cum)]))
        else:
            rows.append(([label, unit], [text]))
    rep.tables.append(("old", rows))
    return rep


PREAMBLE = ("某某区人民政府2021年政府信息公开工作年度报告\n一、总体情况\n"
            "本年度报告根据《中华人民共和国政府信息公开条例》编制，统计期限为2021年1月1日至2021年12月31日。\n")
SECTION_TITLES = {"sec2": "二、主动公开政府信息情况", "sec3": "三、收到和处理政府信息公开申请情况",
                  "sec4": "四、政府信息公开行政复议、行政诉讼情况", "old": "附：政府信息公开情况统计表"}
EPILOGUE = "五、存在的主要问题及改进情况\n本年度工作仍有不足，下一步将继续改进。\n"


def render_text(rep: Report, style: str) -> str:
    """The report as a text capture whose tables are flattened in `style`."""
    out = [PREAMBLE]
    for kind, rows in rep.tables:
        out.append(SECTION_TITLES[kind] + "\n")
        lines: list[str] = []
        for labels, values in rows:
            cells = [*labels, *values]
            if style == "pipe_rows":
                lines.append(" | ".join(cells) + " |")
            elif style == "one_cell_per_line":
                lines.extend(f"{c} |" for c in cells)
            elif style == "lone_pipe_lines":
                lines.append("|")
                lines.extend(f"{c} |" for c in cells)
            elif style == "blank_line_separated":
                lines.extend(f"{c}\n" for c in cells)
            elif style == "space_separated":
                lines.append(" ".join(cells))
            elif style == "concatenated_cells":
                lines.append("".join(labels) + "".join(values))
            else:
                raise ValueError(style)
        sep = " " if style == "space_separated" else "\n"
        out.append(sep.join(lines) + "\n")
    out.append(EPILOGUE)
    return "".join(out)


def render_html(rep: Report) -> str:
    """The report as an HTML page with merged header cells (rowspan/colspan)."""
    parts = ["<html><head><meta charset='utf-8'><title>年度报告</title></head><body>",
             f"<p>{html.escape(PREAMBLE)}</p>"]
    for kind, rows in rep.tables:
        parts.append(f"<p>{SECTION_TITLES[kind]}</p><table border='1'>")
        width = max(len(labels) + len(values) for labels, values in rows)
        if kind == "sec3":
            width = 10
            parts.append("<tr><td colspan='3' rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>"
                         "<td colspan='7'>申请人情况</td></tr><tr><td rowspan='2'>自然人</td>"
                         "<td colspan='5'>法人或其他组织</td><td rowspan='2'>总计</td></tr><tr>"
                         + "".join(f"<td>{a}</td>" for a in APPLICANTS[1:6]) + "</tr>")
            for labels, values in rows[3:]:
                if len(labels) == 1:
                    lab = f"<td colspan='3'>{html.escape(labels[0])}</td>"
                elif len(labels) == 2:
                    lab = f"<td>{html.escape(labels[0])}</td><td colspan='2'>{html.escape(labels[1])}</td>"
                else:
                    lab = "".join(f"<td>{html.escape(x)}</td>" for x in labels)
                parts.append(f"<tr>{lab}" + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
        elif kind == "sec4":
            parts.append("<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
                         "<tr>" + "".join(f"<td rowspan='2'>{r}</td>" for r in RESULTS)
                         + "<td colspan='5'>未经复议直接起诉</td><td colspan='5'>复议后起诉</td></tr>"
                         "<tr>" + "".join(f"<td>{r}</td>" for r in RESULTS * 2) + "</tr>"
                         "<tr>" + "".join(f"<td>{v}</td>" for v in rows[-1][1]) + "</tr>")
        else:
            for labels, values in rows:
                if not values and len(labels) == 1:
                    parts.append(f"<tr><td colspan='{width}'>{html.escape(labels[0])}</td></tr>")
                    continue
                cells = [*labels, *values]
                span = width - len(cells) + 1
                tds = [f"<td>{html.escape(c)}</td>" for c in cells]
                if span > 1:  # the last cell spans the rest of the row
                    tds[-1] = tds[-1].replace("<td>", f"<td colspan='{span}'>", 1)
                parts.append("<tr>" + "".join(tds) + "</tr>")
        parts.append("</table>")
    parts.append(f"<p>{EPILOGUE}</p></body></html>")
    return "".join(parts)


def render_docx(rep: Report) -> bytes:
    """The report as a Word document (python-docx) with one table per section."""
    from docx import Document

    doc = Document()
    for line in PREAMBLE.splitlines():
        doc.add_paragraph(line)
    for kind, rows in rep.tables:
        doc.add_paragraph(SECTION_TITLES[kind])
        width = max(len(labels) + len(values) for labels, values in rows)
        if kind == "sec3":
            width = 10
        table = doc.add_table(rows=0, cols=width)
        for labels, values in rows:
            cells = [*labels, *values]
            if kind == "sec3" and values:
                cells = [*labels, *[""] * (3 - len(labels)), *values]
            elif kind == "sec3":
                cells = ["", "", "", *labels]
            row = table.add_row().cells
            for i, c in enumerate(cells[:width]):
                row[i].text = c
            if len(cells) == 1 and width > 1:
                row[0].merge(row[width - 1])
        doc.add_paragraph("")
    doc.add_paragraph(EPILOGUE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


STORY_CSS = "body{font-family:sans-serif;font-size:7px} td{border:1px solid black}"


def render_pdf(rep: Report) -> bytes:
    """The report as a PDF (PyMuPDF story from the HTML rendering)."""
    from spiders.fixture_site.documents import story_pdf

    return story_pdf(render_html(rep).replace("<table border='1'>", "<table border='1' cellpadding='2'>"),
                     STORY_CSS, "a4-l", 20)
