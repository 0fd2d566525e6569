"""The spider against the real Pingtan report column, rebuilt from the corpus at test time.

Every `*-html` case of ../shared/corpus is a report page as www.pingtan.gov.cn (TRS) served it. The
test puts each page's bytes at its source URL path in tmp_path, writes a two-page TRS column index
(`index.html`, `index_1.html`, `createPageHTML`) in the site's own page chrome (taken from a real
page at test time, nothing is copied into the repository) that lists the reports among look-alike
titles, serves it with the strict loopback server of test_real_portals and crawls it through
`python -m spiders.run`. The real pages carry the whole site's navigation, footer, scripts, CSS,
images, a pdf.js viewer template and absolute links to www.pingtan.gov.cn: none may be requested.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from test_real_portals import key, serve

REPO = Path(__file__).resolve().parent.parent
ORIGIN = "https://www.pingtan.gov.cn"
COLUMN = "/zwgk/zfxxgk/zfxxgknb/"
ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|ofd|zip|rar|et)$", re.I)
LINK = re.compile(rb"""(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.I)

# Titles a report column shows next to the reports (pages that exist on the server, never to be fetched).
LOOK_ALIKES = {
    "202402/t20240220_91002.htm": "平潭综合实验区2024年政务公开工作要点",
    "202303/t20230330_80602.htm": "平潭综合实验区2022年度政府信息公开工作年度报告解读",
    "202201/t20220110_69001.htm": "关于做好2021年政府信息公开工作年度报告编制和发布工作的通知",
    "202305/t20230510_81000.htm": "平潭综合实验区2022年政务公开工作要点落实情况",
}
# A report of another column in a side box (chrome): outside the column prefix, never to be fetched.
SIDE_REPORT = "/zwgk/zfxxgk/bmxxgknb/202401/t20240126_90901.htm"


def _cases(corpus: Path) -> list[dict]:
    cases = []
    for case in sorted((corpus / "cases").glob("*-html")):
        meta = json.loads((case / "meta.json").read_text("utf-8"))
        url = urlsplit(meta["source_url"])
        if url.netloc == "www.pingtan.gov.cn" and url.path.startswith(COLUMN):
            body = (case / "document.html").read_bytes()
            pub = re.search(rb'name="PubDate" content="(\d{4}-\d\d-\d\d)', body)
            cases.append({"path": url.path, "title": meta["title"], "body": body,
                          "date": pub.group(1).decode() if pub else ""})
    return cases


def _in_column_attachments(page_path: str, body: bytes) -> set[str]:
    """Attachment links of a real page that lie in the column (absolute links to the site included)."""
    found = set()
    for raw in LINK.findall(body):
        url = urlsplit(urljoin(ORIGIN + page_path, raw.decode("utf-8", "replace").replace("&amp;", "&")))
        if url.netloc == "www.pingtan.gov.cn" and url.path.startswith(COLUMN) and ATTACHMENT.search(url.path):
            found.add(unquote(url.path))
    return found


def _item(path: str, title: str, date: str, absolute: bool, cut: bool) -> str:
    """A list row; a cut row shows the title cut short with no title= (the report page's own title decides)."""
    href = ORIGIN + COLUMN + path if absolute else "./" + path
    shown = f'>{title[:-4]}…' if cut else f' title="{title}">{title}'
    return f'<li><a href="{href}" target="_blank"{shown}</a><span class="date">{date}</span></li>'


def _column_page(chrome: str, items: list[str], page: int, pages: int) -> str:
    """A TRS list page in the real site's chrome: the report page's head/header/breadcrumb and footer
    around the column's list, with the column's own title and meta."""
    head, _, _ = chrome.partition('<div class="pad_t_base">')
    _, _, footer = chrome.partition("<!--底部开始-->")
    head = re.sub(r'<meta name="(ArticleTitle|PubDate|Url|DocId|ContentSource)"[^>]*>\n?', "", head)
    head = re.sub(r"<title>.*?</title>", "<title>政府信息公开年报_平潭综合实验区党工委管委会</title>", head, flags=re.S)
    side = (f'<div class="zxxx"><h4>最新信息</h4><ul><li><a href="{SIDE_REPORT}" title="平潭综合实验区财政金融局2023年'
            '政府信息公开工作年度报告">平潭综合实验区财政金融局2023年政府信息公开工作年度报告</a><span>2024-01-26</span></li>'
            '<li><a href="/zwgk/gsgg/202403/t20240306_91300.htm">平潭召开政务公开工作推进会</a><span>2024-03-06</span>'
            '</li></ul></div>')
    body = (f'<div class="pad_t_base"><div class="list_base list_base_date_01"><ul>{"".join(items)}</ul>'
            f'<div class="page"><script type="text/javascript">createPageHTML({pages}, {page}, "index", "html");'
            f"</script></div></div>{side}</div></div></div></div></div>\n")
    return head + body + "<!--底部开始-->" + footer


def _build_portal(root: Path, cases: list[dict]) -> dict:
    """Writes the saved-copy-like portal; returns what a correct crawl archives."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "_routes.json").write_text("{}", "utf-8")
    reports: dict[str, list[str]] = {}
    for case in cases:
        target = root / case["path"].lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(case["body"])
        files = sorted(_in_column_attachments(case["path"], case["body"]))
        for n, path in enumerate(files):   # small placeholders where the real page links a file in the column
            placeholder = root / path.lstrip("/")
            placeholder.parent.mkdir(parents=True, exist_ok=True)
            placeholder.write_bytes(b"%PDF-1.4\n%placeholder " + str(n).encode() + b"\n%%EOF\n")
        reports[case["path"]] = files
    for path, title in LOOK_ALIKES.items():
        page = root / COLUMN.lstrip("/") / path
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<html><head><meta charset='utf-8'><title>{title}</title></head>"
                        f"<body><h1>{title}</h1><p>正文</p></body></html>", "utf-8")
    side = root / SIDE_REPORT.lstrip("/")
    side.parent.mkdir(parents=True, exist_ok=True)
    side.write_text("<html><head><meta charset='utf-8'><title>平潭综合实验区财政金融局2023年政府信息公开工作年度报告"
                    "</title></head><body><h1>平潭综合实验区财政金融局2023年政府信息公开工作年度报告</h1></body></html>",
                    "utf-8")

    # newest first, as the column lists them; look-alikes among them; links both relative and absolute
    # (the site's own host, as TRS writes them), some report titles cut short.
    rows = [(c["date"], c["path"][len(COLUMN):], c["title"], True) for c in cases]
    rows += [(f"{p[7:11]}-{p[11:13]}-{p[13:15]}", p, t, False) for p, t in LOOK_ALIKES.items()]
    rows.sort(reverse=True)
    items = [_item(path, title, date, absolute=n % 3 == 1, cut=report and n % 4 == 2)
             for n, (date, path, title, report) in enumerate(rows)]
    half = (len(items) + 1) // 2
    chrome = cases[-1]["body"].decode("utf-8")
    column = root / COLUMN.lstrip("/")
    (column / "index.html").write_text(_column_page(chrome, items[:half], 0, 2), "utf-8")
    (column / "index_1.html").write_text(_column_page(chrome, items[half:], 1, 2), "utf-8")
    return reports


@pytest.fixture(scope="module", params=["trs", "generic"])   # as registered, and the generic fallback
def crawl(request, corpus_dir, tmp_path_factory):
    cases = _cases(corpus_dir)
    if not cases:
        pytest.skip("no Pingtan *-html case in ../shared/corpus")
    out = tmp_path_factory.mktemp("pingtan")
    root = out / "site"
    reports = _build_portal(root, cases)
    with serve(root) as (server, base):
        entry = {"id": "corpus-pingtan", "agency": "平潭综合实验区管委会", "region_code": "350128",
                 "level": "prefecture", "platform": request.param, "start_urls": [base + COLUMN],
                 "allowed_domains": ["127.0.0.1"], "verified": False}
        registry = out / "registry.yaml"
        registry.write_text(yaml.safe_dump({"portals": [entry]}, allow_unicode=True), "utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "spiders.run", "--registry", str(registry), "--out", str(out / "crawl"),
             "--no-politeness", "--log-level", "WARNING"], capture_output=True, text=True, cwd=REPO, timeout=120)
        requests = list(server.requests)
    manifest = out / "crawl" / "manifest.jsonl"
    items = [json.loads(line) for line in manifest.read_text("utf-8").splitlines()] if manifest.is_file() else []
    health_file = out / "crawl" / "health.json"
    health = json.loads(health_file.read_text("utf-8"))["portals"].get(entry["id"], {}) \
        if health_file.is_file() else {}
    return {"proc": proc, "items": items, "requests": requests, "health": health, "reports": reports,
            "root": root, "archive": out / "crawl" / "raw"}


def test_the_column_crawl_runs(crawl):
    assert crawl["proc"].returncode == 0, crawl["proc"].stderr[-3000:]
    assert crawl["health"]["status"] == "ok", crawl["health"]
    assert crawl["health"]["reports_found"] == len(crawl["reports"]), crawl["health"]
    assert crawl["requests"][0]["key"] == "/robots.txt"


def test_every_report_page_and_its_attachments_are_archived_byte_exact(crawl):
    archived = {}
    for item in crawl["items"]:
        parts = urlsplit(item["url"])
        archived[key(unquote(parts.path), parts.query)] = item
    assert len(archived) == len(crawl["items"]), "a document listed twice in the manifest"
    wanted = {path for report, files in crawl["reports"].items() for path in [report, *files]}
    assert wanted - set(archived) == set(), crawl["proc"].stderr[-3000:]
    assert set(archived) == wanted, "archived documents that are not the column's reports"
    for path, item in archived.items():
        served = (crawl["root"] / path.lstrip("/")).read_bytes()
        assert hashlib.sha256(served).hexdigest() == item["sha256"], path
        assert (crawl["archive"] / item["path"]).read_bytes() == served, path
        assert item["role"] == ("detail" if path in crawl["reports"] else "attachment"), path


def test_nothing_but_the_column_is_requested(crawl):
    list_pages = {COLUMN, COLUMN + "index.html", COLUMN + "index_1.html"}
    documents = {path for report, files in crawl["reports"].items() for path in [report, *files]}
    requested = [r["key"] for r in crawl["requests"]]
    assert [k for k in requested if k not in {"/robots.txt"} | list_pages | documents] == []
    assert COLUMN + "index_1.html" in requested   # the second page, from createPageHTML
    assert not {COLUMN + p for p in LOOK_ALIKES} & set(requested)
    assert SIDE_REPORT not in requested
