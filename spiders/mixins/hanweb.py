"""Hanweb (大汉) JCMS columns: records embedded as <record><![CDATA[<li>..</li>]]></record> in the
first page, the rest fetched from the site's `dataproxy.jsp` in groups (POST, startrecord/endrecord)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import scrapy

from spiders import pages

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"
GROUP_PAGES = 3


def _int(pattern: str, text: str) -> int | None:
    m = re.search(pattern, text, re.I)
    return int(m.group(1)) if m else None


def records(url: str, text: str) -> list[pages.Link]:
    """Links inside the <record> CDATA blocks (the list items)."""
    fragment = "\n".join(_RECORD.findall(text))
    return pages.links(url, fragment) if fragment else []


class HanwebMixin:
    def parse_hanweb_list(self, response):
        page = self.list_page(response)
        if page is not None:
            yield from self.hanweb_from_page(response, *page)

    def hanweb_from_page(self, response, portal, html, found):
        """Records of a Hanweb column page (also when the registry says another platform)."""
        items = records(response.url, html)
        if not items:  # a static list without a datastore: read it like any list page
            yield from self.generic_from_page(response, portal, html, found)
            return
        for link in items:
            yield from self.consider(portal, link.url, link.title, response.url, off_list=not link.main)
        if not response.meta.get("first"):
            return
        cfg = dict(portal.hanweb)
        nextgroup = _NEXTGROUP.search(html)
        if nextgroup:
            href = re.search(r"href=['\"]([^'\"]+)", nextgroup.group(1))
            if href:
                target = urljoin(response.url, href.group(1).replace("&amp;", "&"))
                cfg.setdefault("proxy_path", urlsplit(target).path)
                for k, v in parse_qsl(urlsplit(target).query):
                    cfg.setdefault(k.lower(), v)
        for key in ("webid", "columnid", "unitid"):
            if key not in cfg:
                value = _int(rf"\b{key}\s*[:=]\s*['\"]?(\d+)", html)
                if value is not None:
                    cfg[key] = value
        proxy = re.search(r"proxyUrl\s*:\s*['\"]([^'\"]+)", html)
        cfg.setdefault("proxy_path", proxy.group(1) if proxy else DEFAULT_PROXY)
        total = cfg.get("total") or _int(r"totalRecord\s*[:=]\s*['\"]?(\d+)", html) or _int(
            r"<totalrecord>\s*(\d+)", html)
        perpage = int(cfg.get("perpage") or _int(r"perPage\s*[:=]\s*['\"]?(\d+)", html) or 15)
        if "columnid" not in cfg:
            self.health[portal.id].note(response.url, "hanweb: no columnid, list API not used")
            return
        group = int(cfg.get("groupsize") or _int(r"groupSize\s*[:=]\s*['\"]?(\d+)", html) or GROUP_PAGES)
        cfg.update(total=total, perpage=perpage, group=group, proxy_url=urljoin(response.url, cfg["proxy_path"]))
        if total is not None and len(items) >= total:
            return
        yield self.hanweb_group(response, portal, cfg, len(items) + 1)

    def hanweb_group(self, response, portal, cfg: dict, start: int):
        end = start + cfg.get("group", GROUP_PAGES) * cfg["perpage"] - 1  # what the page's JPage asks for
        form = {"col": "1", "appid": str(cfg.get("appid", 1)), "webid": str(cfg.get("webid", "")),
                "path": str(cfg.get("path", "/")), "columnid": str(cfg["columnid"]), "sourceContentType": "1",
                "unitid": str(cfg.get("unitid", "")), "webname": str(cfg.get("webname", "")), "permissiontype": "0"}
        url = f"{cfg['proxy_url']}?startrecord={start}&endrecord={end}&perpage={cfg['perpage']}"
        return scrapy.FormRequest(url, formdata=form, callback=self.parse_hanweb_proxy, errback=self.on_error,
                                  meta=self.meta_for(portal, "api", landing=response.url, hanweb=cfg, start=start,
                                                     end=end), dont_filter=True)

    def parse_hanweb_proxy(self, response):
        portal = self.portal_of(response)
        health = self.health[portal.id]
        health.requests += 1
        health.api_pages += 1
        if response.status >= 400:
            if not self.challenge_or_error(response, portal):
                return
            return
        text, _ = self.decode(response, portal)
        found = records(response.meta["landing"], text)
        for link in found:
            yield from self.consider(portal, link.url, link.title, response.meta["landing"])
        cfg, end = response.meta["hanweb"], response.meta["end"]
        total = cfg.get("total") or _int(r"<totalrecord>\s*(\d+)", text)
        more = end < total if total is not None else len(found) >= end - response.meta["start"] + 1
        if found and more and health.api_pages < portal.max_pages:
            yield self.hanweb_group(response, portal, dict(cfg, total=total), end + 1)
