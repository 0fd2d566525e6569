"""Portal registry (`data/portals.yaml`): load, validate and select portals.

One entry per report column. The registry is the only place a portal's URLs, domains and
platform are written down; the spider reads nothing else. See spiders/README.md for the format.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

log = logging.getLogger(__name__)

PLATFORMS = ("trs", "hanweb", "gkmlpt", "generic")
LEVELS = ("central_dept", "province", "prefecture", "county", "township", "department", "unknown")
REQUIRED = ("id", "agency", "region_code", "level", "platform", "start_urls", "allowed_domains", "verified")
OPTIONAL = (
    "encoding",        # hint used when a page declares nothing (e.g. gbk)
    "notes",
    "column_prefix",   # URL prefix list pages must stay under (default: directory of each start URL)
    "page_numbering",  # trs: "zero" (index_1 = page 2) or "one" (index_2 = page 2); default: from the page
    "max_pages",       # cap on list/API pages per portal (default 200)
    "hanweb",          # {webid, columnid, unitid, proxy_path, perpage}: overrides what the page declares
    "gkmlpt",          # {sid, cat_id, api_url}: overrides what the page declares
    "title_include",   # extra regexes a report title may match
    "title_exclude",   # extra look-alike regexes
    "source",          # where the entry came from (domain notes, corpus case, ...)
    "verified_at",     # UTC timestamp of the live crawl that confirmed the entry
    "province",
    "example_report_urls",
)
DEFAULT_MAX_PAGES = 200
LOOPBACK = {"127.0.0.1", "localhost"}


class RegistryError(ValueError):
    """The registry file is malformed; the message names the entry and the field."""


@dataclass(frozen=True)
class Portal:
    id: str
    agency: str
    region_code: str | None
    level: str
    platform: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    verified: bool
    encoding: str | None = None
    notes: str = ""
    column_prefix: tuple[str, ...] = ()
    page_numbering: str | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    hanweb: dict[str, Any] = field(default_factory=dict)
    gkmlpt: dict[str, Any] = field(default_factory=dict)
    title_include: tuple[str, ...] = ()
    title_exclude: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def hosts(self) -> tuple[str, ...]:
        """Allowed host names without ports (what Scrapy's offsite filter compares). The loopback
        names stand for each other (a saved copy served on 127.0.0.1 may be registered as localhost)."""
        hosts = {d.split(":")[0].lower() for d in self.allowed_domains}
        if hosts & LOOPBACK:
            hosts |= LOOPBACK
        return tuple(sorted(hosts))

    def allows(self, url: str) -> bool:
        """True when `url` is on one of the portal's official domains (or a sub-domain)."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.hosts)

    def column_prefixes(self) -> tuple[str, ...]:
        """URL prefixes list pages must start with (the column directory of each start URL)."""
        if self.column_prefix:
            return self.column_prefix
        out = []
        for url in self.start_urls:
            parts = urlsplit(url)
            path = parts.path if parts.path.endswith("/") else parts.path.rsplit("/", 1)[0] + "/"
            out.append(f"{parts.scheme}://{parts.netloc}{path}")
        return tuple(out)


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def parse_entry(raw: dict[str, Any]) -> Portal:
    pid = raw.get("id", "<no id>")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise RegistryError(f"portal {pid}: missing field(s) {', '.join(missing)}")
    # A typo in an optional field or an unfamiliar level must not stop a nightly crawl of
    # every other portal: warn and carry on. What would crawl the wrong pages stays an error.
    unknown = set(raw) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        log.warning("portal %s: unknown field(s) %s (ignored)", pid, ", ".join(sorted(unknown)))
    platform = raw["platform"]
    if platform not in PLATFORMS:
        log.warning("portal %s: platform %r not in %s; crawling it as generic", pid, platform, PLATFORMS)
        platform = "generic"
    if raw["level"] not in LEVELS:
        log.warning("portal %s: level %r not in %s", pid, raw["level"], LEVELS)
    region = raw["region_code"]
    if isinstance(region, int) and not isinstance(region, bool):
        region = str(region)  # YAML reads an unquoted 330200 as a number
    if region is not None and not (isinstance(region, str) and len(region) in (6, 9, 12) and region.isdigit()):
        raise RegistryError(f"portal {pid}: region_code must be a 6-digit GB/T 2260 code "
                            "(or a 9/12-digit statistical division code) or null")
    if not isinstance(raw["verified"], bool):
        raise RegistryError(f"portal {pid}: verified must be true or false")
    start_urls = _as_tuple(raw["start_urls"])
    for url in start_urls:
        if urlsplit(url).scheme not in ("http", "https"):
            raise RegistryError(f"portal {pid}: start URL {url!r} is not http(s)")
    if raw.get("page_numbering") not in (None, "zero", "one"):
        raise RegistryError(f"portal {pid}: page_numbering must be zero or one")
    portal = Portal(
        id=str(raw["id"]),
        agency=str(raw["agency"]),
        region_code=region,
        level=str(raw["level"]),
        platform=platform,
        start_urls=start_urls,
        allowed_domains=_as_tuple(raw["allowed_domains"]),
        verified=raw["verified"],
        encoding=raw.get("encoding"),
        notes=str(raw.get("notes") or ""),
        column_prefix=_as_tuple(raw.get("column_prefix")),
        page_numbering=raw.get("page_numbering"),
        max_pages=int(raw.get("max_pages") or DEFAULT_MAX_PAGES),
        hanweb=dict(raw.get("hanweb") or {}),
        gkmlpt=dict(raw.get("gkmlpt") or {}),
        title_include=_as_tuple(raw.get("title_include")),
        title_exclude=_as_tuple(raw.get("title_exclude")),
        extra={k: raw[k] for k in ("source", "verified_at", "province", "example_report_urls") if k in raw},
    )
    for url in start_urls:
        if not portal.allows(url):
            raise RegistryError(f"portal {pid}: start URL {url} is outside allowed_domains")
    return portal


def load_registry(path: str | Path) -> list[Portal]:
    """All entries of a registry file, validated; ids must be unique."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("portals"), list):
        raise RegistryError(f"{path}: expected a top-level 'portals:' list")
    portals = [parse_entry(raw) for raw in data["portals"]]
    seen: set[str] = set()
    for p in portals:
        if p.id in seen:
            raise RegistryError(f"{path}: duplicate portal id {p.id}")
        seen.add(p.id)
    return portals


def select(portals: list[Portal], ids: str | list[str] | None) -> list[Portal]:
    """Portals named by a comma list (or all crawlable ones when `ids` is empty)."""
    if not ids:
        return [p for p in portals if p.start_urls]
    wanted = [i.strip() for i in (ids.split(",") if isinstance(ids, str) else ids) if i.strip()]
    by_id = {p.id: p for p in portals}
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise RegistryError(f"unknown portal id(s): {', '.join(unknown)}")
    chosen = [by_id[i] for i in wanted]
    empty = [p.id for p in chosen if not p.start_urls]
    if empty:
        raise RegistryError(f"portal(s) without a report column URL cannot be crawled: {', '.join(empty)}")
    return chosen
