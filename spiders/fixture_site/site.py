"""Build the demo/fixture site from data/demo_site/site.yaml: static pages, API answers, truth.json.

Layout of a built site dir:
  www/...      files served as they are (paths = URL paths)
  site.json    what the server needs beyond files: content types, query routes (list APIs),
               Hanweb dataproxy records, challenge prefixes, deliberately broken paths, huge files
  truth.json   per portal: the report URLs, every document a correct crawl archives, look-alikes;
               per report: agency, year, format, printed values, duplicates, broken identities
All URLs in truth.json are paths; join them to the served base URL.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import yaml

from spiders.fixture_site import documents, tables

SPEC = Path(__file__).resolve().parents[2] / "data" / "demo_site" / "site.yaml"
HUGE_SIZE = 70 * 1024 * 1024
HANWEB_UNIT = 4520081
HANWEB_PROXY = "/hw/module/web/jpage/dataproxy.jsp"


def route_key(path: str, query: str = "") -> str:
    """Path plus sorted query: how the server matches list-API requests."""
    q = urlencode(sorted(parse_qsl(query, keep_blank_values=True)))
    return f"{path}?{q}" if q else path


class _Builder:
    def __init__(self, out: Path, spec: dict, include_later: bool, scale: int = 1):
        self.scale = scale
        self.out, self.www = out, out / "www"
        self.spec, self.include_later = spec, include_later
        self.site: dict[str, Any] = {"content_types": {}, "routes": {}, "hanweb_proxy": {}, "challenges": {},
                                     "broken": [], "huge": {}, "robots": ""}
        self.truth: dict[str, Any] = {"portals": {}, "reports": {}}
        self.docid = 1000

    # --- files -----------------------------------------------------------------------------
    def write(self, path: str, data: bytes, ctype: str) -> None:
        target = self.www / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not (target.exists() and target.read_bytes() == data):  # keep mtime: same Last-Modified
            target.write_bytes(data)
        self.site["content_types"][path] = ctype

    def page(self, portal: dict, path: str, html: str) -> None:
        enc = portal.get("encoding", "utf-8")
        if portal.get("bom"):
            data, ctype = html.encode("utf-8-sig"), "text/html"
        elif enc == "gbk":
            data, ctype = html.encode("gbk"), "text/html"
        else:
            data = html.encode("utf-8")
            ctype = "text/html" if portal.get("no_charset") else "text/html; charset=UTF-8"
        self.write(path, data, ctype)

    # --- templates ---------------------------------------------------------------------------
    @staticmethod
    def root(portal: dict) -> str:
        return "/" + portal["column"].strip("/").split("/")[0] + "/"

    def shell(self, portal: dict, title: str, body: str, metas: dict[str, str] | None = None) -> str:
        charset = ""
        if portal.get("declared_charset"):
            charset = f'<meta http-equiv="Content-Type" content="text/html; charset={portal["declared_charset"]}">'
        elif not portal.get("no_charset") and not portal.get("bom"):
            charset = '<meta charset="utf-8">'
        tags = {"SiteName": portal["agency"], "SiteDomain": "demo.example.gov.cn", "SiteIDCode": "3501990001",
                "ColumnName": "政府信息公开年报", **(metas or {})}
        meta_html = "\n".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in tags.items())
        root = self.root(portal)
        nav = (f'<div class="header"><a href="{root}"><img src="{root}images/logo.png" alt="logo"></a>'
               f'<a href="{root}">首页</a> <a href="{root}zwgk/">政务公开</a> <a href="{root}hdjl/">互动交流</a> '
               f'<a href="{portal["column"]}../zfxxgkzn/">政府信息公开指南</a> '
               f'<a href="{portal["column"]}nlist.html">政府信息公开年报</a> '
               f'<a href="https://www.gov.cn/">中国政府网</a></div>')
        foot = (f'<div class="footer"><a href="{root}lxwm/">联系我们</a> | <a href="{root}wzdt/">网站地图</a>'
                f'<p>主办单位：{escape(portal["agency"])}　网站标识码：3501990001</p></div>')
        return (f"<!DOCTYPE html>\n<html><head>{charset}\n{meta_html}\n<title>{escape(title)}</title>"
                f'<link rel="stylesheet" href="{root}css/main.css"></head>\n<body>{nav}\n{body}\n{foot}</body></html>')

    # --- URLs -------------------------------------------------------------------------------------
    def urls(self, portal: dict, item: dict, date: str) -> dict[str, str]:
        self.docid += 1
        d, col, n = date.replace("-", ""), portal["column"], self.docid
        plat = portal["platform"]
        if plat == "trs":
            ext = portal.get("page_ext", "html")
            base = f"{col}{d[:6]}/"
            return {"detail": f"{base}t{d}_{n}.{ext}", "pdf": f"{base}P0{d}{n}01.pdf",
                    "docx": f"{base}W0{d}{n}02.docx", "part": f"{base}t{d}_{n}_1.{ext}", "stem": f"t{d}_{n}",
                    "file_pdf": f"{base}P0{d}{n}03.pdf", "file_docx": f"{base}W0{d}{n}04.docx",
                    "huge": f"{base}P0{d}{n}09.pdf"}
        if plat == "hanweb":
            y, m, day = int(d[:4]), int(d[4:6]), int(d[6:])
            base = f"/hw/art/{y}/{m}/{day}/"
            return {"detail": f"{base}art_1229_{n}.html", "pdf": f"{base}art_1229_{n}_1.pdf",
                    "docx": f"{base}art_1229_{n}_2.docx", "file_pdf": f"/hw/module/download/{n}.pdf",
                    "file_docx": f"/hw/module/download/{n}.docx", "huge": f"{base}art_1229_{n}_9.pdf"}
        if plat == "gkmlpt":
            return {"detail": f"/gd/gkmlpt/content/0/{n // 100}/post_{n}.html",
                    "pdf": f"/gd/attachment/0/{n // 10}/{n}/{n}.pdf", "docx": f"/gd/attachment/0/{n // 10}/{n}/{n}.docx",
                    "file_pdf": f"/gd/attachment/0/{n // 10}/{n}/{n}_f.pdf",
                    "file_docx": f"/gd/attachment/0/{n // 10}/{n}/{n}_f.docx",
                    "huge": f"/gd/attachment/0/{n // 10}/{n}/{n}_big.pdf"}
        base = f"{col}{d[:6]}/"
        return {"detail": f"{base}{n}.html", "pdf": f"{base}{n}.pdf", "docx": f"{base}{n}.docx",
                "file_pdf": f"/gen/uploads/{d[:4]}/{d[4:6]}/nb{n}.pdf",
                "file_docx": f"/gen/uploads/{d[:4]}/{d[4:6]}/nb{n}.docx", "huge": f"{base}{n}_big.pdf"}

    # --- one report --------------------------------------------------------------------------------
    def report(self, portal: dict, item: dict, index: int) -> dict:
        fmt, year, agency = item["format"], item["year"], item["agency"]
        date = f"{year + 1}-{(1 if portal['level'] != 'county' else 3):02d}-{10 + index:02d}"
        word = "年度" if fmt == "v2021" else "年"
        title = item.get("title") or f"{agency}{year}{word}政府信息公开工作年度报告"
        # a repost is the same report: same values, so its PDF copy is byte-identical to the original's
        seed = int(hashlib.sha256(f"{self.spec['seed']}:{item.get('duplicate_of') or item['id']}".encode())
                   .hexdigest()[:8], 16)
        values = tables.values_for(fmt, seed)
        extra: dict[str, Any] = {}
        if item.get("broken_table"):
            values, extra = tables.break_row_total(values)
        urls = self.urls(portal, item, date)
        form = item["form"]
        docs: list[dict[str, str]] = []
        too_large: list[str] = []
        if form in ("file_pdf", "file_docx"):
            kind = form.split("_")[1]
            maker = documents.report_pdf if kind == "pdf" else documents.report_docx
            self.write(urls[form], maker(title, fmt, agency, year, values), _CTYPES[kind])
            docs.append({"path": urls[form], "kind": kind, "role": "attachment"})
            link = urls[form]
        else:
            link = urls["detail"]
            metas = {"ArticleTitle": title, "PubDate": f"{date} 09:30", "ContentSource": agency}
            info = (f'<table class="xxgk_info"><tr><td>索引号：</td><td>0{self.docid}/{year + 1}-00{index + 1}</td>'
                    f'<td>发布机构：</td><td>{escape(agency)}</td></tr><tr><td>发布日期：</td><td>{date}</td>'
                    f'<td>分类：</td><td>政府信息公开年报</td></tr></table>')
            body_tables = tables.body_html(fmt, agency, year, values)
            attach = ""
            if form in ("pdf", "html_pdf", "docx", "html_huge"):
                kind = "docx" if form == "docx" else "pdf"
                target = urls["huge"] if form == "html_huge" else urls[kind]
                name = f"{title}.{kind}"
                attach = (f'<div class="attachment"><p>附件：</p><ul id="file_ul_fj"><li>'
                          f'<a href="{_rel(link, target, portal)}" target="_blank">{escape(name)}</a></li></ul></div>')
                if portal["platform"] == "gkmlpt":
                    attach += ('<script>window._CONFIG = window._CONFIG || {}; window._CONFIG.DETAIL = '
                               + json.dumps({"title": title, "attachment": [{"name": name, "url": target}]},
                                            ensure_ascii=False).replace("/", "\\/") + ";</script>")
                if form == "html_huge":
                    self.site["huge"][target] = HUGE_SIZE
                    too_large.append(target)
                else:
                    maker = documents.report_pdf if kind == "pdf" else documents.report_docx
                    self.write(target, maker(title, fmt, agency, year, values), _CTYPES[kind])
                    docs.append({"path": target, "kind": kind, "role": "attachment"})
            if form in ("pdf", "docx"):
                body_tables = "<p>　　详见附件。</p>"
            script = ""
            if form == "html_split":
                first, rest = body_tables.split("<p><strong>四、", 1)
                body_tables = first
                script = f'<div id="page_div"><script>createPageHTML(2, 0, "{urls["stem"]}", "{portal["page_ext"]}");</script></div>'
                part = (f'<h1>{escape(title)}</h1><div class="TRS_Editor"><p><strong>四、{rest}</div>'
                        f'<div id="page_div"><script>createPageHTML(2, 1, "{urls["stem"]}", "{portal["page_ext"]}");</script></div>')
                self.page(portal, urls["part"], self.shell(portal, title, part, metas))
            html = self.shell(portal, f"{title}_政府信息公开年报_{portal['agency']}",
                              f'<div class="main">{info}<h1>{escape(title)}</h1><div class="TRS_Editor">{body_tables}</div>'
                              f"{script}{attach}</div>", metas)
            self.page(portal, link, html)
            docs.insert(0, {"path": link, "kind": "html", "role": "detail"})
            if form == "html_split":
                docs.insert(1, {"path": urls["part"], "kind": "html", "role": "page_part"})
        copies = [d["path"] for d in docs if form in ("html_pdf",)]
        self.truth["reports"][item["id"]] = {
            "portal": portal["id"], "agency": agency, "year": year, "format": fmt, "title": title,
            "is_annual_report": True, "url": link, "publish_date": date, "form": form, "documents": docs,
            "values": values, "values_in": [d["path"] for d in docs if not (form in ("pdf", "docx") and d["kind"] == "html")],
            "complete_tables": ["old"] if fmt == "v2008_local" else ["sec2", "sec3", "sec4"],
            "duplicate_of": item.get("duplicate_of"), "copies_of_same_report": copies,
            "too_large": too_large, "broken_identities": extra.get("broken_identities", []),
            "source_inconsistencies": extra.get("source_inconsistencies", []),
        }
        return {"title": title, "url": link, "date": date, "docs": docs}

    def non_report(self, portal: dict, item: dict, index: int) -> dict:
        date = f"2023-{(index % 9) + 1:02d}-{10 + index:02d}"
        urls = self.urls(portal, item, date)
        title = item["title"]
        if item["kind"] == "offsite":
            return {"title": title, "url": item["url"], "date": date, "docs": []}
        if item["kind"] == "broken":
            self.site["broken"].append(urls["detail"])
            return {"title": title, "url": urls["detail"], "date": date, "docs": []}
        body = f'<h1>{escape(title)}</h1><div class="TRS_Editor"><p>　　（正文略）</p></div>'
        self.page(portal, urls["detail"], self.shell(portal, title, body, {"ArticleTitle": title}))
        return {"title": title, "url": urls["detail"], "date": date, "docs": []}

    # --- list pages per platform ---------------------------------------------------------------------
    def portal(self, portal: dict) -> None:
        truth = {"platform": portal["platform"], "column": portal["column"], "report_urls": [], "documents": [],
                 "lookalike_urls": [], "other_urls": [], "broken_urls": [], "offsite_urls": [], "too_large_urls": [],
                 "reports": []}
        entries = self.entries(portal, truth)
        subs = []
        for sub in portal.get("sub_columns", []):  # year folders of the column, each a one-page list
            child = dict(portal, column=portal["column"] + sub["path"], items=sub["items"], sub_columns=[])
            subs.append((sub, child, self.entries(child, truth)))
        if portal.get("challenge"):
            self.site["challenges"][self.root(portal)] = portal["challenge"]
            truth["expected_status"] = "blocked"
        elif any(portal["column"].startswith(p) for p in self.spec.get("robots_disallow", [])):
            truth["expected_status"] = "robots_disallowed"
        else:
            truth["expected_status"] = "ok"
        if truth["expected_status"] != "ok":  # nothing is reachable: the reports exist but are not archived
            truth["documents_not_reachable"], truth["documents"] = truth["documents"], []
        getattr(self, f"lists_{portal['platform']}")(portal, entries, [(s["path"], s["label"]) for s, _, _ in subs])
        for _, child, child_entries in subs:
            self.lists_generic(dict(child, per_page=len(child_entries) or 1), child_entries, [], first="index.html")
        truth["start_path"] = start_path(portal)
        self.truth["portals"][portal["id"]] = truth

    def entries(self, portal: dict, truth: dict) -> list[dict]:
        entries = []
        items = list(portal.get("items", []))
        for k in range(1, self.scale):  # benchmark copies: HTML-only reports, look-alikes again
            items += [dict(i, id=f"{i['id']}-x{k}", form="html") if i["kind"] == "report" else dict(i)
                      for i in portal.get("items", []) if i["kind"] in ("report", "lookalike", "other")
                      and not i.get("added_later")]
        for index, item in enumerate(items):
            if item.get("added_later") and not self.include_later:
                self.docid += 1  # keep every other URL stable when the report appears later
                continue
            if item["kind"] == "report":
                entry = self.report(portal, item, index)
                truth["report_urls"].append(entry["url"])
                truth["reports"].append(item["id"])
                truth["documents"] += [d["path"] for d in entry["docs"]]
                truth["too_large_urls"] += self.truth["reports"][item["id"]]["too_large"]
            else:
                entry = self.non_report(portal, item, index)
                key = {"lookalike": "lookalike_urls", "broken": "broken_urls", "offsite": "offsite_urls"}.get(
                    item["kind"], "other_urls")
                truth[key].append(entry["url"])
            entry["no_title_attr"] = item.get("no_title_attr", False)
            entries.append(entry)
        return entries

    def _li(self, portal: dict, entry: dict, base: str) -> str:
        title = entry["title"]
        text = title[:16] + "..." if portal.get("truncate_titles") and len(title) > 16 else title
        attr = "" if entry.get("no_title_attr") else f' title="{escape(title)}"'
        return (f'<li><a href="{_rel(base, entry["url"], portal)}" target="_blank"{attr}>{escape(text)}</a>'
                f'<span class="date">{entry["date"]}</span></li>')

    @staticmethod
    def _subnav(subs: list[tuple[str, str]]) -> str:
        return ('<div class="sub_columns">' + "".join(f'<a href="{p}">{escape(label)}</a>' for p, label in subs)
                + "</div>") if subs else ""

    def lists_trs(self, portal: dict, entries: list[dict], subs: list | None = None) -> None:
        per, ext, col = portal.get("per_page", 3), portal.get("page_ext", "html"), portal["column"]
        chunks = [entries[i:i + per] for i in range(0, len(entries), per)] or [[]]
        for k, chunk in enumerate(chunks):
            if portal.get("pager") == "dynamic":
                name = "index" if k == 0 else f"index_{k}"
                script = ('require(["list2.trsapi", "tools"], function(listModel, tools) { listModel({'
                          'quickMode: "动静结合", maxStaticIndex: ' + str(len(chunks) - 1) + ', listArgs: {channelid: '
                          '200210, classsql: "chnlid=1813"}, pagebar: {prepage: ' + str(per) + ", recordCount: '"
                          + str(len(entries)) + "', pgCountMode: \"recordCount\"}});});")
            elif portal.get("numbering") == "one":
                name = "index" if k == 0 else f"index_{k + 1}"
                script = f"createPageHTML('page_div', {len(chunks)}, {k + 1}, 'index', '{ext}', {per});"
            else:
                name = "index" if k == 0 else f"index_{k}"
                script = f'createPageHTML({len(chunks)}, {k}, "index", "{ext}");'
            path = f"{col}{name}.{ext}"
            if portal.get("pager") == "dynamic":  # <dl><dd> rows, title= attributes, an avalon template
                rows = "\n".join(f"<dl><dd>{self._li(portal, e, path)[4:-5]}</dd></dl>" for e in chunk)
                body = (f'<div class="rules_tabs_01" ms-visible="showStatic">\n{rows}\n</div>'
                        '<div ms-visible="!showStatic"><dl ms-repeat="list"><dd><a ms-attr-href="el.chnldocurl" '
                        'ms-attr-title="el.doctitle"></a></dd></dl></div>'
                        f'<div class="page_base" ms-controller="list_pagebar"></div><script>{script}</script>')
            else:
                lis = "\n".join(self._li(portal, e, path) for e in chunk)
                body = (f'<div class="list"><h2>政府信息公开年报</h2><ul class="list_ul">\n{lis}\n</ul>'
                        f'<div id="page_div"><script>{script}</script></div></div>')
            self.page(portal, path, self.shell(portal, f"政府信息公开年报_{portal['agency']}", body,
                                               {"ColumnType": "政府信息公开年报"}))

    def lists_generic(self, portal: dict, entries: list[dict], subs: list | None = None,
                      first: str = "list.html") -> None:
        per, col = portal.get("per_page", 2), portal["column"]
        chunks = [entries[i:i + per] for i in range(0, len(entries), per)] or [[]]
        names = [first] + [f"list_{k + 1}.html" for k in range(1, len(chunks))]
        for k, chunk in enumerate(chunks):
            path = f"{col}{names[k]}"
            lis = "\n".join(self._li(portal, e, path) for e in chunk)
            pager = [f'<a href="{names[0]}">首页</a>']
            if k > 0:
                pager.append(f'<a href="{names[k - 1]}">上一页</a>')
            pager += [f'<a href="{n}">{i + 1}</a>' for i, n in enumerate(names)]
            if k < len(chunks) - 1:
                pager.append(f'<a href="{names[k + 1]}">下一页</a>')
            pager.append(f'<a href="{names[-1]}">尾页</a>')
            body = (f'{self._subnav(subs or [])}<div class="list"><ul>\n{lis}\n</ul>'
                    f'<div class="pager">{" ".join(pager)}</div></div>')
            self.page(portal, path, self.shell(portal, f"年度报告_{portal['agency']}", body))

    def lists_hanweb(self, portal: dict, entries: list[dict], subs: list | None = None) -> None:
        per, col = portal.get("per_page", 2), portal["column"]
        path = f"{col}index.html"
        records = [self._li(portal, e, path) for e in entries]
        embedded = records[: 3 * per]
        proxy_q = (f"page=1&appid=1&webid=3181&path=/&columnid=1229&unitid={HANWEB_UNIT}"
                   f"&webname={portal['agency']}&permissiontype=0")
        store = (f'<div id="{HANWEB_UNIT}"><script type="text/xml"><datastore>'
                 f'<nextgroup><![CDATA[<a href="{HANWEB_PROXY}?{proxy_q}"></a>]]></nextgroup><recordset>'
                 + "".join(f"<record><![CDATA[{r}]]></record>" for r in embedded)
                 + "</recordset></datastore></script></div>"
                 f"<script>$(document).ready(function(){{$('#{HANWEB_UNIT}').jpage({{dataStore: dataStore, "
                 f"proxyUrl: '{HANWEB_PROXY}', totalRecord: {len(records)}, perPage: {per}, groupSize: 3, "
                 f"barPosition: 'bottom', ajaxParam: {{columnid: 1229, unitid: {HANWEB_UNIT}, webid: 3181}}}});}});</script>")
        self.page(portal, path, self.shell(portal, f"政府信息公开年报_{portal['agency']}", store))
        self.site["hanweb_proxy"][HANWEB_PROXY] = {"records": records, "columnid": "1229"}

    def lists_gkmlpt(self, portal: dict, entries: list[dict], subs: list | None = None) -> None:
        per, cat, sid = portal.get("per_page", 3), portal["cat_id"], portal["sid"]
        body = (f'<div id="app"></div><script>window._CONFIG = {{SID: \'{sid}\', SITE_NAME: "{portal["agency"]}", '
                f'API_BASE: "/gd/gkmlpt/api"}};</script><script src="/gd/gkmlpt/gkml/pc/js/chunk-common.js"></script>')
        self.page(portal, "/gd/gkmlpt/index", self.shell(portal, f"政府信息公开目录_{portal['agency']}", body))
        chunks = [entries[i:i + per] for i in range(0, len(entries), per)] or [[]]
        for k, chunk in enumerate(chunks, start=1):
            data = {"total": len(entries), "page": k, "articles": [
                {"id": int(e["url"].rsplit("_", 1)[-1].split(".")[0]) if "post_" in e["url"] else 0,
                 "title": e["title"], "url": e["url"] if e["url"].startswith("http") else e["url"],
                 "created_at": e["date"] + " 09:30:00"} for e in chunk], "classify": {"post_count": len(entries)}}
            file = f"/gd/gkmlpt/api/all/{cat}/page{k}.json"
            self.write(file, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8")
            self.site["routes"][route_key(f"/gd/gkmlpt/api/all/{cat}", f"page={k}&sid={sid}")] = file


_CTYPES = {"pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _rel(base: str, target: str, portal: dict) -> str:
    """TRS-style relative links (./202401/t...) inside a column; absolute paths elsewhere."""
    if target.startswith("http"):
        return target
    folder = base.rsplit("/", 1)[0] + "/"
    if target.startswith(folder) and portal["platform"] in ("trs", "generic"):
        return "./" + target[len(folder):]
    return target


def start_path(portal: dict) -> str:
    """The column URL path a registry lists for a demo portal."""
    return {"trs": portal["column"] if portal.get("page_ext", "html") != "shtml" else portal["column"] + "index.shtml",
            "hanweb": portal["column"] + "index.html", "gkmlpt": "/gd/gkmlpt/index#" + str(portal.get("cat_id", "")),
            "generic": portal["column"] + "list.html"}[portal["platform"]]


def load_spec(spec: str | Path | None = None) -> dict:
    return yaml.safe_load(Path(spec or SPEC).read_text(encoding="utf-8"))


def build_site(out_dir: str | Path, spec: str | Path | None = None, include_later: bool = False,
               scale: int = 1) -> dict:
    """Write the demo site under `out_dir`; returns the truth (also in out_dir/truth.json).

    `include_later=True` adds the reports marked `added_later` (what a portal publishes between two
    nightly crawls). Rebuilding into the same dir leaves unchanged files byte-identical. `scale` > 1
    repeats every portal's items (as HTML reports) to make a bigger site for benchmarks.
    """
    out = Path(out_dir)
    data = load_spec(spec)
    builder = _Builder(out, data, include_later, scale)
    builder.site["robots"] = "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in data.get("robots_disallow", []))
    for portal in data["portals"]:
        builder.portal(portal)
    builder.truth["spec"] = {k: v for k, v in data.items() if k != "portals"}
    builder.truth["registry"] = [registry_entry(p, "http://127.0.0.1") for p in data["portals"]]
    (out / "site.json").write_text(json.dumps(builder.site, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "truth.json").write_text(json.dumps(builder.truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return builder.truth


def registry_entry(portal: dict, base_url: str) -> dict:
    host = urlsplit(base_url).hostname
    entry = {"id": portal["id"], "agency": portal["agency"], "region_code": portal["region_code"],
             "level": portal["level"], "platform": portal["platform"],
             "start_urls": [base_url.rstrip("/") + start_path(portal)], "allowed_domains": [host],
             "verified": False, "notes": "demo/fixture site portal (spiders.fixture_site)"}
    if portal.get("encoding") and portal["encoding"] != "utf-8":
        entry["encoding"] = portal["encoding"]
    return entry


def write_registry(base_url: str, path: str | Path, portals: list[str] | None = None,
                   spec: str | Path | None = None) -> Path:
    """A registry YAML (format of data/portals.yaml) for the demo site served at `base_url`."""
    data = load_spec(spec)
    entries = [registry_entry(p, base_url) for p in data["portals"] if not portals or p["id"] in portals]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"portals": entries}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
