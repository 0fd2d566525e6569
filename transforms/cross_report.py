"""Identities across reports (carry chain, stock-flow, region aggregate >= parts) on canonical values.

`transforms.validate.check_across_reports` does the arithmetic over (agency, year, code) values.
This module feeds it one value per (report, code) of the canonical reports (table values before
narrative ones, no per-tier or cumulative columns, as `ParsedReport.values()`), keyed by agency
and report scope (a county's own report and its region aggregate are two series), and maps each
break back to the report it is stated on and to the observations involved. Values are never
changed: observations get the identity id in `flags`, reports the full flag string.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from transforms.validate import check_across_reports

BREAK_COLUMNS = ["identity", "severity", "report_id", "flag", "observations"]


def _series_key(agency_id: Any, scope: Any) -> str:
    return f"{agency_id}|{scope if isinstance(scope, str) and scope else 'unknown'}"


def breaks_across_reports(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per cross-report identity break among canonical observations.

    `observations`: report_id, observation_seq, agency_id, report_year, report_scope,
    region_code, indicator_code, value, dimension, source. Returns identity, severity,
    report_id (the report whose year the break is stated for), flag (`<identity>@<scope>: ...`)
    and observations (list of (report_id, observation_seq) whose values are involved).
    """
    if observations.empty:
        return pd.DataFrame(columns=BREAK_COLUMNS)
    obs = observations[observations["indicator_code"].notna() & observations["dimension"].isna()
                       & observations["value"].notna() & observations["report_year"].notna()
                       & observations["agency_id"].notna()].copy()
    if obs.empty:
        return pd.DataFrame(columns=BREAK_COLUMNS)
    obs["agency"] = [_series_key(a, s) for a, s in zip(obs["agency_id"], obs["report_scope"], strict=True)]
    obs["report_year"] = obs["report_year"].astype(int)
    obs["_narrative"] = (obs["source"] == "narrative").astype(int)
    obs = obs.sort_values(["_narrative", "report_id", "observation_seq"], kind="stable")
    obs = obs.drop_duplicates(["agency", "report_year", "indicator_code"])    # the value the check uses
    found = check_across_reports(obs[["agency", "report_year", "indicator_code", "value", "report_scope",
                                      "region_code"]].reset_index(drop=True))
    where = {(a, y, c): (r, int(s)) for a, y, c, r, s in zip(obs["agency"], obs["report_year"], obs["indicator_code"],
                                                            obs["report_id"], obs["observation_seq"], strict=True)}
    report_of = {(a, y): r for (a, y, _), (r, _) in where.items()}
    rows = []
    for rec in found.to_dict("records"):
        involved = [where[k] for k in rec["values"] if k in where]
        rows.append({"identity": rec["identity"], "severity": rec["severity"],
                     "report_id": report_of.get((rec["agency"], int(rec["report_year"]))), "flag": rec["flag"],
                     "observations": list(dict.fromkeys(involved))})
    return pd.DataFrame(rows, columns=BREAK_COLUMNS)


def report_flags(breaks: pd.DataFrame) -> dict[str, list[str]]:
    """report_id -> flag strings of the breaks stated for that report."""
    out: dict[str, list[str]] = {}
    for rid, flag in zip(breaks["report_id"], breaks["flag"], strict=True):
        if isinstance(rid, str):
            out.setdefault(rid, []).append(flag)
    return out


def observation_flags(observations: pd.DataFrame, breaks: pd.DataFrame) -> list[list[str]]:
    """The `flags` of each observation row with the ids of the cross-report identities it is involved in."""
    ids: dict[tuple[str, int], list[str]] = {}
    for identity, involved in zip(breaks["identity"], breaks["observations"], strict=True):
        for key in involved:
            ids.setdefault((key[0], int(key[1])), []).append(identity)
    out = []
    for rid, seq, flags in zip(observations["report_id"], observations["observation_seq"], observations["flags"],
                               strict=True):
        current = list(flags) if isinstance(flags, (list, tuple)) or hasattr(flags, "tolist") else []
        extra = ids.get((rid, int(seq)), []) if pd.notna(seq) else []
        out.append(current + [i for i in dict.fromkeys(extra) if i not in current])
    return out
