"""Small pieces of the pipeline: panel columns, crawl volume check, multi-page joining, schema check."""

from __future__ import annotations

import math

import pandas as pd

from pipelines.assets.crawl import volume_check
from pipelines.checks import expected_newest_year, schema_problems
from pipelines.tables import REPORTS, conform
from transforms import multipage
from transforms.panel import build_panel, panel_columns


def obs(report_id: str, code: str, value: float, seq: int, source: str = "table") -> dict:
    return {"report_id": report_id, "indicator_code": code, "value": value, "value_normalised": None,
            "dimension": None, "source": source, "observation_seq": seq}


def test_panel_columns_cover_all_four_formats_with_grades():
    cols = {c.name: c for c in panel_columns()}
    assert cols["sec3_res_total__total"].old_codes == ("ans_total",)
    assert cols["sec3_res_total__total"].grade == "weak"
    assert cols["sec3_req_new_received__total"].grade == "approx"
    for c in cols.values():
        assert set(c.formats) == {"v2008_local", "v2014_national", "v2019", "v2021"}


def test_panel_values_new_codes_old_sums_and_table_before_narrative():
    reports = pd.DataFrame({"report_id": ["new", "old"], "agency_id": ["a", "a"], "report_year": [2021, 2015],
                            "report_scope": ["agency_only", "agency_only"]})
    observations = pd.DataFrame([
        obs("new", "sec3.res_total@total", 30, 0, source="narrative"),
        obs("new", "sec3.res_total@total", 31, 5),
        obs("new", "sec4.lit_direct@total", 2, 1), obs("new", "sec4.lit_after_review@total", 3, 2),
        obs("old", "ans_not_exist", 4, 0), obs("old", "ans_not_this_agency", 6, 1),
        obs("old", "lit_total_old", 7, 2),
    ])
    panel = build_panel(reports, observations, ["report_id", "agency_id", "report_year", "report_scope"])
    panel = panel.set_index("report_id")
    assert panel.loc["new", "sec3_res_total__total"] == 31, "table value wins over narrative"
    assert panel.loc["new", "sec4_lit_direct__total_plus_lit_after_review__total"] == 5
    assert panel.loc["old", "sec3_res_unable_not_held__total"] == 10, "old codes comparable to one new code add up"
    assert panel.loc["old", "sec4_lit_direct__total_plus_lit_after_review__total"] == 7
    assert math.isnan(panel.loc["old", "sec3_res_total__total"])


def test_crawl_volume_warns_on_zero_and_on_a_drop():
    result = volume_check({
        "steady": {"documents": [1] * 10, "previous_documents": 11},
        "first": {"documents": [1] * 3, "previous_documents": None},
        "dropped": {"documents": [1] * 4, "previous_documents": 10},
        "empty": {"documents": [], "previous_documents": None},
    })
    assert not result.passed
    assert result.metadata["flagged"].value == "dropped, empty"


def test_multipage_join_keeps_both_pages_tables():
    first = "<html><head><meta charset='gbk'><title>报告</title></head><body><table><tr><td>一</td></tr></table>" \
            "</body></html>"
    second = "<html><body><p>四、复议</p><table><tr><td>四</td></tr></table></body></html>"
    joined = multipage.join_pages([(first.encode("gbk"), "gbk"), (second.encode("utf-8"), None)]).decode("utf-8")
    assert joined.count("<table>") == 2 and "四、复议" in joined and "charset=\"utf-8\"" in joined
    assert multipage.part_order("http://x/t_1005_10.html") > multipage.part_order("http://x/t_1005_2.html")


def test_schema_check_finds_duplicate_keys_and_missing_columns():
    good = conform(pd.DataFrame({"report_id": ["r1", "r2"], "report_year": [2021, 2022]}), REPORTS)
    assert schema_problems(good, REPORTS)["duplicate_key_rows"] == 0
    dup = pd.concat([good, good.iloc[:1]])
    assert schema_problems(dup, REPORTS)["duplicate_key_rows"] == 2
    assert schema_problems(good.drop(columns="flags"), REPORTS)["missing_columns"] == ["flags"]
    drifted = good.assign(report_year=good["report_year"].astype("float64"))
    assert schema_problems(drifted, REPORTS)["dtype_mismatches"] == ["report_year: float64 (declared int32)"]


def test_newest_year_due_after_march():
    import datetime as dt

    assert expected_newest_year(dt.date(2026, 3, 31)) == 2024
    assert expected_newest_year(dt.date(2026, 4, 1)) == 2025


def _slow_on_three(x: int) -> int:
    import time

    if x == 3:
        time.sleep(30)
    return x * 10


def test_parallel_map_stops_a_stuck_item_and_finishes_the_rest():
    import time

    from pipelines.parallel import map_with_timeout

    started = time.perf_counter()
    out = dict(map_with_timeout(_slow_on_three, list(range(8)), workers=2, timeout_s=1.0,
                                on_timeout=lambda x: f"timeout {x}"))
    assert out == {i: (f"timeout {i}" if i == 3 else i * 10) for i in range(8)}
    assert time.perf_counter() - started < 15
