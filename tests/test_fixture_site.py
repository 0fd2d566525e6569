"""The demo/fixture site: truth is self-consistent, tables are consistent (but the one broken table),
the server is strict and answers conditional requests."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from spiders.fixture_site import build_site, serve, write_registry
from spiders.fixture_site.tables import sec3_rows
from spiders.registry import load_registry


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    return out, build_site(out)


def test_truth_lists_existing_files_and_every_platform(site):
    out, truth = site
    platforms = {p["platform"] for p in truth["portals"].values()}
    assert platforms == {"trs", "hanweb", "gkmlpt", "generic"}
    for pid, portal in truth["portals"].items():
        for path in portal["documents"] + portal.get("documents_not_reachable", []):
            assert (out / "www" / path.lstrip("/")).is_file(), (pid, path)
    size = sum(f.stat().st_size for f in (out / "www").rglob("*") if f.is_file())
    assert size < 5 * 1024 * 1024


def test_report_values_satisfy_identities_except_the_recorded_broken_table(site):
    _, truth = site
    broken = []
    for rid, report in truth["reports"].items():
        v = report["values"]
        if report["format"] == "v2008_local":
            channels = ("req_ch_in_person", "req_ch_fax", "req_ch_email", "req_ch_online", "req_ch_letter", "req_ch_other")
            assert v["req_received"] == sum(v[c] for c in channels)
            assert v["ans_total"] == v["ans_granted"] + v["ans_partial"] + v["ans_denied_total"]
            continue
        rows = sec3_rows(report["format"])
        assert len(rows) == (25 if report["format"] == "v2021" else 23)
        assert sum(1 for k in v if k.startswith("sec3.")) == 7 * len(rows)
        assert sum(1 for k in v if k.startswith("sec4.")) == 15
        ok = all(v[f"sec3.{r}@total"] == sum(v[f"sec3.{r}@{c}"] for c in ("natural_person", "org_commercial",
                 "org_research", "org_public_welfare", "org_legal_service", "org_other")) for r in rows)
        ok &= all(v[f"sec3.req_new_received@{c}"] + v[f"sec3.req_carried_over@{c}"]
                  == v[f"sec3.res_total@{c}"] + v[f"sec3.req_carried_forward@{c}"] for c in ("natural_person", "total"))
        if not ok:
            broken.append(rid)
            assert report["broken_identities"] and report["source_inconsistencies"]
        for g in ("review", "lit_direct", "lit_after_review"):
            assert v[f"sec4.{g}@total"] == sum(v[f"sec4.{g}@{r}"] for r in ("upheld", "corrected", "other", "pending"))
    assert broken == ["trs2-2023"]
    assert truth["reports"]["hw-2021-health"]["duplicate_of"] == "trs2-2021"


def test_gbk_pages_carry_gbk_only_characters(site):
    out, truth = site
    page = (out / "www" / truth["portals"]["demo-trs-gbk"]["documents"][0].lstrip("/")).read_bytes()
    assert b"gb2312" in page and "旸".encode("gbk") in page
    with pytest.raises(UnicodeDecodeError):
        page.decode("gb2312")


def test_server_is_strict_and_conditional(site, tmp_path):
    out, truth = site
    path = truth["portals"]["demo-generic"]["documents"][0]
    with serve(out) as base:
        with urllib.request.urlopen(base + path) as resp:
            etag = resp.headers["ETag"]
        request = urllib.request.Request(base + path, headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(request)
        assert not_modified.value.code == 304
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + "/no/such/page.html")
        with pytest.raises(urllib.error.HTTPError):  # a deliberately broken link: 404 but expected
            urllib.request.urlopen(base + truth["portals"]["demo-trs-gbk"]["broken_urls"][0])
        assert [u["path"] for u in base.unexpected] == ["/no/such/page.html"]
        registry = load_registry(write_registry(base, tmp_path / "r.yaml"))
    assert {p.id for p in registry} == set(truth["portals"])
    assert all(p.start_urls[0].startswith(str(base)) for p in registry)
