"""The coverage asset: numbers per province x year, and plots as UI metadata."""

from __future__ import annotations

import base64

import dagster as dg
import pandas as pd
from test_release_page import _observations, _reports

from pipelines.assets.coverage import coverage_table, out_reports__coverage


def test_coverage_table_long_form():
    table = coverage_table(_reports())
    got = {(c, y): n for c, y, n in zip(table["province_code"], table["report_year"], table["reports"], strict=True)}
    assert got[("440000", 2021)] == 2 and got[("330000", 2020)] == 1
    central = table[table["province_code"].isna()]
    assert list(central["report_year"]) == [2021] and list(central["province_name"]) == ["中央"]
    assert int(table["reports"].sum()) == 8
    assert "广东省" in set(table["province_name"])


def test_asset_reports_plot_and_identity_share_in_metadata():
    reports = _reports()
    observations = _observations(reports).merge(reports[["report_id", "report_year"]], on="report_id")

    @dg.asset(name="out_reports__reports")
    def reports_stub() -> pd.DataFrame:
        return reports

    @dg.asset(name="out_reports__observations")
    def observations_stub() -> pd.DataFrame:
        return observations

    result = dg.materialize([reports_stub, observations_stub, out_reports__coverage])
    assert result.success
    [mat] = result.asset_materializations_for_node("out_reports__coverage")
    meta = mat.metadata
    assert meta["reports"].value == 8 and meta["provinces"].value == 3 and meta["years"].value == "2019-2021"
    for key in ("coverage_plot", "identity_share_plot"):
        md = meta[key].value
        assert md.startswith("![") and "data:image/png;base64," in md
        assert base64.b64decode(md.split("base64,", 1)[1].rstrip(")")).startswith(b"\x89PNG")
    assert "report_year" in meta["identity_share"].value and "|          2020 |       8 |         6 |          75 |" \
        in meta["identity_share"].value


def test_crawl_health_status_table_puts_problems_first():
    from pipelines.assets.outputs import _status_table

    health = pd.DataFrame([
        {"portal_id": "b", "status": "ok", "documents": 3, "documents_new": 1, "errors": 0, "crawled_at": "t"},
        {"portal_id": "a", "status": "blocked", "documents": 0, "documents_new": None, "errors": 2, "crawled_at": "t"},
    ])
    lines = _status_table(health).splitlines()
    assert "portal_id" in lines[0] and "blocked" in lines[2] and "| b" in lines[3]
    assert "nan" not in _status_table(health) and _status_table(health.iloc[0:0]) == "no portals crawled yet"
