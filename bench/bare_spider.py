"""A bare Scrapy spider for comparison: follows every link on the site's host, stores nothing.

    python bench/bare_spider.py BASE_URL START_URL [START_URL ...]  -> prints JSON {pages, duration_s, ...}
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor

from spiders.extensions import peak_rss_mb


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, starts: list[str], host: str, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = starts
        self.allowed_domains = [host]
        self.links = LinkExtractor(deny_extensions=[])  # the offsite filter keeps it on the host

    def parse(self, response):
        if not hasattr(response, "text") or b"html" not in response.headers.get("Content-Type", b"html"):
            return
        for link in self.links.extract_links(response):
            yield response.follow(link.url, callback=self.parse)


def main(argv: list[str]) -> int:
    base, starts = argv[0], argv[1:]
    process = CrawlerProcess({"ROBOTSTXT_OBEY": True, "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False,
                              "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                              "DOWNLOAD_MAXSIZE": 64 * 1024 * 1024, "HTTPERROR_ALLOW_ALL": True})
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, starts=starts, host=urlsplit(base).hostname)
    process.start()
    stats = crawler.stats.get_stats()
    duration = (stats["finish_time"] - stats["start_time"]).total_seconds()
    pages = stats.get("response_received_count", 0)
    print(json.dumps({"pages": pages, "duration_s": round(duration, 3), "pages_per_s": round(pages / duration, 1),
                      "peak_rss_mb": peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
