"""Label normalisation and lookup: one key for every way a label is printed."""

from __future__ import annotations

import pytest

from transforms.labels import default_maps, enumerator, normalise_label


@pytest.mark.parametrize(("printed", "key"), [
    ("（一）予以公开", "予以公开"),
    ("(二)部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
    ("3．危及“三安全一稳定”", "危及三安全一稳定"),
    ("3.危及\"三安全一稳定\"", "危及三安全一稳定"),
    ("1、本机关不掌握相关政府信息", "本机关不掌握相关政府信息"),
    ("其中：1、政府网站公开数", "政府网站公开数"),
    ("1)“信息不存在”数", "信息不存在数"),
    ("商业\n企业", "商业企业"),
    ("本年新 制作数量", "本年新制作数量"),
    ("規(guī)章", "规章"),                      # traditional characters with pinyin glosses
    ("行政許可", "行政许可"),
    ("本年收费金额（单位：万元）", "本年收费金额"),
    ("上一年项目数量 (指2019年事项数)", "上一年项目数量"),
    ("本年增/减 (指2020年增加或减少的事项数,减用负值表示,如 -8)", "本年增/减"),
    ("规范性文件(行政机关制定发布的决定、公告、通告、意见、通 知", "规范性文件"),   # parenthesis cut by the capture
    ("（ 三 ）不 予 公开", "不予公开"),
    ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
])
def test_normalise_label(printed, key):
    assert normalise_label(printed) == key


def test_enumerator():
    assert enumerator("（六）其他处理") == "(六)"
    assert enumerator("3.其他") == "3."
    assert enumerator("其他") is None


def test_section2_rows_and_columns():
    maps = default_maps()
    assert maps.sec2_row("行政规范性文件") == "行政规范性文件"
    assert maps.sec2_row("其他对外管理服务事项（指行政许可以外的政务服务事项）") == "其他对外管理服务事项"
    assert maps.sec2_row("行政许可事项办理") is None
    assert maps.sec2_code("行政规范性文件", "本年制发件数") == "s2_normdocs_issued"
    assert maps.sec2_code("规范性文件", "本年制发件数") == "s2_normdocs_issued"
    assert maps.sec2_code("行政规范性文件", "本年新制作数量") == "s2_normdocs_new_made"   # 2021 report, 2019 columns
    assert maps.sec2_code("行政许可", "处理决定数量") == "s2_license_decisions"
    assert maps.sec2_code("行政许可", "本年处理决定数量") == "s2_license_decisions"
    assert maps.sec2_code("行政事业性收费", "本年收费金额") == "s2_fees_amount"
    assert maps.sec2_col_candidates("本年新") == {"本年新制作数量", "本年新公开数量"}
    assert maps.sec2_col_candidates("本年增/") == {"本年增/减"}


def test_section3_rows_need_their_group_where_the_label_is_generic():
    maps = default_maps()
    assert maps.sec3_row("（一）予以公开", None) == "res_granted"
    assert maps.sec3_row("3．其他", "其他处理") == "res_other_misc"
    assert maps.sec3_row("3．其他", None) is None
    assert maps.sec3_row("1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请", "其他处理") == \
        "res_other_no_correction"
    assert maps.sec3_row("（七）总计", None) == "res_total"
    assert maps.sec3_group("（三）不予公开") == "不予公开"


def test_applicant_columns_including_the_typo():
    maps = default_maps()
    assert maps.applicant("科研企业") == "org_research"
    assert maps.applicant("科研 机构") == "org_research"
    assert maps.applicant("合计") == "total"
    assert maps.applicant("法人或其他组织") is None


def test_section4_names():
    maps = default_maps()
    assert maps.sec4_result("结 果 维 持") == "upheld"
    assert maps.sec4_group("未经复议直接起诉") == "lit_direct"


def test_old_labels_from_the_dictionary_and_shared_labels():
    maps = default_maps()
    assert maps.old_codes("受理政府信息依申请公开总数") == ["req_received"]
    assert maps.old_codes("2、书面申请数(信函、传真)") == ["req_ch_letter_fax"]
    assert maps.old_codes("3.网上申请数(包括电子邮件)") == ["req_ch_online"]
    assert sorted(maps.old_codes("（二）被依法纠错数")) == ["lit_old_corrected", "rev_old_corrected"]
    assert maps.old_group_of("rev_old_corrected") == "review"


def test_labels_that_carry_their_group_in_front():
    maps = default_maps()
    assert maps.old_codes("（二）通过不同渠道和方式公开政府信息的情况 1.政府公报公开政府信息数") == ["pro_ch_gazette"]
    assert maps.sec3_row("三、本年度办理结果（一）予以公开", None) == "res_granted"
