"""Publishing: layout, encodings, metadata, checksums, frictionless, immutability, atomicity."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipelines import dictionary_files, publish
from pipelines.checks import frictionless_errors, verify_sha256sums
from pipelines.tables import published_tables


def small_tables() -> dict[str, tuple]:
    reports = pd.DataFrame([
        {"report_id": "r2", "agency_id": "110101:东城区人民政府", "agency_name": "东城区人民政府", "region_code": "110101",
         "report_year": 2021, "format_version": "v2021", "is_annual_report": True, "report_scope": "agency_only",
         "document_sha256": "b" * 64, "copies": 2, "flags": ["s3_balance@total: error: 1 != 2"],
         "values_disagree": True},
        {"report_id": "r1", "agency_id": "110101:东城区人民政府", "agency_name": "东城区人民政府", "region_code": "110101",
         "report_year": 2020, "format_version": "v2019", "is_annual_report": True, "report_scope": "agency_only",
         "document_sha256": "a" * 64, "copies": 1, "flags": [], "values_disagree": False},
    ])
    observations = pd.DataFrame([
        {"report_id": "r2", "observation_seq": 0, "report_year": 2021, "region_code": "110101",
         "indicator_code": "sec3.res_total@total", "value": 12.0, "unit": "件", "raw_row_label": "（七）总计",
         "flags": ["s3_balance"], "source": "table", "document_sha256": "b" * 64},
        {"report_id": "r1", "observation_seq": 0, "report_year": 2020, "region_code": "110101",
         "indicator_code": "sec3.res_total@total", "value": 7.0, "unit": "件", "raw_row_label": "（七）总计",
         "flags": [], "source": "table", "document_sha256": "a" * 64},
    ])
    panel = pd.DataFrame([{"report_id": "r2", "agency_id": "x", "report_scope": "agency_only", "report_year": 2021,
                           "sec3_res_total__total": 12.0}])
    documents = pd.DataFrame([{"document_id": "d1", "portal_id": "p1", "source_url": "http://127.0.0.1/a.pdf",
                               "sha256": "b" * 64, "dedup_role": "canonical", "flags": []}])
    health = pd.DataFrame([{"portal_id": "p1", "status": "ok", "documents": 1}])
    frames = {"reports": reports, "observations": observations, "panel": panel, "documents": documents,
              "indicators": dictionary_files.indicators_frame(), "crawl_health": health}
    return {spec.name: (spec, frames[spec.name]) for spec in published_tables()}


def inputs() -> publish.ReleaseInputs:
    tables = small_tables()
    return publish.ReleaseInputs(
        tables=tables, crosswalk=dictionary_files.crosswalk(tables["observations"][1], tables["reports"][1]),
        build_report={"note": "test"}, git_sha="abc123", run_id="run-1")


@pytest.fixture
def release(tmp_path):
    summary = publish.publish(tmp_path / "published", inputs())
    return tmp_path / "published", summary


def test_layout_and_pointers(release):
    root, summary = release
    rel = root / summary["version"]
    assert summary["version"] == f"v{dt.datetime.now(dt.UTC):%Y.%m.%d}"
    for name in ("reports", "observations", "panel", "documents", "indicators", "crawl_health"):
        assert (rel / "parquet" / f"{name}.parquet").is_file()
        assert (rel / "csv" / f"{name}.csv").is_file()
    assert (rel / "parquet" / "reports" / "reports_2020.parquet").is_file()
    assert (rel / "csv" / "observations" / "observations_2021.csv").is_file()
    for name in ("data_dictionary.md", "data_dictionary.csv", "datapackage.json", "build_report.json", "SHA256SUMS"):
        assert (rel / name).is_file(), name
    for pointer in ("latest", "nightly"):
        assert (root / pointer).resolve() == rel.resolve()
        assert json.loads((root / f"{pointer}.json").read_text())["version"] == summary["version"]
    assert not any((root / ".staging").iterdir())


def test_csv_has_bom_and_lists_as_json(release):
    root, summary = release
    raw = (root / summary["version"] / "csv" / "reports.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(root / summary["version"] / "csv" / "reports.csv", encoding="utf-8-sig")
    assert "东城区人民政府" in set(frame["agency_name"])
    assert json.loads(frame.set_index("report_id").loc["r2", "flags"]) == ["s3_balance@total: error: 1 != 2"]


def test_parquet_schema_metadata_and_order(release):
    root, summary = release
    path = root / summary["version"] / "parquet" / "observations.parquet"
    meta = pq.read_schema(path).metadata
    assert meta[b"release_version"].decode() == summary["version"]
    assert meta[b"git_sha"] == b"abc123"
    years = duckdb.sql(f"select report_year from '{path}'").fetchall()
    assert [y for (y,) in years] == [2020, 2021], "sorted by region, year, indicator"
    assert str(pq.read_schema(path).field("flags").type) == "list<element: string>"
    per_year = duckdb.sql(f"select count(*) from '{root / summary['version'] / 'parquet/reports/reports_2021.parquet'}'")
    assert per_year.fetchone()[0] == 1


def test_checksums_and_frictionless(release):
    root, summary = release
    rel = root / summary["version"]
    assert verify_sha256sums(rel) == []
    if shutil.which("sha256sum"):
        done = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=rel, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    valid, errors = frictionless_errors(rel)
    assert valid, errors
    cli = subprocess.run([sys.executable, "-m", "frictionless", "validate", "datapackage.json"], cwd=rel,
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout[-2000:]


def test_frictionless_catches_a_tampered_file(release):
    root, summary = release
    rel = root / summary["version"]
    with open(rel / "csv" / "crawl_health.csv", "a", encoding="utf-8") as fh:
        fh.write("p2,ok,1,,,,,,\n")
    valid, errors = frictionless_errors(rel)
    assert not valid and any("hash" in e or "bytes" in e for e in errors), errors
    assert verify_sha256sums(rel) == ["csv/crawl_health.csv"]


def test_same_day_release_gets_a_suffix_and_explicit_versions_are_immutable(release):
    root, first = release
    second = publish.publish(root, inputs())
    assert second["version"] == first["version"] + ".2"
    assert (root / "latest").resolve().name == second["version"]
    with pytest.raises(publish.ReleaseError, match="immutable"):
        publish.publish(root, inputs(), version=first["version"])


def test_failed_build_leaves_no_partial_release(release, monkeypatch):
    root, first = release
    before = sorted(p.name for p in root.iterdir())

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publish, "write_sha256sums", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        publish.publish(root, inputs())
    assert sorted(p.name for p in root.iterdir()) == before
    assert not any((root / ".staging").iterdir())
    assert (root / "latest").resolve().name == first["version"]


def test_an_empty_build_still_publishes_a_valid_release(tmp_path):
    tables = {spec.name: (spec, pd.DataFrame()) for spec in published_tables()}
    empty = publish.ReleaseInputs(tables=tables, crosswalk=dictionary_files.crosswalk(pd.DataFrame(), pd.DataFrame()),
                                  build_report={}, git_sha="abc123")
    summary = publish.publish(tmp_path, empty)
    rel = tmp_path / summary["version"]
    assert summary["rows"] == dict.fromkeys(tables, 0)
    assert verify_sha256sums(rel) == []
    valid, errors = frictionless_errors(rel)
    assert valid, errors
