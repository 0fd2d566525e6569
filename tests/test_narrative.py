"""Headline figures from prose: exact figures read, approximate ones, rates and breakdowns not."""

from __future__ import annotations

import pytest

from transforms.dictionary import load_default
from transforms.model import Observation, ReportMeta
from transforms.narrative import (
    AMBIGUOUS_FLAG,
    CONFLICT_FLAG,
    extract_narrative,
    load_patterns,
    narrative_conflicts,
    report_era,
)

OLD = ReportMeta(report_year=2013)
NEW = ReportMeta(report_year=2021, format_version="v2021")


def values(text: str, meta: ReportMeta) -> dict[str, float | None]:
    return {o.indicator_code: o.value for o in extract_narrative(text, meta)}


def test_patterns_load_and_name_dictionary_codes():
    pset = load_patterns()
    codes = set(load_default().indicators)
    assert pset.patterns
    assert {p.code for p in pset.patterns} <= codes
    assert {p.era for p in pset.patterns} <= {"old", "new", "any"}


def test_era_from_format_then_year():
    assert report_era(ReportMeta(report_year=2020, format_version="v2008_local")) == "old"
    assert report_era(ReportMeta(report_year=2015, format_version="v2019")) == "new"
    assert report_era(ReportMeta(report_year=2019)) == "new"
    assert report_era(ReportMeta(report_year=2018, format_version="narrative_only")) == "old"
    assert report_era(ReportMeta()) is None


@pytest.mark.parametrize("sentence, code, value", [
    ("全年共主动公开政府信息1,234条。", "pro_items_total", 1234),
    ("2015年本机关新增主动公开政府信息86条，其中政策文件12条。", "pro_items_total", 86),
    ("2010年主动公开各类信息共计三百二十条。", "pro_items_total", 320),
    ("本年度共受理政府信息公开申请15件。", "req_received", 15),
    ("全年未收到公民、法人或其他组织提出的政府信息公开申请。", "req_received", 0),
    ("本年度因政府信息公开申请行政复议2件。", "rev_total_old", 2),
    ("全年没有发生因政府信息公开申请提起的行政复议和行政诉讼。", "lit_total_old", 0),
    ("从事政府信息公开工作的人员共5人，其中专职2人。", "staff_total", 5),
    ("信息公开工作配备了两名兼职工作人员。", "staff_part_time", 2),
    ("本单位没有专职人员从事信息公开工作，兼职人员3名。", "staff_part_time", 3),
    ("其中现场咨询120人次，电话咨询300人次。", "consult_phone", 300),
    ("全年共接待群众咨询420人次。", "consult_total", 420),
    ("办公室现有政府信息公开工作人员4名。", "staff_total", 4),
])
def test_old_era_sentences(sentence, code, value):
    assert values(sentence, OLD).get(code) == value


@pytest.mark.parametrize("sentence, code, value", [
    ("2021年，本机关新收政府信息公开申请42件，上年结转3件。", "sec3.req_new_received@total", 42),
    ("2021年，本机关新收政府信息公开申请42件，上年结转3件。", "sec3.req_carried_over@total", 3),
    ("全年共办结政府信息公开申请40件，其中予以公开12件，结转下年度继续办理5件。", "sec3.res_total@total", 40),
    ("全年共办结政府信息公开申请40件，其中予以公开12件，结转下年度继续办理5件。", "sec3.res_granted@total", 12),
    ("全年共办结政府信息公开申请40件，其中予以公开12件，结转下年度继续办理5件。",
     "sec3.req_carried_forward@total", 5),
    ("本年度共收到31件申请，已全部办结，2件结转下年度办理。", "sec3.req_new_received@total", 31),
    ("本年度共收到31件申请，已全部办结，2件结转下年度办理。", "sec3.req_carried_forward@total", 2),
    ("本年度因政府信息公开被申请行政复议4件，均维持原行政行为。", "sec4.review@total", 4),
    ("本年度未发生因政府信息公开引起的行政复议、行政诉讼。", "sec4.review@total", 0),
    ("2022年，全年共公开政府信息2,345条。", "pro_items_total", 2345),
    ("本年度未收到政府信息公开申请。", "sec3.req_new_received@total", 0),
    ("依申请公开方面，上年结转2件，本年新收15件。", "sec3.req_new_received@total", 15),
    ("本年度收到公民、法人或其他组织提交政府信息公开申请0条。", "sec3.req_new_received@total", 0),
    ("一年来主动公开信息共有40条，未收到依申请公开信息。", "sec3.req_new_received@total", 0),
])
def test_new_era_sentences(sentence, code, value):
    assert values(sentence, NEW).get(code) == value


def test_staff_and_consultations_only_for_reports_without_a_table():
    sentence = "政府信息公开兼职人员1人，现场咨询30人次。全年主动公开政府信息12条。"
    assert values(sentence, OLD) == {"staff_part_time": 1, "consult_on_site": 30, "pro_items_total": 12}
    with_table = ReportMeta(report_year=2013, format_version="v2008_local")
    assert values(sentence, with_table) == {"pro_items_total": 12}


def test_era_decides_the_code():
    sentence = "本年度共收到政府信息公开申请8件。"
    assert values(sentence, OLD) == {"req_received": 8}
    assert values(sentence, NEW) == {"sec3.req_new_received@total": 8}
    # Year and format unknown: only era-independent patterns run.
    assert values(sentence + "主动公开政府信息20条。", ReportMeta()) == {"pro_items_total": 20}


@pytest.mark.parametrize("sentence", [
    "全年主动公开政府信息约3000条。",           # 约
    "全年主动公开政府信息3000余条。",           # 余
    "全年主动公开政府信息3000多条。",           # 多
    "全年主动公开政府信息1.2万条。",            # 万
    "全年主动公开政府信息近千条。",             # 近
    "全年主动公开政府信息超过500条。",          # 超过
    "全年主动公开政府信息500条以上。",          # 以上
    "政府信息公开率达到98%。",                 # rate
    "其中，通过门户网站主动公开政府信息800条。",  # breakdown after 其中
    "在互联网上，县政府公开办主动公开信息数为121条。",  # one channel
    "各乡镇主动公开政府信息534条，占27%。",      # one group of units, a share
    "自2008年以来累计主动公开政府信息12000条。",  # cumulative since an earlier year
    "受理行政审批事项117件，办结171件，办结率100%。",  # administrative approvals, not OGI requests
    "咨询约4900人次。",
    "解答群众咨询达3000多人次。",
    "办理行政复议案件120件。",                  # not about information disclosure
    "自2008年以来全年共公开政府信息12000条。",
    "全年依申请公开政府信息30条。",
])
def test_approximate_rates_breakdowns_and_other_topics_are_not_read(sentence):
    assert values(sentence, OLD) == {}
    assert values(sentence, NEW) == {}


def test_observation_provenance_and_offsets():
    text = "一、概述\n本单位认真落实条例。\n\n二、主动公开情况\n2013年新增主动公开政府信息45条。其中文件10条。"
    (obs,) = extract_narrative(text, OLD)
    assert (obs.indicator_code, obs.value, obs.unit) == ("pro_items_total", 45, "条")
    assert obs.source == "narrative" and obs.table == "narrative"
    assert text[obs.char_offset:].startswith("45条")
    assert obs.raw_text == "2013年新增主动公开政府信息45条"


def test_wrapped_pdf_lines_are_joined_but_table_cells_are_not():
    wrapped = "区管委会办公室、各乡镇对政府信息进行了梳理和编目，2016年全区主动公开政府\n信息3460条。"
    assert values(wrapped, OLD) == {"pro_items_total": 3460}
    cells = "主动公开政府信息数\n条\n739\n2876\n"
    assert values(cells, OLD) == {}
    assert values("主动公开信息数 739 2876 条", OLD) == {}       # two columns, unit last
    assert values("主动公开政府信息 739 条。", OLD) == {"pro_items_total": 739}


def test_traditional_script_is_read_with_offsets_kept():
    text = "本年度報告。二、主動公開政府信息情況\n全年主動公開政府信息一千零五條。"
    (obs,) = extract_narrative(text, OLD)
    assert (obs.indicator_code, obs.value) == ("pro_items_total", 1005)
    assert text[obs.char_offset:].startswith("一千零五條")


def test_pinyin_inserted_by_mirror_sites_is_skipped():
    text = "全年主(zhu)动公(gong)(gong)开政府信息(xi)56条。"
    (obs,) = extract_narrative(text, OLD)
    assert obs.value == 56 and text[obs.char_offset:].startswith("56条")


def test_full_width_digits():
    assert values("全年主动公开政府信息１２３条。", OLD) == {"pro_items_total": 123}


def test_a_code_stated_with_two_values_is_ambiguous():
    text = "全年主动公开政府信息300条。本局主动公开政府信息280条。"
    obs = extract_narrative(text, OLD)
    assert [o.value for o in obs] == [None, None]
    assert all(o.null_reason == "ambiguous" and AMBIGUOUS_FLAG in o.flags for o in obs)
    # The same value stated twice is one observation.
    assert len(extract_narrative("主动公开政府信息300条。即主动公开政府信息300条。", OLD)) == 1


def test_narrative_conflicts_flag_both_and_keep_values():
    narrative = extract_narrative("本年度共受理政府信息公开申请2件。", NEW)
    table = Observation("sec3.req_new_received@total", 3.0, table="sec3")
    same = Observation("pro_items_total", 10.0, table="old")
    agree = Observation("pro_items_total", 10.0, table="narrative", source="narrative")
    flags = narrative_conflicts([table, same, *narrative, agree])
    assert len(flags) == 1 and flags[0].startswith(f"{CONFLICT_FLAG}@sec3.req_new_received@total:")
    assert "2" in flags[0] and "3" in flags[0]
    assert CONFLICT_FLAG in table.flags and CONFLICT_FLAG in narrative[0].flags
    assert table.value == 3 and narrative[0].value == 2
    assert not same.flags and not agree.flags


def test_a_blank_table_cell_conflicts_with_a_nonzero_narrative_value():
    narrative = extract_narrative("本年度因政府信息公开被申请行政复议2件。", NEW)
    blank = Observation("sec4.review@total", None, table="sec4", null_reason="blank")
    flags = narrative_conflicts([blank, *narrative])
    assert len(flags) == 1 and "blank" in flags[0]
    zero = extract_narrative("本年度未发生因政府信息公开引起的行政复议。", NEW)
    assert narrative_conflicts([blank, *zero]) == []


def test_odd_input_never_raises():
    for text in ("", "\n\n\n", "|||", "。" * 50, "主动公开政府信息" + "9" * 400 + "条",
                 "".join(chr(c) for c in range(0x20, 0x3000, 7)), "申请\x00件\ufffd"):
        for meta in (OLD, NEW, ReportMeta()):
            assert all(o.value is None or o.value < 1e10 for o in extract_narrative(text, meta))
