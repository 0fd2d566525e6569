"""The portal registry: format, validation errors, and coverage of every official portal in ../shared/domain."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from spiders.registry import RegistryError, load_registry, select

REGISTRY = Path(__file__).resolve().parent.parent / "data" / "portals.yaml"


def _official(host: str) -> bool:
    return host.endswith(".gov.cn") or bool(re.fullmatch(r"[\d.]+", host))


def test_registry_loads_and_is_unverified():
    portals = load_registry(REGISTRY)
    assert len(portals) >= 80
    assert all(p.verified is False for p in portals)  # no live crawl has confirmed anything yet
    for p in portals:
        assert p.region_code is None or re.fullmatch(r"\d{6}", p.region_code)
        assert all(_official(h) for h in p.hosts), p.id
        assert all(p.allows(u) for u in p.start_urls)


def test_registry_covers_every_official_portal_and_column_in_shared_domain(shared_dir):
    portals = load_registry(REGISTRY)
    domain = shared_dir / "domain"
    hosts = set()
    with open(domain / "portals_seen.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    hosts |= {r["domain"].split(":")[0] for r in rows}
    text = (domain / "PORTALS.md").read_text(encoding="utf-8") + (domain / "FORMATS.md").read_text(encoding="utf-8")
    hosts |= {urlsplit("http:" + u).hostname for u in re.findall(r"//[A-Za-z0-9.-]+(?::\d+)?", text)}
    official = {h for h in hosts if h and _official(h)}
    uncovered = sorted(h for h in official if not any(p.allows(f"http://{h}/") for p in portals))
    assert uncovered == []
    starts = {u for p in portals for u in p.start_urls}
    for r in rows:
        if r["report_column_url"]:
            url = r["report_column_url"]
            assert any(s.endswith(url.split("//", 1)[1]) for s in starts), url


def _write(tmp_path, entry) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump({"portals": [entry]}, allow_unicode=True), encoding="utf-8")
    return path


GOOD = {"id": "x", "agency": "某局", "region_code": "350100", "level": "department", "platform": "trs",
        "start_urls": ["http://a.gov.cn/nb/"], "allowed_domains": ["a.gov.cn"], "verified": False}


@pytest.mark.parametrize("change, message", [
    ({"region_code": "35"}, "region_code"),
    ({"verified": "no"}, "verified"),
    ({"start_urls": ["http://spam.example.com/nb/"]}, "outside allowed_domains"),
    ({"page_numbering": "two"}, "page_numbering"),
])
def test_invalid_entries_are_rejected_with_the_field_named(tmp_path, change, message):
    with pytest.raises(RegistryError, match=message):
        load_registry(_write(tmp_path, {**GOOD, **change}))


def test_unknown_fields_platform_and_level_warn_but_load(tmp_path, caplog):
    entry = {**GOOD, "colour": "red", "platform": "drupal", "level": "district_office"}
    with caplog.at_level("WARNING", logger="spiders.registry"):
        portals = load_registry(_write(tmp_path, entry))
    assert portals[0].platform == "generic"
    assert portals[0].level == "district_office"
    assert all(word in caplog.text for word in ("colour", "drupal", "district_office"))


def test_select_and_column_prefix(tmp_path):
    portals = load_registry(_write(tmp_path, {**GOOD, "allowed_domains": ["a.gov.cn:8080"],
                                             "start_urls": ["http://a.gov.cn:8080/nb/index.html"]}))
    assert portals[0].hosts == ("a.gov.cn",)
    assert portals[0].column_prefixes() == ("http://a.gov.cn:8080/nb/",)
    assert portals[0].allows("http://www.a.gov.cn/x") and not portals[0].allows("http://a.gov.cn.evil.com/")
    with pytest.raises(RegistryError, match="unknown portal"):
        select(portals, "nope")
    assert select(portals, "x") == portals
