"""Report-level metadata from a read document: is it an annual report, whose, which year.

Evidence order: the portal's listing title (`SourceDocument.title`), the page title
(`ReadDocument.title`, e.g. meta ArticleTitle), then the first lines and sentences of the text.
Matching runs on a simplified-Chinese view of the text (OpenCC t2s, same length as the
original) and names are cut from the original, so a traditional-script report keeps its own
spelling. Agency levels and GB/T 2260 codes come from `transforms/data/regions.csv`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from transforms.model import ReadDocument, ReportMeta, SourceDocument

REGIONS_PATH = Path(str(resources.files("transforms") / "data" / "regions.csv"))

# -- phrases -----------------------------------------------------------------------------------
# the report itself: 政府信息公开工作年度报告 and its variants (年报, 政务公开, without 政府/工作)
REPORT_PHRASE = re.compile(
    r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)|政务公开(?:工作)?年度报告|政务公开年报")
# a strict form: the phrase names a yearly report (used to accept a document on its title)
ANNUAL_PHRASE = re.compile(
    r"(?:(?:政府|政务)?信息公开(?:工作)?(?:年度报告|年报)|政务公开(?:工作)?年度报告"
    r"|年度?(?:政府|政务)信息公开(?:工作)?报告)")
# look-alikes that sit in the same portal columns: (kind, pattern)
LOOKALIKES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("notice", re.compile(r"^关于.{0,60}(?:年度报告|年报).{0,20}(?:有关|相关)(?:事项|工作).{0,6}(?:通知|函)$"
                          r"|^关于(?:做好|报送|编制|编写|开展).{0,40}(?:年度报告|年报)")),
    ("work_points_implementation", re.compile(r"要点.{0,6}(?:落实|完成|推进|执行)情况")),
    ("work_points", re.compile(r"工作要点")),
    ("statistics", re.compile(r"统计(?:数据|报表|表|情况)$|统计数据")),
    ("enterprise_report", re.compile(r"企业(?:信息公示)?年(?:度)?报|年报公示|(?:公司|集团|企业).{0,20}年度报告")),
    ("work_plan", re.compile(r"(?:工作|年度)计划|实施方案|工作方案|工作安排")),
    ("work_summary", re.compile(r"工作总结")),
    ("guide", re.compile(r"信息公开指南")),
    ("catalogue", re.compile(r"信息公开目录")),
    ("budget", re.compile(r"(?:预算|决算)(?:公开|说明|报告)")),
    ("self_assessment", re.compile(r"自查(?:报告|情况)|整改(?:报告|情况)")),
    # these name the report words yet are other documents (PORTALS.md §1.3)
    ("interpretation", re.compile(r"解读|图解|一图读懂|一图看懂|图说|问答")),
    ("public_enterprise_report", re.compile(r"公共企事业单位.{0,10}信息公开")),
    ("website_report", re.compile(r"(?:政府)?网站.{0,6}(?:工作)?年度报表|网站工作年度报告")),
    ("rule_of_law_report", re.compile(r"法治政府建设")),
)
# look-alikes that win even when the title also names the annual report
OVERRIDING_LOOKALIKES = frozenset({"notice", "interpretation", "public_enterprise_report", "website_report",
                                   "rule_of_law_report"})
# section headings of the statutory report (2008 and 2019/2021 formats)
SECTION_HEADINGS = (
    "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议", "存在的主要问题",
    "其他需要报告的事项", "依申请公开政府信息", "不予公开政府信息", "因政府信息公开申请行政复议",
    "政府信息公开的收费及减免情况", "政府信息公开申请行政复议、提起行政诉讼",
)

_YEAR = r"((?:19|20)\d{2})\s*年度?"
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_YEAR = re.compile(r"([〇○零Ｏ一二三四五六七八九]{4})\s*年度?")
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:1|01|一)\s*月\s*(?:1|01|一)\s*日.{0,8}?"
                     r"(?:至|到|—|－|-|~|～).{0,3}?(?:((?:19|20)\d{2})\s*年)?\s*12\s*月\s*31\s*日")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(r"([〇○零Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_PUBDATE_LABEL = re.compile(r"(?:发布|发文|成文|公开|印发)(?:时间|日期)\s*[:：]?\s*")

# agency-name vocabulary
GOV_SUFFIX = re.compile(r"(?:人民政府|政府|管委会|管理委员会|党工委管委会)$")
PLACE_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "省", "市", "州", "盟", "地区", "县",
                  "旗", "区", "林区", "特区")
TOWNSHIP = re.compile(r"(?:乡|镇|街道|街道办事处|办事处|苏木|民族乡)(?:人民政府|政府)?$")
DEPARTMENT = re.compile(
    r"(?:局|办公室|办公厅|厅|委员会|委|办|中心|室|院|所|站|队|处|馆|会|社|团|署|集团|公司|监狱|支队|大队|分局|"
    r"指挥部|总队|科|部|台|行|校|学校|医院)$")
_AGENCY_TAIL = re.compile(
    r"(?:人民政府|政府|管委会|管理委员会|局|办公室|办公厅|厅|委员会|委|办|中心|室|院|所|站|队|处|馆|会|署|"
    r"乡|镇|街道|街道办事处|办事处|苏木|省|市|州|盟|地区|县|旗|区)$")
# sub-offices that compile a report on behalf of the agency
_COMPILER_OFFICE = re.compile(
    r"(?:党政办公室|党政综合办公室|党政办|综合办公室|政务公开办公室|政务公开办|信息公开办公室|"
    r"信息公开(?:工作)?领导小组(?:办公室)?|政务公开(?:工作)?领导小组(?:办公室)?)$")
_NOT_AGENCY = re.compile(r"^(?:我|本|各|该|全|上级|省|市|县|区|乡|镇)(?:局|委|办|单位|机关|部门|乡|镇|街道|县|区|市|政府)?")
_LEAD_NOISE = re.compile(r"^(?:[\s\d、.．:：()（）\[\]【】<>《》“”\"'|·-]|[一二三四五六七八九十]+[、.．]|关于|公开|公布|发布)+")
_LEAD_VERBS = re.compile(r"^(?:.*?(?:现予公布|现公布|特向社会公布|特向社会公开|现向社会公布|向社会公布|现予公开|特编制|现将))"
                         r"(?=.{2,})")
_TRAIL_NOISE = re.compile(r"(?:[\s:：()（）\[\]【】<>《》“”\"'|·,，。、_-]|的|关于)+$")

_SCOPE = re.compile(
    r"(?:综合|汇总)(?:了)?.{0,40}?(?:各(?:县|区|市|乡|镇|街|部门|单位|直属|有关)|全(?:市|县|区|省)各|下级|所属)"
    r"|(?:各县|各区|各部门|各乡镇).{0,40}?(?:汇总|综合|编制而成)")


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # OpenCC is optional for matching
        return None


def simplified(text: str) -> str:
    """Simplified-Chinese view of `text`, same length (falls back to the text itself)."""
    conv = _t2s()
    if conv is None or not text:
        return text
    out = conv.convert(text)
    return out if len(out) == len(text) else text


def _cn_number(s: str) -> int | None:
    if all(ch in _CN_DIGITS for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    if "十" in s:
        tens, _, units = s.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return None


# -- regions -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str          # province | prefecture | county
    parent_code: str


@lru_cache(maxsize=1)
def regions() -> tuple[dict[str, Region], dict[str, list[Region]]]:
    by_code: dict[str, Region] = {}
    by_name: dict[str, list[Region]] = {}
    with open(REGIONS_PATH, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            reg = Region(rec["code"], rec["name"], rec["level"], rec["parent_code"])
            by_code[reg.code] = reg
            by_name.setdefault(reg.name, []).append(reg)
    return by_code, by_name


def _ancestors(reg: Region) -> list[str]:
    by_code, _ = regions()
    out = []
    cur = reg
    while cur.parent_code and cur.parent_code in by_code:
        cur = by_code[cur.parent_code]
        out.append(cur.code)
    return out


def resolve_region(name: str, context: str = "") -> tuple[Region | None, str]:
    """Deepest GB/T 2260 region named at the start of an agency name, and the rest of the name.

    Ambiguous names (朝阳区, 长宁区/长宁县) are settled by a region named before them, then by the
    context text naming one of the candidates' parents.
    """
    _, by_name = regions()
    names = sorted(by_name, key=len, reverse=True)
    pos = 0
    chosen: Region | None = None
    while pos < len(name):
        match = next((n for n in names if name.startswith(n, pos)), None)
        if match is None:
            break
        cands = by_name[match]
        if chosen is not None:
            below = [c for c in cands if chosen.code in _ancestors(c)]
            if not below:
                break
            cands = below
        if len(cands) > 1:
            # a municipality is both a province and a prefecture: keep the higher level
            levels = {c.level for c in cands}
            if len({c.code[:2] for c in cands}) == 1 and "province" in levels:
                cands = [c for c in cands if c.level == "province"]
            else:
                by_code, _ = regions()
                named = [c for c in cands if any(by_code[a].name in context for a in _ancestors(c))]
                cands = named if len(named) == 1 else cands
        if len(cands) != 1:
            break
        chosen = cands[0]
        pos += len(match)
    return chosen, name[pos:]


# -- agency ------------------------------------------------------------------------------------
def clean_agency(raw: str) -> str | None:
    """Cut an agency name out of a title fragment; None when nothing agency-like is left."""
    chunks = [c for c in re.split(r"[>＞»|｜/\\\n]|\s{2,}", raw)  # breadcrumbs, menus, line breaks
              if re.sub(r"\s|" + _YEAR, "", c)]
    s = re.sub(r"\s+", "", chunks[-1] if chunks else "")
    s = re.sub(r"^[\w.:/#@&?=%-]*[A-Za-z][\w.:/#@&?=%-]*?(?=[\u4e00-\u9fff])", "", s, flags=re.ASCII)  # spam domains
    s = re.sub(r"[（(][^）)]{0,20}[）)]$", "", s)
    s = re.split(r"[，。；：:,;！!？?《》“”\"]", s)[-1]            # the last clause only
    s = re.split(r"关于(?:印发|公布|发布|公开)?", s)[-1] or s          # "X办公室关于印发Y…" -> Y
    s = _LEAD_VERBS.sub("", s)
    s = re.sub(r"(?:19|20)\d{2}$", "", s)                        # "…局2020" + 年度政府信息公开…
    s = re.sub(_YEAR + r"$", "", s)
    s = re.sub(r"^.*?" + _YEAR, "", s) if re.search(_YEAR, s) and not re.search(_YEAR + r"$", s) else s
    s = _LEAD_NOISE.sub("", s)
    s = _TRAIL_NOISE.sub("", s)
    s = re.sub(_YEAR + r"$", "", s)
    s = _TRAIL_NOISE.sub("", s)
    if "#" in s or "_" in s:  # spam-injected titles: 'bet365_..#办公厅'
        s = re.split(r"[#_]", s)[-1]
    s = _COMPILER_OFFICE.sub("", s) or s
    if not (2 <= len(s) <= 40) or _NOT_AGENCY.fullmatch(s) or s.startswith(("我", "本")):
        return None
    if not _AGENCY_TAIL.search(simplified(s)):
        return None
    return s


def _title_agency(title: str) -> str | None:
    simp = simplified(title)
    m = ANNUAL_PHRASE.search(simp) or REPORT_PHRASE.search(simp)
    if not m:
        return None
    # the year may also come first ("2018年武汉市政府信息公开..."): clean_agency keeps what follows it
    return clean_agency(_before_phrase(title, simp, m))


def _before_phrase(orig: str, simp: str, m: re.Match[str]) -> str:
    """Text before the report words; "X人民政府信息公开…" shares 政府 between name and phrase."""
    before = orig[: m.start()]
    if simp[: m.start()].rstrip().endswith("人民") and simp[m.start():].startswith("政府"):
        before = orig[: m.start() + 2]
    return before


_COMPILED_BY = re.compile(r"由([^，。；,\n《》（(]{2,40}?)(?:负责)?(?:编制|编写|制定|汇总|综合|根据|按照|依据)")
_COMPILER_SUFFIX = re.compile(r"(人民政府|政府|局|委员会|委|厅|中心)(?:办公室|办公厅|综合科|办)$")
_TEXT_AGENCY_PATTERNS = (
    # 现公布/特向社会公开 X 2019年度政府信息公开工作年度报告
    re.compile(r"(?:现公布|现予公布|特向社会公布|特向社会公开|向社会公布|现向社会公布|现公开|特编制|现将|公布)"
               r"(?:了)?([^，。；：:,\n《》]{2,40}?)" + r"(?:\d{4}\s*年度?)?\s*(?:政府|政务)?信息公开"),
    _COMPILED_BY,
    re.compile(r"(?:请|可)(?:与|联系)([^，。；,\n《》与或向的]{2,30}?)(?:办公室|联系|综合科|党政办)"),
)
_SUBJECT = re.compile(
    r"(?:^|\n)\s*(?:(?:19|20)\d{2}\s*年(?:度|以来|全年)?)\s*[，,]\s*"
    r"([^\s，,。；《》]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|局|委员会|中心|乡|镇|街道办事处|街道))"
    r"(?:认真|坚持|以|严格|按照|深入|全面|紧紧|进一步|高度|围绕|扎实|积极|不断|始终|切实|继续|持续|在|深化|大力|着力|聚焦|贯彻)")
_TOWNSHIP_GOV = re.compile(r"([\u4e00-\u9fff]{1,6}(?:乡|镇|街道))(?:人民政府|政府)")
_FUNCTION_WORDS = re.compile(r".*(?:包括|的|在|和|与|及|对|为|是|了|由|向|将|把|按|据|从|经|各|全|本|我|该|市|县|区)")
_SELF_REFERENCE = (("department", re.compile(r"我(?:局|委|办|厅|中心|室|院|站|队|所)|本(?:局|委|办|厅|中心|机关)")),
                   ("township", re.compile(r"我(?:乡|镇|街|街道)|本(?:乡|镇|街道)")),
                   ("county", re.compile(r"我(?:县|区|旗)(?!委)|本(?:县|区)(?:政府)?")),
                   ("prefecture", re.compile(r"我市|本市")))


def _heading_lines(text: str, n: int = 12) -> list[tuple[str, int]]:
    """The first lines, each alone and joined with the next (a title broken over two lines),
    with the offset where the second line starts (0 for a single line)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    out = []
    for i, ln in enumerate(lines[:n]):
        out.append((ln, 0))
        if i + 1 < len(lines) and len(ln) <= 40:
            out.append((ln + lines[i + 1], len(ln)))
    return out


def _text_agency(text: str) -> str | None:
    simp = simplified(text)
    for (line_orig, seam), (line, _) in zip(_heading_lines(text), _heading_lines(simp), strict=False):
        if len(line) > 80:
            continue
        m = ANNUAL_PHRASE.search(line)
        if m and m.start() > 0:
            before = _before_phrase(line_orig, line, m)
            if 0 < seam < len(before):
                before = before[:seam] + "\n" + before[seam:]  # the line break separates menus from names
            name = clean_agency(before)
            if name:
                return name
    head = simp[:4000]
    flat = re.sub(r"(?<=[\u4e00-\u9fff])\n(?=[\u4e00-\u9fff])", "", head)
    orig_flat = re.sub(r"(?<=[\u4e00-\u9fff])\n(?=[\u4e00-\u9fff])", "", text[:4000])
    if len(flat) != len(orig_flat):
        orig_flat = flat
    for pat in (*_TEXT_AGENCY_PATTERNS, _SUBJECT):
        for m in pat.finditer(flat):
            raw = orig_flat[m.start(1): m.end(1)]
            if pat is _COMPILED_BY:
                # "由X人民政府办公室编制": the office compiles its government's report
                cut = _COMPILER_SUFFIX.search(simplified(raw))
                raw = raw[: cut.end(1)] if cut else raw
            name = clean_agency(raw)
            if name:
                return name
    # last resort: a township government the text keeps naming (townships rarely name themselves
    # otherwise); trimmed at function words: "主要包括七里乡政府" -> "七里乡政府"
    counts: dict[str, int] = {}
    if _self_level(text) not in (None, "township"):
        return None  # the report speaks as a bureau, county...: a township it names is not its author
    for m in _TOWNSHIP_GOV.finditer(flat):
        place = _FUNCTION_WORDS.sub("", m.group(1))
        if 2 <= len(place) <= 5 and place not in ("乡镇", "街道") and not place.endswith("乡镇") \
                and not re.search(r"[各个等所该组一]", place):
            name = place + m.group(0)[len(m.group(1)):]
            counts[name] = counts.get(name, 0) + 1
    if counts:
        return max(counts, key=lambda k: counts[k])
    return None


# State Council departments: 国家统计局, 国务院办公厅, 中国气象局, 教育部, 审计署 (no region in the name)
_CENTRAL = re.compile(r"^(?:国家|国务院|中国|中华全国|中央)\S*(?:局|部|署|委员会|办公厅|办公室|院|会|总局)$"
                      r"|^[^省市县区乡镇州旗盟街委\s]{1,8}(?:部|署|总局)$")


def _self_level(text: str) -> str | None:
    """Level from how the report names its author (我局, 我镇, 我县...) when no name is found."""
    head = simplified(text[:6000])
    counts = {lvl: len(pat.findall(head)) for lvl, pat in _SELF_REFERENCE}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


def agency_level(name: str | None, context: str = "") -> str | None:
    """province | prefecture | county | township | department, judged from the name."""
    if not name:
        return None
    simp = simplified(name)
    if re.search(r"人民政府.+|政府.+办公|办公厅$|办公室$", simp) and not TOWNSHIP.search(simp):
        return "department"
    base = GOV_SUFFIX.sub("", simp)
    base = re.sub(r"党工委$", "", base)
    if TOWNSHIP.search(base):
        return "township"
    region, rest = resolve_region(base, context)
    rest = GOV_SUFFIX.sub("", rest)
    if region is None and _CENTRAL.search(base):
        return "central_dept"
    if rest and DEPARTMENT.search(rest):
        return "department"
    if region is not None and not rest:
        return region.level
    if re.search(r"(?:综合实验区|新区)$", base):
        return "prefecture"
    if re.search(r"(?:开发区|高新区|园区)$", base):
        return "county"
    if DEPARTMENT.search(base):
        return "department"
    if re.search(r"(?:省|自治区|特别行政区)$", base):
        return "province"
    if re.search(r"(?:州|盟|地区)$", base):
        return "prefecture"
    if re.search(r"(?:县|旗|区)$", base):
        return "county"
    if base.endswith("市"):
        return "prefecture"
    return None


# -- year, dates --------------------------------------------------------------------------------
def _title_year(title: str) -> int | None:
    simp = simplified(title)
    m = re.search(_YEAR, simp)
    if m:
        return int(m.group(1))
    m = _CN_YEAR.search(simp)
    return _cn_number(m.group(1)) if m else None


def _text_year(text: str) -> int | None:
    simp = simplified(text[:20000])
    flat = re.sub(r"\s*\n\s*", "", simp)
    m = _PERIOD.search(flat)
    if m:
        return int(m.group(1))
    m = re.search(_YEAR + r"[^。，,\n]{0,40}?(?:政府|政务)?信息公开(?:工作)?(?:年度报告|年报|工作报告)", flat[:6000])
    if m:
        return int(m.group(1))
    m = re.search(_CN_YEAR.pattern + r"[^。，,\n]{0,40}?信息公开", flat[:6000])
    if m:
        return _cn_number(m.group(1))
    years = re.findall(r"((?:19|20)\d{2})\s*年(?:度|以来|全年|[，,]|\s*[1１]\s*[-—至到])", flat[:4000])
    years = years or re.findall(r"((?:19|20)\d{2})\s*年", flat[:4000])
    if years:
        return int(max(set(years), key=years.count))
    return None


def _iso(y: int, mo: int, d: int) -> str | None:
    if 1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _parse_date(s: str) -> str | None:
    m = _DATE.search(s)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_DATE.search(s)
    if m:
        y, mo, d = (_cn_number(g) for g in m.groups())
        if y and mo and d:
            return _iso(y, mo, d)
    return None


def publish_date(read: ReadDocument, doc: SourceDocument) -> str | None:
    if doc.publish_date:
        found = _parse_date(doc.publish_date)
        if found:
            return found
    for key in ("PubDate", "pubdate", "publishdate", "PublishDate", "firstpublishedtime", "page_date",
                "article:published_time", "created"):
        if read.meta.get(key):
            found = _parse_date(read.meta[key])
            if found:
                return found
    text = read.text or ""
    m = _PUBDATE_LABEL.search(text[:3000])
    if m:
        found = _parse_date(text[m.end(): m.end() + 30])
        if found:
            return found
    tail = simplified(text[-400:])
    dates = [(_parse_date(x.group(0))) for x in _DATE.finditer(tail)] + \
            [(_parse_date(x.group(0))) for x in _CN_DATE.finditer(tail)]
    dates = [d for d in dates if d]
    return dates[-1] if dates else None


# -- format guess -------------------------------------------------------------------------------
_V2021_MARKERS = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年收费金额|逾期未按收费通知|逾期不补正")
_V2019_MARKERS = re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|采购项目数量|其他对外管理服务事项")
_NEW_TABLE_MARKERS = re.compile(r"第二十条第[（(]一[)）]项|本年新收政府信息公开申请|结转下年度继续办理|申请人情况")
_OLD_TABLE_MARKERS = re.compile(r"统计指标|指标名称|计量单位|历年累计|政府信息公开情况统计表")


def guess_format(text: str, year: int | None) -> str:
    """A text-only guess; the cell mapper decides the final format from the table headers."""
    simp = re.sub(r"\s+", "", simplified(text))
    if _V2021_MARKERS.search(simp):
        return "v2021"
    if _V2019_MARKERS.search(simp):
        return "v2019"
    if _NEW_TABLE_MARKERS.search(simp):
        return "v2021" if (year or 0) >= 2021 else "v2019"
    if _OLD_TABLE_MARKERS.search(simp):
        return "v2014_national" if year and 2014 <= year <= 2018 and "统计指标" in simp else "v2008_local"
    return "narrative_only"


# -- classification ---------------------------------------------------------------------------
def _clean_title(t: str) -> str:
    t = re.sub(r"\s+", " ", t or "").strip()
    # site names appended to page titles: "报告标题_某某市人民政府" / "报告标题 - 网站"
    parts = re.split(r"\s*(?:_|\||--|——| - )\s*", t)
    for part in parts:
        if REPORT_PHRASE.search(simplified(part)):
            return part.strip()
    return parts[0].strip() if parts else t


def classify(titles: list[str], text: str) -> tuple[bool, str]:
    """(is_annual_report, doc_kind)."""
    for title in titles:
        simp = re.sub(r"\s+", "", simplified(title))
        if not simp:
            continue
        annual = ANNUAL_PHRASE.search(simp)
        for kind, pat in LOOKALIKES:
            if pat.search(simp) and (not annual or kind in OVERRIDING_LOOKALIKES):
                return False, f"lookalike:{kind}"
        if annual:
            return True, "annual_report"
    simp_text = simplified(text[:6000])
    flat = re.sub(r"\s+", "", simp_text)
    headings = [re.sub(r"\s+", "", ln) for ln, _ in _heading_lines(simp_text, 6) if len(ln) <= 60]
    opening = flat[:800]
    if not any(ANNUAL_PHRASE.search(h) for h in headings) and not ANNUAL_PHRASE.search(opening):
        # an untitled look-alike names itself in a title-like line (with a year or 关于) or says
        # "现将…工作要点落实情况报告如下" at the start
        for h in headings:
            if re.search(r"(?:19|20)\d{2}年|^关于", h):
                for kind, pat in LOOKALIKES:
                    if kind != "notice" and pat.search(h):
                        return False, f"lookalike:{kind}"
        if re.search(r"现将.{0,40}要点.{0,6}(?:落实|完成|推进)情况", opening):
            return False, "lookalike:work_points_implementation"
    if ANNUAL_PHRASE.search(flat):
        return True, "annual_report"
    flat = _PINYIN.sub("", flat).replace("|", "")
    hits = sum(1 for h in SECTION_HEADINGS if h in flat)
    hits += bool(_NEW_TABLE_MARKERS.search(flat)) + bool(re.search(r"[一1][、.．]总体情况|[一1][、.．]概述", flat))
    hits += bool(re.search(r"(?:本|此)(?:年度)?报告.{0,30}政府信息公开条例|政府信息公开条例.{0,60}(?:编制|制作)", flat))
    if hits >= 2 and "信息公开" in flat:
        return True, "annual_report"
    return False, "unknown"


def identify(read: ReadDocument, doc: SourceDocument) -> ReportMeta:
    """Report metadata from the read document and what the crawl knew (title, URL)."""
    text = read.text or ""
    titles = [t for t in (_clean_title(doc.title), _clean_title(read.title)) if t]
    is_report, kind = classify(titles, text)
    meta = ReportMeta(is_annual_report=is_report, doc_kind=kind, title=titles[0] if titles else None,
                      source_url=doc.url or None)
    agency = None
    for t in titles:
        agency = _title_agency(t)
        if agency:
            break
    if agency is None:
        agency = _text_agency(text)
    meta.agency_name = agency
    context = f"{' '.join(titles)}\n{text[:3000]}"
    meta.agency_level = agency_level(agency, context) or _self_level(text)
    if agency:
        region, _ = resolve_region(GOV_SUFFIX.sub("", simplified(agency)), simplified(context))
        if region is not None:
            meta.region_code, meta.region_name = region.code, region.name
    year = None
    for t in titles:
        year = _title_year(t)
        if year:
            break
    meta.report_year = year or _text_year(text)
    meta.publish_date = publish_date(read, doc)
    flat = re.sub(r"\s+", "", simplified(text[:6000]))
    if meta.agency_level == "department" or meta.agency_level == "township":
        meta.report_scope = "agency_only"
    else:
        meta.report_scope = "region_aggregate" if _SCOPE.search(flat) else "agency_only"
    meta.format_version = guess_format(text, meta.report_year) if is_report else None
    meta.site_id_code = read.meta.get("SiteIDCode") or _search(r"网站标识码\s*[:：]?\s*([0-9A-Za-z]{6,})", text)
    meta.index_number = read.meta.get("index_number") or _search(
        r"索\s*引\s*号\s*[:：|]?\s*\|?\s*([0-9A-Za-z][0-9A-Za-z\-_/.]{5,})", text[:3000])
    return meta


def _search(pattern: str, text: str) -> str | None:
    m = re.search(pattern, text)
    return m.group(1) if m else None
