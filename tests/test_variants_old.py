"""The pre-2019 statistical tables in the layouts FORMATS.md §1 describes, generated here.

Nothing is copied from real reports: the row lists follow FORMATS.md (§1.2 Shanghai lineage,
§1.3 Fujian/莆田, §1.5 the national 《政府信息公开情况统计表》, §1.6 Anhui per-tier columns) and
the numbers are drawn at random so that the table identities hold. Every emitted value must
be right (precision first); a value that cannot be read for sure must be left out with a flag.
"""

from __future__ import annotations

import html
import io
import random
from dataclasses import dataclass, field

import pytest

from transforms.extract import extract
from transforms.model import SourceDocument

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# ---------------------------------------------------------------------------------------------
# v2014_national (FORMATS.md §1.5): (label, unit, code); code None = a section row without value
# ---------------------------------------------------------------------------------------------
NAT_PROACTIVE = [
    ("一、主动公开情况", "—", None),
    ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", "pro_items_total"),
    ("其中：主动公开规范性文件数", "条", "pro_normdocs_published"),
    ("制发规范性文件总数", "件", "pro_normdocs_issued_total"),
    ("（二）通过不同渠道和方式公开政府信息的情况 1.政府公报公开政府信息数", "条", "pro_ch_gazette"),
    ("2.政府网站公开政府信息数", "条", "pro_ch_website"),
    ("3.政务微博公开政府信息数", "条", "pro_ch_weibo"),
    ("4.政务微信公开政府信息数", "条", "pro_ch_wechat"),
    ("5.其他方式公开政府信息数", "条", "pro_ch_other"),
]
NAT_RESPONSE = [
    ("二、回应解读情况", "—", None),
    ("（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）", "次", "resp_hot_issues"),
    ("（二）通过不同渠道和方式回应解读的情况 1.参加或举办新闻发布会总次数", "次", "resp_press_conferences"),
    ("其中：主要负责同志参加新闻发布会次数", "次", "resp_press_conf_principal"),
    ("2.政府网站在线访谈次数", "次", "resp_online_interviews"),
    ("其中：主要负责同志参加政府网站在线访谈次数", "次", "resp_online_interviews_principal"),
    ("3.政策解读稿件发布数", "篇", "resp_interpretation_articles"),
    ("4.微博微信回应事件数", "次", "resp_weibo_wechat_events"),
    ("5.其他方式回应事件数", "次", "resp_other_events"),
]
NAT_REST = [
    ("{n}、依申请公开情况", "—", None),
    ("（一）收到申请数", "件", "req_received"),
    ("1.当面申请数", "件", "req_ch_in_person"), ("2.传真申请数", "件", "req_ch_fax"),
    ("3.网络申请数", "件", "req_ch_online"), ("4.信函申请数", "件", "req_ch_letter"),
    ("（二）申请办结数", "件", "req_closed"),
    ("1.按时办结数", "件", "req_closed_on_time"), ("2.延期办结数", "件", "req_closed_extended"),
    ("（三）申请答复数", "件", "ans_total"),
    ("1.属于已主动公开范围数", "件", "ans_already_public"),
    ("2.同意公开答复数", "件", "ans_granted"),
    ("3.同意部分公开答复数", "件", "ans_partial"),
    ("4.不同意公开答复数", "件", "ans_denied_total"),
    ("其中：涉及国家秘密", "件", "ans_denied_state_secret"),
    ("涉及商业秘密", "件", "ans_denied_commercial_secret"),
    ("涉及个人隐私", "件", "ans_denied_privacy"),
    ("危及国家安全、公共安全、经济安全和社会稳定", "件", "ans_denied_security_stability"),
    ("不是《条例》所指政府信息", "件", "ans_denied_not_gov_info"),
    ("法律法规规定的其他情形", "件", "ans_denied_other_law"),
    ("5.不属于本行政机关公开数", "件", "ans_not_this_agency"),
    ("6.申请信息不存在数", "件", "ans_not_exist"),
    ("7.告知作出更改补充数", "件", "ans_told_to_amend"),
    ("8.告知通过其他途径办理数", "件", "ans_redirected"),
    ("{n}、行政复议数量", "件", "rev_total_old"),
    ("（一）维持具体行政行为数", "件", "rev_old_upheld"),
    ("（二）被依法纠错数", "件", "rev_old_corrected"),
    ("（三）其他情形数", "件", "rev_old_other"),
    ("{n}、行政诉讼数量", "件", "lit_total_old"),
    ("（一）维持具体行政行为或者驳回原告诉讼请求数", "件", "lit_old_upheld"),
    ("（二）被依法纠错数", "件", "lit_old_corrected"),
    ("（三）其他情形数", "件", "lit_old_other"),
    ("{n}、举报投诉数量", "件", "complaints_total"),
    ("{n}、依申请公开信息收取的费用", "万元", "fees_collected"),
    ("{n}、机构建设和保障经费情况", "—", None),
    ("（一）政府信息公开工作专门机构数", "个", "org_dedicated_units"),
    ("（二）设置政府信息公开查阅点数", "个", "org_reading_points"),
    ("（三）从事政府信息公开工作人员数", "人", "staff_total"),
    ("1.专职人员数（不包括政府公报及政府网站工作人员数）", "人", "staff_full_time"),
    ("2.兼职人员数", "人", "staff_part_time"),
    ("（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）", "万元", "budget_special"),
    ("{n}、政府信息公开会议和培训情况", "—", None),
    ("（一）召开政府信息公开工作会议或专题会议数", "次", "mtg_meetings"),
    ("（二）举办各类培训班数", "次", "trn_sessions"),
    ("（三）接受培训人员数", "人次", "trn_participants"),
]
CN = "一二三四五六七八九十"


def _parts(total: int, n: int, rng: random.Random) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(n - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def national_values(rng: random.Random) -> dict[str, float]:
    """Values of the national table with every identity of indicators.yaml holding."""
    v: dict[str, float] = {}
    ch = [rng.randint(0, 40), rng.randint(50, 900), rng.randint(0, 60), rng.randint(0, 60), rng.randint(0, 20)]
    v.update(zip(["pro_ch_gazette", "pro_ch_website", "pro_ch_weibo", "pro_ch_wechat", "pro_ch_other"], ch, strict=True))
    v["pro_items_total"] = rng.randint(max(ch), sum(ch))
    v["pro_normdocs_published"] = rng.randint(0, min(30, v["pro_items_total"]))
    v["pro_normdocs_issued_total"] = rng.randint(v["pro_normdocs_published"], v["pro_normdocs_published"] + 5)
    v["resp_hot_issues"] = rng.randint(0, 30)
    v["resp_press_conferences"] = rng.randint(0, 12)
    v["resp_press_conf_principal"] = rng.randint(0, v["resp_press_conferences"])
    v["resp_online_interviews"] = rng.randint(0, 8)
    v["resp_online_interviews_principal"] = rng.randint(0, v["resp_online_interviews"])
    v["resp_interpretation_articles"] = rng.randint(0, 50)
    v["resp_weibo_wechat_events"] = rng.randint(0, 20)
    v["resp_other_events"] = rng.randint(0, 5)
    received = rng.randint(0, 120)
    v["req_received"] = received
    v.update(zip(["req_ch_in_person", "req_ch_fax", "req_ch_online", "req_ch_letter"], _parts(received, 4, rng),
                 strict=True))
    closed = rng.randint(0, received)
    v["req_closed"] = closed
    v["req_closed_on_time"], v["req_closed_extended"] = _parts(closed, 2, rng)
    denied = _parts(rng.randint(0, 10), 6, rng)
    v.update(zip(["ans_denied_state_secret", "ans_denied_commercial_secret", "ans_denied_privacy",
                  "ans_denied_security_stability", "ans_denied_not_gov_info", "ans_denied_other_law"], denied,
                 strict=True))
    v["ans_denied_total"] = sum(denied)
    others = {k: rng.randint(0, 30) for k in ("ans_already_public", "ans_granted", "ans_partial", "ans_not_this_agency",
                                             "ans_not_exist", "ans_told_to_amend", "ans_redirected")}
    v.update(others)
    v["ans_total"] = sum(others.values()) + v["ans_denied_total"]
    for total, parts in (("rev_total_old", ["rev_old_upheld", "rev_old_corrected", "rev_old_other"]),
                         ("lit_total_old", ["lit_old_upheld", "lit_old_corrected", "lit_old_other"])):
        p = [rng.randint(0, 4) for _ in parts]
        v.update(zip(parts, p, strict=True))
        v[total] = sum(p)
    v["complaints_total"] = rng.randint(0, 3)
    v["fees_collected"] = rng.choice([0, 0.01, 0.035, 0.12])
    v["org_dedicated_units"] = rng.randint(1, 3)
    v["org_reading_points"] = rng.randint(1, 20)
    v["staff_full_time"], v["staff_part_time"] = rng.randint(0, 5), rng.randint(0, 30)
    v["staff_total"] = v["staff_full_time"] + v["staff_part_time"]
    v["budget_special"] = rng.choice([0, 1.5, 12.8, 30])
    v["mtg_meetings"] = rng.randint(0, 6)
    v["trn_sessions"] = rng.randint(0, 6)
    v["trn_participants"] = rng.randint(0, 400)
    return v


@dataclass
class OldTable:
    """One synthetic old table: header rows, data rows (label, unit, value texts) and truth."""

    header: list[list[str]]
    rows: list[tuple[str, str, list[str]]] = field(default_factory=list)
    truth: dict[str, float] = field(default_factory=dict)
    title: str = "附件：政府信息公开情况统计表"
    year: int = 2016
    codes: list[str | None] = field(default_factory=list)   # the code of each data row
    seq_col: bool = False                                   # a 序号 column before the labels


def _fmt(x: float) -> str:
    return f"{x:g}"


def make_national_table(seed: int, with_response: bool = True, year: int = 2016) -> OldTable:
    rng = random.Random(seed)
    vals = national_values(rng)
    spec = NAT_PROACTIVE + (NAT_RESPONSE if with_response else []) + NAT_REST
    table = OldTable(header=[["统计指标", "单位", "统计数"]], year=year)
    n = 0
    for label, unit, code in spec:
        if label[0] in CN and label[1] == "、" or label.startswith("{n}"):
            label = label.replace("{n}", "").lstrip("一二三四五六七八九十")
            n += 1
            label = f"{CN[n - 1]}{label if label.startswith('、') else '、' + label}"
        table.codes.append(code)
        if code is None:
            table.rows.append((label, unit, [""]))
            continue
        table.rows.append((label, unit, [_fmt(vals[code])]))
        table.truth[code] = vals[code]
    return table


# ---------------------------------------------------------------------------------------------
# renderings
# ---------------------------------------------------------------------------------------------
PREAMBLE = "某某县人民政府{year}年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n"
EPILOGUE = "存在的主要问题和改进措施\n下一步将继续改进。\n"


def grid_rows(t: OldTable) -> list[list[str]]:
    if t.seq_col:
        return [*[["序号", *h] for h in t.header],
                *[[str(i), label, *([unit] if unit else []), *vals] for i, (label, unit, vals) in enumerate(t.rows, start=1)]]
    return [*t.header, *[[label, unit, *vals] if unit else [label, *vals] for label, unit, vals in t.rows]]


def render_html(t: OldTable) -> bytes:
    rows = grid_rows(t)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    pre = PREAMBLE.format(year=t.year).replace("\n", "</p><p>")
    return (f"<html><head><meta charset='utf-8'><title>某某县人民政府{t.year}年政府信息公开工作年度报告</title></head>"
            f"<body><p>{pre}</p><p>{t.title}</p><table border='1'>{body}</table><p>{EPILOGUE}</p></body></html>"
            ).encode()


def render_docx(t: OldTable) -> bytes:
    from docx import Document

    doc = Document()
    for line in PREAMBLE.format(year=t.year).splitlines():
        doc.add_paragraph(line)
    doc.add_paragraph(t.title)
    rows = grid_rows(t)
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=0, cols=width)
    for r in rows:
        cells = table.add_row().cells
        for i, c in enumerate(r):
            cells[i].text = c
    doc.add_paragraph(EPILOGUE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_text(t: OldTable, style: str) -> bytes:
    lines = [PREAMBLE.format(year=t.year), t.title]
    for r in grid_rows(t):
        if style == "pipe_rows":
            lines.append(" | ".join(r) + " |")
        elif style == "one_cell_per_line":
            lines.extend(f"{c} |" for c in r if c)
        elif style == "space_separated":
            lines.append(" ".join(c for c in r if c))
        elif style == "blank_line_separated":
            lines.extend(f"{c}\n" for c in r if c)
        elif style == "lone_pipe_lines":
            lines.append("|")
            lines.extend(f"{c} |" for c in r if c)
        else:
            raise ValueError(style)
    lines.append(EPILOGUE)
    return "\n".join(lines).encode()


RENDERINGS = ["html", "docx", "pipe_rows", "one_cell_per_line", "space_separated", "blank_line_separated",
              "lone_pipe_lines"]


def run(t: OldTable, rendering: str):
    title = f"某某县人民政府{t.year}年政府信息公开工作年度报告"
    if rendering == "html":
        doc = SourceDocument(content=render_html(t), content_type="text/html", title=title)
    elif rendering == "docx":
        doc = SourceDocument(content=render_docx(t), content_type=DOCX_TYPE, title=title)
    else:
        doc = SourceDocument(content=render_text(t, rendering), content_type="text/plain", title=title)
    return extract(doc)


def table_values(report) -> dict[str, float]:
    out: dict[str, float] = {}
    for o in report.observations:
        if o.source == "table" and o.indicator_code and o.value is not None and o.dimension is None:
            out.setdefault(o.indicator_code, o.value)
    return out


def wrong_values(report, truth: dict[str, float]) -> dict[str, tuple]:
    got = report.values()
    return {k: (got[k], truth.get(k)) for k in got if k not in truth or abs(got[k] - truth[k]) > 1e-9}


def identity_flags(report) -> list[str]:
    return [f for f in report.flags if "@" in f and f.split("@")[0].startswith(("old_", "local_"))]


# ---------------------------------------------------------------------------------------------
# v2014_national
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("with_response", [True, False], ids=["2016_edition", "2014_edition"])
def test_national_table_every_rendering(rendering, with_response):
    t = make_national_table(seed=11 if with_response else 12, with_response=with_response,
                            year=2017 if with_response else 2014)
    report = run(t, rendering)
    assert report.status == "ok"
    assert not wrong_values(report, t.truth)
    assert report.values() == t.truth
    assert report.meta.format_version == "v2014_national"
    assert not identity_flags(report), identity_flags(report)


def test_national_table_fees_keep_wan_yuan():
    t = make_national_table(seed=5)
    t.rows = [(lab, unit, ["0.035"] if code_is(lab, "依申请公开信息收取的费用") else vals) for lab, unit, vals in t.rows]
    t.truth["fees_collected"] = 0.035
    report = run(t, "html")
    fee = next(o for o in report.observations if o.indicator_code == "fees_collected")
    assert fee.value == 0.035 and fee.unit == "万元" and fee.value_normalised == 350


def code_is(label: str, words: str) -> bool:
    return words in label


def test_shared_labels_map_by_section():
    t = make_national_table(seed=3)
    report = run(t, "pipe_rows")
    got = report.values()
    for code in ("rev_old_corrected", "rev_old_other", "lit_old_corrected", "lit_old_other"):
        assert got[code] == t.truth[code]


def test_national_table_with_broken_sums_keeps_printed_values_and_flags():
    t = make_national_table(seed=7)
    bad = dict(t.truth)
    bad["req_received"] = t.truth["req_received"] + 3
    bad["ans_denied_total"] = t.truth["ans_denied_total"] + 1
    bad["ans_total"] = t.truth["ans_total"] + 1        # keeps old_answers_sum consistent with the bad denied total
    bad["staff_total"] = t.truth["staff_total"] + 2
    t.rows = [(lab, unit, [_fmt(bad[_label_code(lab)])] if _label_code(lab) in bad else vals)
              for lab, unit, vals in t.rows]
    report = run(t, "html")
    assert report.values() == {k: bad[k] for k in t.truth}
    ids = {f.split("@")[0] for f in report.flags}
    assert {"old_req_channels", "old_denied_reasons", "old_staff_sum"} <= ids
    flagged = {o.indicator_code for o in report.observations if "old_req_channels" in o.flags}
    assert "req_received" in flagged


def _label_code(label: str) -> str | None:
    from transforms.labels import default_maps

    codes = default_maps().old_codes(label)
    return codes[0] if len(codes) == 1 else None


# ---------------------------------------------------------------------------------------------
# Shanghai lineage (FORMATS.md §1.2): 指标名称 | 计量单位 | 代码 | 本期实际 | 本年累计
# ---------------------------------------------------------------------------------------------
def shanghai_rows(national_law: bool) -> list[tuple[str, str, str]]:
    law = "条例" if national_law else "规定"
    scope = "不予公开范围" if national_law else "免予公开范围"
    if national_law:
        exempt = [("ans_denied_state_secret", 1), ("ans_denied_commercial_secret", 2), ("ans_denied_privacy", 3),
                  ("ans_denied_internal", 4), ("ans_denied_in_process", 5), ("ans_denied_enforcement", 6),
                  ("ans_denied_other_law", 7)]
    else:
        exempt = [("ans_denied_state_secret", 1), ("ans_denied_commercial_secret", 2), ("ans_denied_privacy", 3),
                  ("ans_denied_in_process", 4), ("ans_denied_enforcement", 5), ("ans_denied_other_law", 6)]
    rows = [("主动公开信息数", "条", "pro_items_total"),
            ("其中：全文电子化的主动公开信息数", "条", "pro_fulltext_electronic"),
            ("新增的行政规范性文件数", "条", "pro_normdocs_new_local"),
            ("提供服务类信息数", "条", "pro_service_info"),
            ("网站专栏页面访问量", "人次", "web_column_visits"),
            ("现场接待人数", "人次", "consult_on_site"), ("网上咨询数", "人次", "consult_online"),
            ("咨询电话接听数", "人次", "consult_phone"), ("依申请公开信息目录数", "条", "req_catalog_items"),
            ("申请总数", "条", "req_received"),
            ("其中：1.当面申请数", "条", "req_ch_in_person"), ("2.传真申请数", "条", "req_ch_fax"),
            ("3.电子邮件申请数", "条", "req_ch_email"), ("4.网上申请数", "条", "req_ch_online"),
            ("5.信函申请数", "条", "req_ch_letter"), ("6.其他形式申请数", "条", "req_ch_other"),
            ("对申请的答复总数", "条", "ans_total"),
            ("其中：1.同意公开答复数", "条", "ans_granted"), ("2.同意部分公开答复数", "条", "ans_partial"),
            ("3.否决公开答复总数", "条", "ans_denied_total"),
            (f"其中：(1)“非《{law}》所指政府信息”数", "条", "ans_denied_not_gov_info"),
            ("(2)“信息不存在”数", "条", "ans_not_exist"), ("(3)“非本部门掌握”数", "条", "ans_not_this_agency"),
            ("(4)“申请内容不明确”数", "条", "ans_told_to_amend")]
    rows += [(f"({4 + i})“{scope}{n}”数", "条", code) for i, (code, n) in enumerate(exempt, start=1)]
    rows += [(f"({5 + len(exempt)})其它原因", "条", "ans_denied_other_reason"),
             ("行政复议数", "件", "rev_total_old"), ("行政诉讼数", "件", "lit_total_old"),
             ("行政申诉数", "件", "appeals_total_old"),
             ("其中：对本部门首次处理不满意的行政申诉数", "件", "appeals_first_unsatisfied")]
    return rows


def local_values(rows: list[tuple[str, str, str]], rng: random.Random) -> dict[str, float]:
    codes = [c for _, _, c in rows]
    v: dict[str, float] = {c: rng.randint(0, 300) for c in codes}
    channels = [c for c in ("req_ch_in_person", "req_ch_fax", "req_ch_email", "req_ch_online", "req_ch_letter",
                            "req_ch_other") if c in v]
    v["req_received"] = sum(v[c] for c in channels)
    reasons = [c for c in codes if c.startswith("ans_denied_") and c != "ans_denied_total"
               or c in ("ans_not_exist", "ans_not_this_agency", "ans_told_to_amend")]
    for c in reasons:
        v[c] = rng.randint(0, 3)
    if reasons:
        v["ans_denied_total"] = sum(v[c] for c in reasons)
    if "ans_total" in v:
        v["ans_total"] = v["ans_granted"] + v["ans_partial"] + v["ans_denied_total"]
    for big, small in (("pro_items_total", "pro_fulltext_electronic"), ("appeals_total_old", "appeals_first_unsatisfied"),
                       ("pro_items_total", "pro_ch_website"), ("pro_items_total", "pro_ch_gazette")):
        if big in v and small in v:
            v[small] = rng.randint(0, v[big])
    return v


def make_shanghai_table(seed: int, national_law: bool = False, ytd_differs: str | None = None) -> OldTable:
    rng = random.Random(seed)
    rows = shanghai_rows(national_law)
    vals = local_values(rows, rng)
    t = OldTable(header=[["指标名称", "计量单位", "代码", "本期实际", "本年累计"]], year=2011,
                 title="附表：政府信息公开工作指标统计表")
    for i, (label, unit, code) in enumerate(rows, start=1):
        ytd = vals[code]
        if code == ytd_differs:
            ytd = vals[code] + 4
        else:
            t.truth[code] = vals[code]
        t.rows.append((label, unit, [f"{i:02d}", _fmt(vals[code]), _fmt(ytd)]))
    return t


def grid_rows_with_code(t: OldTable) -> list[list[str]]:
    return grid_rows(t)


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("national_law", [False, True], ids=["规定", "条例"])
def test_shanghai_lineage_every_rendering(rendering, national_law):
    t = make_shanghai_table(seed=21 + national_law, national_law=national_law)
    report = run(t, rendering)
    assert not wrong_values(report, t.truth)
    assert report.values() == t.truth
    assert report.meta.format_version == "v2008_local"
    assert not identity_flags(report), identity_flags(report)


@pytest.mark.parametrize("rendering", ["html", "pipe_rows", "space_separated"])
def test_shanghai_period_differs_from_year_to_date_is_left_out(rendering):
    t = make_shanghai_table(seed=23, ytd_differs="req_catalog_items")
    report = run(t, rendering)
    assert not wrong_values(report, t.truth)
    assert "req_catalog_items" not in report.values()
    assert report.values() == t.truth
    assert any(f.startswith("annual_vs_ytd@req_catalog_items") for f in report.flags)


# ---------------------------------------------------------------------------------------------
# Fujian / 莆田 2009 (FORMATS.md §1.3): 指标名称 | 计量单位 | 2009年度 | 历年累计
# ---------------------------------------------------------------------------------------------
FUJIAN_ROWS = [("主动公开信息数", "条", "pro_items_total"), ("其中：1.政府网站", "条", "pro_ch_website"),
               ("2.政府公报", "条", "pro_ch_gazette"), ("受理依申请公开信息总数", "件", "req_received"),
               ("其中：1.当面申请数", "件", "req_ch_in_person"), ("2.传真申请数", "件", "req_ch_fax"),
               ("3.电子邮件申请数", "件", "req_ch_email"), ("4.网上申请数", "件", "req_ch_online"),
               ("5.信函申请数", "件", "req_ch_letter"), ("6.其它形式申请数", "件", "req_ch_other"),
               ("本年度对申请的答复总数", "件", "ans_total"), ("其中：1.同意公开答复数", "件", "ans_granted"),
               ("2.同意部分公开答复数", "件", "ans_partial"), ("3.否决公开答复总数", "件", "ans_denied_total"),
               ("行政复议数", "件", "rev_total_old"), ("行政诉讼数", "件", "lit_total_old"),
               ("行政申诉数", "件", "appeals_total_old")]


def make_fujian_table(seed: int, year_header: str = "2009年度", short_channels: bool = False) -> OldTable:
    rng = random.Random(seed)
    vals = local_values(FUJIAN_ROWS, rng)
    t = OldTable(header=[["指标名称", "计量单位", year_header, "历年累计"]], year=2009,
                 title="附件：2009年政府信息公开工作统计表")
    for label, unit, code in FUJIAN_ROWS:
        if short_channels and code.startswith("req_ch_") and code != "req_ch_other":
            label = label.replace("申请数", "")          # '其中：1.当面 2.传真 …' (FORMATS.md §1.3)
        t.truth[code] = vals[code]
        t.rows.append((label, unit, [_fmt(vals[code]), _fmt(vals[code] + rng.randint(1, 900))]))
    return t


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize(("year_header", "short_channels"), [("2009年度", False), ("本年度", False), ("2009年度", True)])
def test_fujian_year_column_never_the_cumulative(rendering, year_header, short_channels):
    t = make_fujian_table(seed=31, year_header=year_header, short_channels=short_channels)
    report = run(t, rendering)
    assert not wrong_values(report, t.truth)
    assert report.values() == t.truth
    assert report.meta.format_version == "v2008_local"
    cumulative = [o for o in report.observations if o.value_column_kind == "cumulative" and o.value is not None]
    assert len(cumulative) == len(t.truth) and all(o.dimension for o in cumulative)
    assert not identity_flags(report), identity_flags(report)


# ---------------------------------------------------------------------------------------------
# Anhui per-tier columns (FORMATS.md §1.6)
# ---------------------------------------------------------------------------------------------
TIERS = ["区政府统计数", "区直单位统计数", "乡镇街道统计数"]


def make_anhui_table(seed: int, with_total: bool) -> tuple[OldTable, dict[str, list[float]]]:
    rng = random.Random(seed)
    spec = [r for r in NAT_PROACTIVE[1:4] + NAT_REST[1:6] if r[2]]
    t = OldTable(header=[["统计指标", "单位", *TIERS, *(["合计"] if with_total else [])]], year=2015)
    tiers: dict[str, list[float]] = {}
    for label, unit, code in spec:
        parts = [rng.randint(0, 90) for _ in TIERS]
        tiers[code] = parts
        if with_total:
            t.truth[code] = sum(parts)
        t.rows.append((label, unit, [*map(_fmt, parts), *([_fmt(sum(parts))] if with_total else [])]))
    return t, tiers


@pytest.mark.parametrize("rendering", ["html", "docx", "pipe_rows", "space_separated", "one_cell_per_line"])
@pytest.mark.parametrize("with_total", [False, True], ids=["tiers_only", "with_total"])
def test_anhui_per_tier_columns_are_dimensions(rendering, with_total):
    t, tiers = make_anhui_table(seed=41, with_total=with_total)
    report = run(t, rendering)
    assert not wrong_values(report, t.truth)
    assert report.values() == t.truth
    dims = {(o.indicator_code, o.dimension): o.value for o in report.observations
            if o.dimension in TIERS and o.value is not None}
    if rendering in ("html", "docx", "pipe_rows"):
        assert dims == {(c, tier): v for c, parts in tiers.items() for tier, v in zip(TIERS, parts, strict=True)}


# ---------------------------------------------------------------------------------------------
# variations printed by real tables of the period (FORMATS.md §1.7): serial-number column, blank
# cells for zero, other header words, units inside the label, group rows of their own,
# full-width digits
# ---------------------------------------------------------------------------------------------
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def vary(t: OldTable, *, seq_col: bool = False, blanks: bool = False, header: list[str] | None = None,
         unit_in_label: bool = False, group_rows: bool = False, fullwidth: bool = False,
         dash_sections: bool = False) -> OldTable:
    """A copy of a one-value-column national table printed another way (blank cells leave truth)."""
    out = OldTable(header=[list(header or t.header[0])], title=t.title, year=t.year, seq_col=seq_col)
    if unit_in_label:
        out.header = [[h for h in out.header[0] if h not in ("单位", "计量单位")]]
    for (label, unit, vals), code in zip(t.rows, t.codes, strict=True):
        if group_rows and " " in label:
            group, label = label.split(" ", 1)
            out.rows.append((group, "" if unit_in_label else "—", ["—" if dash_sections else ""]))
            out.codes.append(None)
        if code is not None:
            if blanks and vals[0] == "0":
                vals = [""]
            else:
                out.truth[code] = t.truth[code]
        if fullwidth:
            vals = [v.translate(FULLWIDTH) for v in vals]
        if dash_sections and code is None:
            vals = ["—"]
        if unit_in_label:
            label, unit = (f"{label}（{unit}）" if unit != "—" else label), ""
        out.rows.append((label, unit, vals))
        out.codes.append(code)
    return out


VARIATIONS = {
    "seq_col": {"seq_col": True},
    "blanks": {"blanks": True},
    "header_year": {"header": ["指标名称", "计量单位", "2016年度"]},
    "header_count": {"header": ["项目", "单位", "数量"]},
    "unit_in_label": {"unit_in_label": True},
    "group_rows": {"group_rows": True},
    "fullwidth": {"fullwidth": True},
    "dash_sections": {"dash_sections": True, "group_rows": True},
    "dash_no_unit": {"dash_sections": True, "unit_in_label": True},
    "all": {"seq_col": True, "blanks": True, "group_rows": True, "fullwidth": True},
}


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("variation", list(VARIATIONS))
def test_national_table_variations(variation, rendering):
    t = vary(make_national_table(seed=61), **VARIATIONS[variation])
    report = run(t, rendering)
    wrong = wrong_values(report, t.truth)
    assert not wrong, wrong
    assert report.meta.format_version == "v2014_national"
    missing = set(t.truth) - set(report.values())
    flagged = {o.indicator_code for o in report.observations if o.null_reason == "ambiguous"}
    assert missing <= flagged, sorted(missing - flagged)[:6]
    if VARIATIONS[variation].get("seq_col") and rendering not in ("html", "docx", "pipe_rows"):
        # flattened with a 序号 column: a row with one number may hold the next row's 序号
        assert missing <= {"trn_participants"} | ({c for c in t.truth} if variation == "all" else set())
    else:
        assert not missing, sorted(missing)[:6]


# ---------------------------------------------------------------------------------------------
# identities of the local tables on deliberately broken tables: printed values kept, flags set
# ---------------------------------------------------------------------------------------------
def _break(t: OldTable, changes: dict[str, float], col: int = 0) -> OldTable:
    rows = []
    for label, unit, vals in t.rows:
        code = _label_code(label)
        if code in changes:
            vals = list(vals)
            vals[col] = _fmt(changes[code])
            if len(vals) > col + 1 and t.header[0][-1] == "本年累计":
                vals[col + 1] = vals[col]
            t.truth[code] = changes[code]
        rows.append((label, unit, vals))
    t.rows = rows
    return t


@pytest.mark.parametrize("rendering", ["html", "pipe_rows", "space_separated"])
def test_shanghai_broken_sums_are_flagged(rendering):
    t = make_shanghai_table(seed=71)
    changes = {"req_received": t.truth["req_received"] + 5, "ans_total": t.truth["ans_total"] + 2,
               "ans_denied_total": t.truth["ans_denied_total"] + 1}
    t = _break(t, {**changes, "ans_total": changes["ans_total"]}, col=1)
    report = run(t, rendering)
    assert report.values() == t.truth
    ids = {f.split("@")[0] for f in report.flags}
    assert {"local_req_channels", "local_answers_sum", "local_denied_reasons"} <= ids, report.flags
    received = next(o for o in report.observations if o.indicator_code == "req_received" and o.dimension is None)
    assert received.value == changes["req_received"] and "local_req_channels" in received.flags


def test_fujian_cumulative_below_the_year_is_flagged():
    t = make_fujian_table(seed=73)
    t.rows = [(label, unit, [vals[0], "1"] if _label_code(label) == "pro_items_total" else vals)
              for label, unit, vals in t.rows]
    t.truth["pro_items_total"] = max(t.truth["pro_items_total"], 2)
    t.rows = [(label, unit, [_fmt(t.truth["pro_items_total"]), vals[1]] if _label_code(label) == "pro_items_total"
               else vals) for label, unit, vals in t.rows]
    report = run(t, "html")
    assert report.values() == t.truth
    assert any(f.startswith("local_cumulative_ge_annual") for f in report.flags), report.flags


def test_identities_hold_on_the_clean_tables():
    for t in (make_shanghai_table(seed=75), make_fujian_table(seed=75), make_national_table(seed=75)):
        report = run(t, "html")
        assert not identity_flags(report), identity_flags(report)


# ---------------------------------------------------------------------------------------------
# other column layouts: quarters (+ 全年), comparison columns, a table printed in two halves
# ---------------------------------------------------------------------------------------------
def _cells(rows: list[list[str]], year: int = 2016):
    from transforms.model import ReadDocument, ReportMeta, Table
    from transforms.tables import extract_cells

    read = ReadDocument(kind="html", text="", tables=[Table(rows=rows, index=0, source="html")])
    return extract_cells(read, ReportMeta(report_year=year))


def _year_values(result) -> dict[str, float]:
    out: dict[str, float] = {}
    for o in result.observations:
        if o.indicator_code and o.value is not None and o.dimension is None:
            out.setdefault(o.indicator_code, o.value)
    return out


QUARTERS = ["第一季度", "第二季度", "第三季度", "第四季度"]


@pytest.mark.parametrize("with_year", [True, False])
def test_quarterly_columns_are_a_dimension(with_year):
    rows = [["统计指标", "单位", *QUARTERS, *(["全年"] if with_year else [])],
            ["（一）收到申请数", "件", "1", "2", "3", "4", *(["10"] if with_year else [])],
            ["1.当面申请数", "件", "0", "1", "1", "2", *(["4"] if with_year else [])]]
    result = _cells(rows)
    assert _year_values(result) == ({"req_received": 10, "req_ch_in_person": 4} if with_year else {})
    quarters = {o.dimension for o in result.observations if o.value_column_kind == "quarterly"}
    assert quarters == set(QUARTERS)


def test_comparison_columns_are_never_the_year():
    rows = [["指标名称", "计量单位", "本期实际", "上年同期", "同比增减"],
            ["主动公开信息数", "条", "100", "90", "10"], ["申请总数", "条", "5", "4", "1"]]
    assert _year_values(_cells(rows)) == {"pro_items_total": 100, "req_received": 5}
    text = "指标名称 计量单位 本期实际 上年同期\n主动公开信息数 条 100 90\n申请总数 条 5 4\n"
    report = extract(SourceDocument(content=("2012年政府信息公开工作年度报告\n" + text).encode(), content_type="text/plain"))
    assert report.values() == {"pro_items_total": 100, "req_received": 5}


def test_a_table_printed_in_two_halves_side_by_side():
    rows = [["统计指标", "单位", "统计数", "统计指标", "单位", "统计数"],
            ["（一）收到申请数", "件", "12", "四、行政复议数量", "件", "3"],
            ["1.当面申请数", "件", "5", "（一）维持具体行政行为数", "件", "2"],
            ["2.传真申请数", "件", "7", "（二）被依法纠错数", "件", "1"]]
    result = _cells(rows)
    assert _year_values(result) == {"req_received": 12, "req_ch_in_person": 5, "req_ch_fax": 7,
                                    "rev_total_old": 3, "rev_old_upheld": 2, "rev_old_corrected": 1}
    assert {o.col for o in result.observations if o.indicator_code == "rev_total_old"} == {5}


SHARED_ROWS = [("（一）维持具体行政行为数", "rev_old_upheld"), ("（二）被依法纠错数", "rev_old_corrected"),
               ("（三）其他情形数", "rev_old_other"), ("（一）维持具体行政行为或者驳回原告诉讼请求数", "lit_old_upheld"),
               ("（二）被依法纠错数", "lit_old_corrected"), ("（三）其他情形数", "lit_old_other")]


def test_shared_labels_under_a_merged_group_column():
    rows = [["统计指标", "统计指标", "单位", "统计数"]]
    rows += [["四、行政复议" if code.startswith("rev") else "五、行政诉讼", label, "件", str(i)]
             for i, (label, code) in enumerate(SHARED_ROWS, start=1)]
    assert _year_values(_cells(rows)) == {code: i for i, (_, code) in enumerate(SHARED_ROWS, start=1)}


def test_shared_labels_follow_the_nearest_group_row_without_a_total_row():
    rows = [["统计指标", "单位", "统计数"], ["四、行政复议数量", "件", "6"]]
    rows += [[label, "件", str(i)] for i, (label, _) in enumerate(SHARED_ROWS, start=1)]
    result = _cells(rows)
    mapped = [(o.indicator_code, o.value) for o in result.observations if o.indicator_code and o.value is not None]
    assert mapped == [("rev_total_old", 6), *[(code, i) for i, (_, code) in enumerate(SHARED_ROWS, start=1)]]


def render_pdf(t: OldTable) -> bytes:
    import pymupdf

    page_html = render_html(t).decode().replace("<table border='1'>", "<table border='1' cellpadding='2'>")
    story = pymupdf.Story(html=page_html, user_css="body{font-family:sans-serif;font-size:8px} td{border:1px solid black}")
    buf = io.BytesIO()
    writer = pymupdf.DocumentWriter(buf)
    more = True
    while more:
        dev = writer.begin_page(pymupdf.paper_rect("a4"))
        more, _ = story.place(pymupdf.paper_rect("a4") + (30, 30, -30, -30))
        story.draw(dev)
        writer.end_page()
    writer.close()
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["national", "shanghai", "fujian"])
def test_pdf_print(kind):
    t = {"national": lambda: make_national_table(seed=81), "shanghai": lambda: make_shanghai_table(seed=81),
         "fujian": lambda: make_fujian_table(seed=81)}[kind]()
    report = extract(SourceDocument(content=render_pdf(t), content_type="application/pdf",
                                    title=f"某某县人民政府{t.year}年政府信息公开工作年度报告"))
    assert not wrong_values(report, t.truth)
    assert report.values() == t.truth


HEADERS = {
    "titles_and_filler": [["政府信息公开情况统计表"] * 3, ["（2016年度）"] * 3,
                          ["填报单位：某某县人民政府办公室", "", "2017年1月10日"], ["统计指标", "单位", "统计数"]],
    "year_subtitle": [["政府信息公开情况统计表"] * 3, ["2016年度"] * 3, ["统计指标", "单位", "统计数"]],
    "year_column": [["统计指标", "单位", "2016年"]],
    "year_count_column": [["统计指标", "单位", "2016年统计数"]],
    "spaced_words": [["指 标 名 称", "计量单位", "数 量"]],
    "project_value": [["项目", "单位", "数值"]],
    "remarks_column": [["统计指标", "单位", "统计数", "备注"]],
}


@pytest.mark.parametrize("rendering", RENDERINGS)
@pytest.mark.parametrize("header", list(HEADERS))
def test_national_table_headers_and_footer(header, rendering):
    t = make_national_table(seed=91)
    t.header = HEADERS[header]
    if len(t.header[-1]) == 4:
        t.rows = [(label, unit, [*vals, ""]) for label, unit, vals in t.rows]
    t.rows.append(("审核人：张三  填表人：李四  联系电话：13812345678", "", [""]))
    report = run(t, rendering)
    assert not wrong_values(report, t.truth)
    assert report.values() == t.truth


@pytest.mark.parametrize(("header", "expected"), [
    (["指标名称", "计量单位", "本期数", "本年累计数"], {"pro_items_total": 100, "req_received": 5}),
    (["指标名称", "计量单位", "本年度", "上年度"], {"pro_items_total": 100, "req_received": 5}),
    (["指标名称", "计量单位", "2012年度", "累计数"], {"pro_items_total": 100, "req_received": 5}),
    (["指标名称", "计量单位", "上年度", "本年度"], {"pro_items_total": 90, "req_received": 4}),
])
def test_more_column_words(header, expected):
    rows = [header, ["主动公开信息数", "条", "100", "90"], ["申请总数", "条", "5", "4"]]
    if header[2:] == ["本期数", "本年累计数"]:
        rows = [header, ["主动公开信息数", "条", "100", "100"], ["申请总数", "条", "5", "5"]]
    if header[2] == "上年度":
        rows = [header, ["主动公开信息数", "条", "100", "90"], ["申请总数", "条", "5", "4"]]
    assert _year_values(_cells(rows, year=2012)) == expected
    text = "\n".join(" ".join(r) for r in rows) + "\n"
    report = extract(SourceDocument(content=("某某县2012年政府信息公开工作年度报告\n" + text).encode(),
                                    content_type="text/plain"))
    assert report.values() == expected


@pytest.mark.parametrize("rendering", ["html", "one_cell_per_line"])
def test_national_answer_review_and_channel_breaks_are_flagged(rendering):
    t = make_national_table(seed=95)
    bad = {"ans_total": t.truth["ans_total"] + 4, "rev_total_old": t.truth["rev_total_old"] + 1,
           "req_closed": t.truth["req_closed"] + 2, "pro_items_total": sum(
               t.truth[c] for c in ("pro_ch_gazette", "pro_ch_website", "pro_ch_weibo", "pro_ch_wechat",
                                    "pro_ch_other")) + 1}
    t = _break(t, bad)
    report = run(t, rendering)
    assert report.values() == t.truth
    ids = {f.split("@")[0] for f in report.flags}
    assert {"old_answers_sum", "old_review_sum", "old_req_closed", "old_proactive_channels_bound"} <= ids, report.flags
    assert not ids & {"old_req_channels", "old_denied_reasons", "old_litigation_sum", "old_staff_sum"}


# ---------------------------------------------------------------------------------------------
# random combinations: never a wrong value; every omission flagged
# ---------------------------------------------------------------------------------------------
def blank_zero_rows(t: OldTable) -> OldTable:
    """Zero rows printed blank in every value column (multi-column local tables)."""
    rows = []
    for label, unit, vals in t.rows:
        code = _label_code(label)
        if code in t.truth and t.truth[code] == 0:
            vals = [v if i == 0 and t.header[0][2] == "代码" else "" for i, v in enumerate(vals)]
            del t.truth[code]
        rows.append((label, unit, vals))
    t.rows = rows
    return t


def fuzz_case(seed: int) -> tuple[OldTable, str]:
    rng = random.Random(seed)
    kind = rng.choice(["national", "national", "shanghai", "fujian", "anhui"])
    rendering = rng.choice(RENDERINGS)
    if kind == "national":
        t = make_national_table(seed, with_response=rng.random() < 0.6, year=rng.choice([2014, 2016, 2018]))
        opts = {k: rng.random() < 0.3 for k in ("seq_col", "blanks", "unit_in_label", "group_rows", "fullwidth",
                                                 "dash_sections")}
        if rng.random() < 0.3:
            opts["header"] = rng.choice([["统计指标", "单位", "统计数"], ["指标名称", "计量单位", f"{t.year}年度"],
                                         ["项目", "单位", "数量"], ["统计指标", "单位", f"{t.year}年"]])
        t = vary(t, **opts)
    elif kind == "shanghai":
        differs = rng.choice([None, None, "req_catalog_items", "pro_items_total"])
        t = make_shanghai_table(seed, national_law=rng.random() < 0.5, ytd_differs=differs)
    elif kind == "anhui":
        t, _ = make_anhui_table(seed, with_total=rng.random() < 0.5)
    else:
        t = make_fujian_table(seed, year_header=rng.choice(["2009年度", "本年度"]), short_channels=rng.random() < 0.5)
    if kind in ("shanghai", "fujian") and rng.random() < 0.4:
        t = blank_zero_rows(t)
    return t, rendering


def score_case(seed: int) -> tuple[int, int, int]:
    """(correct, flagged omissions, wrong) of one random case."""
    t, rendering = fuzz_case(seed)
    report = run(t, rendering)
    got = report.values()
    wrong = wrong_values(report, t.truth)
    missing = set(t.truth) - set(got)
    flagged = {o.indicator_code for o in report.observations if o.null_reason == "ambiguous"}
    assert missing <= flagged, (seed, rendering, sorted(missing - flagged)[:5])
    return len(set(got) & set(t.truth)) - len(wrong), len(missing), len(wrong)


@pytest.mark.parametrize("seed", range(1000, 1040))
def test_random_old_tables_never_give_a_wrong_value(seed):
    correct, missing, wrong = score_case(seed)
    assert wrong == 0 and (correct > 0 or missing == 0)


@pytest.mark.benchmark
def test_random_old_tables_figures():
    cases = exact = with_omissions = cells = omitted = wrong = 0
    for seed in range(2000, 2400):
        c, m, w = score_case(seed)
        cases += 1
        exact += m == 0 and w == 0
        with_omissions += m > 0
        cells, omitted, wrong = cells + c, omitted + m, wrong + w
    print(f"\nold-table variants: {cases} cases, {exact} exact, {with_omissions} with flagged omissions "
          f"({omitted} cells), correct cells {cells}, wrong values {wrong}")
    assert wrong == 0


def test_a_value_under_no_known_header_is_flagged_not_taken():
    rows = [["序号", "指标名称", "2018年度", ""], ["1", "一、主动公开情况", "", ""],
            ["2", "（一）主动公开政府信息数（条）", "", "181"], ["3", "其中：主动公开规范性文件数（条）", "", "9"]]
    result = _cells(rows, year=2018)
    assert _year_values(result) == {}
    assert sum(f.startswith("old_column_unnamed@") for f in result.flags) == 2


def test_serial_numbers_without_a_header_are_never_values():
    cells = ["1", "（一）收到申请数", "件", "12", "2", "1.当面申请数", "件", "3", "2.传真申请数", "件", "4", "4",
             "3.网络申请数", "件", "8"]
    text = "某某县2016年政府信息公开工作年度报告\n附件\n" + "".join(f"{c} |\n" for c in cells)
    report = extract(SourceDocument(content=text.encode(), content_type="text/plain"))
    assert "req_ch_in_person" not in report.values()        # its cell is blank; 3 is the next 序号
    assert not wrong_values(report, {"req_received": 12, "req_ch_fax": 4, "req_ch_online": 8})
    assert any("old_serial_or_value" in o.flags for o in report.observations)


@pytest.mark.parametrize("kind", ["national", "shanghai", "fujian"])
@pytest.mark.parametrize("rendering", ["html", "pipe_rows", "space_separated"])
def test_traditional_script_mirror(kind, rendering):
    from opencc import OpenCC

    cc = OpenCC("s2t")
    t = {"national": lambda: make_national_table(seed=98), "shanghai": lambda: make_shanghai_table(seed=98),
         "fujian": lambda: make_fujian_table(seed=98)}[kind]()
    if rendering == "html":
        content, content_type = cc.convert(render_html(t).decode()).encode(), "text/html"
    else:
        content, content_type = cc.convert(render_text(t, rendering).decode()).encode(), "text/plain"
    report = extract(SourceDocument(content=content, content_type=content_type,
                                    title=cc.convert(f"某某县人民政府{t.year}年政府信息公开工作年度报告")))
    assert report.values() == t.truth
    assert report.meta.format_version == ("v2014_national" if kind == "national" else "v2008_local")


@pytest.mark.parametrize("rendering", ["html", "pipe_rows", "space_separated"])
def test_a_short_national_excerpt_of_shared_rows_is_national_by_its_header(rendering):
    t = OldTable(header=[["统计指标", "单位", "统计数"]], year=2016)
    for label, code, v in (("（一）收到申请数", "req_received", 12), ("1.当面申请数", "req_ch_in_person", 5),
                           ("四、行政复议数量", "rev_total_old", 1)):
        t.rows.append((label, "件", [str(v)]))
        t.truth[code] = v
    report = run(t, rendering)
    assert report.values() == t.truth
    assert report.meta.format_version == "v2014_national"


@pytest.mark.parametrize("total", ["12.5", "30"])
@pytest.mark.parametrize("rendering", ["html", "space_separated"])
def test_fee_rows_in_yuan_and_their_sum(total, rendering):
    """FORMATS.md §1.4: 检索费/复制费/邮寄费 and 减免 printed in 元 stay in 元."""
    t = OldTable(header=[["指标名称", "计量单位", "2010年度", "历年累计"]], year=2010)
    for label, unit, code, v, cum in (("主动公开信息数", "条", "pro_items_total", "120", "900"),
                                      ("收费金额", "元", "fees_collected", total, "80"),
                                      ("其中：检索费", "元", "fees_search", "2.5", "10"),
                                      ("复制费", "元", "fees_copy", "6", "40"), ("邮寄费", "元", "fees_postage", "4", "30"),
                                      ("减免金额", "元", "fees_waived", "0", "5")):
        t.rows.append((label, unit, [v, cum]))
        t.truth[code] = float(v)
    report = run(t, rendering)
    assert report.values() == t.truth
    fee = next(o for o in report.observations if o.indicator_code == "fees_collected" and o.dimension is None)
    assert fee.unit == "元" and fee.value_normalised == float(total)
    assert any(f.startswith("local_fees_sum@") for f in report.flags) == (total == "30")
