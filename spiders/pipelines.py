"""Item pipelines: archive the bytes, validate against the schema, write the manifest and state."""

from __future__ import annotations

import json
from collections import Counter

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem

from spiders.items import DOCUMENT_SCHEMA
from spiders.pages import DOC_EXTENSIONS, url_ext

_TYPE_EXT = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
             "application/msword": ".doc", "application/json": ".json", "text/plain": ".txt",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
             "application/vnd.ms-excel": ".xls", "application/zip": ".zip", "application/ofd": ".ofd"}


def choose_ext(url: str, content_type: str) -> str:
    ext = url_ext(url)
    if ext in DOC_EXTENSIONS:
        return ext
    if ext in (".html", ".htm", ".shtml", ".jhtml", ".jsp", ".php", ".asp", ".aspx") or not ext:
        guessed = _TYPE_EXT.get(content_type.split(";")[0].strip().lower())
        return guessed or (".html" if ext else ".bin")
    return _TYPE_EXT.get(content_type.split(";")[0].strip().lower(), ".bin")


class _CrawlerPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def spider(self):
        return self.crawler.spider


class ArchivePipeline(_CrawlerPipeline):
    """Store the body content-addressed (once per content) and decide new / changed / unchanged."""

    def process_item(self, item):
        spider = self.spider
        adapter = ItemAdapter(item)
        body = adapter.get("body")
        if "body" in adapter:
            del adapter["body"]
        previous = spider.archive.previous(adapter["url"])
        if body is None:  # 304 or already held: the state says what we have
            adapter["change"] = "unchanged"
            return item
        ext = choose_ext(adapter["final_url"], adapter.get("content_type") or "")
        provenance = {k: adapter.get(k) for k in ("portal_id", "url", "final_url", "landing_page", "title",
                                                  "fetched_at", "http_status", "etag", "last_modified",
                                                  "content_type", "role", "report_url")}
        sha, rel = spider.archive.store(body, ext, provenance)
        adapter["sha256"], adapter["path"], adapter["size"] = sha, rel, len(body)
        if previous is None:
            adapter["change"] = "new"
        else:
            adapter["change"] = "unchanged" if previous["sha256"] == sha else "changed"
        return item


class ValidationPipeline(_CrawlerPipeline):
    """Every manifest line must satisfy DOCUMENT_SCHEMA; failures are dropped and counted per field."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.validator = Draft202012Validator(DOCUMENT_SCHEMA)
        self.failures: Counter[str] = Counter()

    def process_item(self, item):
        spider = self.spider
        data = {k: v for k, v in ItemAdapter(item).items() if k != "children"}
        errors = list(self.validator.iter_errors(data))
        if errors:
            for err in errors:
                self.failures[".".join(str(p) for p in err.absolute_path) or err.validator] += 1
            spider.crawler.stats.inc_value("items/invalid")
            raise DropItem(f"invalid item {data.get('url')}: {errors[0].message}")
        return item

    def close_spider(self):
        if self.failures:
            self.crawler.stats.set_value("items/invalid_fields", dict(self.failures))


class ManifestPipeline(_CrawlerPipeline):
    """Append to `<out>/manifest.jsonl`, remember the URL in the archive state, count changes."""

    def open_spider(self):
        spider = self.spider
        spider.out_dir.mkdir(parents=True, exist_ok=True)
        self.fh = open(spider.out_dir / "manifest.jsonl", "w", encoding="utf-8")  # noqa: SIM115

    def close_spider(self):
        self.fh.close()

    def process_item(self, item):
        spider = self.spider
        adapter = ItemAdapter(item)
        children = adapter.get("children")
        data = {k: v for k, v in adapter.items() if k != "children"}
        self.fh.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
        self.fh.flush()
        spider.archive.remember(data, children)
        health = spider.health[data["portal_id"]]
        health.documents += 1
        setattr(health, data["change"], getattr(health, data["change"]) + 1)
        spider.crawler.stats.inc_value(f"documents/{data['change']}")
        return item
