"""Reading portal pages: links with their titles, pagination, attachments, dates, challenges.

Pure functions over (url, decoded html) so they are testable without Scrapy and shared by every
platform mixin. Pagination is only ever followed under the column's URL prefix.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from posixpath import splitext
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from parsel import Selector
from w3lib.url import safe_url_string

from spiders.titles import COLUMN_NAME, classify, normalise

DOC_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".ofd", ".zip", ".et", ".rar")
_NEXT_TEXTS = {"下一页", "下页", "后页", "后一页", ">", ">>", "›", "»", "next", "尾页", "末页", "最后一页"}
_PAGED_FILE = re.compile(r"^(?P<stem>[A-Za-z][\w-]*?)_(?P<n>\d+)\.(?P<ext>s?html?|jsp|php|aspx?)$", re.I)
_DETAIL_HINT = re.compile(r"/t\d{8}_\d+|/art_\d+_\d+|/post_\d+|/content_\d+|/\d{6}/[0-9a-f]{16,}")
_SCRIPT_DOC_URL = re.compile(
    r"""["']((?:https?:)?(?:\\?/|\.\.?\\?/)[^"'\s<>]*?\.(?:pdf|docx?|wps|xlsx?|ofd|zip|et|rar))\\?["']""", re.I)
# TRS writes attachment links from script strings: var file_appendix='<a href="P0202...pdf">..'
_SCRIPT_HREF = re.compile(
    r"""href\s*=\s*\\?["']([^"'<>\\]+?\.(?:pdf|docx?|wps|xlsx?|ofd|zip|et|rar))\\?["']""", re.I)
# downfile.jsp?classid=0&filename=2103051234.pdf (Hanweb), download.do?file=a.docx ...
_QUERY_DOC = re.compile(r"=[^&]*\.(?:pdf|docx?|wps|xlsx?|ofd|zip|et|rar)(?:&|$)", re.I)
_DATE_TEXT = re.compile(r"(?:发布日期|发布时间|发文日期|成文日期|生成日期|日期)\s*[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_URL_DATE = re.compile(r"/t(\d{4})(\d{2})(\d{2})_|/art/(\d{4})/(\d{1,2})/(\d{1,2})/|/(\d{4})(\d{2})(\d{2})/")
CHALLENGE_MARKERS = (
    "__jsl_clearance", "__jsluid", "FSSBBIl1UgzbN7N80", "$_ts", "电信云防护", "_$cf", "challenge-platform",
)


# Site chrome: header, navigation, breadcrumbs, related links, footer. Links there are never the
# column's list items nor a report's attachments (a footer's 政府信息公开指南.pdf, a sidebar's
# report from another column). HTML5 tags, or a class/id token naming such a block.
_CHROME_TOKEN = (r"(?:[a-z0-9]+[-_])?(?:header|footer|foot|nav|navbar|mainnav|subnav|menu|crumbs?|breadcrumbs?|"
                 r"position|dqwz|related|relate|relevant|xgwz|xglj|xgxx|xgwj|yqlj|friendlinks?|links|share|"
                 r"sidebar|topbar|top-bar|copyright|prev-next|art-prev)(?:[-_][a-z0-9]+)?")
_CHROME_XPATH = (
    "ancestor-or-self::*[not(self::body or self::html) and (self::header or self::footer or self::nav or "
    f"self::aside or re:test(concat(' ', @class, ' ', @id, ' '), '\\s{_CHROME_TOKEN}\\s', 'i'))]")


@dataclass(frozen=True)
class Link:
    url: str
    title: str      # the best title: `title=` attribute when it is longer, else the link text
    text: str
    chrome: bool = False  # inside header / navigation / related links / footer
    main: bool = True     # in the page's main list (not chrome, not a side box such as 热点/最新)


def _best_title(attr: str, text: str) -> str:
    """The `title=` attribute or the link text, whichever reads as a report; else the longer one."""
    for candidate in (attr, text):
        if candidate and classify(candidate) == "report":
            return candidate
    return attr if len(attr) >= len(text.rstrip(".…")) else text


LOOPBACK = {"127.0.0.1", "localhost"}


def origin_hosts(url: str, html_or_sel) -> set[str]:
    """For a page served from loopback (a saved copy replayed locally): the original site's hosts it
    names (<base href>, SiteDomain meta). Links to them are links within the copy. Empty otherwise,
    so a live crawl never rewrites anything."""
    if (urlsplit(url).hostname or "") not in LOOPBACK:
        return set()
    sel = html_or_sel if isinstance(html_or_sel, Selector) else Selector(text=html_or_sel)
    hosts = {urlsplit(b.strip()).hostname for b in sel.xpath("//base/@href").getall()}
    for domain in sel.xpath("//meta[translate(@name, 'SITEDOMAIN', 'sitedomain')='sitedomain']/@content").getall():
        domain = domain.strip()
        hosts.add(urlsplit(domain if "//" in domain else "//" + domain).hostname)
    return {h.lower() for h in hosts if h} - LOOPBACK


def localise(target: str, page_url: str, origins: set[str]) -> str:
    """`target` on the page's own (loopback) server when it names the copied site's host."""
    parts = urlsplit(target)
    if origins and (parts.hostname or "").lower() in origins:
        page = urlsplit(page_url)
        return urlunsplit((page.scheme, page.netloc, parts.path, parts.query, parts.fragment))
    return target


def _resolver(url: str, sel: Selector, known: set[str] | frozenset = frozenset()):
    base = _base(url, sel)
    origins = origin_hosts(url, sel) | (set(known) if (urlsplit(url).hostname or "") in LOOPBACK else set())
    return lambda href: _clean_url(localise(urljoin(base, href.strip()), url, origins))


def _base(url: str, sel: Selector) -> str:
    """<base href> when it stays on the page's host (saved copies keep the original site's base)."""
    base = sel.xpath("//base/@href").get()
    if not base:
        return url
    target = urljoin(url, base.strip())
    return target if urlsplit(target).netloc == urlsplit(url).netloc else url


def _clean_url(url: str) -> str:
    """No fragment, percent-encoded as Scrapy will request it (so state lookups match)."""
    parts = urlsplit(url)
    return safe_url_string(urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, "")))


# A page URL quoted in an onclick / javascript: handler (window.open('..'), location.href='..').
_JS_URL = re.compile(r"""(?:open|href|location|url|downLoad\w*|download\w*|goto\w*)\s*[(=]\s*['"]"""
                     r"""((?:https?://|\.{0,2}/)?[^'"\n()<>]+?\.(?:s?html?|jhtml|jsp|php|aspx?|pdf|docx?|wps|xlsx?|ofd|zip|rar|et)"""
                     r"""(?:\?[^'"\s]*)?)['"]""", re.I)
_LIST_TAGS = {"ul", "ol", "table", "dl"}
_ITEM_TAGS = {"li", "tr", "dd", "dt"}
_ITEM_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


def _container(element):
    """The list an <a> sits in and its list item: the nearest ul/ol/table/dl and li/tr/dd/dt; in
    div-built lists (<div class="list"><div class="item"><a/><span>date</span></div>...) the item
    is the nearest div/p and the list its parent."""
    item = None
    for anc in element.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if item is None and tag in _ITEM_TAGS:
            item = anc
        if tag in _LIST_TAGS:
            return anc, item if item is not None else element.getparent()
    item = element.getparent()
    while item is not None and item.tag not in ("div", "p", "body"):
        item = item.getparent()
    if item is None or item.tag == "body":
        return item, item
    return item.getparent(), item


def _item_title(item, link_text: str) -> str:
    """The list item's own text when its only link says just 查看/下载/详情."""
    if len({a.get("href") for a in item.iter("a")}) != 1:
        return ""
    text = normalise(" ".join(item.itertext())).replace(link_text, "")
    text = normalise(_ITEM_DATE.sub("", text))
    return text if classify(text) != "other" else ""


_STRING = re.compile(r"'((?:\\.|[^'\\\n])*)'" + r'|"((?:\\.|[^"\\\n])*)"')
_PAGE_LITERAL = re.compile(r"^(?:https?://[^/]+)?(?:\.{0,2}/)?[\w./%-]+\.(?:s?html?|jhtml|jsp|php|aspx?|pdf|docx?|wps|xlsx?|ofd)$",
                           re.I)


def _script_links(script: str) -> list[tuple[str, str]]:
    """(url, title) pairs a list script writes: URL literals paired with the nearest literal that
    names a report or look-alike (var url="./202103/t2021_1.htm"; var title="…年度报告")."""
    if "document.write" not in script and "innerHTML" not in script and ".append" not in script:
        return []
    literals = [(m.start(), m.group(1) if m.group(1) is not None else m.group(2)) for m in _STRING.finditer(script)]
    named = [(p, normalise(v)) for p, v in literals if classify(normalise(v)) in ("report", "maybe", "lookalike")]
    out = []
    for pos, value in literals:
        value = value.strip()
        if named and _PAGE_LITERAL.match(value) and (_DETAIL_HINT.search(value)
                                                     or value.lower().endswith(DOC_EXTENSIONS)):
            out.append((value, min(named, key=lambda n: abs(n[0] - pos))[1]))
    return out


def _column_blocks(found, resolve, prefixes: tuple[str, ...]) -> set[int]:
    """Lists headed by a link into the column (a heading or 更多 link next to the list pointing under
    the column prefix): the sub-column blocks of a 年报 landing page."""
    out = set()
    for container in {id(c): c for _l, c, _i in found if c is not None}.values():
        block = container.getparent()
        if block is None or block.tag in ("body", "html"):
            continue
        for a in block.iter("a"):
            if any(anc is container for anc in a.iterancestors()):
                continue
            text = normalise("".join(a.itertext())).strip("»>.… ")
            heading = any(isinstance(anc.tag, str) and anc.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
                          for anc in a.iterancestors())
            if ((heading or text.lower() in ("更多", "more", "查看更多")) and a.get("href")
                    and under(resolve(a.get("href")), prefixes)):
                out.add(id(container))
                break
    return out


def links(url: str, html: str, prefixes: tuple[str, ...] = (), origins: set[str] | frozenset = frozenset()) -> list[Link]:
    """Every followable <a> on the page, resolved, with a title (title attr or text).

    `main` marks the column's own list(s): the list whose dated items (a column's items carry dates;
    navigation, 热点/最新 side boxes and related links mostly do not) most often link into the column
    (`prefixes`), then most often carry report titles, then are most numerous; plus, with
    `prefixes`, the lists headed by a heading or 更多 link into the column (sub-column blocks of a
    landing page). Without dated items every link outside the chrome counts as main."""
    sel = Selector(text=html)
    resolve = _resolver(url, sel, origins)
    found = []
    for a in sel.xpath("//a[@href or @onclick]"):
        href = (a.xpath("@href").get() or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            # <a href="javascript:void(0)" onclick="window.open('./202103/t2021_1.htm')">
            m = _JS_URL.search((a.xpath("@onclick").get() or "") + " " + href)
            if not m:
                continue
            href = m.group(1)
        if href.startswith(("mailto:", "tel:")):
            continue
        text = normalise(" ".join(a.xpath(".//text()").getall()))
        attr = normalise(a.xpath("@title").get() or "")
        title = _best_title(attr, text)
        absolute = resolve(href)
        if urlsplit(absolute).scheme in ("http", "https"):
            chrome = bool(a.xpath(_CHROME_XPATH))
            container, item = (None, None) if chrome else _container(a.root)
            if item is not None and item.tag in _ITEM_TAGS and len(text) <= 6 and classify(title) == "other":
                title = _item_title(item, text) or title   # <td>title</td><td><a>查看</a></td>
            found.append((Link(absolute, title, text, chrome), container, item))
    for script in sel.xpath("//script[not(@src)]"):  # list items written by document.write
        chrome = bool(script.xpath(_CHROME_XPATH))
        container, item = (None, None) if chrome else _container(script.root)
        for target, title in _script_links(script.xpath("string()").get() or ""):
            absolute = resolve(target)
            if urlsplit(absolute).scheme in ("http", "https"):
                found.append((Link(absolute, title, title, chrome), container, item))
    # per list: dated items linking into the column, dated items titled like reports, dated items
    dated: dict[int, tuple[int, int, int]] = {}
    for link, container, item in found:
        if container is not None and item is not None and _ITEM_DATE.search(" ".join(item.itertext())):
            inside, named, total = dated.get(id(container), (0, 0, 0))
            dated[id(container)] = (inside + under(link.url, prefixes),
                                    named + (classify(link.title) in ("report", "maybe", "lookalike")), total + 1)
    main = None
    if dated:
        main = {max(dated, key=dated.__getitem__)}
        if prefixes:
            main |= _column_blocks(found, resolve, prefixes)
    return [Link(link.url, link.title, link.text, link.chrome,
                 not link.chrome and (main is None or id(container) in main))
            for link, container, _item in found]


_DOC_MAGIC = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"Rar!", b"\x89PNG", b"\xff\xd8")


def looks_like_html(body: bytes) -> bool:
    """Bytes that are an HTML page whatever the Content-Type said (not a PDF/Office/ZIP file)."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(_DOC_MAGIC):
        return False
    return bool(re.match(rb"<(?:!doctype|html|head|meta|!--|\?xml|body|script|title|div)", head, re.I))


def under(url: str, prefixes: tuple[str, ...]) -> bool:
    return any(url.startswith(p) for p in prefixes)


def is_detail_url(url: str) -> bool:
    """An article URL of a known CMS (TRS tYYYYMMDD_ID, Hanweb art_, gkmlpt post_, content_ID)."""
    return bool(_DETAIL_HINT.search(urlsplit(url).path))


def is_document_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOC_EXTENSIONS)


def url_ext(url: str) -> str:
    return splitext(urlsplit(url).path)[1].lower()


def _page_ext(url: str, html_links: list[Link]) -> str:
    ext = url_ext(url).lstrip(".")
    if ext:
        return ext
    exts = Counter(url_ext(link.url).lstrip(".") for link in html_links if _DETAIL_HINT.search(link.url))
    exts.pop("", None)
    return exts.most_common(1)[0][0] if exts else "html"


def _js_args(call: str) -> tuple[list[int], list[str]]:
    ints, strs = [], []
    for tok in re.findall(r"""'[^']*'|"[^"]*"|-?\d+""", call):
        if tok[0] in "'\"":
            strs.append(tok[1:-1])
        else:
            ints.append(int(tok))
    return ints, strs


def script_pages(url: str, html: str, numbering: str | None = None, page_links: list[Link] | None = None) -> list[str]:
    """List-page URLs announced by TRS paging scripts, as seen from the first page.

    `createPageHTML(count, current, "index", "html")` (also with a leading div id and a trailing
    page size), `var countPage = N`, and the TRS "动静结合" pager (recordCount / prepage, static
    pages up to maxStaticIndex). Numbering: "zero" means index_1 is page 2 (classic TRS), "one"
    means index_2 is page 2 (Guangdong, Hunan...). Without a registry hint the current-page
    argument on the first page decides (0 -> zero, 1 -> one).
    """
    page_links = page_links if page_links is not None else links(url, html)
    count = current = None
    stem, ext = "index", None
    for m in re.finditer(r"createPageHTML\s*\(([^)]*)\)", html):
        ints, strs = _js_args(m.group(1))
        if ints and not re.search(r"function\s+createPageHTML", html[max(0, m.start() - 20): m.start() + 20]):
            count = ints[0]
            current = ints[1] if len(ints) > 1 else 0
            if len(strs) >= 2:
                stem, ext = strs[-2], strs[-1]
            break
    if count is None:
        m = re.search(r"countPage\s*=\s*['\"]?(\d+)", html)
        if m:
            count = int(m.group(1))
            cm = re.search(r"currentPage\s*=\s*['\"]?(\d+)", html)
            current = int(cm.group(1)) if cm else 0
    if count is None:
        rec = re.search(r"recordCount\s*[:=]\s*['\"]?(\d+)", html)
        per = re.search(r"\bprepage\s*[:=]\s*['\"]?(\d+)", html, re.I)
        if rec and per and int(per.group(1)) > 0:
            count = math.ceil(int(rec.group(1)) / int(per.group(1)))
            current = 0
            static = re.search(r"maxStaticIndex\s*[:=]\s*['\"]?(\d+)", html)
            if static:
                count = min(count, int(static.group(1)) + 1)
    if not count or count <= 1:
        return []
    ext = (ext or _page_ext(url, page_links)).lstrip(".")
    mode = numbering or ("one" if current == 1 else "zero")
    numbers = range(1, count) if mode == "zero" else range(2, count + 1)
    return [urljoin(url, f"{stem}_{n}.{ext}") for n in numbers]


def pagination_links(url: str, page_links: list[Link], prefixes: tuple[str, ...]) -> list[str]:
    """Explicit pager anchors (下一页, page numbers, index_N files) that stay in the column."""
    out = []
    for link in page_links:
        if link.url == url or not under(link.url, prefixes) or _DETAIL_HINT.search(link.url):
            continue
        name = urlsplit(link.url).path.rsplit("/", 1)[-1]
        query = urlsplit(link.url).query
        text = link.text.lower()
        if (text in _NEXT_TEXTS or _PAGED_FILE.match(name) or (text.isdigit() and len(text) < 4)
                or re.search(r"(?:^|&)(?:page|pageNum|pageNo|page_no|pageIndex|curPage|cur_page|currpage|currentPage|pn|p)=\d+", query, re.I)):
            out.append(link.url)
    return list(dict.fromkeys(out))


_SUBCOLUMN_TEXT = re.compile(r"^(?:(?:19|20)\d{2}\s*年?度?(?:年[报報]|年度[报報]告|政府信息公开年[报報])?|.{0,20}(?:年[报報]|年度[报报]告))$")
_LIST_FILE = re.compile(r"/(?:[^/.]*|(?:index|list|default)(?:_\d+)?\.\w+)$")


def list_frames(url: str, html: str, prefixes: tuple[str, ...]) -> list[str]:
    """Pages framed into a list page under the column prefix (older sites show the list in an iframe)."""
    sel = Selector(text=html)
    resolve = _resolver(url, sel)
    out = []
    for src in sel.xpath("//iframe/@src | //frame/@src").getall():
        target = resolve(src)
        if target != url and under(target, prefixes) and not is_document_url(target):
            out.append(target)
    return list(dict.fromkeys(out))


def subcolumn_links(url: str, page_links: list[Link], prefixes: tuple[str, ...]) -> list[str]:
    """Sub-columns of a 年报 column (year folders such as 2021年, or 部门年报 groups) under its prefix."""
    out = []
    here = url.rstrip("/")
    for link in page_links:
        path = urlsplit(link.url).path
        if (not under(link.url, prefixes) or link.url.rstrip("/") == here or link.url in prefixes
                or _DETAIL_HINT.search(link.url) or is_document_url(link.url) or not _LIST_FILE.search(path)
                or _PAGED_FILE.match(path.rsplit("/", 1)[-1])):
            continue
        more = link.text.strip("»>.… ").lower() in ("更多", "more", "查看更多", "更多信息")
        if more or (_SUBCOLUMN_TEXT.match(link.text) and classify(link.text) in ("other", "maybe")):
            out.append(link.url)
    return list(dict.fromkeys(out))


def attachments(url: str, html: str, page_links: list[Link] | None = None,
                origins: set[str] | frozenset = frozenset()) -> list[Link]:
    """Document files a detail page offers: <a> to .pdf/.doc/..., viewer frames, URLs in scripts."""
    page_links = page_links if page_links is not None else links(url, html)
    found: dict[str, Link] = {}
    for link in page_links:
        if link.chrome:
            continue
        named_download = link.text.lower().endswith(DOC_EXTENSIONS) and re.search(
            r"down|attach|file|upload", link.url, re.I)
        parts = urlsplit(link.url)
        query_file = re.search(r"down|attach|file", parts.path, re.I) and _QUERY_DOC.search(parts.query)
        if is_document_url(link.url) or named_download or query_file:
            found.setdefault(link.url, link)
    sel = Selector(text=html)
    resolve = _resolver(url, sel, origins)
    viewers = [link.url for link in page_links if not link.chrome]
    for src in [*sel.xpath("//iframe/@src | //embed/@src | //object/@data").getall(), *viewers]:
        target = resolve(src)
        inner = dict(parse_qsl(urlsplit(target).query)).get("file")  # pdf.js viewer.html?file=/a.pdf
        if inner and is_document_url(inner):
            target = resolve(urljoin(target, inner))
        if is_document_url(target):
            found.setdefault(target, Link(target, "", ""))
    for script in sel.xpath("//script/text()").getall():
        for m in [*_SCRIPT_DOC_URL.finditer(script), *_SCRIPT_HREF.finditer(script)]:
            raw = m.group(1).replace("\\/", "/")
            target = resolve(raw)
            if urlsplit(target).scheme in ("http", "https"):
                found.setdefault(target, Link(target, "", ""))
    return list(found.values())


def article_pages(url: str, html: str, report_url: str | None = None,
                  page_links: list[Link] | None = None) -> list[str]:
    """Continuation pages of an article split over several files: TRS `createPageHTML(n, 0,
    "t2015..._ID", "html")`, or pager anchors to `{stem}_N.{ext}` next to the page. Only parts after
    this one (a part's pager links back to earlier parts; never loop)."""
    stem = urlsplit(report_url or url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    here = re.match(rf"^{re.escape(stem)}_(\d+)\.", urlsplit(url).path.rsplit("/", 1)[-1])
    current = int(here.group(1)) if here else 0
    out = []
    for m in re.finditer(r"createPageHTML\s*\(([^)]*)\)", html):
        ints, strs = _js_args(m.group(1))
        if ints and len(strs) >= 2 and strs[-2] == stem and ints[0] > 1:
            out += [(n, urljoin(url, f"{stem}_{n}.{strs[-1]}")) for n in range(1, ints[0])]
            break
    directory = url.rsplit("/", 1)[0] + "/"
    part = re.compile(rf"^{re.escape(stem)}_(\d+)\.\w+$")
    for link in page_links if page_links is not None else links(url, html):
        name = link.url[len(directory):] if link.url.startswith(directory) else ""
        m = part.match(name)
        if m and not link.chrome:
            out.append((int(m.group(1)), link.url))
    return list(dict.fromkeys(u for n, u in sorted(out) if n > current))


def report_column(html: str) -> bool:
    """Is this list page the 年报 column itself (ColumnName meta or <title> names 年报/年度报告)?"""
    sel = Selector(text=html)
    names = [meta(html).get("columnname", ""), " ".join(sel.xpath("//title//text()").getall())]
    return any(COLUMN_NAME.search(n) and classify(n) != "report" for n in names)


def meta(html: str) -> dict[str, str]:
    sel = Selector(text=html)
    out = {}
    for m in sel.xpath("//meta[@name and @content]"):
        out[m.xpath("@name").get().strip().lower()] = m.xpath("@content").get().strip()
    return out


def article_titles(html: str) -> list[str]:
    """Title candidates of a detail page, best first: ArticleTitle / og:title / title metas, <h1>,
    <h2>, elements whose class or id says title, then the parts of <title> (TRS writes
    "报告标题_栏目_站点"; other CMSs use " - " or "|")."""
    tags = meta(html)
    out = [normalise(tags[k]) for k in ("articletitle", "og:title", "title") if tags.get(k)]
    sel = Selector(text=html)
    for xp in ("//h1", "//h2", "//*[@id='title' or contains(concat(' ', @class, ' '), ' title ') or "
                              "contains(@class, 'tit') or contains(@class, 'bt')][not(self::a)]"):
        for node in sel.xpath(xp)[:3]:
            if node.xpath("ancestor-or-self::*[self::a]") or node.xpath(_CHROME_XPATH):
                continue
            text = normalise(" ".join(node.xpath(".//text()").getall()))
            if 4 <= len(text) <= 200:
                out.append(text)
    title = normalise(" ".join(sel.xpath("//title//text()").getall()))
    if title:
        out += [part for part in re.split(r"[_|｜]|--|\s-\s|-(?=[^-]*$)", " ".join(
            sel.xpath("//title//text()").getall()).strip()) if normalise(part)]
        out = [normalise(t) for t in out]
    return list(dict.fromkeys(t for t in out if t))


def article_title(html: str, report_column: bool = False) -> str:
    """Full title of a detail page: the first candidate that reads as a report, else the first."""
    candidates = article_titles(html)
    for text in candidates:
        if classify(text, report_column=report_column) == "report":
            return text
    return candidates[0] if candidates else ""


def publish_date(url: str, html: str) -> str | None:
    """ISO date from PubDate meta, a 发布日期 line, or the URL (TRS tYYYYMMDD, Hanweb /art/Y/M/D/)."""
    tags = meta(html) if html else {}
    for key in ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "dcterms.issued"):
        m = re.match(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})", tags.get(key, ""))
        if m:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if html:
        text = re.sub(r"<[^>]+>", " ", html[:200000])
        m = _DATE_TEXT.search(text)
        if m:
            return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = _URL_DATE.search(url)
    if m:
        y, mo, d = [g for g in m.groups() if g][:3]
        if 1 <= int(mo) <= 12 and 1 <= int(d) <= 31:
            return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    return None


def challenge(status: int, headers: dict[str, str], body: bytes) -> str | None:
    """Kind of anti-bot challenge page (recorded as `blocked`, never solved), or None."""
    head = body[:20000].decode("utf-8", "ignore")
    marked = any(m in head for m in CHALLENGE_MARKERS) or "x-via-jsl" in {k.lower() for k in headers}
    if status in (412, 521) and (marked or "document.cookie" in head or len(body) < 20000):
        return f"js_challenge_{status}"
    if marked and ("document.cookie" in head or status in (403, 405)):
        return f"js_challenge_{status}"
    return None
