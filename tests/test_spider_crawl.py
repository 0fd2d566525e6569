"""Crawl-level tests: the real spider, in its own process, against the strict demo site on 127.0.0.1.

One site build and three crawls shared by the module: a first crawl, a repeat crawl (nothing
unchanged may be downloaded), and a crawl after one report was published.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from spiders.fixture_site import build_site, serve, write_registry
from spiders.items import DOCUMENT_SCHEMA

REPO = Path(__file__).resolve().parent.parent
CRAWLED = ["demo-trs-gbk", "demo-trs-utf8", "demo-trs-dynamic", "demo-hanweb", "demo-gkmlpt", "demo-generic"]


def run_crawl(registry: Path, out: Path, archive: Path, portals: str = "") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "spiders.run", "--registry", str(registry), "--out", str(out),
           "--archive", str(archive), "--no-politeness", "--log-level", "WARNING"]
    if portals:
        cmd += ["--portals", portals]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=120)


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    root = tmp_path_factory.mktemp("crawl")
    site_dir = root / "site"
    truth = build_site(site_dir)
    archive = root / "archive"
    with serve(site_dir) as site:
        registry = write_registry(site, root / "registry.yaml")
        runs = {}
        for name in ("first", "repeat"):
            start = len(site.requests)
            proc = run_crawl(registry, root / name, archive)
            runs[name] = {"proc": proc, "out": root / name, "requests": site.requests[start:]}
        later = build_site(site_dir, include_later=True)
        start = len(site.requests)
        proc = run_crawl(registry, root / "later", archive)
        runs["later"] = {"proc": proc, "out": root / "later", "requests": site.requests[start:]}
        unexpected = list(site.unexpected)
    return {"truth": truth, "later_truth": later, "runs": runs, "base": str(site), "site_dir": site_dir,
            "archive": archive, "unexpected": unexpected}


def paths(items: list[dict], base: str, portal: str | None = None, key: str = "url") -> set[str]:
    return {i[key].replace(base, "") for i in items if portal is None or i["portal_id"] == portal}


def test_crawls_exit_zero_and_site_is_never_asked_for_missing_pages(crawls):
    for name, run in crawls["runs"].items():
        assert run["proc"].returncode == 0, (name, run["proc"].stderr[-2000:])
    assert crawls["unexpected"] == []


@pytest.mark.parametrize("portal", CRAWLED)
def test_each_platform_archives_exactly_the_reports_and_their_files(crawls, portal):
    truth, base = crawls["truth"]["portals"][portal], crawls["base"]
    items = manifest(crawls["runs"]["first"]["out"])
    assert paths(items, base, portal) == set(truth["documents"])
    detail_or_file = {i["report_url"].replace(base, "") for i in items if i["portal_id"] == portal}
    assert detail_or_file == set(truth["report_urls"])
    requested = {r["path"] for r in crawls["runs"]["first"]["requests"]}
    for url in truth["lookalike_urls"] + truth["other_urls"]:
        assert url not in requested, f"look-alike fetched: {url}"


def test_health_statuses_and_counts(crawls):
    health = json.loads((crawls["runs"]["first"]["out"] / "health.json").read_text())["portals"]
    for pid, truth in crawls["truth"]["portals"].items():
        assert health[pid]["status"] == truth["expected_status"], (pid, health[pid])
    assert health["demo-trs-gbk"]["lookalikes"] == 2          # 工作要点落实情况, 政务公开工作要点
    assert health["demo-hanweb"]["lookalikes"] == 2           # 企业年报公示, 印发…要点的通知
    assert health["demo-trs-gbk"]["offsite_links"] == 1
    assert health["demo-trs-gbk"]["errors"] == 1            # the deliberately broken link
    assert health["demo-gkmlpt"]["too_large"] == 1           # the 70 MB attachment
    assert health["demo-blocked"]["blocked_pages"] == 1
    requested = [r["path"] for r in crawls["runs"]["first"]["requests"]]
    assert not any(p.startswith("/closed/") for p in requested)   # robots.txt obeyed
    assert requested.count("/blk/xxgk/nb/") == 1                  # a challenge is recorded, not retried


def test_archive_is_byte_exact_content_addressed_with_provenance(crawls):
    base, site_www, archive = crawls["base"], crawls["site_dir"] / "www", crawls["archive"]
    items = manifest(crawls["runs"]["first"]["out"])
    validator = Draft202012Validator(DOCUMENT_SCHEMA)
    for item in items:
        assert not list(validator.iter_errors(item))
        served = (site_www / item["url"].replace(base, "").lstrip("/")).read_bytes()
        stored = (archive / item["path"]).read_bytes()
        assert stored == served and hashlib.sha256(stored).hexdigest() == item["sha256"]
        assert item["path"] == f"{item['sha256'][:2]}/{item['sha256']}{Path(item['path']).suffix}"
    # the same report reposted on two portals: one PDF file, two sightings
    reports = crawls["truth"]["reports"]
    pdfs = [d["path"] for rid in ("trs2-2021", "hw-2021-health") for d in reports[rid]["documents"] if d["kind"] == "pdf"]
    shas = {i["sha256"] for i in items if i["url"].replace(base, "") in pdfs}
    assert len(pdfs) == 2 and len(shas) == 1
    sha = shas.pop()
    sidecar = archive / sha[:2] / f"{sha}.pdf.provenance.jsonl"
    assert {json.loads(line)["portal_id"] for line in sidecar.read_text().splitlines()} == {"demo-trs-utf8",
                                                                                            "demo-hanweb"}


def test_items_carry_titles_dates_and_encodings(crawls):
    base = crawls["base"]
    items = {i["url"].replace(base, ""): i for i in manifest(crawls["runs"]["first"]["out"])}
    for rid, report in crawls["truth"]["reports"].items():
        if report["portal"] in ("demo-robots",):
            continue
        item = items[report["url"]]
        assert item["title"] == report["title"], rid
        assert item["report_year"] == report["year"]
        if item["role"] == "detail":
            assert item["publish_date"] == report["publish_date"], rid
    gbk = next(i for i in items.values() if i["portal_id"] == "demo-trs-gbk" and i["role"] == "detail")
    assert gbk["encoding"] == "gb18030"
    assert all(i["etag"] and i["last_modified"] for i in items.values())


def test_repeat_crawl_downloads_nothing_unchanged(crawls):
    run = crawls["runs"]["repeat"]
    stats = json.loads((run["out"] / "stats.json").read_text())
    first = json.loads((crawls["runs"]["first"]["out"] / "stats.json").read_text())
    assert stats["documents"] == {"new": 0, "changed": 0, "unchanged": first["documents"]["total"],
                                  "total": first["documents"]["total"]}
    documents = set().union(*(set(p["documents"]) for p in crawls["truth"]["portals"].values()))
    fetched = [r for r in run["requests"] if r["path"] in documents]
    assert fetched and all(r["status"] == 304 for r in fetched)   # conditional requests only
    assert len(manifest(run["out"])) == first["documents"]["total"]


def test_next_crawl_picks_up_exactly_the_new_report(crawls):
    run = crawls["runs"]["later"]
    stats = json.loads((run["out"] / "stats.json").read_text())
    new_report = crawls["later_truth"]["reports"]["trs2-2024"]
    new_docs = {d["path"] for d in new_report["documents"]}
    items = manifest(run["out"])
    assert {i["url"].replace(crawls["base"], "") for i in items if i["change"] == "new"} == new_docs
    assert stats["documents"]["new"] == len(new_docs) and stats["documents"]["changed"] == 0
    assert [r["status"] for r in run["requests"] if r["path"] in new_docs] == [200] * len(new_docs)


def test_bad_arguments_exit_2_and_standalone_scrapy_crawl_works(crawls, tmp_path):
    bad = subprocess.run([sys.executable, "-m", "spiders.run", "--registry", str(tmp_path / "none.yaml"),
                          "--out", str(tmp_path / "x")], capture_output=True, text=True, cwd=REPO)
    assert bad.returncode == 2
    with serve(crawls["site_dir"]) as site:
        registry = write_registry(site, tmp_path / "registry.yaml", portals=["demo-generic"])
        env = dict(os.environ, SCRAPY_SETTINGS_MODULE="spiders.settings")
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "annual_reports", "-a", f"registry={registry}",
             "-a", "portals=demo-generic", "-a", f"out={tmp_path / 'out'}", "-a", f"archive={tmp_path / 'raw'}",
             "-a", "warc=1", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING"],
            capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert site.unexpected == []
    items = manifest(tmp_path / "out")
    assert paths(items, str(site)) == set(crawls["truth"]["portals"]["demo-generic"]["documents"])
    from warcio.archiveiterator import ArchiveIterator
    with open(tmp_path / "out" / "crawl.warc.gz", "rb") as fh:
        urls = {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"}
    assert {i["url"] for i in items} <= urls


def test_runs_under_dagster_pipes(crawls, tmp_path):
    import dagster as dg

    with serve(crawls["site_dir"]) as site:
        registry = write_registry(site, tmp_path / "registry.yaml", portals=["demo-generic"])

        @dg.asset(required_resource_keys={"pipes"})
        def crawl(context):
            pipes = context.resources.pipes
            command = [sys.executable, "-m", "spiders.run", "--registry", str(registry), "--out", str(tmp_path / "out"),
                       "--no-politeness", "--log-level", "WARNING"]
            return pipes.run(command=command, context=context, cwd=str(REPO)).get_materialize_result()

        result = dg.materialize([crawl], resources={"pipes": dg.PipesSubprocessClient()})
    assert result.success
    (mat,) = result.asset_materializations_for_node("crawl")
    assert mat.metadata["documents_new"].value == len(crawls["truth"]["portals"]["demo-generic"]["documents"])
    assert mat.metadata["portal_status"].value == {"demo-generic": "ok"}
