"""Old (2008–2018) narrative-only reports: headline figures from prose, generated here.

The sentences follow the phrasings FORMATS.md §1.7 names ("全年共受理依申请公开XX件，其中…");
exact figures are read, approximate ones (约/余/多), cumulative ones (累计/以来) and those of
one group of units (各乡镇) are left out.
"""

from __future__ import annotations

import pytest

from transforms.extract import extract
from transforms.model import ReportMeta, SourceDocument
from transforms.narrative import extract_narrative

OLD_META = ReportMeta(report_year=2011, format_version="narrative_only")

EXACT = [
    ("2011年，全年共受理依申请公开15件，均已按时答复。", {"req_received": 15}),
    ("全年共受理依申请公开政府信息申请23件。", {"req_received": 23}),
    ("全年共受理依申请公开信息申请3件，其中当面申请2件。", {"req_received": 3}),
    ("全年共受理依申请公开信息15件。", {"req_received": 15}),
    ("全年共收到信息公开申请5件。", {"req_received": 5}),
    ("受理政府信息公开申请五件。", {"req_received": 5}),
    ("2011年度我局没有收到政府信息公开申请。", {"req_received": 0}),
    ("全年共主动公开政府信息1234条。", {"pro_items_total": 1234}),
    ("共主动公开政府信息2,345条。", {"pro_items_total": 2345}),
    ("全年发生政府信息公开行政复议2件、行政诉讼1件。", {"rev_total_old": 2, "lit_total_old": 1}),
    ("全年因政府信息公开申请行政复议1件，提起行政诉讼0件。", {"rev_total_old": 1, "lit_total_old": 0}),
    ("本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。", {"rev_total_old": 0, "lit_total_old": 0}),
    ("全年发生政府信息公开行政复议案件1起，行政诉讼案件0起。", {"rev_total_old": 1, "lit_total_old": 0}),
]
LEFT_OUT = [
    "主动公开政府信息约300条。",
    "主动公开政府信息300余条。",
    "全年受理依申请公开30多件。",
    "全年受理信息公开申请约20件。",
    "累计受理依申请公开信息120件。",
    "2008年5月1日以来，共受理依申请公开信息申请120件。",
    "各乡镇共受理政府信息公开申请10件。",
    "截至2011年底，累计主动公开政府信息8000条。",
    "全县共主动公开政府信息5000余条，其中县政府主动公开1200条。",
    "全年共办理行政复议案件35件，政府信息公开工作运行良好。",
]


def values(text: str, meta: ReportMeta = OLD_META) -> dict[str, float]:
    return {o.indicator_code: o.value for o in extract_narrative(text, meta) if o.value is not None}


@pytest.mark.parametrize(("sentence", "expected"), EXACT)
def test_old_phrasings_are_read_exactly(sentence, expected):
    assert values(sentence) == expected


@pytest.mark.parametrize("sentence", LEFT_OUT)
def test_approximate_cumulative_and_partial_figures_are_left_out(sentence):
    assert values(sentence) == {}


def test_an_old_narrative_report_end_to_end():
    text = ("某某县人民政府办公室2011年政府信息公开工作年度报告\n"
            "本报告根据《中华人民共和国政府信息公开条例》要求编制。\n"
            "一、概述\n2011年，我县认真贯彻落实《条例》，全年共主动公开政府信息1234条。\n"
            "二、依申请公开情况\n全年共受理依申请公开政府信息申请23件，其中当面申请8件，网上申请15件。\n"
            "三、收费及减免情况\n全年未收取任何费用。\n"
            "四、行政复议和行政诉讼情况\n全年发生政府信息公开行政复议1件、行政诉讼0件。\n"
            "五、存在的主要问题和改进措施\n公开内容仍需丰富，全年网站访问量约5万人次。\n")
    report = extract(SourceDocument(content=text.encode(), content_type="text/plain",
                                    title="某某县人民政府办公室2011年政府信息公开工作年度报告"))
    assert report.meta.format_version == "narrative_only"
    assert report.values() == {"pro_items_total": 1234, "req_received": 23, "rev_total_old": 1, "lit_total_old": 0}
