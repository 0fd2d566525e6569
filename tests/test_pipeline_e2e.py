"""The whole asset graph, offline: crawl the demo site on 127.0.0.1, publish, read back with DuckDB.

Everything is compared with the generator's truth (spiders.fixture_site): exact values of every
report, the duplicates the site contains, failures, identity breaks, the release's integrity.
One build for the module (about half a minute on 2 cores).
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest

fixture_site = pytest.importorskip("spiders.fixture_site")

from pipelines.checks import frictionless_errors, verify_sha256sums  # noqa: E402
from pipelines.definitions import build_definitions  # noqa: E402
from pipelines.resources import CrawlSettingsResource, PathsResource, RegistryResource  # noqa: E402
from pipelines.runner import QUIET, run_build  # noqa: E402

pytestmark = pytest.mark.slow


class Build:
    def __init__(self, root: Path):
        self.root = root
        self.lines: list[str] = []

    def sql(self, query: str):
        return duckdb.sql(query.replace("{rel}", str(self.release)))

    def table(self, name: str):
        return self.sql(f"select * from '{{rel}}/parquet/{name}.parquet'").df()


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    warnings.filterwarnings("ignore", module="dagster")
    root = tmp_path_factory.mktemp("e2e")
    b = Build(root)
    b.truth = fixture_site.build_site(root / "site")
    instance = dg.DagsterInstance.ephemeral()
    with fixture_site.serve(root / "site") as base_url:
        registry = fixture_site.write_registry(base_url, root / "registry.yaml")
        b.base_url = str(base_url)
        b.defs = build_definitions({
            "paths": PathsResource(data_dir=str(root / "data")), "registry": RegistryResource(path=str(registry)),
            "crawl_settings": CrawlSettingsResource(politeness=False),
        })
        b.summary = run_build(b.defs, instance, log=b.lines.append)
        b.unexpected = list(base_url.unexpected)
        b.instance = instance
        b.release = Path(b.summary["path"])
        yield b     # the site stays up for the re-crawl test


def expected_reports(truth: dict) -> dict[str, dict]:
    """Reports a correct crawl must publish: annual reports on portals expected to crawl fine."""
    ok_portals = {pid for pid, p in truth["portals"].items() if p["expected_status"] == "ok"}
    return {rid: r for rid, r in truth["reports"].items() if r["is_annual_report"] and r["portal"] in ok_portals}


def report_values(build: Build) -> dict[str, dict[str, float]]:
    """report_id -> code -> value, table values before narrative ones (ParsedReport.values())."""
    rows = build.sql(
        "select report_id, indicator_code, value from '{rel}/parquet/observations.parquet' "
        "where indicator_code is not null and value is not null and dimension is null "
        "order by report_id, source = 'narrative', observation_seq").fetchall()
    out: dict[str, dict[str, float]] = {}
    for rid, code, value in rows:
        out.setdefault(rid, {}).setdefault(code, value)
    return out


def group_root(truth: dict, rid: str) -> str:
    return truth["reports"][rid]["duplicate_of"] or rid


def test_build_ran_every_asset_and_all_blocking_checks(build):
    assert build.summary["version"].startswith("v")
    assert not any("FAILED" in line for line in build.lines), "\n".join(build.lines)
    assert not build.unexpected, f"the crawl requested URLs the site does not have: {build.unexpected[:5]}"


def test_every_expected_report_is_published_once_with_exact_values(build):
    reports = build.table("reports")
    values = report_values(build)
    expected = expected_reports(build.truth)
    originals = {rid: r for rid, r in expected.items() if not r["duplicate_of"]}
    assert len(reports) == len(originals), sorted(reports["agency_name"] + reports["report_year"].astype(str))
    mismatches = []
    for rid, truth in originals.items():
        match = reports[(reports["agency_name"] == truth["agency"]) & (reports["report_year"] == truth["year"])]
        assert len(match) == 1, f"{rid}: {len(match)} published rows for {truth['agency']} {truth['year']}"
        row = match.iloc[0]
        assert row["format_version"] == truth["format"], rid
        got = values.get(row["report_id"], {})
        bad = {code: (v, got.get(code)) for code, v in truth["values"].items() if got.get(code) != v}
        if bad:
            mismatches.append(f"{rid}: {len(bad)} of {len(truth['values'])} differ, e.g. {list(bad.items())[:3]}")
    assert not mismatches, "\n".join(mismatches)


def test_duplicates_resolve_to_one_canonical_copy(build):
    docs = build.table("documents")
    reports = build.table("reports").set_index("report_id")
    truth = build.truth
    by_path = {}
    for rec in docs.to_dict("records"):
        for url in (rec["source_url"], rec["final_url"]):
            if isinstance(url, str) and url.startswith(build.base_url):
                by_path[url[len(build.base_url):]] = rec
    groups: dict[str, list[tuple[str, dict]]] = {}
    for rid, rep in expected_reports(truth).items():
        for d in rep["documents"]:
            if d["path"] in rep["too_large"]:
                continue
            assert d["path"] in by_path, f"{rid}: {d['path']} missing from the documents table"
            groups.setdefault(group_root(truth, rid), []).append((d["role"], by_path[d["path"]]))
    duplicates_in_site = 0
    for root, members in groups.items():
        ids = {m["report_id"] for _, m in members}
        assert len(ids) == 1, f"{root}: copies split over reports {ids}"
        roles = sorted(m["dedup_role"] for _, m in members)
        assert roles.count("canonical") == 1, f"{root}: roles {roles}"
        assert set(roles) <= {"canonical", "duplicate", "page_part"}, roles
        duplicates_in_site += sum(1 for role, _ in members if role != "page_part") - 1
        canonical = next(m for _, m in members if m["dedup_role"] == "canonical")
        assert canonical["portal_id"] == truth["reports"][root]["portal"], f"{root}: agency's own portal first"
        report = reports.loc[canonical["report_id"]]
        assert report["document_sha256"] == canonical["sha256"]
    # copies reposted elsewhere: flagged exactly when their printed values differ from the original's
    for rid, rep in expected_reports(truth).items():
        if rep["duplicate_of"]:
            original = truth["reports"][rep["duplicate_of"]]
            differ = any(original["values"].get(k) != v for k, v in rep["values"].items())
            copy = by_path[rep["url"]]
            assert bool(copy["values_disagree"]) == differ, rid
            assert bool(reports.loc[copy["report_id"], "values_disagree"]) == differ, rid
    resolved = int((docs["dedup_role"] == "duplicate").sum())
    print(f"\nduplicates in the demo site: {duplicates_in_site}; resolved as duplicate: {resolved}")
    assert resolved == duplicates_in_site


def test_failures_are_recorded_with_reasons(build):
    docs = build.table("documents")
    health = build.table("crawl_health").set_index("portal_id")
    for pid, portal in build.truth["portals"].items():
        assert health.loc[pid, "status"] == portal["expected_status"], pid
        for path in portal.get("too_large_urls", []):
            row = docs[docs["source_url"] == build.base_url + path]
            assert len(row) == 1 and row.iloc[0]["parse_status"] == "not_fetched", path
            assert "too_large" in row.iloc[0]["parse_reason"]
    published = set(zip(build.table("reports")["agency_name"], build.table("reports")["report_year"], strict=True))
    reachable = {(r["agency"], r["year"]) for r in expected_reports(build.truth).values()}
    for rid, rep in build.truth["reports"].items():
        if (rep["agency"], rep["year"]) not in reachable:     # only on a blocked / robots-closed portal
            assert (rep["agency"], rep["year"]) not in published, rid


def test_broken_identities_are_flagged_not_corrected(build):
    reports = build.table("reports")
    for rep in expected_reports(build.truth).values():
        if rep["broken_identities"] and not rep["duplicate_of"]:
            row = reports[(reports["agency_name"] == rep["agency"]) & (reports["report_year"] == rep["year"])].iloc[0]
            found = {str(f).split("@")[0] for f in row["flags"]}
            assert set(rep["broken_identities"]) <= found, (rep["broken_identities"], list(row["flags"]))


def test_panel_carries_comparable_values(build):
    panel = build.table("panel")
    reports = build.table("reports")
    assert len(panel) == reports["report_year"].notna().sum()
    for rep in expected_reports(build.truth).values():
        if rep["duplicate_of"] or rep["format"] not in ("v2019", "v2021"):
            continue
        row = panel[(panel["agency_name"] == rep["agency"]) & (panel["report_year"] == rep["year"])].iloc[0]
        assert row["sec3_res_total__total"] == rep["values"]["sec3.res_total@total"]
        assert row["sec3_req_new_received__total"] == rep["values"]["sec3.req_new_received@total"]
    meta = pq.read_schema(build.release / "parquet" / "panel.parquet")
    assert "comparability: approx" in meta.field("sec3_req_new_received__total").metadata[b"description"].decode()


def test_release_integrity(build):
    rel = build.release
    assert verify_sha256sums(rel) == []
    done = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=rel, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    valid, errors = frictionless_errors(rel)
    assert valid, errors
    meta = pq.read_schema(rel / "parquet" / "reports.parquet").metadata
    assert meta[b"release_version"].decode() == build.summary["version"]
    assert meta[b"git_sha"]
    years = build.sql("select distinct report_year from '{rel}/parquet/reports.parquet' where report_year is not null")
    for (year,) in years.fetchall():
        assert (rel / "parquet" / "reports" / f"reports_{year}.parquet").is_file()
        assert (rel / "csv" / "reports" / f"reports_{year}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    report = json.loads((rel / "build_report.json").read_text(encoding="utf-8"))
    assert report["rows"]["reports"] == build.summary["rows"]["reports"]


def test_documents_with_a_body_are_parsed(build):
    docs = build.table("documents")
    with_body = docs[docs["sha256"].notna()]
    assert set(with_body["parse_status"]) <= {"ok", "not_annual_report"}, with_body["parse_reason"].unique()


def test_nightly_rerun_recrawls_unchanged_reuses_parses_and_publishes_a_new_immutable_release(build):
    job = build.defs.resolve_implicit_global_asset_job_def()
    portals = build.instance.get_dynamic_partitions("portal")
    for keys, tags in (([dg.AssetKey("raw_reports__crawl")], {"dagster/asset_partition_range_start": portals[0],
                                                              "dagster/asset_partition_range_end": portals[-1]}),
                       ([dg.AssetKey("core_reports__documents")], {})):
        result = job.execute_in_process(asset_selection=keys, instance=build.instance, run_config=QUIET, tags=tags)
        assert result.success
    parsed = dg.AssetKey("core_reports__parsed")
    result = job.execute_in_process(asset_selection=[parsed], instance=build.instance, run_config=QUIET)
    assert result.success
    mat = next(e.event_specific_data.materialization for e in result.get_asset_materialization_events())
    assert mat.metadata["parsed_now"].value == 0 and mat.metadata["reused"].value > 0
    for key in ("core_reports__observations", "core_reports__canonical", "out_reports__documents",
                "out_reports__release"):
        result = job.execute_in_process(asset_selection=[dg.AssetKey(key)], instance=build.instance, run_config=QUIET)
        assert result.success, key
    docs = duckdb.sql(f"select parse_status, http_status from '{result.output_for_node('out_reports__release')['path']}"
                      "/parquet/documents.parquet' where sha256 is not null").fetchall()
    assert {status for status, _ in docs} <= {"ok", "not_annual_report"}, "unchanged (304) documents are parsed"
    assert len(docs) == len(build.table("documents").dropna(subset=["sha256"])), "the re-crawl found the same documents"
    second = result.output_for_node("out_reports__release")
    assert second["version"] == build.summary["version"] + ".2"
    assert verify_sha256sums(Path(build.summary["path"])) == [], "the first release was not touched"
    assert (Path(second["path"]).parent / "latest").resolve().name == second["version"]


def test_definitions_load_for_dagster_cli():
    done = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-m", "pipelines.definitions"],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_one_asset_rematerialises_alone_from_stored_upstream_data(build):
    """After a full build, out_reports__panel runs by itself (its inputs come from the IO manager's files)."""
    job = build.defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(asset_selection=[dg.AssetKey("out_reports__panel")], instance=build.instance,
                                    run_config=QUIET)
    assert result.success
    assert [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()] == ["out_reports__panel"]
    again = result.output_for_node("out_reports__panel").reset_index(drop=True)
    published = build.table("panel")
    assert again["report_id"].tolist() == published["report_id"].tolist()
    assert again["sec3_res_total__total"].fillna(-1).tolist() == published["sec3_res_total__total"].fillna(-1).tolist()


def test_cross_report_identities_are_counted_in_the_build_report(build):
    report = json.loads((build.release / "build_report.json").read_text(encoding="utf-8"))
    flagged = build.sql("select count(*) from '{rel}/parquet/observations.parquet' "
                        "where list_contains(flags, 's3_carry_chain')").fetchone()[0]
    assert "cross_report_breaks" in report["reports"]
    assert report["observations"]["values_in_cross_report_breaks"] >= flagged
    assert (report["reports"]["cross_report_breaks"].get("s3_carry_chain", 0) > 0) == (flagged > 0)
