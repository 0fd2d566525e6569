"""Statistical tables of the demo reports: consistent values and their official layouts.

Labels are the official template labels (FORMATS.md §2-3, indicators.yaml `zh`), so the real
extractor reads them; values satisfy the identities of indicators.yaml unless a report asks for
a deliberately broken table. Keys of the value dicts are indicator codes / cell addresses.
"""

from __future__ import annotations

import random
from html import escape

COLUMNS = [("natural_person", "自然人"), ("org_commercial", "商业企业"), ("org_research", "科研机构"),
           ("org_public_welfare", "社会公益组织"), ("org_legal_service", "法律服务机构"), ("org_other", "其他"),
           ("total", "总计")]
DENIED = [("res_denied_state_secret", "1．属于国家秘密"), ("res_denied_other_law", "2．其他法律行政法规禁止公开"),
          ("res_denied_security_stability", "3．危及“三安全一稳定”"), ("res_denied_third_party", "4．保护第三方合法权益"),
          ("res_denied_internal_affairs", "5．属于三类内部事务信息"), ("res_denied_process_info", "6．属于四类过程性信息"),
          ("res_denied_enforcement_file", "7．属于行政执法案卷"), ("res_denied_admin_query", "8．属于行政查询事项")]
UNABLE = [("res_unable_not_held", "1．本机关不掌握相关政府信息"), ("res_unable_need_creation", "2．没有现成信息需要另行制作"),
          ("res_unable_unclear", "3．补正后申请内容仍不明确")]
NOT_PROCESSED = [("res_np_petition", "1．信访举报投诉类申请"), ("res_np_repeat", "2．重复申请"),
                 ("res_np_publication", "3．要求提供公开出版物"), ("res_np_massive", "4．无正当理由大量反复申请"),
                 ("res_np_confirm_reissue", "5．要求行政机关确认或重新出具已获取信息")]
OTHER_2021 = [("res_other_no_correction", "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
              ("res_other_fee_unpaid", "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
              ("res_other_misc", "3．其他")]
SEC4_GROUPS = ["review", "lit_direct", "lit_after_review"]
SEC4_RESULTS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"),
                ("total", "总计")]
SEC3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

V2008_ROWS = [  # (code, label as printed, unit)
    ("pro_items_total", "主动公开信息数", "条"),
    ("pro_fulltext_electronic", "其中：全文电子化的主动公开信息数", "条"),
    ("pro_normdocs_new_local", "新增的行政规范性文件数", "条"),
    ("pro_service_info", "提供服务类信息数", "条"),
    ("web_column_visits", "网站专栏页面访问量", "人次"),
    ("consult_on_site", "现场接待人数", "人次"),
    ("consult_online", "网上咨询数", "人次"),
    ("consult_phone", "咨询电话接听数", "人次"),
    ("req_catalog_items", "依申请公开信息目录数", "条"),
    ("req_received", "申请总数", "条"),
    ("req_ch_in_person", "其中：1.当面申请数", "条"),
    ("req_ch_fax", "2.传真申请数", "条"),
    ("req_ch_email", "3.电子邮件申请数", "条"),
    ("req_ch_online", "4.网上申请数", "条"),
    ("req_ch_letter", "5.信函申请数", "条"),
    ("req_ch_other", "6.其他形式申请数", "条"),
    ("ans_total", "对申请的答复总数", "条"),
    ("ans_granted", "其中：1.同意公开答复数", "条"),
    ("ans_partial", "2.同意部分公开答复数", "条"),
    ("ans_denied_total", "3.否决公开答复总数", "条"),
    ("ans_denied_not_gov_info", "其中：（1）“非《规定》所指政府信息”数", "条"),
    ("ans_not_exist", "（2）“信息不存在”数", "条"),
    ("ans_not_this_agency", "（3）“非本部门掌握”数", "条"),
    ("ans_told_to_amend", "（4）“申请内容不明确”数", "条"),
    ("ans_denied_other_reason", "（5）其它原因", "条"),
    ("rev_total_old", "行政复议数", "件"),
    ("lit_total_old", "行政诉讼数", "件"),
    ("appeals_total_old", "行政申诉数", "件"),
]


def sec3_rows(fmt: str) -> list[str]:
    rows = ["req_new_received", "req_carried_over", "res_granted", "res_partially_granted"]
    rows += [c for c, _ in DENIED + UNABLE + NOT_PROCESSED]
    rows += [c for c, _ in OTHER_2021] if fmt == "v2021" else ["res_other"]
    return rows + ["res_total", "req_carried_forward"]


def _sec3(rng: random.Random, fmt: str) -> dict[str, float]:
    outcome_rows = [r for r in sec3_rows(fmt) if r.startswith("res_") and r != "res_total"]
    out: dict[str, float] = {}
    for col, _ in COLUMNS[:-1]:
        big = col == "natural_person"
        cells = {r: (rng.choice([0, 0, 1, 2, 3, 5, 8]) if big else rng.choice([0, 0, 0, 0, 1, 2])) for r in outcome_rows}
        if big:
            cells["res_granted"] += rng.randint(5, 30)
        total = sum(cells.values())
        over, forward = rng.randint(0, 3 if big else 1), rng.randint(0, 3 if big else 1)
        new = total + forward - over
        if new < 0:
            over, new = over + new, 0
        cells.update(res_total=total, req_carried_over=over, req_carried_forward=forward, req_new_received=new)
        for row, value in cells.items():
            out[f"sec3.{row}@{col}"] = value
    for row in sec3_rows(fmt):
        out[f"sec3.{row}@total"] = sum(out[f"sec3.{row}@{c}"] for c, _ in COLUMNS[:-1])
    return out


def _sec4(rng: random.Random) -> dict[str, float]:
    out: dict[str, float] = {}
    for group in SEC4_GROUPS:
        parts = {r: rng.choice([0, 0, 1, 2, 3]) for r, _ in SEC4_RESULTS[:-1]}
        parts["total"] = sum(parts.values())
        out.update({f"sec4.{group}@{r}": v for r, v in parts.items()})
    return out


def values_for(fmt: str, seed: int) -> dict[str, float]:
    """Consistent values of one report of format `fmt` (v2008_local, v2019, v2021)."""
    rng = random.Random(seed)
    if fmt == "v2008_local":
        v = {code: rng.randint(0, 40) for code, _, _ in V2008_ROWS}
        v["pro_items_total"] = rng.randint(300, 3000)
        v["pro_fulltext_electronic"] = v["pro_items_total"] - rng.randint(0, 50)
        v["web_column_visits"] = rng.randint(10000, 90000)
        channels = ["req_ch_in_person", "req_ch_fax", "req_ch_email", "req_ch_online", "req_ch_letter", "req_ch_other"]
        v["req_received"] = sum(v[c] for c in channels)
        reasons = ["ans_denied_not_gov_info", "ans_not_exist", "ans_not_this_agency", "ans_told_to_amend",
                   "ans_denied_other_reason"]
        for r in reasons:
            v[r] = rng.randint(0, 3)
        v["ans_denied_total"] = sum(v[r] for r in reasons)
        v["ans_total"] = v["ans_granted"] + v["ans_partial"] + v["ans_denied_total"]
        for c in ("rev_total_old", "lit_total_old", "appeals_total_old"):
            v[c] = rng.randint(0, 2)
        return v
    if fmt == "v2021":
        v = {"s2_rules_issued": rng.randint(0, 2), "s2_rules_repealed": rng.randint(0, 1),
             "s2_rules_in_force": rng.randint(2, 12), "s2_normdocs_issued": rng.randint(0, 9),
             "s2_normdocs_repealed": rng.randint(0, 4), "s2_normdocs_in_force": rng.randint(10, 80),
             "s2_license_decisions": rng.randint(50, 4000), "s2_penalty_decisions": rng.randint(0, 300),
             "s2_coercion_decisions": rng.randint(0, 30), "s2_fees_amount": round(rng.uniform(0, 80), 2)}
    else:
        v = {"s2_rules_new_made": rng.randint(0, 2), "s2_rules_new_published": rng.randint(0, 2),
             "s2_normdocs_new_made": rng.randint(0, 9), "s2_normdocs_new_published": rng.randint(0, 9),
             "s2_license_items_prev": rng.randint(20, 200), "s2_license_items_change": rng.randint(-5, 5),
             "s2_license_decisions": rng.randint(50, 4000), "s2_other_services_items_prev": rng.randint(0, 40),
             "s2_other_services_items_change": rng.randint(-3, 3), "s2_other_services_decisions": rng.randint(0, 500),
             "s2_penalty_items_prev": rng.randint(10, 300), "s2_penalty_items_change": rng.randint(-6, 6),
             "s2_penalty_decisions": rng.randint(0, 300), "s2_coercion_items_prev": rng.randint(0, 30),
             "s2_coercion_items_change": rng.randint(-2, 2), "s2_coercion_decisions": rng.randint(0, 30),
             "s2_fees_items_prev": rng.randint(0, 20), "s2_fees_items_change": rng.randint(-2, 2),
             "s2_procurement_projects": rng.randint(0, 40), "s2_procurement_amount": round(rng.uniform(10, 900), 2)}
        v["s2_rules_total_published"] = v["s2_rules_new_published"] + rng.randint(0, 10)
        v["s2_normdocs_total_published"] = v["s2_normdocs_new_published"] + rng.randint(5, 60)
    v.update(_sec3(rng, fmt))
    v.update(_sec4(rng))
    return v


def break_row_total(values: dict[str, float]) -> tuple[dict[str, float], dict]:
    """Print a wrong 总计 for 本年新收 (the deliberately broken table of the demo site)."""
    broken = dict(values)
    key = "sec3.req_new_received@total"
    broken[key] = values[key] + 3
    return broken, {"broken_identities": ["s3_row_total", "s3_balance"],
                    "source_inconsistencies": [f"{key}: printed {broken[key]:g}, the six columns sum to {values[key]:g}"]}


def fmt_number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


# ---- grids: list of rows, each row a list of (text, colspan, rowspan) ------------------------------
Cell = tuple[str, int, int]


def _c(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return (text, colspan, rowspan)


def sec2_grid(fmt: str, v: dict[str, float]) -> list[list[Cell]]:
    n = lambda code: fmt_number(v[code])  # noqa: E731
    if fmt == "v2021":
        return [
            [_c("第二十条第（一）项", 4)],
            [_c("信息内容"), _c("本年制发件数"), _c("本年废止件数"), _c("现行有效件数")],
            [_c("规章"), _c(n("s2_rules_issued")), _c(n("s2_rules_repealed")), _c(n("s2_rules_in_force"))],
            [_c("行政规范性文件"), _c(n("s2_normdocs_issued")), _c(n("s2_normdocs_repealed")), _c(n("s2_normdocs_in_force"))],
            [_c("第二十条第（五）项", 4)],
            [_c("信息内容"), _c("本年处理决定数量", 3)],
            [_c("行政许可"), _c(n("s2_license_decisions"), 3)],
            [_c("第二十条第（六）项", 4)],
            [_c("信息内容"), _c("本年处理决定数量", 3)],
            [_c("行政处罚"), _c(n("s2_penalty_decisions"), 3)],
            [_c("行政强制"), _c(n("s2_coercion_decisions"), 3)],
            [_c("第二十条第（八）项", 4)],
            [_c("信息内容"), _c("本年收费金额（单位：万元）", 3)],
            [_c("行政事业性收费"), _c(n("s2_fees_amount"), 3)],
        ]
    return [
        [_c("第二十条第（一）项", 4)],
        [_c("信息内容"), _c("本年新制作数量"), _c("本年新公开数量"), _c("对外公开总数量")],
        [_c("规章"), _c(n("s2_rules_new_made")), _c(n("s2_rules_new_published")), _c(n("s2_rules_total_published"))],
        [_c("规范性文件"), _c(n("s2_normdocs_new_made")), _c(n("s2_normdocs_new_published")),
         _c(n("s2_normdocs_total_published"))],
        [_c("第二十条第（五）项", 4)],
        [_c("信息内容"), _c("上一年项目数量"), _c("本年增/减"), _c("处理决定数量")],
        [_c("行政许可"), _c(n("s2_license_items_prev")), _c(n("s2_license_items_change")), _c(n("s2_license_decisions"))],
        [_c("其他对外管理服务事项"), _c(n("s2_other_services_items_prev")), _c(n("s2_other_services_items_change")),
         _c(n("s2_other_services_decisions"))],
        [_c("第二十条第（六）项", 4)],
        [_c("信息内容"), _c("上一年项目数量"), _c("本年增/减"), _c("处理决定数量")],
        [_c("行政处罚"), _c(n("s2_penalty_items_prev")), _c(n("s2_penalty_items_change")), _c(n("s2_penalty_decisions"))],
        [_c("行政强制"), _c(n("s2_coercion_items_prev")), _c(n("s2_coercion_items_change")),
         _c(n("s2_coercion_decisions"))],
        [_c("第二十条第（八）项", 4)],
        [_c("信息内容"), _c("上一年项目数量"), _c("本年增/减", 2)],
        [_c("行政事业性收费"), _c(n("s2_fees_items_prev")), _c(n("s2_fees_items_change"), 2)],
        [_c("第二十条第（九）项", 4)],
        [_c("信息内容"), _c("采购项目数量"), _c("采购总金额", 2)],
        [_c("政府集中采购"), _c(n("s2_procurement_projects")), _c(n("s2_procurement_amount"), 2)],
    ]


def sec3_grid(fmt: str, v: dict[str, float]) -> list[list[Cell]]:
    def vals(row: str) -> list[Cell]:
        return [_c(fmt_number(v[f"sec3.{row}@{c}"])) for c, _ in COLUMNS]

    result_rows = 2 + len(DENIED) + len(UNABLE) + len(NOT_PROCESSED) + (3 if fmt == "v2021" else 1) + 1
    grid = [
        [_c(SEC3_NOTE, 3, 3), _c("申请人情况", 7)],
        [_c("自然人", 1, 2), _c("法人或其他组织", 5), _c("总计", 1, 2)],
        [_c(label) for _, label in COLUMNS[1:6]],
        [_c("一、本年新收政府信息公开申请数量", 3), *vals("req_new_received")],
        [_c("二、上年结转政府信息公开申请数量", 3), *vals("req_carried_over")],
        [_c("三、本年度办理结果", 1, result_rows), _c("（一）予以公开", 2), *vals("res_granted")],
        [_c("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2), *vals("res_partially_granted")],
    ]
    groups = [("（三）不予公开", DENIED), ("（四）无法提供", UNABLE), ("（五）不予处理", NOT_PROCESSED)]
    if fmt == "v2021":
        groups.append(("（六）其他处理", OTHER_2021))
    for head, rows in groups:
        for i, (code, label) in enumerate(rows):
            lead = [_c(head, 1, len(rows))] if i == 0 else []
            grid.append([*lead, _c(label), *vals(code)])
    if fmt != "v2021":
        grid.append([_c("（六）其他处理", 2), *vals("res_other")])
    grid.append([_c("（七）总计", 2), *vals("res_total")])
    grid.append([_c("四、结转下年度继续办理", 3), *vals("req_carried_forward")])
    return grid


def sec4_grid(v: dict[str, float]) -> list[list[Cell]]:
    return [
        [_c("行政复议", 5), _c("行政诉讼", 10)],
        [*[_c(label, 1, 2) for _, label in SEC4_RESULTS], _c("未经复议直接起诉", 5), _c("复议后起诉", 5)],
        [_c(label) for _ in range(2) for _, label in SEC4_RESULTS],
        [_c(fmt_number(v[f"sec4.{g}@{r}"])) for g in SEC4_GROUPS for r, _ in SEC4_RESULTS],
    ]


def v2008_grid(v: dict[str, float]) -> list[list[Cell]]:
    return [[_c("指标名称"), _c("计量单位"), _c("统计数")]] + [
        [_c(label), _c(unit), _c(fmt_number(v[code]))] for code, label, unit in V2008_ROWS]


def grid_html(grid: list[list[Cell]]) -> str:
    rows = []
    for row in grid:
        cells = "".join(
            f'<td{f" colspan={cs}" if cs > 1 else ""}{f" rowspan={rs}" if rs > 1 else ""}><p>{escape(t)}</p></td>'
            for t, cs, rs in row)
        rows.append(f"<tr>{cells}</tr>")
    return '<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>' + "".join(rows) + "</tbody></table>"


def sections(fmt: str, agency: str, year: int, v: dict[str, float]) -> list[tuple[str, str, list | None]]:
    """The report body as (heading, paragraph, grid) triples in reading order."""
    if fmt == "v2008_local":
        return [
            ("一、概述", f"根据《中华人民共和国政府信息公开条例》的规定，特向社会公布{year}年度{agency}政府信息公开工作年度报告。", None),
            ("二、主动公开政府信息情况", f"{year}年共主动公开政府信息{fmt_number(v['pro_items_total'])}条。", None),
            ("三、依申请公开政府信息情况", f"全年共受理政府信息公开申请{fmt_number(v['req_received'])}条。", None),
            ("四、政府信息公开的收费及减免情况", "本年度未收取任何费用。", None),
            ("五、因政府信息公开申请提起行政复议、行政诉讼的情况",
             f"发生行政复议{fmt_number(v['rev_total_old'])}件，行政诉讼{fmt_number(v['lit_total_old'])}件。", None),
            ("六、存在的主要问题和改进措施", "信息公开的及时性有待提高，将进一步完善工作机制。", None),
            ("附：政府信息公开情况统计表", "", v2008_grid(v)),
        ]
    return [
        ("一、总体情况", f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，持续推进政府信息公开工作。", None),
        ("二、主动公开政府信息情况", "", sec2_grid(fmt, v)),
        ("三、收到和处理政府信息公开申请情况", "", sec3_grid(fmt, v)),
        ("四、政府信息公开行政复议、行政诉讼情况", "", sec4_grid(v)),
        ("五、存在的主要问题及改进情况", "部分信息公开不够及时，下一步将加强培训，规范发布流程。", None),
        ("六、其他需要报告的事项", "本年度未收取信息处理费。", None),
    ]


def body_html(fmt: str, agency: str, year: int, v: dict[str, float]) -> str:
    parts = []
    for heading, text, grid in sections(fmt, agency, year, v):
        parts.append(f"<p><strong>{escape(heading)}</strong></p>")
        if text:
            parts.append(f"<p>{escape(text)}</p>")
        if grid:
            parts.append(grid_html(grid))
    return "\n".join(parts)
