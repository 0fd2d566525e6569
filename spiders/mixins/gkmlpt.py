"""Guangdong 政府信息公开目录平台 (gkmlpt): the column page carries the site id (`SID`), the list
comes from `/gkmlpt/api/all/{catId}?page=N&sid=SID` as JSON."""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urljoin, urlsplit

import scrapy

from spiders import pages


class GkmlptMixin:
    def parse_gkmlpt_list(self, response):
        page = self.list_page(response)
        if page is None:
            return
        portal, html, found = page
        cfg = dict(portal.gkmlpt)
        sid = cfg.get("sid")
        if sid is None:
            m = (re.search(r"/gkmlpt/api/[^'\"\s]*[?&]sid=(\w+)", html)
                 or re.search(r"\b(?:SID|SITE_ID|site_id|siteId|sid)['\"]?\s*[:=]\s*['\"]?([\w-]+)", html))
            sid = m.group(1) if m else None
        cat = cfg.get("cat_id") or urlsplit(response.meta.get("start_url", "")).fragment
        if not cat:
            m = re.search(r"\b(?:catId|cat_id|CAT_ID)\s*[:=]\s*['\"]?(\d+)", html)
            cat = m.group(1) if m else None
        if not cat:
            self.health[portal.id].note(response.url, "gkmlpt: no category id (URL #fragment or gkmlpt.cat_id)")
        if not cat or not response.meta.get("first"):  # not a gkmlpt shell: read it like any list page
            yield from self.generic_from_page(response, portal, html, found)
            return
        for link in found:  # a saved/rendered shell may list the articles itself
            yield from self.consider(portal, link.url, link.title, response.url, off_list=not link.main)
        api = cfg.get("api_url") or urljoin(response.url, f"api/all/{cat}")
        cfg.update(api=api, sid=sid, cat=cat)
        yield self.gkmlpt_page(response.url, portal, cfg, 1)

    def gkmlpt_page(self, landing: str, portal, cfg: dict, page: int):
        url = f"{cfg['api']}?page={page}" + (f"&sid={cfg['sid']}" if cfg.get("sid") else "")
        return scrapy.Request(url, callback=self.parse_gkmlpt_api, errback=self.on_error,
                              meta=self.meta_for(portal, "api", landing=landing, gkmlpt=cfg, page=page))

    def parse_gkmlpt_api(self, response):
        portal = self.portal_of(response)
        health = self.health[portal.id]
        health.requests += 1
        health.api_pages += 1
        page = response.meta["page"]
        if response.status == 404 and page > 1:  # some sites return everything on page 1
            return
        if response.status >= 400:
            self.challenge_or_error(response, portal)
            return
        text, _ = self.decode(response, portal)
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            health.errors += 1
            health.note(response.url, "gkmlpt: list API did not return JSON")
            return
        articles = data.get("articles") or data.get("data") or []
        on_loopback = (urlsplit(response.url).hostname or "") in pages.LOOPBACK
        for art in articles:
            link = art.get("url") or art.get("post_url") or art.get("link")
            if link:
                target = urljoin(response.url, link)
                host = (urlsplit(target).hostname or "").lower()
                if on_loopback and host not in pages.LOOPBACK and "/gkmlpt/content/" in target:
                    self.origins[portal.id].add(host)  # a saved copy replayed locally names the original host
                target = pages.localise(target, response.url, self.origins[portal.id] if on_loopback else set())
                yield from self.consider(portal, target, art.get("title", ""), response.meta["landing"])
        total = data.get("total") or (data.get("classify") or {}).get("post_count")
        if page == 1 and articles and total and total > len(articles):
            page_count = min(math.ceil(total / len(articles)), portal.max_pages)
            for n in range(2, page_count + 1):
                yield self.gkmlpt_page(response.meta["landing"], portal, response.meta["gkmlpt"], n)
