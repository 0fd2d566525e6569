"""transforms.identify: report classification and metadata from titles and text."""

from __future__ import annotations

import json
import re

import pytest

from transforms.identify import agency_level, classify, identify, resolve_region
from transforms.model import ReadDocument, SourceDocument

BODY = ("根据《中华人民共和国政府信息公开条例》要求编制本报告。本报告中所列数据的统计期限为{y}年1月1日至{y}年12月31日。\n"
        "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
        "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n")


def _meta(title: str = "", text: str = "", meta: dict | None = None, url: str = ""):
    read = ReadDocument(kind="text", text=text, meta=meta or {})
    return identify(read, SourceDocument(content=text.encode(), title=title, url=url))


@pytest.mark.parametrize("title, agency, year", [
    ("平潭综合实验区2020年度政府信息公开工作年度报告", "平潭综合实验区", 2020),
    ("2021年石家庄市教育局政府信息公开工作年度报告", "石家庄市教育局", 2021),
    ("天津市审计局2020年度政府信息公开工作报告", "天津市审计局", 2020),
    ("平潭综合实验区地方税务局2013年信息公开年度报告", "平潭综合实验区地方税务局", 2013),
    ("2009年上海市長寧區政府信息公開年報", "上海市長寧區", 2009),
    ("清镇市2013年政府信息公开年度报告", "清镇市", 2013),
    ("2020年某县某镇人民政府信息公开工作年度报告", "某县某镇人民政府", 2020),
    ("某局政府信息公开工作年度报告（2021年度）", "某局", 2021),
    ("关于公布某某县人民政府2019年政府信息公开工作年度报告", "某某县人民政府", 2019),
    ("某某街道办事处2022年度政务公开工作年度报告_某某区人民政府网", "某某街道办事处", 2022),
])
def test_title_gives_agency_and_year(title, agency, year):
    m = _meta(title, BODY.format(y=year))
    assert m.is_annual_report and m.doc_kind == "annual_report"
    assert m.agency_name == agency
    assert m.report_year == year


@pytest.mark.parametrize("title, kind", [
    ("某市2020年政务公开工作要点落实情况", "lookalike:work_points_implementation"),
    ("某市2021年政务公开工作要点", "lookalike:work_points"),
    ("某区2020年政府信息公开统计数据", "lookalike:statistics"),
    ("某某有限公司2020年度报告", "lookalike:enterprise_report"),
    ("某县2021年政务公开年度工作计划", "lookalike:work_plan"),
    ("关于做好2020年政府信息公开工作年度报告编制发布工作的通知", "lookalike:notice"),
    ("某市政府信息公开指南", "lookalike:guide"),
    ("图解：某区2020年政府信息公开工作年度报告", "lookalike:interpretation"),
    ("某市2020年公共企事业单位信息公开年度报告", "lookalike:public_enterprise_report"),
    ("某市人民政府网站2020年工作年度报表", "lookalike:website_report"),
    ("某县2020年法治政府建设年度报告", "lookalike:rule_of_law_report"),
])
def test_lookalike_titles_are_not_reports(title, kind):
    m = _meta(title, "根据《中华人民共和国政府信息公开条例》……主动公开政府信息情况……")
    assert not m.is_annual_report
    assert m.doc_kind == kind


def test_untitled_lookalike_text():
    text = ("首页 > 政务公开 > 年报\n某区2020年政务公开工作要点落实情况\n"
            "根据《中华人民共和国政府信息公开条例》，现将有关情况报告如下：\n一、总体情况\n二、主动公开政府信息情况\n")
    m = _meta("", text)
    assert not m.is_annual_report and m.doc_kind == "lookalike:work_points_implementation"
    m = _meta("", "区政府办公室：\n现将我局2020年政务公开工作要点落实情况报告如下。\n一、总体情况\n" + BODY.format(y=2020))
    assert not m.is_annual_report


def test_report_issued_with_a_notice_title():
    m = _meta("某县人民政府办公室关于印发某县2020年政府信息公开工作年度报告的通知", BODY.format(y=2020))
    assert m.is_annual_report and m.agency_name == "某县" and m.report_year == 2020


def test_report_title_mentioning_work_points_is_still_a_report():
    ok, kind = classify(["2018年武汉市政府信息公开工作年度报告"], "全文包括：2018年政府信息公开工作要点落实情况……")
    assert ok and kind == "annual_report"


def test_untitled_text_is_recognised_from_its_sections():
    m = _meta("", "一、总体情况\n2020年，我局认真落实条例。\n" + BODY.format(y=2020))
    assert m.is_annual_report
    assert m.report_year == 2020
    assert m.agency_level == "department"  # "我局"


def test_unrelated_text_is_unknown():
    m = _meta("", "今天天气很好，我们去公园散步。" * 20)
    assert not m.is_annual_report and m.doc_kind == "unknown"


@pytest.mark.parametrize("text, agency", [
    ("本报告由南平市人民政府信息公开工作领导小组办公室根据《条例》要求编制而成。", "南平市人民政府"),
    ("根据《条例》要求，特编制湛江市人民政府地方志办公室2023年政府信息公开工作年度报告。", "湛江市人民政府地方志办公室"),
    ("现公布平阳县水头镇2008年政府信息公开工作年度报告。", "平阳县水头镇"),
    ("本报告是根据《条例》要求，由两城镇人民政府党政办公室编制。", "两城镇人民政府"),
    ("如对本报告有任何疑问，请联系桃江县审计局办公室。", "桃江县审计局"),
    ("本年度报告由合江县人民政府办公室根据《条例》要求编制。", "合江县人民政府"),
    ("乌海市工业和信息化局\n政府信息公开工作年度报告\n为切实做好政府信息公开工作……", "乌海市工业和信息化局"),
    ("2023年，山东省人民政府办公厅以习近平新时代中国特色社会主义思想为指导，深入贯彻……", "山东省人民政府办公厅"),
])
def test_agency_from_text_when_title_is_missing(text, agency):
    m = _meta("", text + "\n" + BODY.format(y=2020))
    assert m.agency_name == agency


def test_year_is_statistics_year_not_publish_year():
    text = "本年报所列数据统计期限为2020年1月1日至2020年12月31日。\n" + BODY.format(y=2020) + "\n某镇人民政府\n2021年1月20日"
    m = _meta("", text)
    assert m.report_year == 2020
    assert m.publish_date == "2021-01-20"


def test_year_from_chinese_numerals_and_missing_year():
    assert _meta("某县二〇一九年政府信息公开工作年度报告", "……").report_year == 2019
    assert _meta("", "一、总体情况\n本年度我局认真落实条例。\n二、主动公开政府信息情况\n").report_year is None


def test_publish_date_from_page_meta_and_ids():
    m = _meta("某县2020年政府信息公开工作年度报告", BODY.format(y=2020) + "\n索引号：014416330/2021-00012",
              meta={"PubDate": "2021-03-05 08:58", "SiteIDCode": "3590000001"})
    assert m.publish_date == "2021-03-05"
    assert m.site_id_code == "3590000001"
    assert m.index_number == "014416330/2021-00012"


@pytest.mark.parametrize("name, level", [
    ("上海市人民政府", "province"), ("广东省信访局", "department"), ("南平市人民政府", "prefecture"),
    ("清镇市人民政府", "county"), ("平潭县人民政府", "county"), ("上海市长宁区人民政府", "county"),
    ("平潭综合实验区", "prefecture"), ("湖口县大垅乡人民政府", "township"),
    ("广州市荔湾区人民政府南源街道办事处", "township"), ("孝感市人民政府办公室", "department"),
    ("石家庄市教育局", "department"), ("亳州市谯城区政务服务中心", "department"), ("宁夏回族自治区", "province"),
    ("凉山彝族自治州", "prefecture"), ("国家统计局", "central_dept"), ("教育部", "central_dept"),
    ("审计署", "central_dept"), ("县委宣传部", "department"),
])
def test_agency_level(name, level):
    assert agency_level(name) == level


def test_region_codes_resolved_and_ambiguity_settled_by_context():
    assert resolve_region("广州市荔湾区")[0].code == "440103"
    assert resolve_region("清镇市")[0].code == "520181"
    assert resolve_region("上海市")[0].level == "province"
    assert resolve_region("朝阳区")[0] is None                      # Beijing and Changchun
    assert resolve_region("朝阳区", "北京市朝阳区人民政府")[0].code == "110105"
    m = _meta("西安市高陵区行政审批服务局2021年政府信息公开工作年度报告", BODY.format(y=2021))
    assert (m.region_code, m.region_name) == ("610117", "高陵区")


def test_report_scope():
    agg = _meta("某市2012年政府信息公开工作年度报告",
                "本报告由市政府办公室综合各县（市、区）政府和市政府各部门的年度报告编制而成。" + BODY.format(y=2012))
    assert agg.report_scope == "region_aggregate"
    own = _meta("某局2012年政府信息公开工作年度报告", BODY.format(y=2012))
    assert own.report_scope == "agency_only"


def test_format_guess_from_text():
    assert _meta("某局2021年政府信息公开工作年度报告", BODY.format(y=2021) + "规章 | 本年制发件数 |").format_version == "v2021"
    assert _meta("某局2020年政府信息公开工作年度报告", BODY.format(y=2020) + "本年新制作数量").format_version == "v2019"
    assert _meta("某局2012年政府信息公开工作年度报告", "指标名称 计量单位 2012年度 历年累计").format_version == "v2008_local"
    assert _meta("某局2012年政府信息公开工作年度报告", "全年主动公开信息100条。").format_version == "narrative_only"


@pytest.mark.corpus
def test_corpus_metadata_accuracy(corpus_dir):
    """read + identify alone reach the metadata target on the real corpus (format: text guess)."""
    from transforms.evaluate import evaluate, identify_only, summarise

    summary = summarise(evaluate(corpus_dir, identify_only))
    assert summary["metadata_correct"] / summary["metadata_total"] >= 0.98, summary["metadata_checks"]


@pytest.mark.corpus
def test_corpus_levels_match_truth(corpus_dir):
    from transforms.readers import read

    right = total = 0
    for case in sorted((corpus_dir / "cases").iterdir()):
        truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))["report"]
        if not truth.get("level") or not truth.get("agency"):
            continue
        meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
        doc_file = next(case.glob("document.*"))
        doc = SourceDocument(content=doc_file.read_bytes(), title=meta.get("title", ""),
                             content_type="text/plain" if doc_file.suffix == ".txt" else "")
        m = identify(read(doc), doc)
        total += 1
        right += m.agency_level == truth["level"]
    assert total and right / total >= 0.95


def test_whitespace_in_names_is_ignored_by_scoring_not_by_identify():
    m = _meta("某 某 县2020年政府信息公开工作年度报告", BODY.format(y=2020))
    assert re.sub(r"\s", "", m.agency_name or "") == "某某县"
