"""Downloader middlewares: retry backoff, and robots.txt obedience that holds under concurrency."""

from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class ConcurrentSafeRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's middleware hands the parsed robots.txt only to the first of several requests that
    waited for it (the others get None and pass unchecked). Re-read the stored parser instead."""

    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if stored is not None and not isinstance(stored, Deferred):
                return stored
        return parser


class RetryBackoffMiddleware:
    """Wait RETRY_BACKOFF_BASE * 2**(n-1) seconds (capped by RETRY_BACKOFF_MAX) before retry n."""

    def __init__(self, base: float, cap: float):
        self.base, self.cap = base, cap

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.getfloat("RETRY_BACKOFF_BASE", 2.0), s.getfloat("RETRY_BACKOFF_MAX", 60.0))

    async def process_request(self, request):
        tries = request.meta.get("retry_times", 0)
        if tries and self.base > 0:
            await asyncio.sleep(min(self.cap, self.base * 2 ** (tries - 1)))
        return None
