"""Is a listed title an annual OGI report (政府信息公开工作年度报告)? By title only.

A column mixes the reports with look-alikes (工作要点, 要点落实情况, 统计数据, 解读, notices about
the reports, enterprise 年报 publicity). A title is a report when it names information
disclosure (信息公开 / 政务公开) and an annual report (年度报告 / 年报 / 年度…工作报告), and names no
look-alike. Titles cut short in list links ("…政府信息公开工…") are `maybe`: the detail page's full
title decides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Traditional forms appear on big5 gateways (公開/報告/年報).
_DISCLOSURE = r"(?:政府信息公[开開]|政务信息公[开開]|政務信息公[开開]|信息公[开開]|政[务務]公[开開])"
_ANNUAL = r"(?:年度[报報]告|年[报報]|年度.{0,8}工作[报報]告|年度[报報]表?告)"
REPORT = re.compile(
    rf"{_DISCLOSURE}.{{0,16}}{_ANNUAL}|{_ANNUAL}.{{0,4}}{_DISCLOSURE}|年度.{{0,4}}{_DISCLOSURE}.{{0,6}}工作[报報]告"
)
# Document types that only look like the report. Agency names must not trip these: 编制 (编办),
# 培训 (培训中心), 考核, 社会组织 (管理局) and 统计 (统计局) are parts of real reporting agencies' names.
LOOKALIKE = re.compile(
    r"要点|落实情况|统计数据|统计表|情况统计|解读|图解|一图|读懂|问答|"
    r"网站.{0,6}年度报表|网站工作年度报告|企业.{0,8}年度?[报報]|年[报報]公示|个体工商户|农民专业合作社|"
    r"公共企事业单位.{0,4}信息公开|部门决算|部门预算|预算公开|决算公开|法治政府|征求意见|通知|印发|格式|的函|"
    r"报告编制|编制发布"
)
# Inside a column that is itself the 年报 column, entries often drop 信息公开 ("某镇2022年度报告").
_ANNUAL_ONLY = re.compile(r"年度[报報]告|年[报報]|年度.{0,8}工作[报報]告")
# Other annual reports; agency names (审计局, 社保中心, 统计局) must not trip these.
_NOT_OGI_ANNUAL = re.compile(r"统计年[报報]|财务报告|审计报告|审计结果|决算|预算|社保基金|年检|年度报表|政府工作报告|述职|工作总结")
BARE_YEAR = re.compile(r"^(?:19|20)\d{2}\s*年?度?(?:年[报報]|年度[报報]告|报告)?$")
COLUMN_NAME = re.compile(r"年[报報]|年度[报報]告")
TRUNCATED = re.compile(r"(\.{2,}|…+|。。+)\s*$")
YEAR = re.compile(r"(19|20)\d{2}")
CN_YEAR = re.compile(r"[二两][〇○零0][一二三四五六七八九〇○零0]{2}")


def normalise(title: str) -> str:
    """NFKC, no whitespace (titles are split by line breaks and padding in list HTML)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", title or ""))


def classify(title: str, include: Iterable[str] = (), exclude: Iterable[str] = (),
             report_column: bool = False) -> str:
    """'report', 'lookalike', 'maybe' (truncated, needs the full title) or 'other'.

    `report_column`: the title is listed in a column named 年报/年度报告, where a dated annual
    report title without 信息公开 is still the OGI report.
    """
    text = normalise(title)
    if not text:
        return "other"
    if any(re.search(p, text) for p in exclude) or LOOKALIKE.search(text):
        named = re.search(_DISCLOSURE, text) or re.search(_ANNUAL, text)
        return "lookalike" if named and (YEAR.search(text) or CN_YEAR.search(text)) else "other"
    relaxed = (report_column and _ANNUAL_ONLY.search(text) and not _NOT_OGI_ANNUAL.search(text)
               and (re.search(r"年度.{0,8}[报報]告", text) or re.match(r"\D{2,}", text)))
    if REPORT.search(text) or relaxed or any(re.search(p, text) for p in include):
        # Column names (政府信息公开年报) appear as navigation links: a report names its year.
        return "report" if (YEAR.search(text) or CN_YEAR.search(text)) else "other"
    cut = TRUNCATED.sub("", text)
    if (cut != text and (YEAR.search(cut) or CN_YEAR.search(cut)) and re.search(r"政[府务務]|信息|公[开開]|年度|年[报報]", cut)
            and _cut_inside_report_title(cut) and "关于" not in cut):
        return "maybe"  # the detail page's full title decides
    return "other"


# How report titles end; a title cut inside one of these (or right after its year) may be a report.
_TAILS = ("政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开年报", "政务公开工作年度报告",
          "政务信息公开工作年度报告", "信息公开工作年度报告", "信息公开年度报告", "信息公开年报", "年度报告")


def _cut_inside_report_title(cut: str) -> bool:
    """Does the cut text end where a report title could go on ("…政府信息公开工", "…2022年度")?
    A cut look-alike ("…政务公开工作要") does not, so its page is never fetched."""
    if re.search(r"(?:(?:19|20)\d{2}|[二两][〇○零0][一二三四五六七八九〇○零0]{2})年度?$", cut):
        return True
    cut = cut.replace("開", "开").replace("報", "报").replace("務", "务")
    return any(cut.endswith(tail[:k]) for tail in _TAILS for k in range(len(tail) - 1, 0, -1))


def is_report(title: str, include: Iterable[str] = (), exclude: Iterable[str] = (),
              report_column: bool = False) -> bool:
    return classify(title, include, exclude, report_column) == "report"


def report_year(title: str) -> int | None:
    """The data year a title names (the first plausible year), if any."""
    for m in YEAR.finditer(normalise(title)):
        year = int(m.group(0))
        if 2000 <= year <= 2100:
            return year
    return None
