"""Unit tests of the spider's page reading: titles, TRS/generic pagination, attachments, decoding,
challenge detection. Pure functions, no network."""

from __future__ import annotations

import codecs

import pytest

from spiders import pages, titles
from spiders.encoding import decode_html
from spiders.mixins.hanweb import records

COLUMN = "http://127.0.0.1:8000/zwgk/zfxxgk/zfxxgknb/"


@pytest.mark.parametrize("title, verdict", [
    ("平潭综合实验区2020年度政府信息公开工作年度报告", "report"),
    ("平潭综合实验区地方税务局2013年信息公开年度报告", "report"),
    ("天津市审计局2020年度政府信息公开工作报告", "report"),
    ("2009年上海市長寧區政府信息公開年報", "report"),
    ("2021年政务公开工作年度报告", "report"),
    ("二〇二〇年政府信息公开工作年度报告", "report"),
    ("关于2014年政府信息公开工作要点落实情况的函", "lookalike"),
    ("2024年政务公开工作要点", "lookalike"),
    ("关于开展2022年度企业年报公示工作的通知", "lookalike"),
    ("图解：2022年政府信息公开工作年度报告", "lookalike"),
    ("某局2022年度法治政府建设年度报告", "lookalike"),
    ("关于做好2023年政府信息公开工作年度报告编制发布工作的通知", "lookalike"),
    ("平潭综合实验区2020年度政府信息公开工...", "maybe"),
    ("平潭综合实验区2020年度政府信…", "maybe"),
    ("2021年全区经济工作会议召开...", "other"),
    ("某市机构编制委员会办公室2021年政府信息公开工作年度报告", "report"),
    ("某市社会组织管理局2021年政府信息公开工作年度报告", "report"),
    ("某市职业技能培训中心2020年政府信息公开年报", "report"),
    ("某市统计局2022年政府信息公开工作年度报告", "report"),
    ("政府信息公开年报", "other"),          # the column's own navigation link
    ("政府信息公开指南", "other"),
    ("XX区2022年统计数据", "other"),
])
def test_title_classification(title, verdict):
    assert titles.classify(title) == verdict


def test_links_prefer_full_title_attribute_and_resolve_trs_relative_urls():
    html = ('<dl><dd><a href="./202103/t20210305_80595.htm" title="平潭综合实验区2020年度政府信息公开工作年度报告">'
            '平潭综合实验区2020年度政府信...</a></dd></dl><a href="javascript:;">x</a><a href="#top">top</a>')
    (link,) = pages.links(COLUMN, html)
    assert link.url == COLUMN + "202103/t20210305_80595.htm"
    assert link.title == "平潭综合实验区2020年度政府信息公开工作年度报告"


@pytest.mark.parametrize("script, expected", [
    ('createPageHTML(3, 0, "index", "html");', ["index_1.html", "index_2.html"]),
    ("createPageHTML('page_div', 3, 1, 'index', 'shtml', 20);", ["index_2.shtml", "index_3.shtml"]),
    ("var countPage = 2//共多少页\nvar currentPage = 0;", ["index_1.htm"]),
    ("pagebar: {prepage: 10, recordCount: '25'}, maxStaticIndex: 1,", ["index_1.htm"]),
    ("pagebar: {prepage: 10, recordCount: '25'}", ["index_1.htm", "index_2.htm"]),
    ('function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){}', []),
    ('createPageHTML(1, 0, "index", "html");', []),
])
def test_trs_page_counts_both_numbering_conventions(script, expected):
    html = f'<a href="./202001/t20200120_1.htm" title="x">x</a><script>{script}</script>'
    assert pages.script_pages(COLUMN, html) == [COLUMN + e for e in expected]


def test_registry_numbering_hint_overrides_the_page():
    html = '<script>createPageHTML(3, 0, "index", "html");</script>'
    assert pages.script_pages(COLUMN, html, numbering="one") == [COLUMN + "index_2.html", COLUMN + "index_3.html"]


def test_non_ascii_links_are_percent_encoded_like_requests():
    (link,) = pages.links(COLUMN, '<a href="./附件/2021年报告.pdf">2021年政府信息公开工作年度报告</a>')
    assert link.url == COLUMN + "%E9%99%84%E4%BB%B6/2021%E5%B9%B4%E6%8A%A5%E5%91%8A.pdf"


def test_base_href_to_another_host_is_ignored():
    html = '<base href="https://www.pingtan.gov.cn/zwgk/"><a href="./202103/t1.htm">x</a>'
    assert pages.links(COLUMN, html)[0].url == COLUMN + "202103/t1.htm"


def test_csrc_style_paged_files():
    found = pages.links(COLUMN + "common_zfxxgknb.shtml", '<a href="common_zfxxgknb_2.shtml">2</a>')
    assert pages.pagination_links(COLUMN + "common_zfxxgknb.shtml", found, (COLUMN,)) == [
        COLUMN + "common_zfxxgknb_2.shtml"]


def test_year_subcolumns_are_found_but_not_navigation():
    html = ('<a href="./nb2022/">2022年</a><a href="./2021n/index.html">2021年度</a><a href="bmnb/">部门年报</a>'
            '<a href="../zfxxgkzn/">政府信息公开指南</a><a href="nlist.htm">政府信息公开年报</a>'
            '<a href="./">政府信息公开年报</a><a href="./202001/t20200120_1.html">2019年</a>')
    found = pages.links(COLUMN, html)
    assert pages.subcolumn_links(COLUMN, found, (COLUMN,)) == [COLUMN + "nb2022/", COLUMN + "2021n/index.html",
                                                              COLUMN + "bmnb/"]


def test_link_title_prefers_whichever_reads_as_a_report():
    html = '<a href="a.htm" title="点击查看详细内容">某局2021年政府信息公开工作年度报告</a>'
    assert pages.links(COLUMN, html)[0].title == "某局2021年政府信息公开工作年度报告"


def test_pager_links_stay_in_the_column():
    html = ('<a href="list_2.html">下一页</a><a href="list_3.html">3</a><a href="/zwgk/other/list_2.html">下一页</a>'
            '<a href="./202001/t20200120_1.html">下一页</a><a href="nlist.htm">年报</a>')
    found = pages.links(COLUMN + "list.html", html)
    assert pages.pagination_links(COLUMN + "list.html", found, (COLUMN,)) == [COLUMN + "list_2.html",
                                                                              COLUMN + "list_3.html"]


def test_attachments_from_links_viewers_and_escaped_json():
    html = ('<ul id="file_ul_fj"><li><a href="./P020210305.pdf">报告.pdf</a></li></ul>'
            '<a href="/module/download/downfile.jsp?id=9">报告.docx</a><a href="/img/a.png">x</a>'
            '<iframe src="/pdfjs/view.pdf"></iframe>'
            '<script>window._CONFIG={"DETAIL":{"attachment":[{"name":"a.pdf","url":"\\/attachment\\/0\\/8\\/88\\/1.pdf"}]}}</script>')
    urls = {a.url for a in pages.attachments(COLUMN + "202103/t1.htm", html)}
    assert urls == {COLUMN + "202103/P020210305.pdf", "http://127.0.0.1:8000/module/download/downfile.jsp?id=9",
                    "http://127.0.0.1:8000/pdfjs/view.pdf", "http://127.0.0.1:8000/attachment/0/8/88/1.pdf"}


def test_article_continuation_pages_and_dates():
    url = COLUMN + "201510/t20151009_67430.html"
    html = '<meta name="PubDate" content="2015-10-09 10:19"><script>createPageHTML(3, 0, "t20151009_67430", "html")</script>'
    assert pages.article_pages(url, html) == [COLUMN + "201510/t20151009_67430_1.html",
                                              COLUMN + "201510/t20151009_67430_2.html"]
    assert pages.publish_date(url, html) == "2015-10-09"
    assert pages.publish_date(url, "<p>发布日期：2016年1月5日</p>") == "2016-01-05"
    assert pages.publish_date("http://a.gov.cn/art/2023/1/11/art_1_2.html", "") == "2023-01-11"


def test_decoding_quirks():
    text = "<p>旸谷区政府信息公开工作年度报告</p>"
    gbk = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + text).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("gb2312")
    assert text in decode_html(gbk, "text/html")[0]
    assert decode_html(codecs.BOM_UTF8 + text.encode(), "text/html") == (text, "utf-8-sig")
    assert decode_html(text.encode(), "") == (text, "utf-8")                      # nothing declared
    assert decode_html(text.encode("gbk"), "") == (text, "gb18030")              # nothing declared, GBK
    assert decode_html(text.encode(), "text/html; charset=gbk")[0] == text        # wrong declaration


def test_challenge_pages_are_recognised():
    jsl = b"<script>document.cookie='__jsl_clearance_s=1|0|x';location.href=location.pathname</script>"
    assert pages.challenge(521, {"X-Via-JSL": "x"}, jsl) == "js_challenge_521"
    assert pages.challenge(412, {}, b"<script>$_ts=window['$_ts'];</script>") == "js_challenge_412"
    assert pages.challenge(200, {}, b"<html>ordinary page about cookies</html>") is None
    assert pages.challenge(404, {}, b"<html>404</html>") is None


def test_hanweb_records_from_datastore():
    html = ('<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2023/1/11/art_1_2.html" '
            'title="某镇2022年政府信息公开工作年度报告">某镇2022…</a></li>]]></record></recordset></datastore></script>')
    (link,) = records("http://a.gov.cn/col/col1/index.html", html)
    assert link.url == "http://a.gov.cn/art/2023/1/11/art_1_2.html" and titles.is_report(link.title)
