"""The spider against saved copies of real CMS column pages (tests/portal_snapshots/).

Each snapshot is served by a strict static server on 127.0.0.1 that records every request, and
crawled through `python -m spiders.run` with a one-entry registry in the data/portals.yaml format.
A correct crawl archives every report the column lists (detail pages, continuation pages,
attachments, attachment-only reports) byte-exact, and requests nothing but robots.txt, the
column's list pages, its list API, the report pages and their attachments.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mimetypes
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).resolve().parent / "portal_snapshots"
NAMES = sorted(p.name for p in SNAPSHOTS.iterdir() if (p / "expected.json").is_file())
# Each snapshot with its own platform, and two registered as `generic` (the fallback must still work).
CASES = [(name, None) for name in NAMES] + [("hanweb", "generic"), ("trs_zero", "generic")]


def key(path: str, query: str = "") -> str:
    """Path plus sorted query: how requests, routes and expectations are compared."""
    q = urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
    return f"{path}?{q}" if q else path


class SnapshotServer(ThreadingHTTPServer):
    """Serves one snapshot dir as a static site (no charset in Content-Type, like most static
    servers); URLs with a query only through `_routes.json`; Hanweb dataproxy from `_hanweb.json`."""

    daemon_threads = True

    def __init__(self, root: Path):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.routes = {key(*(r.split("?", 1) + [""])[:2]): f
                       for r, f in json.loads((root / "_routes.json").read_text("utf-8")).items()}
        hanweb = root / "_hanweb.json"
        self.hanweb = json.loads(hanweb.read_text("utf-8")) if hanweb.is_file() else None
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    def file_for(self, path: str, query: str) -> Path | None:
        if query:
            routed = self.routes.get(key(path, query))
            return self.root / routed.lstrip("/") if routed else None
        target = self.root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        return target if target.is_file() and not target.name.startswith("_") and target.name != "expected.json" else None


class _Handler(BaseHTTPRequestHandler):
    server: SnapshotServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self._handle(b"")

    def do_POST(self):
        self._handle(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _send(self, status: int, body: bytes, ctype: str = "text/html"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self, form: bytes):
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        with self.server.lock:
            self.server.requests.append({"method": self.command, "key": key(path, parts.query)})
        hanweb = self.server.hanweb
        if hanweb and path == hanweb["path"]:
            params, data = dict(parse_qsl(parts.query)), dict(parse_qsl(form.decode()))
            size = hanweb["perpage"] * hanweb["group"]  # only the ranges the page's JPage script asks for
            if (data.get("columnid") != hanweb["columnid"] or not params.get("startrecord", "").isdigit()
                    or (int(params["startrecord"]) - 1) % size
                    or int(params.get("endrecord") or 0) != int(params["startrecord"]) + size - 1):
                return self._send(400, b"bad request", "text/plain")
            records = json.loads((self.server.root / hanweb["records"].lstrip("/")).read_text("utf-8"))
            start, end = int(params["startrecord"]), int(params.get("endrecord") or params["startrecord"])
            xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(records)}</totalrecord>'
                   "<recordset>" + "".join(f"<record><![CDATA[{r}]]></record>" for r in records[start - 1:end])
                   + "</recordset></datastore>")
            return self._send(200, xml.encode(), "text/xml;charset=UTF-8")
        target = self.server.file_for(path, parts.query)
        if target is None:
            return self._send(404, b"<html><body>404</body></html>")
        # as Python's http.server does: by extension, octet-stream when unknown (.jhtml, gkmlpt's /index)
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return self._send(200, target.read_bytes(), ctype)


@contextlib.contextmanager
def serve(root: Path):
    server = SnapshotServer(root)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def served_bytes(server: SnapshotServer, url_key: str) -> bytes:
    path, _, query = url_key.partition("?")
    target = server.file_for(path, query)
    assert target is not None, url_key
    return target.read_bytes()


@pytest.fixture(scope="module", params=CASES, ids=[f"{n}-{p or 'own'}" for n, p in CASES])
def crawl(request, tmp_path_factory):
    name, platform = request.param
    root = SNAPSHOTS / name
    expected = json.loads((root / "expected.json").read_text("utf-8"))
    out = tmp_path_factory.mktemp(name)
    with serve(root) as (server, base):
        entry = {"allowed_domains": ["127.0.0.1"], **expected["entry"], "start_urls": [base + expected["start"]]}
        entry["platform"] = platform or entry["platform"]
        registry = out / "registry.yaml"
        registry.write_text(yaml.safe_dump({"portals": [entry]}, allow_unicode=True), "utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "spiders.run", "--registry", str(registry), "--out", str(out / "crawl"),
             "--no-politeness", "--log-level", "WARNING"], capture_output=True, text=True, cwd=REPO, timeout=120)
        items = [json.loads(line) for line in (out / "crawl" / "manifest.jsonl").read_text("utf-8").splitlines()] \
            if (out / "crawl" / "manifest.jsonl").is_file() else []

        def url_key(url: str) -> str:
            parts = urlsplit(url)
            return key(unquote(parts.path), parts.query)

        served = {url_key(i["url"]): served_bytes(server, url_key(i["url"])) for i in items}
        health = json.loads((out / "crawl" / "health.json").read_text("utf-8"))["portals"][entry["id"]] \
            if (out / "crawl" / "health.json").is_file() else {}
        yield {"name": name, "expected": expected, "proc": proc, "items": items, "url_key": url_key,
               "requests": list(server.requests), "served": served, "archive": out / "crawl" / "raw",
               "health": health}


def test_crawl_runs(crawl):
    assert crawl["proc"].returncode == 0, crawl["proc"].stderr[-3000:]
    assert crawl["health"]["status"] == "ok", crawl["health"]
    assert crawl["requests"][0]["key"] == "/robots.txt"  # asked first; its 404 means everything is allowed


def test_every_listed_report_is_archived_byte_exact(crawl):
    expected, url_key = crawl["expected"], crawl["url_key"]
    archived = {url_key(i["url"]): i for i in crawl["items"]}
    assert len(archived) == len(crawl["items"]), "a document listed twice in the manifest"
    wanted = {key(*(u.split("?", 1) + [""])[:2]) for r, docs in expected["reports"].items() for u in [r, *docs]}
    assert wanted - set(archived) == set(), crawl["proc"].stderr[-3000:]
    for k, item in archived.items():
        stored = (crawl["archive"] / item["path"]).read_bytes()
        assert stored == crawl["served"][k], k
        assert hashlib.sha256(stored).hexdigest() == item["sha256"]
    assert set(archived) == wanted, "archived documents that are not the column's reports"


def test_nothing_outside_the_column_is_requested(crawl):
    expected = crawl["expected"]
    allowed = {"/robots.txt", *(key(*(u.split("?", 1) + [""])[:2]) for u in expected["list_pages"])}
    allowed |= {key(*(u.split("?", 1) + [""])[:2]) for r, docs in expected["reports"].items() for u in [r, *docs]}
    api = tuple(expected["api"])
    outside = [r["key"] for r in crawl["requests"]
               if r["key"] not in allowed and not (api and r["key"].split("?")[0] in api)]
    assert outside == []
    requested = {r["key"] for r in crawl["requests"]}
    for path in expected["not_requested"]:
        assert key(*(path.split("?", 1) + [""])[:2]) not in requested


def test_politeness_stays_on_unless_switched_off():
    from scrapy.utils.project import get_project_settings

    from spiders.run import NO_POLITENESS, parse_args

    settings = get_project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1 and settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert not parse_args(["--registry", "r.yaml", "--out", "o"]).no_politeness
    assert "ROBOTSTXT_OBEY" not in NO_POLITENESS


# --- page reading on real markup (pure functions) ----------------------------------------------
COLUMN = "http://127.0.0.1:8000/zwgk/zfxxgknb/"


def test_main_list_side_boxes_and_chrome():
    from spiders import pages

    html = ('<div class="nav"><a href="/bm/a/t20240101_1.html">某局2023年政府信息公开工作年度报告</a></div>'
            '<ul class="list"><li><a href="/bm/b/202401/t20240102_2.html">某委2023年政府信息公开工作年度报告</a>'
            '<span>2024-01-02</span></li><li><a href="./202401/t20240103_3.html">某办2023年政府信息公开工作年度报告</a>'
            '<span>2024-01-03</span></li></ul>'
            '<div class="zxgk"><ul><li><a href="/x/t20240104_4.html">某办2023年政府信息公开工作年度报告</a>'
            '<span>2024-01-04</span></li><li><a href="/x/t20240105_5.html">某通知</a><span>2024-01-05</span></li>'
            '<li><a href="/x/t20240106_6.html">某会议</a><span>2024-01-06</span></li></ul></div>')
    found = {link.url.rsplit("_", 1)[1]: link for link in pages.links(COLUMN, html, (COLUMN,))}
    assert found["1.html"].chrome and not found["1.html"].main
    assert found["2.html"].main and found["3.html"].main
    assert not found["4.html"].main            # a dated side box is not the column's list


def test_cut_titles_fetch_only_what_can_still_be_a_report():
    from spiders import titles

    assert titles.classify("示例市人民政府2022年政府信息公开工…") == "maybe"
    assert titles.classify("示例市2024年政务公开工作要…") == "other"
    assert titles.classify("关于做好2023年…") == "other"
    assert titles.classify("旸谷街道2022年度报告") == "other"
    assert titles.classify("旸谷街道2022年度报告", report_column=True) == "report"
    assert titles.classify("2023年年报", report_column=True) == "other"     # a year sub-column link


def test_links_written_by_scripts_handlers_and_table_rows():
    from spiders import pages

    html = ('<ul><li><script>var t="某局2023年政府信息公开工作年度报告";var u="./202403/t20240305_9.htm";'
            'document.write("<a href=\'"+u+"\'>"+t.substring(0,9)+"</a>");</script><span>2024-03-05</span></li>'
            '<li><a href="javascript:void(0)" onclick="window.open(\'./202402/t20240201_8.htm\')">某局2022年政府信息公开'
            '工作年度报告</a></li><li><a href="javascript:share(\'weixin\')">分享</a></li></ul>'
            '<table><tr><td>某局2021年政府信息公开工作年度报告</td><td><a href="./files/2021.pdf">下载</a></td></tr></table>')
    found = {link.url.replace(COLUMN, ""): link.title for link in pages.links(COLUMN, html)}
    assert found == {"202403/t20240305_9.htm": "某局2023年政府信息公开工作年度报告",
                     "202402/t20240201_8.htm": "某局2022年政府信息公开工作年度报告",
                     "files/2021.pdf": "某局2021年政府信息公开工作年度报告"}


def test_attachments_skip_chrome_and_read_viewers_and_scripts():
    from spiders import pages

    html = ('<div class="TRS_Editor"><p>正文</p></div><script>var file_appendix=\'<a href="./P0202403.pdf">附件</a>\';'
            '</script><a href="/module/download/downfile.jsp?classid=0&amp;filename=9.pdf">附件1</a>'
            '<iframe src="/pdfjs/web/viewer.html?file=/up/x.pdf"></iframe>'
            '<div class="footer"><a href="/zfxxgkzn/guide.pdf">政府信息公开指南</a></div>')
    urls = {a.url.replace("http://127.0.0.1:8000", "") for a in pages.attachments(COLUMN + "202403/t1.htm", html)}
    assert urls == {"/zwgk/zfxxgknb/202403/P0202403.pdf", "/up/x.pdf",
                    "/module/download/downfile.jsp?classid=0&filename=9.pdf"}


def test_title_candidates_and_html_sniffing():
    from spiders import pages

    html = ('<title>示例区旸谷街道办事处</title><div class="header"><h1>旸谷街道</h1></div>'
            '<div class="title">旸谷街道2021年度政府信息公开工作年度报告</div>')
    assert pages.article_title(html) == "旸谷街道2021年度政府信息公开工作年度报告"
    assert pages.looks_like_html(b"\xef\xbb\xbf\n<!DOCTYPE html><html>") and not pages.looks_like_html(b"%PDF-1.4")


def test_loopback_names_and_numeric_region_codes():
    from spiders.registry import parse_entry

    portal = parse_entry({"id": "x", "agency": "a", "region_code": 330200, "level": "county", "platform": "trs",
                          "start_urls": ["http://127.0.0.1:8123/a/b/"], "allowed_domains": ["localhost"],
                          "verified": False})
    assert portal.region_code == "330200" and portal.allows("http://127.0.0.1:8123/a/b/c.html")
    assert portal.column_prefixes() == ("http://127.0.0.1:8123/a/b/",)


def test_repeat_crawl_of_a_saved_copy_fetches_only_list_pages(tmp_path):
    """A static server without ETag / Last-Modified: held documents are not asked for again, and
    continuation pages that link each other do not loop."""
    root = SNAPSHOTS / "generic_gbk"
    expected = json.loads((root / "expected.json").read_text("utf-8"))
    with serve(root) as (server, base):
        entry = {"allowed_domains": ["127.0.0.1"], **expected["entry"], "start_urls": [base + expected["start"]]}
        registry = tmp_path / "registry.yaml"
        registry.write_text(yaml.safe_dump({"portals": [entry]}, allow_unicode=True), "utf-8")
        runs = []
        for name in ("first", "repeat"):
            start = len(server.requests)
            proc = subprocess.run(
                [sys.executable, "-m", "spiders.run", "--registry", str(registry), "--out", str(tmp_path / name),
                 "--archive", str(tmp_path / "raw"), "--no-politeness", "--log-level", "WARNING"],
                capture_output=True, text=True, cwd=REPO, timeout=120)
            assert proc.returncode == 0, proc.stderr[-2000:]
            runs.append(server.requests[start:])
    stats = json.loads((tmp_path / "repeat" / "stats.json").read_text())
    documents = {key(*(u.split("?", 1) + [""])[:2]) for r, docs in expected["reports"].items() for u in [r, *docs]}
    assert stats["documents"]["new"] == 0 and stats["documents"]["unchanged"] == len(documents)
    assert not [r for r in runs[1] if r["key"] in documents]


def test_div_built_lists_are_one_list():
    from spiders import pages

    items = "".join(f'<div class="item"><a href="/bm/{i}/t2024010{i}_{i}.html">某局202{i}年政府信息公开工作年度报告</a>'
                    f'<span>2024-01-0{i}</span></div>' for i in range(1, 4))
    html = (f'<div class="list">{items}</div><div class="hot"><p><a href="/y/t20240101_9.html">某办2023年政府信息'
            '公开工作年度报告</a><span>2024-01-09</span></p></div>')
    main = {link.url.rsplit("/", 1)[1]: link.main for link in pages.links(COLUMN, html, (COLUMN,))}
    assert main == {"t20240101_1.html": True, "t20240102_2.html": True, "t20240103_3.html": True,
                    "t20240101_9.html": False}


def test_relaxed_titles_in_a_report_column_keep_agency_names_and_skip_other_reports():
    from spiders import titles

    assert titles.classify("示例市审计局2022年度报告", report_column=True) == "report"
    assert titles.classify("示例市社会保险事业管理中心2022年年报", report_column=True) == "report"
    assert titles.classify("示例市2022年度政府工作报告", report_column=True) == "other"
    assert titles.classify("示例市2022年统计年报", report_column=True) == "other"


def test_list_in_an_iframe_is_read_when_it_is_in_the_column():
    from spiders import pages

    html = '<iframe src="./list.html"></iframe><iframe src="/tools/weather.html"></iframe><iframe src="./a.pdf"></iframe>'
    assert pages.list_frames(COLUMN, html, (COLUMN,)) == [COLUMN + "list.html"]


def test_links_to_the_copied_site_are_read_on_the_loopback_copy_only():
    from spiders import pages

    html = ('<meta name="SiteDomain" content="www.example.gov.cn"><ul><li><a href="http://www.example.gov.cn/nb/t20240101_1.html">'
            '某局2023年政府信息公开工作年度报告</a></li><li><a href="http://www.gov.cn/x.html">中国政府网</a></li></ul>')
    local = [link.url for link in pages.links("http://127.0.0.1:8000/nb/", html)]
    assert local == ["http://127.0.0.1:8000/nb/t20240101_1.html", "http://www.gov.cn/x.html"]
    live = [link.url for link in pages.links("http://www.example.gov.cn/nb/", html)]
    assert live == ["http://www.example.gov.cn/nb/t20240101_1.html", "http://www.gov.cn/x.html"]
    assert pages.origin_hosts("http://slj.example.gov.cn/nb/", html) == set()   # a live crawl rewrites nothing
