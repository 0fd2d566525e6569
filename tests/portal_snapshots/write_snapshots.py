"""Write the saved-portal snapshots (static trees) under tests/portal_snapshots/<name>/.

Hand-written imitations of what saved copies of real CMS column pages look like (PORTALS.md §3):
site chrome (header, navigation, column tree, related links, footer, CSS/JS/images), list items
with truncated texts and full `title=` attributes, paging scripts, look-alike articles, report pages
with attachments and 上一篇/下一篇 links. Titles are synthetic. Run it after changing a snapshot:

    .venv/bin/python tests/portal_snapshots/write_snapshots.py

Per snapshot: the files (paths = URL paths), `_routes.json` (URL with query -> file, the
list APIs), optional `_hanweb.json` (dataproxy records), and `expected.json` (the registry entry
and what a correct crawl requests: list pages, API calls, report documents).
"""

from __future__ import annotations

import json
import posixpath
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\n"


def pdf(tag: str) -> bytes:
    return PDF + f"% {tag}\ntrailer<<>>\n%%EOF\n".encode()


def docx(tag: str) -> bytes:
    return b"PK\x03\x04\x14\x00\x06\x00" + tag.encode() + b"\x00word/document.xml"


class Snapshot:
    def __init__(self, name: str):
        self.root = HERE / name
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        self.routes: dict[str, str] = {}

    def put(self, path: str, data: bytes | str, encoding: str = "utf-8") -> str:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return path

    def finish(self, expected: dict) -> None:
        (self.root / "_routes.json").write_text(json.dumps(self.routes, ensure_ascii=False, indent=1), "utf-8")
        (self.root / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), "utf-8")


def chrome_head(title: str, site: str, column: str, charset: str = '<meta charset="utf-8">', extra: str = "") -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
{charset}
<meta name="SiteName" content="{site}">
<meta name="SiteDomain" content="www.example.gov.cn">
<meta name="SiteIDCode" content="3302000001">
<meta name="ColumnName" content="{column}">
<meta name="ColumnType" content="政府信息公开年报">
{extra}
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="/images/style.css">
<link rel="shortcut icon" href="/favicon.ico">
<script type="text/javascript" src="/js/jquery-1.12.4.min.js"></script>
<script type="text/javascript" src="/js/common.js"></script>
</head>
<body>
<div class="header"><div class="top-bar"><a href="/">网站首页</a> | <a href="/wza/">无障碍</a> |
<a href="http://www.gov.cn/" target="_blank">中国政府网</a> | <a href="/big5/">繁體</a></div>
<div class="logo"><a href="/"><img src="/images/logo.png" alt="{site}"></a></div>
<form action="/search/search.jsp" method="get"><input name="q"><input type="submit" value="搜索"></form>
</div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwdt/">政务动态</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li>
<li><a href="/zwgk/zfxxgk/">政府信息公开</a></li></ul></div>
"""


FOOTER = """<div class="footer"><div class="links">友情链接：<a href="http://www.gov.cn/">中国政府网</a>
<a href="http://www.zj.gov.cn/" target="_blank">省政府门户网站</a>
<a href="/zwgk/zfxxgk/zfxxgkzn/P020190110556104583562.pdf">政府信息公开指南（下载）</a></div>
<p>主办单位：示例市人民政府办公室 <a href="https://beian.miit.gov.cn/">浙ICP备00000000号</a>
<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33000000000000">浙公网安备 33000000000000号</a></p>
<p>网站标识码：3302000001 <script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E"));</script>
<a href="http://bszs.conac.cn/sitename?method=show&amp;id=000000"><img src="/images/dzjg.png"></a></p></div>
<script type="text/javascript" src="/js/footer.js"></script>
</body></html>
"""


def column_tree(base: str) -> str:
    return f"""<div class="left-tree"><h3>政府信息公开</h3><ul>
<li><a href="{base}zfxxgkzn/">政府信息公开指南</a></li><li><a href="{base}zfxxgkzd/">政府信息公开制度</a></li>
<li><a href="{base}fdzdgknr/">法定主动公开内容</a></li><li class="on"><a href="{base}zfxxgknb/">政府信息公开年报</a></li>
<li><a href="/hdjl/ysqgk/">依申请公开</a></li></ul></div>
"""


# ------------------------------------------------------------------------------------------------
def trs_zero() -> None:
    """TRS WCM, classic numbering (index_1.html is page 2), UTF-8, .htm detail pages."""
    s = Snapshot("trs_zero")
    col = "/zwgk/zfxxgk/zfxxgknb/"
    site = "示例市人民政府"
    rows = [  # (page, path, full title, text shown, date, report?)
        (0, "./202403/t20240305_91231.htm", "示例市人民政府2023年政府信息公开工作年度报告", "示例市人民政府2023年政府信息公开工作年度…", "2024-03-05", True),
        (0, "./202401/t20240125_90877.htm", "示例市教育局2023年政府信息公开工作年度报告", "示例市教育局2023年政府信息公开工作年度报告", "2024-01-25", True),
        (0, "./202402/t20240220_91002.htm", "示例市2024年政务公开工作要点", "示例市2024年政务公开工作要点", "2024-02-20", False),
        (1, "./202303/t20230328_80595.htm", "示例市人民政府2022年政府信息公开工作年度报告", "示例市人民政府2022年政府信息公开工…", "2023-03-28", True),
        (1, "./202303/t20230330_80602.htm", "图解：示例市人民政府2022年政府信息公开工作年度报告", "图解：示例市人民政府2022年政府信息…", "2023-03-30", False),
        (2, "./202203/t20220325_70011.htm", "示例市人民政府2021年度政府信息公开工作年度报告", "示例市人民政府2021年度政府信息公开工作年度报告", "2022-03-25", True),
        (2, "./202201/t20220110_69001.htm", "关于做好2021年政府信息公开工作年度报告编制发布工作的通知", "关于做好2021年政府信息公开工作年度报告编制…", "2022-01-10", False),
        (0, "../bmnb/jtj/202401/t20240126_90901.htm", "示例市交通运输局2023年政府信息公开工作年度报告", "示例市交通运输局2023年政府信息公开工作年度报告", "2024-01-26", True),
        (2, "./202202/t20220215_69502.htm", "示例市发展和改革局2021年政府信息公开工作年度报告", "示例市发展和改革局2021年政府信息公…", "2022-02-15", True),
        (2, "./202202/t20220216_69503.htm", "示例市2022年政务公开工作要点", "示例市2022年政务公开工作要…", "2022-02-16", False),
    ]
    untitled = {"./202202/t20220215_69502.htm", "./202202/t20220216_69503.htm"}  # list shows the cut text only
    scripted = {"./202303/t20230328_80595.htm"}
    names = ["index.html", "index_1.html", "index_2.html"]
    for page, name in enumerate(names):
        def item(href: str, full: str, text: str, date: str) -> str:
            if href in scripted:  # the template writes the link with a script (title cut by substring)
                return (f'<li><script>var t="{full}";var u="{href}";document.write("<a href=\'"+u+"\' target=\'_blank\'>"'
                        f'+(t.length>20?t.substring(0,20)+"…":t)+"</a>");</script><span>{date}</span></li>')
            attr = "" if href in untitled else f' title="{full}"'
            if href == "./202401/t20240125_90877.htm":  # absolute link to the original site (kept in the copy)
                href = "http://www.example.gov.cn" + col + href[2:]
            return f'<li><a href="{href}" target="_blank"{attr}>{text}</a><span>{date}</span></li>'
        items = "\n".join(item(href, full, text, date) for p, href, full, text, date, _ in rows if p == page)
        html = chrome_head(f"政府信息公开年报_{site}", site, "政府信息公开年报") + column_tree("/zwgk/zfxxgk/") + f"""
<div class="right-main"><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; <a href="./">政府信息公开年报</a></div>
<div class="list"><ul class="list-ul">
{items}
</ul>
<div class="page"><script type="text/javascript">
createPageHTML(3, {page}, "index", "html");
</script></div></div></div>
<div class="related"><h4>热点专题</h4><ul><li><a href="/zt/2024lh/">2024年全国两会</a></li>
<li><a href="/zwgk/zfxxgk/bmnb/202401/t20240110_90001.htm" title="示例市体育局2023年政府信息公开工作年度报告">示例市体育局2023年政府信息公开工作年度报告</a></li></ul></div>
<div class="zxxx"><h4>最新信息</h4><ul><li><a href="/zwgk/zfxxgk/fdzdgknr/202401/t20240111_90002.htm">示例市民政局2023年政府信息公开工作年度报告</a></li>
<li><a href="/zwdt/202403/t20240306_91300.htm">示例市召开政务公开工作推进会</a></li></ul></div>
""" + FOOTER
        s.put(col + name, html)
    reports = {}
    for i, (_p, href, full, _t, date, is_report) in enumerate(rows):
        path = posixpath.normpath(col + href) + ("/" if href.endswith("/") else "")
        d = path.rsplit("/", 1)[0] + "/"
        stem = path.rsplit("/", 1)[1].rsplit(".", 1)[0]
        att = f"P0{date.replace('-', '')}55{i}1234567.pdf"
        body_cls = "TRS_Editor" if i % 2 else "trs_editor_view TRS_UEDITOR"
        prev_next = ('<div class="fy">上一篇：<a href="../202402/t20240201_90900.htm">示例市召开全市安全生产工作会议</a><br>'
                     '下一篇：<a href="../../fdzdgknr/202401/t20240103_88000.htm">示例市2023年国民经济和社会发展统计公报</a></div>')
        appendix = ""
        pager = f'<div class="page"><script>createPageHTML(2, 0, "{stem}", "htm");</script></div>' if i == 0 else ""
        if is_report:
            appendix = f"""<div class="appendix"><span>附件：</span><script>
var file_appendix='<a href="./{att}">{full}.pdf</a>';
if(file_appendix!=''){{document.write('<ul id="file_ul_fj"><li>'+file_appendix+'</li></ul>');}}
</script></div>"""
        html = chrome_head(f"{full}_政府信息公开年报_{site}", site, "政府信息公开年报", extra=(
            f'<meta name="ArticleTitle" content="{full}">\n<meta name="PubDate" content="{date} 09:30">\n'
            f'<meta name="ContentSource" content="示例市人民政府办公室">')) + f"""
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="../">政府信息公开年报</a> &gt; 正文</div>
<table class="xxgk-head"><tr><td>索引号：</td><td>002563001/{date[:4]}-0{i}123</td><td>分类：</td><td>政府信息公开年报</td></tr>
<tr><td>发布机构：</td><td>示例市人民政府办公室</td><td>发文日期：</td><td>{date}</td></tr></table>
<h1>{full}</h1>
<div class="{body_cls}"><p>根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，编制本报告。</p>
<table border="1"><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>{i}</td></tr></table></div>
{pager}{appendix}
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a>
<a href="javascript:void(0)" onclick="share()">分享</a></div>
{prev_next}
<div class="xgwz"><h4>相关文章</h4><ul><li><a href="/zwgk/zfxxgk/bmnb/202401/t20240110_90001.htm">示例市体育局2023年政府信息公开工作年度报告</a></li>
<li><a href="/zwgk/zfxxgk/zfxxgkzn/P020190110556104583562.pdf">政府信息公开指南.pdf</a></li></ul></div>
""" + FOOTER
        s.put(path, html)
        if is_report:
            s.put(d + att, pdf(full))
            reports[path] = [d + att]
        if i == 0:  # a long report split by TRS into two pages
            s.put(d + stem + "_1.htm", html.replace("编制本报告。", "（续）"))
            reports[path].append(d + stem + "_1.htm")
    s.put("/zwgk/zfxxgk/bmnb/202401/t20240110_90001.htm", "<html><body>其他栏目</body></html>")
    s.put("/zwgk/zfxxgk/fdzdgknr/202401/t20240111_90002.htm", "<html><body>其他栏目</body></html>")
    s.put("/zwgk/zfxxgk/zfxxgkzn/P020190110556104583562.pdf", pdf("指南"))
    s.finish({
        "entry": {"id": "snap-trs-zero", "agency": "示例市人民政府", "region_code": "330200", "level": "prefecture",
                  "platform": "trs", "verified": False},
        "start": col,
        "list_pages": [col, col + "index_1.html", col + "index_2.html"],
        "api": [],
        "reports": reports,
        "not_requested": ["/zwgk/zfxxgk/bmnb/202401/t20240110_90001.htm",
                          "/zwgk/zfxxgk/zfxxgkzn/P020190110556104583562.pdf",
                          col + "202402/t20240220_91002.htm", col + "202303/t20230330_80602.htm",
                          col + "202202/t20220216_69503.htm", "/zwgk/zfxxgk/fdzdgknr/202401/t20240111_90002.htm"],
    })


# ------------------------------------------------------------------------------------------------
def trs_one() -> None:
    """TRS with Guangdong-style numbering (index_2.shtml is page 2), a <base href> left pointing at the
    original host, a report split over three pages, attachments with Chinese names and spaces,
    and `../../` attachment links."""
    s = Snapshot("trs_one")
    col = "/gkmlpt_x/zwgk/xxgknb/"
    site = "示例县人民政府"
    rows = [
        (1, "./202401/t20240118_5512.shtml", "示例县财政局2023年政府信息公开工作年度报告", "示例县财政局2023年政府信息公开工作…", True),
        (1, "./202401/t20240120_5513.shtml", "示例县2023年政府网站工作年度报表", "示例县2023年政府网站工作年度报表", False),
        (2, "./202301/t20230116_4410.shtml", "示例县财政局2022年政府信息公开工作年度报告", "示例县财政局2022年政府信息公开工作…", True),
        (3, "./202201/t20220119_3307.shtml", "示例县财政局2021年政府信息公开工作年度报告", "示例县财政局2021年政府信息…", True),
        (3, "./202201/t20220121_3308.shtml", "示例县财政局2021年部门决算公开", "示例县财政局2021年部门决算公开", False),
        (3, "./202101/t20210115_2201.shtml", "示例县财政局2020年政府信息公开工作年度报告", "查看", True),
    ]
    names = {1: "index.shtml", 2: "index_2.shtml", 3: "index_3.shtml"}
    for page, name in names.items():
        items = "\n".join(
            (f'<tr><td class="bt">{full}</td><td>{href[2:6]}-01-1{page}</td><td><a href="{href}">{text}</a></td></tr>'
             if text == "查看" else
             f'<tr><td class="bt"><a href="{href}" title="{full}" target="_blank">{text}</a></td><td>{href[2:6]}-01-1{page}</td></tr>')
            for p, href, full, text, _ in rows if p == page)
        html = chrome_head(f"信息公开年报 - {site}", site, "信息公开年报",
                           extra='<base href="http://www.sxx.gov.cn/gkmlpt_x/zwgk/xxgknb/" target="_blank">') + column_tree("/gkmlpt_x/zwgk/") + f"""
<div class="main"><table class="list-table"><tbody>
{items}
</tbody></table>
<div id="page_div"></div><script>createPageHTML('page_div', 3, {page}, 'index', 'shtml', 2);</script></div>
""" + FOOTER
        s.put(col + name, html)
    reports = {}
    for i, (_p, href, full, _t, is_report) in enumerate(rows):
        path = col + href[2:]
        d = path.rsplit("/", 1)[0] + "/"
        stem = path.rsplit("/", 1)[1].rsplit(".", 1)[0]
        year = href[2:6]
        docs = []
        body = "<p>本报告由示例县财政局编制。</p>"
        if is_report:
            cn_name = f"{int(year) - 1}年 政府信息公开 年度报告.pdf"
            s.put(d + cn_name, pdf(full + "cn"))
            from urllib.parse import quote
            up = f"/uploads/{year}/附表 {i}.xlsx"
            s.put(up, b"PK\x03\x04xlsx" + full.encode())
            body += (f'<p class="insertfileTag"><a href="./{cn_name}" appendix="true">{cn_name}</a></p>'
                     f'<p>附表：<a href="../../../../uploads/{year}/{quote("附表 ")}{i}.xlsx">附表{i}.xlsx</a></p>')
            docs = [d + cn_name, up]
            if i == 2:
                s.put(d + "viewer-copy.pdf", pdf(full + "viewer"))
                body += f'<iframe src="/pdfjs/web/viewer.html?file={d}viewer-copy.pdf" width="100%"></iframe>'
                docs.append(d + "viewer-copy.pdf")
        pager = ""
        if i == 0:
            pager = f'<div id="pagenav"></div><script>createPageHTML(3, 0, "{stem}", "shtml");</script>'
        html = chrome_head(f"{full}", site, "信息公开年报", extra=(
            '<base href="http://www.sxx.gov.cn/" target="_blank">\n'
            f'<meta name="ArticleTitle" content="{full}">')) + f"""
<div class="content"><h2 class="title">{full}</h2><div class="info">发布日期：{year}-01-18 来源：示例县财政局</div>
<div class="TRS_Editor">{body}</div>{pager}
<div class="prev-next"><a href="../202312/t20231228_5401.shtml">上一篇：示例县财政局关于2024年元旦春节期间安排的通知</a>
<a href="../202402/t20240201_5601.shtml">下一篇：示例县2024年第一季度财政收支情况</a></div></div>
""" + FOOTER
        s.put(path, html)
        if is_report:
            reports[path] = docs
        if i == 0:
            for n in (1, 2):
                s.put(d + f"{stem}_{n}.shtml", html.replace("本报告由示例县财政局编制。", f"（第{n + 1}页）"))
                reports[path].append(d + f"{stem}_{n}.shtml")
    s.finish({
        "entry": {"id": "snap-trs-one", "agency": "示例县人民政府", "region_code": "441234", "level": "county",
                  "platform": "trs", "verified": False, "allowed_domains": ["localhost"]},
        "start": col + "index.shtml",
        "list_pages": [col + "index.shtml", col + "index_2.shtml", col + "index_3.shtml"],
        "api": [],
        "reports": reports,
        "not_requested": [col + "index_1.shtml", col + "202401/t20240120_5513.shtml",
                          col + "202312/t20231228_5401.shtml"],
    })


# ------------------------------------------------------------------------------------------------
def generic_gbk() -> None:
    """A home-grown CMS: GBK pages declared gb2312 (with GBK-only characters), 下一页 pagination
    through list_2.html then ?page=3, javascript: pager links, look-alikes, attachment-only
    reports (PDF, DOCX, WPS) and a last list page saved with a UTF-8 BOM and no charset."""
    s = Snapshot("generic_gbk")
    col = "/xxgk/gknb/"
    site = "示例区旸谷街道办事处"
    rows = {
        1: [("content/2024/0131/81.jhtml", "旸谷街道2023年政府信息公开工作年度报告", True),
            ("content/2024/0201/82.html", "旸谷街道2024年政务公开工作要点", False),
            ("content/2024/0115/80.html", "旸谷街道2023年政务公开工作要点落实情况", False),
            ("files/2023nb.pdf", "旸谷街道2022年政府信息公开工作年度报告（PDF版）", True)],
        2: [("content/2023/0120/61.html", "旸谷街道2022年度报告", True),
            ("content/2023/0125/62.html", "一图读懂旸谷街道2022年政府信息公开工作年度报告", False),
            ("content/2023/0110/60.html", "旸谷街道2022年统计数据", False),
            ("files/2021年度报告.docx", "旸谷街道2021年政府信息公开工作年度报告", True),
            ("content/2023/0301/63.html", "旸谷街道2022年政府信息公开工作年度报告（更正版）", True),
            ("content/2022/0120/51.html", "旸谷街道2021年度政府信息公开工作年度报告", True)],
        3: [("files/2020nb.wps", "旸谷街道2020年政府信息公开工作年度报告", True),
            ("content/2021/0118/41.html", "旸谷街道2020年政府网站年度报表", False)],
    }
    pager = {1: '<a href="javascript:void(0)">首页</a> <a href="javascript:goPage(0)">上一页</a> <span>1</span> '
                '<a href="list_2.html">2</a> <a href="list.html?page=3">3</a> <a href="list_2.html">下一页</a> '
                '<a href="list.html?page=3">尾页</a> <a href="javascript:goPage(3)">跳转</a>',
             2: '<a href="list.html">首页</a> <a href="list.html">上一页</a> <a href="list.html">1</a> <span>2</span> '
                '<a href="list.html?page=3">3</a> <a href="list.html?page=3">下一页</a> <a href="list.html?page=3">尾页</a>',
             3: '<a href="list.html">首页</a> <a href="list_2.html">上一页</a> <a href="list.html">1</a> '
                '<a href="list_2.html">2</a> <span>3</span> <a href="javascript:;">下一页</a>'}
    files = {1: "list.html", 2: "list_2.html", 3: "list_page3.html"}
    for page, name in files.items():
        def item(href: str, title: str) -> str:
            if href.endswith("/63.html"):  # opened by script
                return f'<a href="javascript:void(0)" onclick="window.open(\'{href}\')">{title}</a>'
            if href.endswith("/51.html"):  # cut short, no title attribute; its page says the rest
                return f'<a href="{href}">{title[:14]}…</a>'
            return f'<a href="{href}">{title}</a>'
        items = "\n".join(f'<li><span class="date">[{href[8:12] if href.startswith("content") else "2024"}]</span>'
                          f'{item(href, title)}</li>' for href, title, _ in rows[page])
        charset = "" if page == 3 else '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        html = chrome_head(f"{site}-公开年报", site, "公开年报", charset=charset) + f"""
<div id="sidebar"><a href="/xxgk/">信息公开</a><a href="/xxgk/gkzn/">公开指南</a><a href="/xxgk/gknb/">公开年报</a></div>
<div id="main"><ul class="newslist">
{items}
</ul><div class="pages">{pager[page]}</div></div>
""" + FOOTER
        if page == 3:
            s.put(col + name, b"\xef\xbb\xbf" + html.encode("utf-8"))
        else:
            s.put(col + name, html, encoding="gbk")
    s.routes[col + "list.html?page=3"] = col + files[3]
    reports = {}
    for page_rows in rows.values():
        for href, title, is_report in page_rows:
            path = col + href
            if href.startswith("files/"):
                data = {"pdf": pdf(title), "docx": docx(title), "wps": b"\xd0\xcf\x11\xe0" + title.encode("gbk")}
                s.put(path, data[href.rsplit(".", 1)[1]])
                reports[path] = []
                continue
            att = ""
            stem = href.rsplit("/", 1)[1].split(".")[0]
            if stem == "63":
                att = '<p><a href="javascript:downLoadFile(\'/uploadfile/2023/更正 版.pdf\')">下载附件</a></p>'
                s.put("/uploadfile/2023/更正 版.pdf", pdf(title))
                reports[path] = ["/uploadfile/2023/更正 版.pdf"]
            elif is_report:
                att = f'<p>附件：<a href="/uploadfile/{href[8:12]}/nb{stem}.pdf">年度报告全文.pdf</a></p>'
                s.put(f"/uploadfile/{href[8:12]}/nb{stem}.pdf", pdf(title))
                reports[path] = [f"/uploadfile/{href[8:12]}/nb{stem}.pdf"]
            page_title = site if stem == "51" else f"{title}-{site}"  # <title> without the report's title
            html = chrome_head(page_title, site, "公开年报",
                               charset='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">') + f"""
<div id="main"><div class="title">{title}</div><div class="info">发布时间：{href[8:12]}-{href[13:15]}-{href[15:17]}</div>
<div id="zoom"><p>旸谷街道{title}正文。</p></div>{att}
<div class="next">上一篇：<a href="/xxgk/tzgg/content/2024/0101/70.html">关于元旦放假的通知</a></div></div>
""" + FOOTER
            s.put(path, html, encoding="gbk")
            if stem == "81":  # a long report split over three files, linked by a plain pager
                names = ["81.jhtml", "81_1.jhtml", "81_2.jhtml"]
                for n, name in enumerate(names):
                    pager = " ".join(f'<a href="{x}">{k + 1}</a>' for k, x in enumerate(names) if k != n)
                    if n + 1 < len(names):
                        pager += f' <a href="{names[n + 1]}">下一页</a>'
                    s.put(path.rsplit("/", 1)[0] + "/" + name,
                          html.replace("正文。</p></div>", f"正文（第{n + 1}页）。</p></div><div class=\"pages\">{pager}</div>"),
                          encoding="gbk")
                reports[path] += [path.rsplit("/", 1)[0] + "/" + x for x in names[1:]]
    s.finish({
        "entry": {"id": "snap-generic-gbk", "agency": site, "region_code": "320102", "level": "township",
                  "platform": "generic", "verified": False},
        "start": col + "list.html",
        "list_pages": [col + "list.html", col + "list_2.html", col + "list.html?page=3"],
        "api": [],
        "reports": reports,
        "not_requested": [col + "content/2024/0201/82.html", col + "content/2023/0125/62.html",
                          "/xxgk/tzgg/content/2024/0101/70.html"],
    })


# ------------------------------------------------------------------------------------------------
def hanweb() -> None:
    """Hanweb JCMS column: the first group (2 pages x 5) embedded in <datastore>, the rest from
    /module/web/jpage/dataproxy.jsp (POST, startrecord/endrecord/perpage); /art/Y/M/D/art_col_id.html."""
    s = Snapshot("hanweb")
    colid, unit, webid = 1229, 5812345, 3
    records = []
    reports = {}
    not_requested = []
    for n in range(20):
        year = 2023 - n // 4
        kind = n % 4
        artid = 58000000 + n
        path = f"/art/{year + 1}/1/{10 + n % 15}/art_{colid}_{artid}.html"
        if kind == 0:
            title = f"示例县人民政府{year}年政府信息公开工作年度报告"
        elif kind == 1:
            title = f"示例县卫生健康局{year}年度政府信息公开工作年度报告"
        elif kind == 2:
            title = f"关于开展{year}年度企业年报公示工作的通知"
        else:
            title = f"示例县{year}年政务公开工作要点"
        short = title[:16] + "..." if len(title) > 16 else title
        records.append(f'<li><a href="{path}" title="{title}" target="_blank">{short}</a><span>{year + 1}-01-{10 + n % 15:02d}</span></li>')
        if kind in (0, 1):
            att = f"/module/download/downfile.jsp?classid=0&filename={artid}.pdf"
            body = (f'<div class="main-txt"><p>{title}。</p></div>'
                    f'<p>附件：<a href="{att.replace("&", "&amp;")}" target="_blank">附件1</a></p>')
            s.put(f"/_files/downfile_{artid}.pdf", pdf(title))
            s.routes[att] = f"/_files/downfile_{artid}.pdf"
            reports[path] = [att]
        else:
            body = f"<p>{title}</p>"
            not_requested.append(path)
        html = chrome_head(title, "示例县人民政府", "政府信息公开年报", extra=(
            f'<meta name="ArticleTitle" content="{title}">\n<meta name="PubDate" content="{year + 1}-01-10 08:00">')) + f"""
<div class="xxgk_table"><table><tr><td>索引号</td><td>113300000026455663/{year + 1}-00{n}</td></tr></table></div>
<div id="zoom">{body}</div>
<div class="art-prev">上一篇：<a href="/art/{year + 1}/1/9/art_1228_57000001.html">示例县召开春节前安全生产工作会</a></div>
""" + FOOTER
        s.put(path, html)
    s.put("/_hanweb/records.json", json.dumps(records, ensure_ascii=False))
    first = "".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in records[:10])  # groupSize x perPage
    page = chrome_head("政府信息公开年报 示例县人民政府", "示例县人民政府", "政府信息公开年报") + f"""
<div class="crumb"><a href="/">首页</a> &gt; <a href="/col/col1200/index.html">政府信息公开</a> &gt; 政府信息公开年报</div>
<div class="left"><ul><li><a href="/col/col1227/index.html">政府信息公开指南</a></li>
<li><a href="/col/col1228/index.html">政府信息公开制度</a></li><li><a href="/col/col{colid}/index.html">政府信息公开年报</a></li></ul></div>
<div class="right"><div id="{unit}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={webid}&path=/&columnid={colid}&unitid={unit}&webname=%E7%A4%BA%E4%BE%8B%E5%8E%BF&permissiontype=0"></a>]]></nextgroup>
<recordset>
{first}
</recordset>
</datastore></script></div>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>$(document).ready(function(){{$('#{unit}').jpage({{dataStore: dataStore, perPage: 5, totalRecord: 20, groupSize: 2,
proxyUrl: '/module/web/jpage/dataproxy.jsp', barPosition: 'bottom', ajaxParam: {{webid: {webid}, columnid: {colid}}}}});}});</script>
</div>
""" + FOOTER
    s.put(f"/col/col{colid}/index.html", page)
    (s.root / "_hanweb.json").write_text(json.dumps({
        "path": "/module/web/jpage/dataproxy.jsp", "columnid": str(colid), "records": "/_hanweb/records.json",
        "perpage": 5, "group": 2}), "utf-8")
    s.finish({
        "entry": {"id": "snap-hanweb", "agency": "示例县人民政府", "region_code": "331102", "level": "county",
                  "platform": "hanweb", "verified": False},
        "start": f"/col/col{colid}/index.html",
        "list_pages": [f"/col/col{colid}/index.html"],
        "api": ["/module/web/jpage/dataproxy.jsp"],
        "reports": reports,
        "not_requested": not_requested,
    })


# ------------------------------------------------------------------------------------------------
def gkmlpt() -> None:
    """Guangdong gkmlpt: an SPA shell, a JSON list API (3 articles a page) and post_ID detail pages
    whose attachments are only named in window._CONFIG.DETAIL."""
    s = Snapshot("gkmlpt")
    origin = "www.sj.example.gov.cn"
    site_path = "/sjzj"
    cat, sid = 2571, 757
    shell = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>示例市住房和城乡建设局政府信息公开目录</title>
<meta name="SiteName" content="示例市住房和城乡建设局"><meta name="SiteIDCode" content="4417000012">
<link href="/gkmlpt/gkml/pc/css/app.3c1e2a.css" rel="stylesheet"></head>
<body><div id="app"></div><noscript>请开启JavaScript</noscript>
<script>window._CONFIG = {{ SID: '{sid}', SITE_NAME: '示例市住房和城乡建设局', DEPT_ID: 963, ROOT: '{site_path}/gkmlpt' }};</script>
<script src="/gkmlpt/gkml/pc/js/chunk-vendors.8a2b1c.js"></script><script src="/gkmlpt/gkml/pc/js/app.1f2e3d.js"></script>
<div class="foot"><a href="http://www.gd.gov.cn/">广东省人民政府</a></div></body></html>"""
    s.put(f"{site_path}/gkmlpt/index", shell)
    arts = []
    reports = {}
    not_requested = []
    titles = [("示例市住房和城乡建设局2023年政府信息公开工作年度报告", True),
              ("示例市住房和城乡建设局2023年政务公开工作要点", False),
              ("示例市住房和城乡建设局2022年政府信息公开工作年度报告", True),
              ("示例市住房和城乡建设局2022年政府信息公开工作年度报告（解读）", False),
              ("示例市住房和城乡建设局2021年政府信息公开工作年度报告", True)]
    for n, (title, is_report) in enumerate(titles):
        pid = 963100 + n
        path = f"{site_path}/gkmlpt/content/0/963/post_{pid}.html"
        # the API names the original site (a saved copy keeps that); replayed on 127.0.0.1
        arts.append({"id": pid, "title": title, "url": f"http://{origin}{path}",
                     "first_publish_time": 1706000000 - n * 31536000, "publisher": "示例市住房和城乡建设局"})
        detail = {"id": pid, "title": title, "content": f"<p>{title}</p>",
                  "attachment": ([{"name": f"{title}.pdf",
                                   "url": f"http:\\/\\/{origin}\\/attachment\\/0\\/88\\/88{n}\\/{pid}.pdf"}]
                                 if is_report else [])}
        html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta name="ArticleTitle" content="{title}"></head><body>
<div class="header"><a href="{site_path}/">首页</a><a href="{site_path}/gkmlpt/index">信息公开目录</a></div>
<div class="content"><h1>{title}</h1><div class="article-content"><p>{title}正文。</p></div></div>
<script>window._CONFIG = {{"DETAIL": {json.dumps(detail, ensure_ascii=False).replace(chr(92) * 2, chr(92))}}};</script>
<div class="footer"><a href="{site_path}/gkmlpt/policy">政策文件</a></div></body></html>"""
        s.put(path, html)
        if is_report:
            s.put(f"/attachment/0/88/88{n}/{pid}.pdf", pdf(title))
            reports[path] = [f"/attachment/0/88/88{n}/{pid}.pdf"]
        else:
            not_requested.append(path)
    for page in (1, 2):
        chunk = arts[(page - 1) * 3: page * 3]
        body = {"total": len(arts), "page": page, "articles": chunk, "classify": {"id": cat, "name": "政府信息公开年报"}}
        s.put(f"/_api/all_{cat}_page{page}.json", json.dumps(body, ensure_ascii=False))
        s.routes[f"{site_path}/gkmlpt/api/all/{cat}?page={page}&sid={sid}"] = f"/_api/all_{cat}_page{page}.json"
    s.finish({
        "entry": {"id": "snap-gkmlpt", "agency": "示例市住房和城乡建设局", "region_code": "441700", "level": "department",
                  "platform": "gkmlpt", "verified": False},
        "start": f"{site_path}/gkmlpt/index#{cat}",
        "list_pages": [f"{site_path}/gkmlpt/index"],
        "api": [f"{site_path}/gkmlpt/api/all/{cat}"],
        "reports": reports,
        "not_requested": not_requested,
    })


# ------------------------------------------------------------------------------------------------
def trs_landing() -> None:
    """A TRS 年报 landing page: sub-column blocks (市政府年报 / 部门年报 / 乡镇年报, headed by links
    into the column, 更多>>), department reports that live in the departments' own columns (outside
    the column's directory), and a dated 最新公开 side box listing another column's report."""
    s = Snapshot("trs_landing")
    col = "/zfxxgk/nb/"
    site = "示例市人民政府"
    blocks = {  # sub-column -> [(path, title, date)]
        "szfnb": [(col + "szfnb/202403/t20240301_1001.html", "示例市人民政府2023年政府信息公开工作年度报告", "2024-03-01"),
                  (col + "szfnb/202303/t20230301_901.html", "示例市人民政府2022年政府信息公开工作年度报告", "2023-03-01"),
                  (col + "szfnb/202203/t20220301_801.html", "示例市人民政府2021年政府信息公开工作年度报告", "2022-03-01")],
        "bmnb": [("/bm/jyj/xxgk/nb/202401/t20240120_2001.html", "示例市教育局2023年政府信息公开工作年度报告", "2024-01-20"),
                 ("/bm/wjw/xxgk/nb/202401/t20240121_2002.html", "示例市卫生健康委员会2023年政府信息公开工作年度报告", "2024-01-21"),
                 ("/bm/ajj/xxgk/nb/202401/t20240118_2000.html", "示例市应急管理局2023年政府信息公开工作年度报告", "2024-01-18")],
        "xznb": [(col + "xznb/202402/t20240205_3001.html", "示例市东城街道2023年政府信息公开工作年度报告", "2024-02-05"),
                 (col + "xznb/202302/t20230210_2901.html", "示例市东城街道2022年政府信息公开工作年度报告", "2023-02-10")],
    }
    bare = {col + "xznb/202302/t20230210_2901.html": "2022年度"}  # the list says only the year
    names = {"szfnb": "市政府年报", "bmnb": "部门年报", "xznb": "乡镇年报"}
    side = """<div class="side"><h3><a href="/zwgk/zxgk/">最新公开</a></h3><ul>
<li><a href="/zwgk/zxgk/202403/t20240310_5001.html">示例市2024年政务公开工作要点</a><span>2024-03-10</span></li>
<li><a href="/bm/sjj/xxgk/nb/202401/t20240125_2003.html">示例市审计局2023年政府信息公开工作年度报告</a><span>2024-01-25</span></li>
<li><a href="/zwgk/zxgk/202403/t20240308_5000.html">示例市人民政府关于调整部分行政许可事项的通知</a><span>2024-03-08</span></li>
<li><a href="/zwgk/zxgk/202403/t20240305_4999.html">示例市2024年重点民生实事项目</a><span>2024-03-05</span></li>
<li><a href="/zwgk/zxgk/202403/t20240302_4998.html">示例市人民政府办公室关于印发示例市防汛预案的通知</a><span>2024-03-02</span></li></ul></div>"""

    def items(rows, base_dir):
        return "\n".join(f'<li><a href="{posixpath.relpath(p, base_dir)}" title="{bare.get(p, t)}">{bare.get(p, t[:18] + "…")}</a>'
                          f'<span>{d}</span></li>' for p, t, d in rows)

    boxes = []
    for key, rows in blocks.items():
        more = f'<a class="more" href="./{key}/">更多&gt;&gt;</a>' if key == "xznb" else ""
        head = f'<h3>{names[key]}</h3>' if key == "xznb" else f'<h3><a href="./{key}/">{names[key]}</a></h3>'
        boxes.append(f'<div class="box"><div class="box-hd">{head}{more}</div><ul>\n{items(rows[:2], col)}\n</ul></div>')
    landing = (chrome_head(f"政府信息公开年报_{site}", site, "政府信息公开年报") + column_tree("/zfxxgk/")
               + '<div class="main">' + "\n".join(boxes) + "</div>\n" + side + FOOTER)
    s.put(col + "index.html", landing)
    reports = {}
    for key, rows in blocks.items():
        sub = col + key + "/"
        page = (chrome_head(f"{names[key]}_{site}", site, names[key]) + column_tree("/zfxxgk/")
                + f'<div class="main"><div class="lm-title">{names[key]}</div><ul class="list">\n{items(rows, sub)}\n</ul>'
                + '<div class="page"><script>createPageHTML(1, 0, "index", "html");</script></div></div>\n' + side + FOOTER)
        s.put(sub + "index.html", page)
        for n, (path, title, date) in enumerate(rows):
            d = path.rsplit("/", 1)[0] + "/"
            att = f"P0{date.replace('-', '')}{n}.pdf"
            html = chrome_head(f"{title}_{site}", site, names[key], extra=f'<meta name="ArticleTitle" content="{title}">') + f"""
<div class="article"><h1>{title}</h1><div class="trs_editor_view TRS_UEDITOR trs_paper_default"><p>{title}。</p></div>
<div class="appendix">附件：<a href="./{att}">{title}.pdf</a></div></div>
""" + side + FOOTER
            s.put(path, html)
            s.put(d + att, pdf(title))
            reports[path] = [d + att]
    for path in ("/bm/sjj/xxgk/nb/202401/t20240125_2003.html", "/zwgk/zxgk/202403/t20240310_5001.html"):
        s.put(path, "<html><body>其他栏目</body></html>")
    s.finish({
        "entry": {"id": "snap-trs-landing", "agency": site, "region_code": "330300", "level": "prefecture",
                  "platform": "trs", "verified": False},
        "start": col,
        "list_pages": [col, col + "szfnb/", col + "bmnb/", col + "xznb/"],
        "api": [],
        "reports": reports,
        "not_requested": ["/bm/sjj/xxgk/nb/202401/t20240125_2003.html", "/zwgk/zxgk/202403/t20240310_5001.html"],
    })


if __name__ == "__main__":
    for make in (trs_zero, trs_one, generic_gbk, hanweb, gkmlpt, trs_landing):
        make()
        print("wrote", make.__name__)
