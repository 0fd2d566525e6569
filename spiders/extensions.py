"""Extensions: the crawl report (health.json, stats.json, errors.jsonl) and optional WARC output."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import BytesIO

from scrapy import signals
from scrapy.exceptions import NotConfigured


def peak_rss_mb() -> float | None:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it does not inherit the parent's)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _write_json(path, data) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str), encoding="utf-8")
    tmp.replace(path)


class CrawlReport:
    """On close: per-portal health next to the manifest, crawl stats, failed fetches."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        self.pages = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def response_received(self, response, request, spider):
        self.pages += 1

    def spider_closed(self, spider, reason):
        if not hasattr(spider, "health"):
            return
        stats = self.crawler.stats
        started = stats.get_value("start_time")
        now = datetime.now(UTC)
        duration = (now - started).total_seconds() if started else None
        out = spider.out_dir
        out.mkdir(parents=True, exist_ok=True)
        health = {pid: h.to_dict() for pid, h in spider.health.items()}
        _write_json(out / "health.json", {"generated_at": now.isoformat(), "portals": health})
        totals = {k: sum(h[k] for h in health.values()) for k in ("new", "changed", "unchanged", "documents",
                                                                  "errors", "blocked_pages", "robots_forbidden",
                                                                  "too_large", "reports_found")}
        summary = {
            "finish_reason": reason,
            "started_at": started.isoformat() if started else None,
            "finished_at": now.isoformat(),
            "duration_s": round(duration, 3) if duration is not None else None,
            "pages_requested": stats.get_value("downloader/request_count", 0),
            "responses": self.pages,
            "pages_per_s": round(self.pages / duration, 2) if duration else None,
            "bytes_downloaded": stats.get_value("downloader/response_bytes", 0),
            "documents": {"new": totals["new"], "changed": totals["changed"], "unchanged": totals["unchanged"],
                          "total": totals["documents"]},
            "reports_found": totals["reports_found"],
            "errors": totals["errors"], "too_large": totals["too_large"], "blocked_pages": totals["blocked_pages"],
            "robots_forbidden": totals["robots_forbidden"],
            "spider_exceptions": stats.get_value("spider_exceptions/count", 0) or sum(
                v for k, v in stats.get_stats().items() if k.startswith("spider_exceptions/") and isinstance(v, int)),
            "items_invalid": stats.get_value("items/invalid", 0),
            "portal_status": {pid: h["status"] for pid, h in health.items()},
            "peak_rss_mb": peak_rss_mb(),
        }
        _write_json(out / "stats.json", summary)
        with open(out / "errors.jsonl", "w", encoding="utf-8") as fh:
            for line in getattr(spider, "fetch_errors", []):
                fh.write(json.dumps(line, ensure_ascii=False) + "\n")
        spider.crawl_summary = summary
        spider.archive.close()


class WarcWriter:
    """Every response as a WARC record in `<out>/crawl.warc.gz` (spider argument warc=1)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.writer = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("WARC_ENABLED", True):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self, spider):
        if not getattr(spider, "warc", False):
            return
        from warcio.warcwriter import WARCWriter
        spider.out_dir.mkdir(parents=True, exist_ok=True)
        self.fh = open(spider.out_dir / "crawl.warc.gz", "wb")  # noqa: SIM115
        self.writer = WARCWriter(self.fh, gzip=True)

    def response_received(self, response, request, spider):
        if self.writer is None:
            return
        from warcio.statusandheaders import StatusAndHeaders
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs]
        http_headers = StatusAndHeaders(f"{response.status} {response.status}", headers, protocol="HTTP/1.1")
        record = self.writer.create_warc_record(response.url, "response", payload=BytesIO(response.body),
                                                http_headers=http_headers)
        self.writer.write_record(record)

    def spider_closed(self, spider, reason):
        if self.writer is not None:
            self.fh.close()
