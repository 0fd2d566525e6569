"""The annual_reports spider: one spider driven by the portal registry, platforms as mixins.

    scrapy crawl annual_reports -a registry=data/portals.yaml -a portals=ID[,ID] [-a out=DIR] [-a archive=DIR]

Finds report links in each portal's column (title rules in spiders/titles.py), fetches report
pages, their continuation pages and attachments, and hands every document to the pipelines
(archive, schema validation, manifest). Already-held documents are re-requested conditionally
(ETag / Last-Modified) or not at all; challenge pages are recorded as blocked, never solved.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import scrapy
import scrapy.downloadermiddlewares.cookies as _scrapy_cookies
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from tldextract import TLDExtract

from spiders import pages, titles
from spiders.encoding import decode_html
from spiders.health import PortalHealth
from spiders.items import DocumentItem
from spiders.mixins import GenericMixin, GkmlptMixin, HanwebMixin, TrsMixin
from spiders.registry import load_registry, select

# Scrapy's cookie middleware would download the public-suffix list from GitHub on first use:
# use the snapshot bundled with tldextract (crawls talk to the portals only).
_scrapy_cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)

# Statuses we want to see in callbacks (to classify), instead of HttpError failures.
HANDLED_STATUSES = [304, 400, 401, 403, 404, 405, 410, 412, 429, 451, 500, 502, 503, 504, 521]
HTML_TYPES = ("text/html", "application/xhtml", "text/xml", "application/xml", "text/plain")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class AnnualReportsSpider(TrsMixin, HanwebMixin, GkmlptMixin, GenericMixin, scrapy.Spider):
    name = "annual_reports"
    custom_settings = {
        "ITEM_PIPELINES": {
            "spiders.pipelines.ArchivePipeline": 100,
            "spiders.pipelines.ValidationPipeline": 200,
            "spiders.pipelines.ManifestPipeline": 300,
        },
        "EXTENSIONS": {"spiders.extensions.CrawlReport": 500, "spiders.extensions.WarcWriter": 510},
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "spiders.middlewares.ConcurrentSafeRobotsTxtMiddleware": 100,
            "spiders.middlewares.RetryBackoffMiddleware": 540,
        },
    }

    def __init__(self, registry: str = "data/portals.yaml", portals: str = "", out: str | None = None,
                 archive: str | None = None, warc: str | bool = False, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.portals = {p.id: p for p in select(load_registry(registry), portals)}
        self.allowed_domains = sorted({h for p in self.portals.values() for h in p.hosts})
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.out_dir = Path(out or f"data/build/crawls/{stamp}")
        self.archive_dir = Path(archive or "data/raw")
        self.warc = str(warc).lower() in ("1", "true", "yes")
        self.health = {pid: PortalHealth(pid) for pid in self.portals}
        self._reports: dict[str, set[str]] = {pid: set() for pid in self.portals}
        self._lookalikes: dict[str, set[str]] = {pid: set() for pid in self.portals}
        self._list_count: dict[str, int] = dict.fromkeys(self.portals, 0)
        self._report_column: dict[str, bool] = dict.fromkeys(self.portals, False)
        self._documents_seen: set[tuple[str, str]] = set()
        # hosts of the original site a loopback-served saved copy names (pages.origin_hosts)
        self.origins: dict[str, set[str]] = {pid: set() for pid in self.portals}
        from spiders.archive import Archive
        self.archive = Archive(self.archive_dir)

    # --- requests -----------------------------------------------------------------------
    def meta_for(self, portal, kind: str, **extra) -> dict:
        return {"portal": portal.id, "kind": kind, "handle_httpstatus_list": HANDLED_STATUSES, **extra}

    def portal_of(self, response):
        return self.portals[response.meta["portal"]]

    async def start(self):
        for portal in self.portals.values():
            for url in portal.start_urls:
                self._list_count[portal.id] += 1
                yield scrapy.Request(url.split("#")[0], callback=getattr(self, f"parse_{portal.platform}_list"),
                                     errback=self.on_error,
                                     meta=self.meta_for(portal, "list", first=True, start_url=url))

    def follow_pages(self, response, portal, urls):
        prefixes = portal.column_prefixes()
        for url in urls:
            if not pages.under(url, prefixes) or url == response.url:
                continue
            if self._list_count[portal.id] >= portal.max_pages:
                self.health[portal.id].note(url, f"max_pages={portal.max_pages} reached")
                return
            self._list_count[portal.id] += 1
            yield scrapy.Request(url, callback=getattr(self, f"parse_{portal.platform}_list"),
                                 errback=self.on_error, meta=self.meta_for(portal, "list", first=False))

    def follow_subcolumns(self, response, portal, found):
        """Year / group sub-columns of the column (one level down), read like the column itself."""
        for url in pages.subcolumn_links(response.url, found, portal.column_prefixes()):
            if self._list_count[portal.id] >= portal.max_pages:
                return
            self._list_count[portal.id] += 1
            yield scrapy.Request(url, callback=getattr(self, f"parse_{portal.platform}_list"), errback=self.on_error,
                                 meta=self.meta_for(portal, "list", first=True, subcolumn=True))

    def consider(self, portal, url: str, title: str, landing: str, off_list: bool = False):
        """Follow `url` when its listed title is a report (or a truncated maybe) on an official domain.

        A link off the page's main list (header, navigation, side boxes, related links, footer) is
        not one of the column's items: it is followed only when it points into the column itself."""
        if off_list and not pages.under(url, portal.column_prefixes()):
            return
        verdict = titles.classify(title, portal.title_include, portal.title_exclude,
                                  self._report_column[portal.id])
        if (verdict == "other" and self._report_column[portal.id] and titles.BARE_YEAR.match(titles.normalise(title))
                and (pages.is_detail_url(url) or pages.is_document_url(url))):
            verdict = "maybe"  # a 年报 column listing "2023年度" -> the report: its page's title decides
        health = self.health[portal.id]
        if verdict == "lookalike":
            if url not in self._lookalikes[portal.id]:
                self._lookalikes[portal.id].add(url)
                health.lookalikes += 1
            return
        if verdict == "other" or url in self._reports[portal.id]:
            return
        if not portal.allows(url):
            health.offsite_links += 1
            health.note(url, "report link outside allowed_domains (mirror?) not followed")
            return
        self._reports[portal.id].add(url)
        if verdict == "report":
            health.reports_found += 1
        role = "attachment" if pages.is_document_url(url) else "detail"
        yield from self.document_request(portal, url, role=role, landing=landing, report_url=url,
                                         list_title=title, verdict=verdict)

    def document_request(self, portal, url, *, role, landing, report_url, list_title=None, link_text=None,
                         verdict="report", title=None):
        """Request a document, conditionally when we hold it; skip it when we hold it without validators.
        Once per URL and portal in a crawl (continuation pages repeat their report's attachments)."""
        if (portal.id, url) in self._documents_seen:
            return
        self._documents_seen.add((portal.id, url))
        meta = self.meta_for(portal, role, landing=landing, report_url=report_url, list_title=list_title,
                             link_text=link_text, verdict=verdict, title=title)
        callback = self.parse_detail if role in ("detail", "page_part") else self.parse_document
        previous = self.archive.previous(url)
        headers = {}
        if previous:
            if previous.get("etag"):
                headers["If-None-Match"] = previous["etag"]
            if previous.get("last_modified"):
                headers["If-Modified-Since"] = previous["last_modified"]
            if not headers:  # held, nothing to validate against: the seen set says unchanged
                yield from self.unchanged(portal, url, previous, meta, status=None)
                return
        yield scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, headers=headers)

    def unchanged(self, portal, url, previous, meta, status):
        """Re-emit a held document (and its held children) without downloading it."""
        item = DocumentItem(**{k: v for k, v in previous["item"].items() if k in DocumentItem.fields})
        item.update(fetched_at=_now(), http_status=status or previous["item"].get("http_status", 200),
                    landing_page=meta["landing"], change="unchanged")
        if item.get("http_status") not in (200, 203, 304):
            item["http_status"] = 200
        yield item
        for child in previous.get("children") or []:
            yield from self.document_request(portal, child["url"], role=child["role"], landing=url,
                                             report_url=meta["report_url"], link_text=child.get("link_text"),
                                             title=child.get("title"))

    # --- responses ----------------------------------------------------------------------
    def decode(self, response, portal) -> tuple[str, str]:
        return decode_html(response.body, _header(response, "Content-Type") or "", portal.encoding)

    def challenge_or_error(self, response, portal) -> bool:
        """Record a challenge page or an HTTP error. True when the response is usable."""
        health = self.health[portal.id]
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        kind = pages.challenge(response.status, headers, response.body)
        first = response.meta.get("first")
        if kind:
            health.blocked_pages += 1
            health.start_blocked |= bool(first) or response.meta["kind"] == "list"
            health.note(response.url, kind)
            self.crawler.stats.inc_value(f"blocked/{kind}")
            return False
        if response.status >= 400:
            health.errors += 1
            health.start_failed |= bool(first)
            health.note(response.url, f"HTTP {response.status}")
            return False
        return True

    def list_page(self, response):
        """(portal, html, links) for a usable list page, else None (challenge/error recorded)."""
        portal = self.portal_of(response)
        health = self.health[portal.id]
        health.requests += 1
        if not self.challenge_or_error(response, portal):
            return None
        health.list_pages += 1
        html, _ = self.decode(response, portal)
        self.logger.info("list %s: %s", portal.id, response.url)
        if response.meta.get("first") and pages.report_column(html):
            self._report_column[portal.id] = True
        self.origins[portal.id] |= pages.origin_hosts(response.url, html)
        return portal, html, pages.links(response.url, html, portal.column_prefixes(), self.origins[portal.id])

    def base_item(self, response, portal, role: str, encoding: str | None = None, title: str | None = None):
        meta = response.meta
        listed = meta.get("list_title")
        title = title or meta.get("title") or listed or ""
        return DocumentItem(
            body=response.body, portal_id=portal.id, agency=portal.agency, region_code=portal.region_code,
            url=meta.get("redirect_urls", [response.url])[0], final_url=response.url,
            landing_page=meta["landing"], role=role, report_url=meta["report_url"], title=title,
            list_title=listed, link_text=meta.get("link_text"), report_year=titles.report_year(title),
            publish_date=None, content_type=(_header(response, "Content-Type") or "").split(";")[0].strip(),
            size=len(response.body), sha256="0" * 64, path="", fetched_at=_now(), http_status=response.status,
            etag=_header(response, "ETag"), last_modified=_header(response, "Last-Modified"), encoding=encoding,
            change="new")

    def _held(self, response, portal):
        previous = self.archive.previous(response.meta.get("redirect_urls", [response.url])[0])
        if previous is None:  # 304 for something we do not hold: should not happen; record it
            self.health[portal.id].errors += 1
            self.health[portal.id].note(response.url, "304 without a held copy")
        return previous

    def parse_detail(self, response):
        portal = self.portal_of(response)
        health = self.health[portal.id]
        health.requests += 1
        if response.status == 304:
            previous = self._held(response, portal)
            if previous:
                yield from self.unchanged(portal, response.url, previous, response.meta, status=304)
            return
        if not self.challenge_or_error(response, portal):
            return
        ctype = (_header(response, "Content-Type") or "").lower()
        if ctype and not ctype.startswith(HTML_TYPES) and not pages.looks_like_html(response.body):
            # the "page" is a file (redirect to a PDF ...); static servers send HTML without a known
            # extension (.jhtml, gkmlpt's /index) as application/octet-stream, hence the sniffing
            yield from self.parse_document(response, counted=True)
            return
        html, encoding = self.decode(response, portal)
        in_column = self._report_column[portal.id]
        candidates = pages.article_titles(html)
        reports = [t for t in candidates
                   if titles.classify(t, portal.title_include, portal.title_exclude, in_column) == "report"]
        full_title = reports[0] if reports else (candidates[0] if candidates else "")
        if response.meta.get("verdict") == "maybe":
            cut = titles.TRUNCATED.sub("", titles.normalise(response.meta.get("list_title") or ""))
            matching = [t for t in reports if cut in t]
            if not reports:
                health.lookalikes += 1
                health.note(response.url, f"truncated title resolved to a non-report: {full_title}")
                return
            full_title = (matching or reports)[0]
            health.reports_found += 1
        role = response.meta["kind"]
        title = full_title if reports else (response.meta.get("title") or response.meta.get("list_title")
                                            or full_title)
        item = self.base_item(response, portal, role, encoding, title)
        item["publish_date"] = pages.publish_date(response.url, html)
        origins = self.origins[portal.id]
        found = pages.links(response.url, html, origins=origins)
        children = []
        for att in pages.attachments(response.url, html, found, origins):
            if att.url != response.url and portal.allows(att.url):
                children.append({"url": att.url, "role": "attachment", "link_text": att.text or None,
                                 "title": title})
        if role in ("detail", "page_part"):
            for part in pages.article_pages(response.url, html, response.meta.get("report_url"), found):
                if portal.allows(part):
                    children.append({"url": part, "role": "page_part", "title": title})
        item["children"] = children
        yield item
        for child in children:
            yield from self.document_request(portal, child["url"], role=child["role"], landing=response.url,
                                             report_url=response.meta["report_url"],
                                             link_text=child.get("link_text"), title=title)

    def parse_document(self, response, counted: bool = False):
        portal = self.portal_of(response)
        if not counted:
            self.health[portal.id].requests += 1
        if response.status == 304:
            previous = self._held(response, portal)
            if previous:
                yield from self.unchanged(portal, response.url, previous, response.meta, status=304)
            return
        if not self.challenge_or_error(response, portal):
            return
        item = self.base_item(response, portal, "attachment")
        item["publish_date"] = pages.publish_date(response.url, "")
        yield item

    def on_error(self, failure):
        request = failure.request
        portal = self.portals[request.meta["portal"]]
        health = self.health[portal.id]
        first = bool(request.meta.get("first"))
        if failure.check(IgnoreRequest) and "robots" in str(failure.value).lower():
            health.robots_forbidden += 1
            health.start_robots |= first
            health.note(request.url, "forbidden by robots.txt")
            return
        health.requests += 1
        if failure.check(DownloadCancelledError) and "max" in str(failure.value).lower():
            health.too_large += 1
            health.note(request.url, "larger than DOWNLOAD_MAXSIZE, not downloaded")
            self._error_line(portal, request, "too_large", str(failure.value))
            return
        health.errors += 1
        health.start_failed |= first
        health.note(request.url, failure.type.__name__)
        self._error_line(portal, request, "failed", repr(failure.value))

    def _error_line(self, portal, request, kind: str, reason: str) -> None:
        self.crawler.stats.inc_value(f"fetch_errors/{kind}")
        errors = getattr(self, "fetch_errors", [])
        errors.append({"portal_id": portal.id, "url": request.url, "kind": kind, "reason": reason[:500],
                       "role": request.meta.get("kind"), "report_url": request.meta.get("report_url"),
                       "landing_page": request.meta.get("landing"), "at": _now()})
        self.fetch_errors = errors
