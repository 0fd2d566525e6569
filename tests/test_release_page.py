"""The release page: coverage numbers, the HTML it writes, and how it renders in chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipelines import release_page as rp

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _reports() -> pd.DataFrame:
    rows = []
    for code, years in {"440100": [2019, 2020, 2021], "440300": [2021], "330000": [2020, 2021],
                        "110105": [2021], None: [2021]}.items():
        for y in years:
            rows.append({"report_id": f"d{len(rows)}", "region_code": code, "report_year": y,
                         "is_annual_report": True, "agency_name": "某某局"})
    rows.append({"report_id": "look", "region_code": "440100", "report_year": 2021,
                 "is_annual_report": False, "agency_name": "工作要点"})
    return pd.DataFrame(rows)


def _observations(reports: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for doc, year in zip(reports["report_id"], reports["report_year"], strict=True):
        for i in range(4):
            flags = ["s3_balance@applicant_total"] if (year == 2020 and i == 0) else (["not_an_identity"] if i == 1 else [])
            rows.append({"report_id": doc, "indicator_code": f"c{i}", "value": float(i), "flags": flags,
                         "source": "table", "region_code": "440100"})
        rows.append({"report_id": doc, "indicator_code": "n", "value": 1.0, "flags": ["s3_balance"],
                     "source": "narrative", "region_code": "440100"})
    return pd.DataFrame(rows)


@pytest.fixture()
def release(tmp_path) -> Path:
    rel = tmp_path / "v2026.03.31"
    (rel / "parquet").mkdir(parents=True)
    (rel / "csv").mkdir()
    reports = _reports()
    reports.to_parquet(rel / "parquet" / "reports.parquet")
    _observations(reports).to_parquet(rel / "parquet" / "observations.parquet")
    reports.to_csv(rel / "csv" / "reports.csv", index=False)
    pd.DataFrame({"code": ["sec3.req_new_received"], "label_zh": ["本年新收政府信息公开申请数量"]}).to_csv(
        rel / "data_dictionary.csv", index=False)
    (rel / "datapackage.json").write_text(json.dumps({
        "name": "ogi-reports", "version": "v2026.03.31", "licenses": [{"name": "CC-BY-4.0"}],
        "resources": [{"name": "reports", "path": ["parquet/reports.parquet", "csv/reports.csv"],
                       "schema": {"fields": [{"name": "region_code", "type": "string",
                                              "description": "GB/T 2260 code <of> the region"}]}}]}))
    return rel


def test_reports_per_province_year_counts_only_annual_reports():
    table = rp.reports_per_province_year(_reports())
    assert table.loc["44", 2021] == 2 and table.loc["44", 2019] == 1   # Guangzhou + Shenzhen
    assert table.loc["33", 2020] == 1 and table.loc["11", 2021] == 1
    assert table.loc["", 2021] == 1                                      # central department
    assert int(table.to_numpy().sum()) == 8                              # the look-alike is excluded


def test_identity_share_counts_identity_flags_only():
    reports = _reports()
    obs = _observations(reports).merge(reports[["report_id", "report_year"]], on="report_id")
    share = rp.identity_pass_share_per_year(obs, ["s3_balance"])
    # 2020: 2 reports x 4 table cells, one flagged per report -> 6/8; narrative rows are not cells
    assert share.loc[2020, "cells"] == 8 and share.loc[2020, "passing"] == 6
    assert share.loc[2021, "share_passing"] == 1.0  # "not_an_identity" does not count


def test_page_lists_every_file_with_size_and_checksum(release):
    import hashlib

    page = rp.render_release_page(release)
    assert page == release / "index.html"
    text = page.read_text()
    for p in [*release.rglob("*.parquet"), *release.rglob("*.csv"), release / "datapackage.json"]:
        rel = p.relative_to(release).as_posix()
        assert f'href="{rel}"' in text
        assert hashlib.sha256(p.read_bytes()).hexdigest() in text
        assert f'title="{p.stat().st_size} bytes"' in text
    assert text.count("<svg") == 2 and "GB/T 2260 code &lt;of&gt; the region" in text
    assert "本年新收政府信息公开申请数量" in text and "http" not in text.split("<body>")[0]
    assert "8 annual reports" in text


def test_page_without_tables_says_so(tmp_path):
    rel = tmp_path / "v2026.01.01"
    rel.mkdir()
    (rel / "README.txt").write_text("x")
    text = rp.render_release_page(rel).read_text()
    assert "No reports table" in text and "no data dictionary" in text and "README.txt" in text


def test_plots_render_without_cjk_font(monkeypatch):
    monkeypatch.setattr(rp, "cjk_font", lambda: None)
    svg = rp.plot_reports_per_province_year(rp.reports_per_province_year(_reports()))
    png = rp.plot_identity_share(pd.DataFrame({"cells": [4], "passing": [3], "share_passing": [0.75]},
                                              index=[2021]), fmt="png")
    assert svg.startswith("<svg") and png.startswith(b"\x89PNG")


@pytest.mark.browser
def test_release_page_renders_in_chromium(release):
    if not CHROMIUM:
        pytest.skip("Debian chromium is not installed (.ci/system-deps.sh installs it as root)")
    from playwright.sync_api import sync_playwright

    page_path = rp.render_release_page(release)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(page_path.as_uri(), timeout=30_000)
            for fig in ("#plot-province-year svg", "#plot-identity-share svg"):
                box = page.locator(fig).bounding_box()
                assert box and box["width"] > 200 and box["height"] > 100, fig
                assert page.locator(f"{fig} path").count() > 10  # drawn marks, not an empty frame
            rows = page.locator("table.files tbody tr")
            assert rows.count() == 5
            assert page.locator("table.files").is_visible()
            assert "v2026.03.31" in page.inner_text("#release-version")
            page.screenshot(path=str(ARTIFACTS / "release_page.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTIFACTS / "release_page.png").stat().st_size > 10_000
