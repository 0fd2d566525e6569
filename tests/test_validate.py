"""Identities of indicators.yaml: balanced tables pass, each broken identity is flagged."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from transforms.dictionary import load_default
from transforms.model import Observation
from transforms.validate import (
    CROSS_REPORT_CHECKS,
    CROSS_REPORT_IDENTITIES,
    EXPR_REWRITES,
    check_across_reports,
    check_identities,
    identity_coverage,
    parse_identity,
    validate,
)

D = load_default()
APPLICANTS = [m["code"] for m in D.members("applicant_type") if m["code"] != "total"]
FLAG = re.compile(r"^(\w+)@([\w.@]+): (error|warning|info): .+")


def observations(values: dict[str, float | None], **kw) -> list[Observation]:
    out = []
    for code, value in values.items():
        table = D.indicators[code].table
        null = None if value is not None else "blank"
        out.append(Observation(code, value, table=table, null_reason=null, **kw))
    return out


def breaks(values: dict[str, float | None], fmt: str | None) -> set[tuple[str, str]]:
    return {(b.identity, b.scope) for b in check_identities(observations(values), fmt)}


def sec3_table(fmt: str) -> dict[str, float]:
    """A balanced table 三 (every column consistent, total column = row sums)."""
    rows = [r["code"] for r in D.sec3_rows if fmt in r["formats"]]
    leaves = [r for r in rows if r.startswith("res_") and r != "res_total"]
    out: dict[str, float] = {}
    for i, col in enumerate(APPLICANTS):
        for j, leaf in enumerate(leaves):
            out[f"sec3.{leaf}@{col}"] = float((i + j) % 3)
        handled = sum(out[f"sec3.{leaf}@{col}"] for leaf in leaves)
        out[f"sec3.req_carried_over@{col}"] = float(i % 2)
        out[f"sec3.req_carried_forward@{col}"] = 1.0
        out[f"sec3.res_total@{col}"] = handled
        out[f"sec3.req_new_received@{col}"] = handled + 1 - (i % 2)
    for row in rows:
        out[f"sec3.{row}@total"] = sum(out[f"sec3.{row}@{c}"] for c in APPLICANTS)
    return out


def sec4_table() -> dict[str, float]:
    out = {}
    for g in ("review", "lit_direct", "lit_after_review"):
        parts = {"upheld": 2.0, "corrected": 1.0, "other": 0.0, "pending": 1.0}
        out.update({f"sec4.{g}@{r}": v for r, v in parts.items()})
        out[f"sec4.{g}@total"] = sum(parts.values())
    return out


# --- coverage -------------------------------------------------------------------------

def test_every_identity_is_checked_or_listed_as_cross_report():
    coverage = identity_coverage()
    ids = [i["id"] for i in D.identities]
    assert set(ids) == set(coverage), set(ids) ^ set(coverage)
    assert {i for i, how in coverage.items() if how == "cross_report"} == set(CROSS_REPORT_IDENTITIES)
    assert set(CROSS_REPORT_CHECKS) | {"region_aggregate_ge_parts"} == set(CROSS_REPORT_IDENTITIES)
    assert set(EXPR_REWRITES) <= set(ids)


def test_parser_refuses_prose():
    with pytest.raises(ValueError):
        parse_identity({"id": "x", "expr": "every cell is plausible"})


def test_parser_reads_quantifier_globs_and_chains():
    bound = parse_identity(next(i for i in D.identities if i["id"] == "old_proactive_channels_bound"))
    assert [t.func for side in bound.clauses[0].sides for t in side] == ["max", None, "sum"]
    assert bound.clauses[0].ops == ("<=", "<=")
    outcomes = parse_identity(next(i for i in D.identities if i["id"] == "s3_outcomes_sum_v2021"))
    assert (outcomes.loop_var, outcomes.loop_domain, outcomes.all_at) == ("c", "applicant_type", "c")


# --- table 三 / 四 ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["v2019", "v2021"])
def test_balanced_tables_pass(fmt):
    assert validate(observations(sec3_table(fmt) | sec4_table()), fmt) == []


def test_s3_balance_break():
    t = sec3_table("v2021")
    t["sec3.req_carried_forward@natural_person"] += 1
    t["sec3.req_carried_forward@total"] += 1
    assert breaks(t, "v2021") == {("s3_balance", "natural_person"), ("s3_balance", "total")}


def test_s3_row_total_break():
    t = sec3_table("v2019")
    t["sec3.req_carried_over@total"] += 1
    assert breaks(t, "v2019") == {("s3_row_total", "req_carried_over"), ("s3_balance", "total")}


@pytest.mark.parametrize("fmt", ["v2019", "v2021"])
def test_s3_outcomes_sum_break(fmt):
    # Like 平潭 2020: （七）总计 off while 一+二 = 总计+四 still holds.
    t = sec3_table(fmt)
    for col in ("natural_person", "total"):
        t[f"sec3.res_total@{col}"] -= 6
        t[f"sec3.req_carried_forward@{col}"] += 6
    got = breaks(t, fmt)
    assert got == {(f"s3_outcomes_sum_{fmt}", "natural_person"), (f"s3_outcomes_sum_{fmt}", "total")}


def test_s3_nonneg_int():
    t = sec3_table("v2021")
    t["sec3.res_np_repeat@org_other"] = -1.0
    t["sec3.res_np_repeat@natural_person"] += 1
    assert ("s3_nonneg_int", "res_np_repeat@org_other") in breaks(t, "v2021")
    t = sec3_table("v2021")
    t["sec3.res_granted@org_research"] += 0.5
    assert ("s3_nonneg_int", "res_granted@org_research") in breaks(t, "v2021")


def test_s4_group_total_break():
    t = sec4_table()
    t["sec4.lit_direct@total"] = 7.0
    assert breaks(t, "v2021") == {("s4_group_total", "lit_direct")}


def test_s2_stock_ge_flow_v2019_only_for_v2019():
    t = {"s2_rules_total_published": 2.0, "s2_rules_new_published": 3.0,
         "s2_normdocs_total_published": 9.0, "s2_normdocs_new_published": 3.0}
    assert breaks(t, "v2019") == {("s2_stock_ge_flow_v2019", "s2_rules_total_published")}
    assert breaks(t, "v2021") == set()


# --- blanks, excerpts, narrative values ------------------------------------------------

FIRST_ROW = {f"sec3.req_new_received@{c}": 1.0 for c in APPLICANTS} | {"sec3.req_new_received@total": 6.0}


def test_absent_cell_counts_zero_when_row_and_column_were_read():
    t = FIRST_ROW | {"sec3.res_granted@natural_person": 2.0, "sec3.res_granted@total": 2.0}
    assert breaks(t, "v2021") == set()
    t["sec3.res_granted@total"] = 3.0
    assert breaks(t, "v2021") == {("s3_row_total", "res_granted")}
    # Columns between two read columns are located; columns outside them are not.
    t = {"sec3.res_granted@natural_person": 2.0, "sec3.res_granted@total": 3.0}
    assert breaks(t, "v2021") == {("s3_row_total", "res_granted")}
    t = {"sec3.res_granted@org_other": 2.0, "sec3.res_granted@total": 3.0}
    assert breaks(t, "v2021") == set()


def test_a_blank_row_between_read_rows_counts_zero():
    t = sec3_table("v2021")
    for col in APPLICANTS + ["total"]:             # the row 2．重复申请 printed all blank: absent
        cell = t.pop(f"sec3.res_np_repeat@{col}")
        t[f"sec3.res_total@{col}"] -= cell
        t[f"sec3.req_new_received@{col}"] -= cell
    assert breaks(t, "v2021") == set()
    t["sec3.res_total@org_commercial"] += 1
    t["sec3.req_carried_forward@org_commercial"] -= 1
    t["sec3.res_total@total"] += 1
    t["sec3.req_carried_forward@total"] -= 1
    assert breaks(t, "v2021") == {("s3_outcomes_sum_v2021", "org_commercial"), ("s3_outcomes_sum_v2021", "total")}


def test_blank_cell_counts_zero_but_ambiguous_cell_stops_the_check():
    t = FIRST_ROW | {"sec3.res_granted@natural_person": 2.0, "sec3.res_granted@org_commercial": None,
                     "sec3.res_granted@total": 3.0}
    assert breaks(t, "v2021") == {("s3_row_total", "res_granted")}
    obs = observations(t)
    next(o for o in obs if o.indicator_code == "sec3.res_granted@org_commercial").null_reason = "ambiguous"
    assert check_identities(obs, "v2021") == []


def test_excerpt_cut_before_the_totals_is_not_a_break():
    t = {k: v for k, v in sec3_table("v2021").items()
         if k.split(".")[1].split("@")[0] in ("req_new_received", "req_carried_over")}
    t["sec3.req_new_received@natural_person"] += 5     # nothing to compare it with in s3_balance
    assert ("s3_balance", "natural_person") not in breaks(t, "v2021")


def test_narrative_values_are_checked_when_no_table_gives_them():
    values = {"sec3.req_new_received@total": 17.0, "sec3.req_carried_over@total": 0.0,
              "sec3.res_total@total": 17.0, "sec3.req_carried_forward@total": 0.0}
    obs = observations(values, source="narrative")
    assert validate(obs, "narrative_only") == []
    obs[2].value = 15.0
    assert [f.split(":")[0] for f in validate(obs, None)] == ["s3_balance@total"]


def test_prose_does_not_locate_a_table():
    # 予以公开12件 and 办结40件 in prose say nothing about the other outcome rows.
    values = {"sec3.res_granted@total": 12.0, "sec3.res_total@total": 40.0,
              "sec3.req_new_received@total": 40.0, "sec3.req_carried_forward@total": 0.0}
    assert check_identities(observations(values, source="narrative"), "v2021") == []
    assert ("s3_outcomes_sum_v2021", "total") in breaks(values, "v2021")     # the same cells in a table


def test_table_value_wins_over_narrative():
    table = {f"sec3.{r}@total": v for r, v in (("req_new_received", 3.0), ("req_carried_over", 0.0),
                                                 ("res_total", 3.0), ("req_carried_forward", 0.0))}
    obs = observations(table) + observations({"sec3.req_new_received@total": 2.0}, source="narrative")
    assert validate(obs, "v2021") == []      # the conflict itself is narrative_conflicts' job
    assert not obs[-1].flags


def test_flags_on_observations_and_values_unchanged():
    t = sec4_table()
    t["sec4.review@total"] = 9.0
    obs = observations(t)
    flags = validate(obs, "v2019")
    assert len(flags) == 1
    m = FLAG.match(flags[0])
    assert m and m.groups()[:3] == ("s4_group_total", "review", "error")
    flagged = {o.indicator_code for o in obs if "s4_group_total" in o.flags}
    assert flagged == {f"sec4.review@{r}" for r in ("upheld", "corrected", "other", "pending", "total")}
    assert {o.indicator_code: o.value for o in obs} == t


# --- old tables ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, good, bad_code, identity", [
    ("v2014_national", {"req_received": 10, "req_ch_in_person": 2, "req_ch_fax": 1, "req_ch_online": 5,
                        "req_ch_letter": 2}, "req_received", "old_req_channels"),
    ("v2014_national", {"req_closed": 5, "req_closed_on_time": 4, "req_closed_extended": 1},
     "req_closed", "old_req_closed"),
    ("v2014_national", {"ans_total": 6, "ans_already_public": 1, "ans_granted": 2, "ans_partial": 1,
                        "ans_denied_total": 1, "ans_not_this_agency": 1}, "ans_total", "old_answers_sum"),
    ("v2014_national", {"ans_denied_total": 3, "ans_denied_state_secret": 1, "ans_denied_privacy": 2},
     "ans_denied_total", "old_denied_reasons"),
    ("v2014_national", {"rev_total_old": 3, "rev_old_upheld": 2, "rev_old_corrected": 1}, "rev_total_old",
     "old_review_sum"),
    ("v2014_national", {"lit_total_old": 1, "lit_old_other": 1}, "lit_total_old", "old_litigation_sum"),
    ("v2008_local", {"staff_total": 73, "staff_full_time": 24, "staff_part_time": 49}, "staff_total",
     "old_staff_sum"),
    ("v2008_local", {"req_received": 7, "req_ch_email": 3, "req_ch_online": 4, "req_ch_letter_fax": 0},
     "req_received", "local_req_channels"),
    ("v2008_local", {"ans_total": 5, "ans_granted": 3, "ans_partial": 1, "ans_other_type_local": 1},
     "ans_total", "local_answers_sum"),
    ("v2008_local", {"ans_denied_total": 4, "ans_not_exist": 1, "ans_denied_in_process": 2,
                     "ans_denied_exempt_total": 1}, "ans_denied_total", "local_denied_reasons"),
])
def test_old_sum_identities(fmt, good, bad_code, identity):
    good = {k: float(v) for k, v in good.items()}
    assert breaks(good, fmt) == set()
    bad = good | {bad_code: good[bad_code] + 1}
    assert breaks(bad, fmt) == {(identity, bad_code)}


def test_old_proactive_channels_bound_is_a_bound():
    t = {"pro_items_total": 100.0, "pro_ch_website": 90.0, "pro_ch_gazette": 20.0, "pro_ch_weibo": 30.0}
    assert breaks(t, "v2014_national") == set()           # de-duplicated: less than the sum
    assert breaks(t | {"pro_items_total": 150.0}, "v2014_national") == {
        ("old_proactive_channels_bound", "pro_items_total")}
    assert breaks(t | {"pro_items_total": 80.0}, "v2014_national") == {
        ("old_proactive_channels_bound", "pro_items_total")}


def test_old_subset_bounds():
    t = {"pro_items_total": 10.0, "pro_normdocs_published": 12.0,
         "resp_press_conferences": 3.0, "resp_press_conf_principal": 1.0}
    assert breaks(t, "v2014_national") == {("old_subset_bounds", "pro_normdocs_published")}


def test_local_fees_sum_is_approximate_and_unit_normalised():
    obs = [Observation("fees_collected", 0.01, unit="万元", value_normalised=100.0, table="old"),
           Observation("fees_search", 60.0, unit="元", value_normalised=60.0, table="old"),
           Observation("fees_copy", 40.0, unit="元", value_normalised=40.0, table="old")]
    assert check_identities(obs, "v2008_local") == []
    obs[2].value = obs[2].value_normalised = 10.0
    assert {b.identity for b in check_identities(obs, "v2008_local")} == {"local_fees_sum"}


def test_local_cumulative_ge_annual():
    obs = [Observation("pro_items_total", 739.0, table="old", value_column_kind="annual"),
           Observation("pro_items_total", 2876.0, table="old", value_column_kind="cumulative"),
           Observation("req_received", 5.0, table="old", value_column_kind="annual"),
           Observation("req_received", 3.0, table="old", value_column_kind="cumulative")]
    got = check_identities(obs, "v2008_local")
    assert [(b.identity, b.scope) for b in got] == [("local_cumulative_ge_annual", "req_received")]
    validate(obs, "v2008_local")
    assert "local_cumulative_ge_annual" in obs[2].flags and "local_cumulative_ge_annual" in obs[3].flags
    # cumulative values are never used by the other identities
    assert check_identities(obs[1:2], "v2008_local") == []


def test_identity_formats_are_respected():
    staff = {"staff_total": 5.0, "staff_full_time": 1.0, "staff_part_time": 1.0}
    assert breaks(staff, "v2008_local") == {("old_staff_sum", "staff_total")}
    assert breaks(staff, "old") == {("old_staff_sum", "staff_total")}
    assert breaks(staff, "v2021") == set()
    channels = {"req_received": 5.0, "req_ch_online": 1.0}
    assert breaks(channels, "v2014_national") == {("old_req_channels", "req_received")}
    assert breaks(channels, "narrative_only") == set()   # local and national tables differ


# --- across reports --------------------------------------------------------------------

def test_check_across_reports():
    rows = [
        ("a", 2020, "sec3.req_carried_forward@total", 4), ("a", 2021, "sec3.req_carried_over@total", 3),
        ("b", 2020, "sec3.req_carried_forward@total", 2), ("b", 2021, "sec3.req_carried_over@total", 2),
        ("a", 2021, "s2_normdocs_in_force", 10), ("a", 2022, "s2_normdocs_in_force", 12),
        ("a", 2022, "s2_normdocs_issued", 3), ("a", 2022, "s2_normdocs_repealed", 1),
        ("a", 2019, "s2_license_items_prev", 10), ("a", 2019, "s2_license_items_change", 2),
        ("a", 2020, "s2_license_items_prev", 11),
    ]
    frame = pd.DataFrame(rows, columns=["agency", "report_year", "indicator_code", "value"])
    got = check_across_reports(frame)
    assert sorted(zip(got.identity, got.agency, got.report_year, got.scope, strict=True)) == [
        ("s2_item_chain_v2019", "a", 2019, "s2_license_items_prev"),
        ("s3_carry_chain", "a", 2021, "total"),
    ]
    assert got.severity.tolist() and set(got.severity) <= {"warning", "info"}
    assert all(FLAG.match(f) for f in got.flag)


def test_region_aggregate_ge_parts():
    rows = [("county", 2021, "sec3.req_new_received@total", 5, "region_aggregate", "510522"),
            ("dept1", 2021, "sec3.req_new_received@total", 4, "agency_only", "510522"),
            ("dept2", 2021, "sec3.req_new_received@total", 3, "agency_only", "510522")]
    frame = pd.DataFrame(rows, columns=["agency", "report_year", "indicator_code", "value",
                                        "report_scope", "region_code"])
    got = check_across_reports(frame)
    assert got.identity.tolist() == ["region_aggregate_ge_parts"] and got.agency.tolist() == ["county"]
    assert check_across_reports(frame.drop(columns=["report_scope"])).empty


def test_unmapped_and_unknown_observations_are_ignored():
    obs = [Observation(None, 5.0, raw_row_label="其他"), Observation("not_a_code", 1.0),
           Observation("sec3.res_total@total", None, null_reason="unparsable", table="sec3")]
    assert validate(obs, "v2021") == [] and validate(obs, None) == [] and validate([], "v2019") == []
