"""transforms.readers on synthetic documents built in the tests (HTML, PDF, DOCX, XLSX, others)."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from transforms.model import DOCUMENT_STATUSES, SourceDocument
from transforms.readers import read
from transforms.readers.sniff import sniff


def _html(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>测试</title></head><body>{body}</body></html>"


def _read_html(markup: str | bytes, content_type: str = "text/html"):
    content = markup.encode("utf-8") if isinstance(markup, str) else markup
    return read(SourceDocument(content=content, content_type=content_type, url="https://example.gov.cn/a.html"))


ARTICLE = "本机关认真贯彻落实政府信息公开条例，主动公开各类政府信息。" * 12

SPAN_TABLE = """
<table border="1">
  <tr><td rowspan="2">信息内容</td><td colspan="2">申请人情况</td><td rowspan="2">总计</td></tr>
  <tr><td>自然人</td><td>法人或其他组织</td></tr>
  <tr><td>本年新收</td><td>20</td><td>1</td><td>21</td></tr>
  <tr><td>结转</td><td>&nbsp;</td><td>0</td><td>0</td></tr>
</table>"""


# -- HTML --------------------------------------------------------------------------------------
def test_html_rowspan_colspan_expanded_and_nbsp_blank():
    got = _read_html(_html(f"<div><p>{ARTICLE}</p>{SPAN_TABLE}</div>"))
    assert got.status == "ok" and got.kind == "html"
    assert len(got.tables) == 1
    assert got.tables[0].rows == [
        ["信息内容", "申请人情况", "申请人情况", "总计"],
        ["信息内容", "自然人", "法人或其他组织", "总计"],
        ["本年新收", "20", "1", "21"],
        ["结转", "", "0", "0"],
    ]


def test_html_table_offset_points_at_first_row_in_text():
    got = _read_html(_html(f"<div><p>{ARTICLE}</p>{SPAN_TABLE}<p>表后文字</p></div>"))
    table = got.tables[0]
    assert got.text[table.char_offset:].startswith("信息内容 | 申请人情况 | 申请人情况 | 总计\n")
    assert got.text.index(ARTICLE[:20]) < table.char_offset < got.text.index("表后文字")


def test_html_nested_layout_table_yields_inner_grid_only():
    inner = "<table><tr><td>规章</td><td>3</td></tr><tr><td>规范性文件</td><td>5</td></tr></table>"
    outer = f"<table><tr><td><p>{ARTICLE}</p>{inner}</td><td>侧栏</td></tr></table>"
    got = _read_html(_html(outer))
    assert [t.rows for t in got.tables] == [[["规章", "3"], ["规范性文件", "5"]]]
    assert "规范性文件 | 5" in got.text


def test_html_multiline_header_cell_joined():
    table = "<table><tr><td>信息内容</td><td>本年新<br>制作数量</td></tr><tr><td>规章</td><td>1</td></tr></table>"
    got = _read_html(_html(f"<p>{ARTICLE}</p>{table}"))
    assert got.tables[0].rows[0] == ["信息内容", "本年新制作数量"]


def test_html_phantom_word_grid_column_dropped():
    # Word export: header cell spans a narrow phantom column that no data cell owns alone
    table = """<table>
      <tr><td>项目</td><td colspan="2">自然人</td><td>商业企业</td></tr>
      <tr><td>本年新收</td><td colspan="2">5</td><td>1</td></tr></table>"""
    got = _read_html(_html(f"<p>{ARTICLE}</p>{table}"))
    assert got.tables[0].rows == [["项目", "自然人", "商业企业"], ["本年新收", "5", "1"]]


def test_html_gb2312_declared_page_with_gbk_only_character():
    body = _html(f"<p>{ARTICLE}</p><p>负责人：王喆，联系电话12345</p>",
                 head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    content = body.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        content.decode("gb2312")
    got = _read_html(content)
    assert got.status == "ok"
    assert "王喆" in got.text
    assert got.encoding == "gb18030"


def test_html_utf8_with_bom_and_without_charset():
    content = b"\xef\xbb\xbf" + _html(f"<p>{ARTICLE}</p>", head="").encode("utf-8")
    got = _read_html(content, content_type="text/html")
    assert got.status == "ok" and ARTICLE[:10] in got.text and "\ufeff" not in got.text


def test_html_gbk_without_any_charset_is_detected():
    content = _html(f"<p>{ARTICLE}</p>", head="").encode("gbk")
    got = _read_html(content, content_type="text/html")
    assert ARTICLE[:10] in got.text


def test_html_table_in_document_write_script():
    script = ("<script>document.write('<table><tr><td>\\u884c\\u653f\\u8bb8\\u53ef</td>' + "
              "'<td>278</td></tr><tr><td>行政处罚</td><td>538</td></tr></table>');</script>")
    got = _read_html(_html(f"<div><p>{ARTICLE}</p>{script}</div>"))
    assert [t.rows for t in got.tables] == [[["行政许可", "278"], ["行政处罚", "538"]]]
    assert "行政许可 | 278" in got.text


def test_html_table_in_inner_html_assignment_and_escaped_strings():
    script = ("<script>document.getElementById('zoom').innerHTML = unescape('%3Ctable%3E%3Ctr%3E%3Ctd%3E"
              "%E8%A7%84%E7%AB%A0%3C/td%3E%3Ctd%3E3%3C/td%3E%3C/tr%3E%3Ctr%3E%3Ctd%3EA%3C/td%3E%3Ctd%3E4%3C/td%3E"
              "%3C/tr%3E%3C/table%3E');</script><script>var share = '<a href=\"#\">分享</a>';</script>")
    got = _read_html(_html(f"<div><p>{ARTICLE}</p>{script}</div>"))
    assert [t.rows for t in got.tables] == [[["规章", "3"], ["A", "4"]]]
    assert "zoom" not in got.text and "分享" not in got.text


def test_html_table_in_js_variable_and_iframe_srcdoc():
    script = "<script>var html = \"<table><tr><td>规章</td><td>7</td></tr><tr><td>文件</td><td>9</td></tr></table>\";</script>"
    srcdoc = ('<iframe srcdoc="&lt;table&gt;&lt;tr&gt;&lt;td&gt;许可&lt;/td&gt;&lt;td&gt;1&lt;/td&gt;&lt;/tr&gt;'
              '&lt;tr&gt;&lt;td&gt;处罚&lt;/td&gt;&lt;td&gt;2&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;"></iframe>')
    got = _read_html(_html(f"<div><p>{ARTICLE}</p>{script}{srcdoc}</div>"))
    assert [t.rows for t in got.tables] == [[["规章", "7"], ["文件", "9"]], [["许可", "1"], ["处罚", "2"]]]


def test_html_main_content_drops_navigation_and_scripts():
    nav = "<div class='nav'>" + "".join(f"<a href='/{i}'>栏目{i}</a>" for i in range(40)) + "</div>"
    page = _html(f"{nav}<div id='main'><p>{ARTICLE}</p></div><script>var x='不应出现';</script>"
                 "<style>.a{color:red}</style><div class='footer'>版权所有</div>")
    got = _read_html(page)
    assert "栏目3" not in got.text and "不应出现" not in got.text and "color" not in got.text
    assert ARTICLE[:20] in got.text


def test_html_article_title_outside_the_body_opens_the_text():
    page = _html("<div class='nav'><a href='/'>首页</a></div><div class='article'>"
                 "<h1>某县2020年政府信息公开工作年度报告</h1><div class='info'>发布时间：2021-01-20</div>"
                 f"<div class='content'><p>{ARTICLE * 2}</p></div></div>")
    got = _read_html(page)
    assert got.text.splitlines()[0] == "某县2020年政府信息公开工作年度报告"
    assert got.text.count("某县2020年政府信息公开工作年度报告") == 1


def test_html_meta_and_page_facts():
    page = _html(f"<div>发布日期：2021-03-05</div><div><p>{ARTICLE}</p></div>",
                 head='<meta charset="utf-8"><meta name="PubDate" content="2021-03-05 08:58">'
                      '<meta name="SiteIDCode" content="3590000001">'
                      '<meta name="ArticleTitle" content="某县2020年政府信息公开工作年度报告">')
    got = _read_html(page)
    assert got.meta["PubDate"].startswith("2021-03-05")
    assert got.meta["SiteIDCode"] == "3590000001"
    assert got.title == "某县2020年政府信息公开工作年度报告"


@pytest.mark.parametrize("page, why", [
    ("<html><head><script>document.cookie='__jsl_clearance=1';location.href=location.pathname</script>"
     "</head><body></body></html>", "challenge"),
    ("<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><hr>nginx</body></html>",
     "error page"),
    ("<html><body><h1>访问被拒绝</h1><p>您的请求已被网站防火墙拦截</p></body></html>", "error page"),
    ("<html><head><script src='/a.js'></script><script>var a=1;</script></head><body></body></html>", "scripts"),
])
def test_error_and_challenge_pages(page, why):
    got = _read_html(page)
    assert got.status == "error_page"
    assert why in got.reason or (why == "error page" and got.reason)


def test_short_excerpt_with_numbers_is_not_an_error_page():
    text = "二、主动公开政府信息情况\n全年主动公开政府信息 404 条，其中规范性文件 3 件，答复申请 500 件。\n"
    got = read(SourceDocument(content=text.encode("utf-8"), content_type="text/plain"))
    assert got.status == "ok"
    got = _read_html("<html><head><title>503 Service Temporarily Unavailable</title></head><body></body></html>")
    assert got.status == "error_page"


def test_long_report_mentioning_error_words_is_not_an_error_page():
    got = _read_html(_html(f"<p>{ARTICLE * 2}</p><p>本年度未发生访问被拒绝的情况，404个页面已整改。</p>"))
    assert got.status == "ok"


# -- text ---------------------------------------------------------------------------------------
def test_text_kept_exactly():
    text = "标题\n\n信息内容 | 本年新制作数量 |\n规章 | 0 |\n  缩进行  \n"
    got = read(SourceDocument(content=text.encode("utf-8"), content_type="text/plain"))
    assert got.kind == "text" and got.status == "ok" and got.text == text


# -- PDF ---------------------------------------------------------------------------------------
pymupdf = pytest.importorskip("pymupdf")

_CELL = 'style="border:1px solid black"'


def _table_html(rows: list[list[str]]) -> str:
    body = "".join("<tr>" + "".join(f"<td {_CELL}>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table style="border-collapse:collapse">{body}</table>'


def _pdf(pages: list[tuple[str, float]], **save) -> bytes:
    """One page per (html, top y) entry, rendered with PyMuPDF's HTML box."""
    doc = pymupdf.open()
    for html, top in pages:
        page = doc.new_page()
        page.insert_htmlbox(pymupdf.Rect(50, top, 550, 800), html)
    out = doc.tobytes(**save)
    doc.close()
    return out


def _read_pdf(content: bytes):
    return read(SourceDocument(content=content, content_type="application/pdf", url="https://x.gov.cn/a.pdf"))


def test_pdf_text_and_table_grid():
    html = ("<p>某局2020年政府信息公开工作年度报告</p>"
            + _table_html([["信息内容", "本年新<br>制作数量", "对外公开总数量"], ["规章", "3", "7"]])
            + "<p>表后说明文字</p>")
    got = _read_pdf(_pdf([(html, 50)]))
    assert got.status == "ok" and got.kind == "pdf"
    assert [t.rows for t in got.tables] == [[["信息内容", "本年新制作数量", "对外公开总数量"], ["规章", "3", "7"]]]
    table = got.tables[0]
    assert table.page == 1
    assert got.text[table.char_offset:].startswith("信息内容 | 本年新制作数量 | 对外公开总数量")
    assert got.text.index("年度报告") < table.char_offset < got.text.index("表后说明文字")


def test_pdf_vertical_header_one_char_per_line_reads_as_word():
    html = "<p>报告</p>" + _table_html([["结<br>果<br>纠<br>正", "总<br>计"], ["1", "2"]])
    got = _read_pdf(_pdf([(html, 50)]))
    assert got.tables[0].rows == [["结果纠正", "总计"], ["1", "2"]]


def test_pdf_table_continuing_on_next_page_is_merged():
    rows1 = [["项目", "数量", "金额"]] + [[f"事项{i}", str(i), str(10 * i)] for i in range(3)]
    rows2 = [[f"事项{i}", str(i), str(10 * i)] for i in range(3, 5)]
    # page 1: text then the table ending the page; page 2: the rest at the top, then text
    got = _read_pdf(_pdf([("<p>前言文字</p>" + _table_html(rows1), 600), (_table_html(rows2) + "<p>结束语</p>", 40)]))
    assert len(got.tables) == 1
    assert got.tables[0].rows == rows1 + rows2


def test_pdf_running_header_and_footer_do_not_break_a_continued_table():
    rows1 = [["项目", "数量"]] + [[f"事项{i}", str(i)] for i in range(3)]
    rows2 = [[f"事项{i}", str(i)] for i in range(3, 5)]
    doc = pymupdf.open()
    for n, (html, top) in enumerate([("<p>前言</p>" + _table_html(rows1), 620), (_table_html(rows2) + "<p>完</p>", 60)]):
        page = doc.new_page()
        page.insert_htmlbox(pymupdf.Rect(50, top, 550, 800), html)
        page.insert_text((40, 25), "2026/11/27 12:52  某县2020年政府信息公开工作年度报告", fontname="china-s", fontsize=8)
        page.insert_text((40, 830), f"https://x.gov.cn/a.html    {n + 1}/2", fontname="china-s", fontsize=8)
    got = _read_pdf(doc.tobytes())
    assert [t.rows for t in got.tables] == [rows1 + rows2]
    assert "x.gov.cn" not in got.text and "12:52" not in got.text


def test_pdf_separate_tables_on_one_page_are_not_merged():
    html = (_table_html([["甲", "1"], ["乙", "2"]]) + "<p>中间的说明文字</p>" + _table_html([["丙", "3"], ["丁", "4"]]))
    got = _read_pdf(_pdf([(html, 50)]))
    assert [t.rows for t in got.tables] == [[["甲", "1"], ["乙", "2"]], [["丙", "3"], ["丁", "4"]]]


def test_pdf_unruled_table_rows_stay_rows_and_page_numbers_are_dropped():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 80), "报告正文第一段文字，足够长的一行文字用来测试段落换行是否被正确处理，这是第一行",
                     fontname="china-s", fontsize=12)
    rows = [["信息内容", "本年新制作数量", "对外公开总数量"], ["规章", "0", "7"], ["规范性文件", "77", "166"]]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            page.insert_text((72 + 170 * c, 110 + 20 * r), cell, fontname="china-s", fontsize=12)
    page.insert_text((300, 820), "- 1 -", fontname="china-s", fontsize=10)
    got = _read_pdf(doc.tobytes())
    # no rulings: the grid is rebuilt from word positions (readers/pdf_unruled.py)
    assert [(t.rows, t.source) for t in got.tables] == [(rows, "pdf_text")]
    assert got.text.splitlines()[1:] == ["信息内容 | 本年新制作数量 | 对外公开总数量", "规章 | 0 | 7", "规范性文件 | 77 | 166"]


def test_pdf_encrypted():
    content = _pdf([("<p>机密报告</p>", 50)], encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")
    got = _read_pdf(content)
    assert got.status == "encrypted"


def test_pdf_truncated_and_corrupt():
    content = _pdf([("<p>报告正文</p>" * 50, 50)])
    assert _read_pdf(content[: len(content) // 2]).status == "decode_error"
    assert _read_pdf(b"%PDF-1.7\n garbage garbage %%EOF").status == "decode_error"


def test_pdf_without_text_layer_is_empty():
    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(pymupdf.Rect(50, 50, 300, 300), fill=(0.5, 0.5, 0.5))
    got = _read_pdf(doc.tobytes())
    assert got.status == "empty" and "text layer" in got.reason


# -- DOCX / DOC --------------------------------------------------------------------------------
docx = pytest.importorskip("docx")


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("某镇2021年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "信息内容"       # vertical merge
    table.cell(0, 1).merge(table.cell(0, 2)).text = "申请人情况"     # horizontal merge
    table.cell(1, 1).text = "自然人"
    table.cell(1, 2).text = "总计"
    for c, v in enumerate(["本年新收", "4", "4"]):
        table.cell(2, c).text = v
    document.add_paragraph("二、主动公开政府信息情况")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_docx_merged_cells_and_body_order():
    got = read(SourceDocument(content=_docx_bytes(), url="https://x.gov.cn/a.docx"))
    assert got.status == "ok" and got.kind == "docx"
    assert got.tables[0].rows == [
        ["信息内容", "申请人情况", "申请人情况"],
        ["信息内容", "自然人", "总计"],
        ["本年新收", "4", "4"],
    ]
    text = got.text
    assert text.index("一、总体情况") < got.tables[0].char_offset < text.index("二、主动公开")
    assert text[got.tables[0].char_offset:].startswith("信息内容 | 申请人情况 | 申请人情况")


def test_docx_named_doc_is_sniffed_as_docx():
    assert sniff(_docx_bytes(), "application/msword", "https://x.gov.cn/a.doc") == "docx"


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_legacy_doc_converted_with_libreoffice(tmp_path):
    import subprocess

    src = tmp_path / "report.docx"
    src.write_bytes(_docx_bytes())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, timeout=180, check=False)
    doc_file = tmp_path / "report.doc"
    if not doc_file.exists():
        pytest.skip("LibreOffice could not write a .doc here")
    got = read(SourceDocument(content=doc_file.read_bytes(), url="https://x.gov.cn/a.doc"))
    assert got.kind == "doc" and got.status == "ok"
    assert "年度报告" in got.text
    assert any("申请人情况" in row for t in got.tables for row in t.rows)


def test_doc_without_converters_is_unsupported(monkeypatch):
    from transforms.readers import office

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "WordDocument".encode("utf-16-le")
    got = read(SourceDocument(content=ole, url="https://x.gov.cn/a.doc"))
    assert got.status == "unsupported_format"
    assert "soffice" in got.reason and "antiword" in got.reason


# -- spreadsheets ------------------------------------------------------------------------------
def test_xlsx_each_sheet_is_a_table_with_merges():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "统计表"
    ws.append(["指标名称", "数量", None])
    ws.merge_cells("B1:C1")
    ws.append(["主动公开信息数", 739, 4359])
    ws2 = wb.create_sheet("空表")
    ws2["A1"] = None
    buf = io.BytesIO()
    wb.save(buf)
    got = read(SourceDocument(content=buf.getvalue(), url="https://x.gov.cn/a.xlsx"))
    assert got.status == "ok" and got.kind == "xlsx"
    assert [t.rows for t in got.tables] == [[["指标名称", "数量", "数量"], ["主动公开信息数", "739", "4359"]]]


# -- other kinds, limits, robustness -----------------------------------------------------------
def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in names.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("content, url, status", [
    (_zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}), "https://x.gov.cn/a.ofd", "unsupported_format"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "https://x.gov.cn/a.png", "unsupported_format"),
    (_zip({"a.txt": b"x"}), "https://x.gov.cn/a.zip", "unsupported_format"),
    (bytes(range(256)) * 10, "https://x.gov.cn/download?id=1", "unsupported_format"),
    (b"", "https://x.gov.cn/a.html", "empty"),
])
def test_unsupported_and_empty(content, url, status):
    got = read(SourceDocument(content=content, url=url))
    assert got.status == status and (got.reason or status == "ok")


def test_password_protected_office_file_is_encrypted():
    ole = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le")
           + "EncryptedPackage".encode("utf-16-le"))
    got = read(SourceDocument(content=ole, url="https://x.gov.cn/a.docx"))
    assert got.status == "encrypted"


def test_too_large(monkeypatch):
    import transforms.readers as readers

    monkeypatch.setattr(readers, "MAX_BYTES", 100)
    got = read(SourceDocument(content=b"x" * 101, content_type="text/plain"))
    assert got.status == "too_large" and "limit" in got.reason


@pytest.mark.parametrize("content_type, url", [
    ("application/pdf", "a.pdf"), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a.docx"),
    ("application/vnd.ms-excel", "a.xls"), ("text/html", "a.html"), ("", "a.xlsx"), ("application/msword", "a.doc"),
])
def test_garbage_never_raises(content_type, url):
    for content in (b"\x00\x01garbage", b"PK\x03\x04broken zip", b"%PDF-1.4 broken", b"<html><body><table><tr><td"):
        got = read(SourceDocument(content=content, content_type=content_type, url=f"https://x.gov.cn/{url}"))
        assert got.status in DOCUMENT_STATUSES
