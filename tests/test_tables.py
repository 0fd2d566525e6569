"""extract_cells on synthetic reports of every generation and every rendering.

The documents are generated here (tests/synthetic_tables.py): HTML with merged cells, the
six flattened text renderings, a DOCX (python-docx) and a PDF (PyMuPDF). A value that is
emitted must be right; every rendering that keeps the cells apart must give them all.
"""

from __future__ import annotations

import pytest
from synthetic_tables import make_national, make_old, render_docx, render_html, render_pdf, render_text

from transforms.model import ReadDocument, ReportMeta, SourceDocument, Table
from transforms.readers import read
from transforms.tables import CellResult, extract_cells

TEXT_STYLES = ["pipe_rows", "one_cell_per_line", "lone_pipe_lines", "blank_line_separated", "space_separated"]
FORMATS = ["v2021", "v2019", "v2008_local", "v2014_national"]


def make(fmt: str, seed: int = 3):
    return make_national(fmt, seed) if fmt in ("v2019", "v2021") else make_old(fmt, seed)


def emitted(result: CellResult) -> dict[str, float]:
    out: dict[str, float] = {}
    for o in result.observations:
        if o.indicator_code and o.value is not None and o.dimension is None:
            out.setdefault(o.indicator_code, o.value)
    return out


def cells_of(content: bytes, content_type: str) -> CellResult:
    return extract_cells(read(SourceDocument(content=content, content_type=content_type)), ReportMeta())


def assert_exact(result: CellResult, truth: dict[str, float]) -> None:
    got = emitted(result)
    wrong = {k: (got[k], v) for k, v in truth.items() if k in got and abs(got[k] - v) > 1e-9}
    assert not wrong
    assert not set(got) - set(truth), sorted(set(got) - set(truth))[:5]
    assert not set(truth) - set(got), sorted(set(truth) - set(got))[:5]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("style", TEXT_STYLES)
def test_flattened_text_every_generation(fmt, style):
    rep = make(fmt)
    result = cells_of(render_text(rep, style).encode(), "text/plain")
    assert_exact(result, rep.truth)
    assert result.format_version == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_html_with_merged_cells(fmt):
    rep = make(fmt)
    result = cells_of(render_html(rep).encode(), "text/html")
    assert_exact(result, rep.truth)
    assert result.format_version == fmt
    assert result.rendering == "grid"


@pytest.mark.parametrize("fmt", ["v2021", "v2008_local"])
def test_docx(fmt):
    rep = make(fmt)
    docx = render_docx(rep)
    result = cells_of(docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert_exact(result, rep.truth)


@pytest.mark.parametrize("fmt", ["v2019", "v2014_national"])
def test_pdf(fmt):
    rep = make(fmt)
    result = cells_of(render_pdf(rep), "application/pdf")
    assert_exact(result, rep.truth)
    assert result.format_version == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_concatenated_cells_never_guess(fmt):
    """Digit runs are split only when one cut fits; nothing emitted is wrong."""
    rep = make(fmt)
    result = cells_of(render_text(rep, "concatenated_cells").encode(), "text/plain")
    got = emitted(result)
    assert all(abs(got[k] - rep.truth[k]) < 1e-9 for k in got if k in rep.truth)
    assert not set(got) - set(rep.truth)
    amb = [o for o in result.observations if o.null_reason == "ambiguous"]
    assert amb or len(got) >= 0.9 * len(rep.truth)


def test_concatenated_zeros_split_by_leading_zero_rule():
    text = ("二、主动公开政府信息情况\n信息内容本年新制作数量本年新公开数量对外公开总数量\n规章000\n规范性文件000\n"
            "第二十条(五)项\n信息内容上一年项目数量本年增/减处理决定数量\n行政许可000\n"
            "三、收到和处理政府信息公开申请情况\n申请人情况\n一、本年新收政府信息公开申请数量587001066\n")
    result = cells_of(text.encode(), "text/plain")
    got = emitted(result)
    assert got["s2_rules_new_made"] == 0 and got["s2_license_decisions"] == 0
    # 58 7 0 0 1 0 66 is the only cut whose six applicant cells add up to the total
    assert got["sec3.req_new_received@natural_person"] == 58
    assert got["sec3.req_new_received@org_legal_service"] == 1
    assert got["sec3.req_new_received@total"] == 66


def test_ambiguous_digit_run_is_flagged_not_emitted():
    text = "第二十条第（一）项\n信息内容本年新制作数量本年新公开数量对外公开总数量\n规章1234\n"
    result = cells_of(text.encode(), "text/plain")
    assert not {k for k in emitted(result) if k.startswith("s2_rules")}
    amb = [o for o in result.observations if o.indicator_code == "s2_rules_new_made"]
    assert amb and amb[0].value is None and amb[0].null_reason == "ambiguous"


def _grid(rows: list[list[str]]) -> ReadDocument:
    return ReadDocument(kind="html", text="", tables=[Table(rows=rows, index=0, source="html")])


def test_null_marks_are_not_zero_and_signs_and_units_are_kept():
    rows = [["第二十条第（一）项"] * 4, ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "", "—", "/"], ["规范性文件", "无", "3", "12"],
            ["第二十条第（五）项"] * 4, ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "21", "减4", "40"], ["其他对外管理服务事项", "2", "+2", "114"],
            ["第二十条第（九）项"] * 4, ["信息内容", "采购项目数量", "采购总金额", "采购总金额"],
            ["政府集中采购", "1", "73802895.90元", "73802895.90元"]]
    result = extract_cells(_grid(rows), ReportMeta())
    by = {o.indicator_code: o for o in result.observations if o.indicator_code}
    assert by["s2_rules_new_made"].value is None and by["s2_rules_new_made"].null_reason == "blank"
    assert by["s2_rules_new_published"].null_reason == "dash"
    assert by["s2_rules_total_published"].null_reason == "slash"
    assert by["s2_normdocs_new_made"].null_reason == "none_word"
    assert by["s2_license_items_change"].value == -4
    assert by["s2_other_services_items_change"].value == 2
    amount = by["s2_procurement_amount"]
    assert amount.value == 73802895.9 and amount.unit == "元" and amount.value_normalised == 73802895.9
    assert result.format_version == "v2019"


def test_money_in_wan_yuan_is_normalised():
    rows = [["第二十条第（八）项"] * 2, ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", "20.3"]]
    result = extract_cells(_grid(rows), ReportMeta())
    fee = next(o for o in result.observations if o.indicator_code == "s2_fees_amount")
    assert fee.value == 20.3 and fee.unit == "万元" and fee.value_normalised == 203000
    assert result.format_version == "v2021"


def test_unmapped_labels_are_kept_without_code():
    text = ("政府信息公开情况统计表\n指标名称 计量单位 2012年度 历年累计\n主动公开信息数 条 739 4359\n"
            "某项地方自设指标 条 5 9\n")
    result = cells_of(text.encode(), "text/plain")
    unmapped = [o for o in result.observations if o.indicator_code is None]
    assert unmapped and unmapped[0].raw_row_label == "某项地方自设指标" and unmapped[0].value == 5
    assert emitted(result) == {"pro_items_total": 739}


def test_cumulative_columns_are_never_the_value():
    text = "指标名称 计量单位 历年累计 2013年度\n主动公开信息数 条 5395 1853\n"
    result = cells_of(text.encode(), "text/plain")
    assert emitted(result) == {"pro_items_total": 1853}
    cum = [o for o in result.observations if o.value_column_kind == "cumulative"]
    assert cum and cum[0].value == 5395 and cum[0].dimension == "cumulative"


def test_period_and_year_to_date_columns_are_compared():
    rows = [["指标名称", "计量单位", "代码", "本期实际", "本年累计"],
            ["主动公开信息数", "条", "01", "120", "120"], ["申请总数", "条", "10", "7", "9"]]
    result = extract_cells(_grid(rows), ReportMeta())
    assert emitted(result) == {"pro_items_total": 120}     # 7 vs 9: the year's figure is not certain
    assert any(f.startswith("annual_vs_ytd@req_received") for f in result.flags)


def test_per_tier_columns_are_a_dimension():
    rows = [["统计指标", "单位", "区政府统计数", "区直单位统计数", "乡镇街道统计数"],
            ["主动公开政府信息数", "条", "100", "2000", "300"]]
    result = extract_cells(_grid(rows), ReportMeta())
    tiers = {o.dimension: o.value for o in result.observations if o.indicator_code == "pro_items_total"}
    assert tiers == {"区政府统计数": 100, "区直单位统计数": 2000, "乡镇街道统计数": 300}
    assert emitted(result) == {}


def test_short_row_is_ambiguous_unless_the_capture_ends():
    head = ("三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\n法人或其他组织\n总计\n商业企业\n科研机构\n"
            "社会公益组织\n法律服务机构\n其他\n")
    middle = head + "一、本年新收政府信息公开申请数量\n\n12\n\n12\n\n二、上年结转政府信息公开申请数量\n\n0\n0\n0\n0\n0\n0\n0\n"
    result = cells_of(middle.encode(), "text/plain")
    got = emitted(result)
    assert not any(k.startswith("sec3.req_new_received") for k in got)
    assert got["sec3.req_carried_over@total"] == 0
    cut = head + "一、本年新收政府信息公开申请数量\n58\n7\n0\n0\n"
    got = emitted(cells_of(cut.encode(), "text/plain"))
    assert got == {"sec3.req_new_received@natural_person": 58, "sec3.req_new_received@org_commercial": 7,
                   "sec3.req_new_received@org_research": 0, "sec3.req_new_received@org_public_welfare": 0}


def test_pipe_rows_keep_blank_cells_in_place():
    text = ("三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
            "自然人 | 法人或其他组织 | 总计 |\n商业 | 科研 | 社会公益组织 | 法律服务机构 | 其他 |\n企业 | 机构 |\n"
            "一、本年新收政府信息公开申请数量 | 0 | | | | | | 0 |\n"
            "三、本年度办理结果 | (一)予以公开 | | | | | | | 0 |\n")
    got = emitted(cells_of(text.encode(), "text/plain"))
    assert got == {"sec3.req_new_received@natural_person": 0, "sec3.req_new_received@total": 0,
                   "sec3.res_granted@total": 0}


def test_format_follows_the_headers_not_the_year():
    # 2021 columns in a 2020 report; a hybrid with 2019 columns in 第（一）项 is still v2021
    rows = [["第二十条第（一）项"] * 4, ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规范性文件", "1", "2", "3"], ["第二十条第（五）项"] * 2, ["信息内容", "本年处理决定数量"], ["行政许可", "5"]]
    result = extract_cells(_grid(rows), ReportMeta(report_year=2020))
    assert result.format_version == "v2021"
    assert emitted(result) == {"s2_normdocs_new_made": 1, "s2_normdocs_new_published": 2,
                               "s2_normdocs_total_published": 3, "s2_license_decisions": 5}


def test_hubei_parentheticals_cut_headers_traditional_and_pinyin():
    text = ("第二十條第(一)項 | | | |\n信息內容 | 本年新 | 本年新 | 對外公開總數量 |\n"
            "規(guī)範性文件(行政機關制定發布的決定、公告) | 87 | 0 | 0 |\n"
            "第二十条第(五)项 | | |\n信息内容 | 上一年项目数量 (指2019年事项数) | 本年增/ | 处理决定数量 (指2020年办 件量) |\n"
            "行政许可 | 3 | -1 | 9 |\n")
    got = emitted(cells_of(text.encode(), "text/plain"))
    assert got == {"s2_normdocs_new_made": 87, "s2_normdocs_new_published": 0, "s2_normdocs_total_published": 0,
                   "s2_license_items_prev": 3, "s2_license_items_change": -1, "s2_license_decisions": 9}


def test_misaligned_grid_header_falls_back_to_position_only_with_every_cell():
    rows = [["", "", "", "自然人", "法人或其他组织", "总计"],
            ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
            ["一、本年新收政府信息公开申请数量", "", "", "5", "1", "0", "0", "0", "0", "6"],
            ["二、上年结转政府信息公开申请数量", "", "", "1", "0", "0", "0", "0", "1"]]
    result = extract_cells(_grid(rows), ReportMeta(report_year=2021))
    got = emitted(result)
    assert got["sec3.req_new_received@natural_person"] == 5 and got["sec3.req_new_received@total"] == 6
    assert not any(k.startswith("sec3.req_carried_over") for k in got)


def test_no_table_gives_no_format():
    result = cells_of("2020年，我局主动公开政府信息52条，未收到政府信息公开申请。".encode(), "text/plain")
    assert result.format_version is None and not emitted(result)


def test_table_missing_from_the_grids_is_read_from_the_text():
    rep = make_national("v2021", seed=7)
    page = render_html(rep)
    start = page.index("<p>四、")
    end = page.index("</table>", start) + len("</table>")
    sec4 = rep.tables[2][1][-1][1]
    cells = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉",
             *["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2, *sec4]
    page = page[:start] + "<p>四、政府信息公开行政复议、行政诉讼情况</p>" + "".join(f"<p>{c}</p>" for c in cells) + page[end:]
    result = cells_of(page.encode(), "text/html")
    assert_exact(result, rep.truth)
    assert any(f.startswith("tables_from_text") for f in result.flags)


def test_empty_cells_kept_as_extra_lines_are_not_read_by_position():
    head = ("三、收到和处理政府信息公开申请情况\n\n申请人情况\n\n自然人\n\n法人或其他组织\n\n总计\n\n商业企业\n\n科研机构\n\n"
            "社会公益组织\n\n法律服务机构\n\n其他\n\n一、本年新收政府信息公开申请数量\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n")
    cut = head + "二、上年结转政府信息公开申请数量\n\n\n\n\n\n2\n\n"
    got = emitted(cells_of(cut.encode(), "text/plain"))
    assert got["sec3.req_new_received@total"] == 0
    assert not any(k.startswith("sec3.req_carried_over") for k in got)


def test_old_layout_report_citing_article_20_is_still_old():
    text = ("根据《条例》第二十条规定，现将2019年度报告如下。\n政府信息公开情况统计表\n指标名称 计量单位 2019年度 历年累计\n"
            "主动公开信息数 条 88 900\n行政复议数 件 0 2\n")
    result = cells_of(text.encode(), "text/plain")
    assert emitted(result) == {"pro_items_total": 88, "rev_total_old": 0}
    assert result.format_version == "v2008_local"


def test_a_heading_without_mapped_rows_is_not_a_table():
    text = "六、政府信息公开情况统计表\n访问量\n15\n（见附件）\n"
    result = cells_of(text.encode(), "text/plain")
    assert result.format_version is None and not emitted(result)


def test_cut_grid_headers_are_read_by_the_layout():
    rows = [["第二十条第（一）项"] * 4, ["信息内容", "本年新", "本年新", "对外公开总数量"], ["规范性文件", "4", "3", "30"]]
    got = emitted(extract_cells(_grid(rows), ReportMeta()))
    assert got == {"s2_normdocs_new_made": 4, "s2_normdocs_new_published": 3, "s2_normdocs_total_published": 30}


def test_a_row_that_lost_a_cell_is_not_read_by_column():
    rows = [["第二十条第（一）项"] * 4, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "0", "0", "0"], ["行政规范性文件", "69", "665"]]
    result = extract_cells(_grid(rows), ReportMeta())
    got = emitted(result)
    assert got == {"s2_rules_issued": 0, "s2_rules_repealed": 0, "s2_rules_in_force": 0}
    assert any(o.null_reason == "ambiguous" and o.indicator_code == "s2_normdocs_issued" for o in result.observations)


def test_old_table_with_two_years_takes_the_report_year():
    rows = [["指标名称", "计量单位", "2011年度", "2012年度", "同比增减"], ["主动公开信息数", "条", "700", "739", "39"]]
    grid = _grid(rows)
    got = emitted(extract_cells(grid, ReportMeta(report_year=2012)))
    assert got == {"pro_items_total": 739}
    unknown = extract_cells(grid, ReportMeta())
    assert emitted(unknown) == {}
    assert any(o.null_reason == "ambiguous" for o in unknown.observations)


def test_year_to_date_alone_is_the_annual_value():
    text = "指标名称 计量单位 本年累计\n主动公开信息数 条 88\n申请总数 条 3\n"
    result = cells_of(text.encode(), "text/plain")
    assert emitted(result) == {"pro_items_total": 88, "req_received": 3}
    assert any(f.startswith("ytd_as_annual") for f in result.flags)


def test_section4_data_row_with_a_label_cell():
    rows = [["", "行政复议", "行政复议", "行政复议", "行政复议", "行政复议", *["行政诉讼"] * 10],
            ["", *RESULTS_ROW_1],
            ["", *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3)],
            ["数量", "1", "0", "2", "0", "3", "12", "0", "0", "0", "12", "0", "0", "0", "0", "0"]]
    got = emitted(extract_cells(_grid(rows), ReportMeta(report_year=2021)))
    assert got["sec4.review@other"] == 2 and got["sec4.lit_direct@total"] == 12
    assert len(got) == 15


RESULTS_ROW_1 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", *["未经复议直接起诉"] * 5, *["复议后起诉"] * 5]


def test_section4_flattened_on_one_line():
    text = ("三、收到和处理政府信息公开申请情况\n申请人情况\n"
            "行政复议行政诉讼 | 119 | 25 | 91 | 24 | 259 | 3 | 1 | 0 | 0 | 4 | 2 | 0 | 0 | 1 | 3 |\n")
    got = emitted(cells_of(text.encode(), "text/plain"))
    assert got["sec4.review@total"] == 259 and got["sec4.lit_after_review@pending"] == 1 and len(got) == 15


def test_long_digit_runs_are_not_searched_forever():
    import time

    from transforms.tables.splits import group_total_check, split_runs

    start = time.perf_counter()
    assert split_runs(["1234567890" * 4], 15, group_total_check) == []
    assert time.perf_counter() - start < 1


def test_procurement_amount_without_a_printed_unit_has_no_unit():
    rows = [["第二十条第（九）项"] * 3, ["信息内容", "采购项目数量", "采购总金额"], ["政府集中采购", "1", "8040"]]
    amount = next(o for o in extract_cells(_grid(rows), ReportMeta()).observations
                  if o.indicator_code == "s2_procurement_amount")
    assert amount.value == 8040 and amount.unit is None and amount.value_normalised is None
    assert "unit_not_printed" in amount.flags


def test_run_together_header_and_glued_rows_never_pick_a_layout_by_count():
    text = ("第二十条第（六）项\n信息内容上一年项目数量本年增/减处理决定数量\n行政处罚2648-18538\n行政强制1262629\n"
            "第二十条第（五）项\n信息内容\n行政许可1262629\n")
    result = cells_of(text.encode(), "text/plain")
    got = emitted(result)
    assert "s2_coercion_decisions" not in got and "s2_license_decisions" not in got
    assert sum(1 for o in result.observations if o.null_reason == "ambiguous") >= 2


@pytest.mark.parametrize("style", [*TEXT_STYLES, "concatenated_cells"])
def test_rendering_is_recorded(style):
    rep = make("v2021")
    result = cells_of(render_text(rep, style).encode(), "text/plain")
    expected = {"concatenated_cells": "concatenated_cells", "space_separated": "space_separated",
                "pipe_rows": "pipe_rows", "lone_pipe_lines": "lone_pipe_lines",
                "one_cell_per_line": "one_cell_per_line", "blank_line_separated": "blank_line_separated"}
    assert result.rendering == expected[style]
