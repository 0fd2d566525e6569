"""The published tables (`out_reports__<table>`), each conformed to its declared schema."""


import csv
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import dagster as dg
import pandas as pd

from pipelines import dictionary_files
from pipelines.assets.canonical import preferred_date
from pipelines.provenance import transforms_version
from pipelines.tables import (
    CRAWL_HEALTH,
    DOCUMENTS,
    INDICATORS,
    OBSERVATIONS,
    PANEL_ID_COLUMNS,
    REPORTS,
    conform,
    panel_spec,
)
from transforms.cross_report import breaks_across_reports, observation_flags, report_flags
from transforms.model import REPORT_FIELDS
from transforms.panel import build_panel

_EXT_FORMAT = {".htm": "html", ".html": "html", ".shtml": "html", ".pdf": "pdf", ".doc": "doc", ".docx": "docx",
               ".wps": "wps", ".xls": "xls", ".xlsx": "xlsx", ".ofd": "ofd", ".txt": "text"}


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, str, str | None]]:
    """GB/T 2260 code -> (name, level, parent code), from transforms/data/regions.csv."""
    path = resources.files("transforms") / "data" / "regions.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {r["code"]: (r["name"], r["level"], r["parent_code"] or None) for r in csv.DictReader(fh)}


def region_names(code: Any) -> dict[str, str | None]:
    """Province, city and county names of a region code (walking up the parent chain)."""
    out: dict[str, str | None] = {"province_name": None, "city_name": None, "county_name": None}
    table = _regions()
    current = str(code) if isinstance(code, str) and code else None
    if current and current not in table and len(current) == 6:
        # codes missing from the table (abolished/renamed units): fall back to their parents
        for parent in (current[:4] + "00", current[:2] + "0000"):
            if parent in table:
                current = parent
                break
    seen = 0
    while current and current in table and seen < 5:
        name, level, parent = table[current]
        key = {"province": "province_name", "prefecture": "city_name", "county": "county_name"}.get(level)
        if key and out[key] is None:
            out[key] = name
        current, seen = parent, seen + 1
    return out


def document_format(path: Any, content_type: Any) -> str | None:
    if isinstance(path, str):
        for ext, fmt in _EXT_FORMAT.items():
            if path.lower().endswith(ext):
                return fmt
    ct = str(content_type or "").lower()
    for key, fmt in (("html", "html"), ("pdf", "pdf"), ("wordprocessingml", "docx"), ("msword", "doc"),
                     ("spreadsheetml", "xlsx"), ("ms-excel", "xls"), ("text/plain", "text")):
        if key in ct:
            return fmt
    return None


@dg.asset(group_name="out", code_version=transforms_version("cross_report.py", "validate.py"), kinds={"parquet"})
def out_reports__reports(
    context: dg.AssetExecutionContext,
    core_reports__documents: pd.DataFrame,
    core_reports__parsed: pd.DataFrame,
    core_reports__canonical: pd.DataFrame,
    core_reports__observations: pd.DataFrame,
) -> pd.DataFrame:
    """One row per canonical report."""
    canon = core_reports__canonical[core_reports__canonical["is_canonical"]]
    parsed = core_reports__parsed.set_index("sha256")
    fetch = core_reports__documents.set_index("document_id")
    copies = core_reports__canonical.groupby("report_id")["sha256"].nunique()
    rows = []
    for rec in canon.to_dict("records"):
        sha = rec["sha256"]
        p = parsed.loc[sha]
        f = fetch.loc[rec["representative_document_id"]]
        row = {k: p.get(k) for k in REPORT_FIELDS}
        row["region_code"] = rec["region_code"]
        row.update(region_names(rec["region_code"]))
        if not row.get("region_name") and isinstance(rec["region_code"], str):
            row["region_name"] = _regions().get(rec["region_code"], (None,))[0]
        flags = [*list(p.get("flags") if p.get("flags") is not None else []), *list(rec["dedup_flags"])]
        if rec["region_source"] == "portal_registry":
            flags.append("region_code_from_portal_registry")
        row.update({
            "report_id": rec["report_id"], "agency_id": rec["agency_id"],
            "source_url": f.get("final_url") or f.get("source_url") or p.get("source_url"),
            "publish_date": preferred_date(f.get("publish_date"), p.get("publish_date")),
            "portal_id": f.get("portal_id"), "landing_page": f.get("landing_page"),
            "document_format": document_format(f.get("archive_path"), f.get("content_type")),
            "document_sha256": sha, "part_sha256s": list(p.get("part_sha256s")),
            "copies": int(copies.get(rec["report_id"], 1)),
            "observations": int(p.get("observation_count") or 0), "identity_flags": int(p.get("identity_breaks") or 0),
            "values_disagree": bool(rec["values_disagree"]), "flags": flags,
        })
        rows.append(row)
    frame = pd.DataFrame(rows)
    cross = report_flags(_cross_report_breaks(frame, core_reports__observations))
    if len(frame):
        frame["flags"] = [list(fl) + cross.get(rid, []) for rid, fl in zip(frame["report_id"], frame["flags"],
                                                                             strict=True)]
    out = conform(frame, REPORTS)
    context.add_output_metadata({"reports": len(out), "cross_report_flags": sum(len(v) for v in cross.values()),
                                 "years": json.dumps({str(k): int(v) for k, v in
                                                      out["report_year"].value_counts().sort_index().items()})})
    return out


_REPORT_KEYS = ["document_sha256", "report_id", "report_year", "region_code", "agency_id", "report_scope"]


def _canonical_observations(reports: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Observations of the canonical documents, with their report's keys."""
    return observations.merge(reports.reindex(columns=_REPORT_KEYS), left_on="sha256", right_on="document_sha256",
                              how="inner")


def _cross_report_breaks(reports: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Carry-chain, stock-flow and region-aggregate identities across canonical reports (transforms.cross_report)."""
    return breaks_across_reports(_canonical_observations(reports, observations))


@dg.asset(group_name="out", code_version=transforms_version("cross_report.py", "validate.py"), kinds={"parquet"})
def out_reports__observations(
    context: dg.AssetExecutionContext, out_reports__reports: pd.DataFrame, core_reports__observations: pd.DataFrame
) -> pd.DataFrame:
    """Values of canonical reports, with report keys and provenance; values in a cross-report identity
    break (carry chain, stock-flow, region aggregate) carry the identity id in `flags`."""
    obs = _canonical_observations(out_reports__reports, core_reports__observations)
    breaks = breaks_across_reports(obs)
    if len(obs):
        obs["flags"] = observation_flags(obs, breaks)
    out = conform(obs, OBSERVATIONS)
    context.add_output_metadata({
        "observations": len(out), "mapped": int(out["indicator_code"].notna().sum()),
        "cross_report_breaks": len(breaks),
        "cross_report_breaks_by_identity": json.dumps(breaks["identity"].value_counts().to_dict()),
        "values_in_cross_report_breaks": len({tuple(k) for ks in breaks["observations"] for k in ks}),
    })
    return out


@dg.asset(group_name="out", code_version=transforms_version("panel.py"), kinds={"parquet"})
def out_reports__panel(
    context: dg.AssetExecutionContext, out_reports__reports: pd.DataFrame, out_reports__observations: pd.DataFrame
) -> pd.DataFrame:
    """Agency x year wide panel of the indicators comparable across all format generations."""
    reports = out_reports__reports[out_reports__reports["report_year"].notna()].copy()
    reports["report_scope"] = reports["report_scope"].fillna("unknown")
    panel = build_panel(reports, out_reports__observations, PANEL_ID_COLUMNS)
    out = conform(panel, panel_spec())
    context.add_output_metadata({"rows": len(out), "value_columns": len(panel_spec().fields) - len(PANEL_ID_COLUMNS)})
    return out


@dg.asset(group_name="out", code_version="1", kinds={"parquet"})
def out_reports__documents(
    context: dg.AssetExecutionContext,
    core_reports__documents: pd.DataFrame,
    core_reports__parsed: pd.DataFrame,
    core_reports__canonical: pd.DataFrame,
) -> pd.DataFrame:
    """Every fetch, with parse status and its deduplication decision."""
    docs = core_reports__documents.copy()
    parsed = core_reports__parsed.set_index("sha256")
    canon = core_reports__canonical.set_index("sha256")
    unit_of_part = {part: sha for sha, parts in zip(core_reports__parsed["sha256"], core_reports__parsed["part_sha256s"],
                                                    strict=True) for part in parts}
    rows = []
    for rec in docs.to_dict("records"):
        sha = rec["sha256"]
        part_of = unit_of_part.get(sha) if rec.get("role") == "page_part" else None
        unit = part_of or sha
        p = parsed.loc[unit] if isinstance(unit, str) and unit in parsed.index else None
        c = canon.loc[unit] if isinstance(unit, str) and unit in canon.index else None
        row = dict(rec)
        if rec.get("fetch_problem"):
            row.update(parse_status="not_fetched", parse_reason=rec["fetch_problem"], dedup_role="not_a_report")
        elif p is None:
            row.update(parse_status="not_fetched", parse_reason="no parse result", dedup_role="not_a_report")
        else:
            row.update(parse_status=p["status"], parse_reason=p["reason"] or None, report_year=p["report_year"],
                       agency_name=p["agency_name"], format_version=p["format_version"],
                       flags=list(p["flags"]) if p["flags"] is not None else [])
            if p["status"] == "ok" and not p["is_annual_report"] and not row["parse_reason"]:
                row["parse_reason"] = f"not an annual report ({p['doc_kind']})"
            row["dedup_role"] = "not_a_report"
        if c is not None and part_of:
            row.update(report_id=c["report_id"], canonical_sha256=c["canonical_sha256"], dedup_role="page_part",
                       values_disagree=bool(c["values_disagree"]),
                       parse_reason=f"continuation page, extracted together with {part_of[:12]}")
        elif c is not None:
            is_rep_fetch = bool(c["is_canonical"]) and c["representative_document_id"] == rec["document_id"]
            row.update(report_id=c["report_id"], canonical_sha256=c["canonical_sha256"],
                       values_disagree=bool(c["values_disagree"]),
                       dedup_role="canonical" if is_rep_fetch else "duplicate",
                       duplicate_level=None if is_rep_fetch else ("sha256" if c["is_canonical"] else c["duplicate_level"]),
                       flags=[*row.get("flags", []), *list(c["dedup_flags"])])
        rows.append(row)
    out = conform(pd.DataFrame(rows), DOCUMENTS)
    roles = out["dedup_role"].value_counts().to_dict()
    context.add_output_metadata({"documents": len(out), "roles": json.dumps(roles),
                                 "duplicate_levels": json.dumps(out["duplicate_level"].value_counts().to_dict())})
    return out


@dg.asset(group_name="out", code_version="1", kinds={"parquet"})
def out_reports__indicators(context: dg.AssetExecutionContext) -> pd.DataFrame:
    """The indicator dictionary as a table."""
    out = conform(dictionary_files.indicators_frame(), INDICATORS)
    context.add_output_metadata({"indicators": len(out)})
    return out


@dg.asset(group_name="out", code_version="1", kinds={"parquet"})
def out_reports__crawl_health(
    context: dg.AssetExecutionContext, raw_reports__crawl: dict[str, dict[str, Any]]
) -> pd.DataFrame:
    """Latest crawl status per portal."""
    rows = []
    for pid, crawl in sorted(raw_reports__crawl.items()):
        health, stats = crawl.get("health") or {}, crawl.get("run_stats") or {}
        rows.append({
            "portal_id": pid, "status": health.get("status") or ("ok" if crawl.get("documents") else "empty"),
            "documents": len(crawl.get("documents", [])),
            "documents_new": _first(health, "new") if _first(health, "new") is not None else _first(stats, "new"),
            "documents_changed": _first(health, "changed") if _first(health, "changed") is not None
            else _first(stats, "changed"),
            "documents_unchanged": _first(health, "unchanged") if _first(health, "unchanged") is not None
            else _first(stats, "unchanged"),
            "errors": _first(health, "errors", "error_count"), "crawled_at": crawl.get("crawled_at"),
            "detail": json.dumps({"health": health, "run_stats": stats}, ensure_ascii=False, default=str),
        })
    out = conform(pd.DataFrame(rows), CRAWL_HEALTH)
    context.add_output_metadata({"portals": len(out), "status": json.dumps(out["status"].value_counts().to_dict()),
                                 "portal_status": dg.MetadataValue.md(_status_table(out))})
    return out


def _status_table(health: pd.DataFrame, limit: int = 200) -> str:
    """Per-portal status at a glance for the UI: problems first, then by portal id."""
    cols = ["portal_id", "status", "documents", "documents_new", "errors", "crawled_at"]
    if health.empty:
        return "no portals crawled yet"
    view = health[cols].assign(_ok=(health["status"] == "ok")).sort_values(["_ok", "portal_id"]).drop(columns="_ok")
    more = f"\n\n... and {len(view) - limit} more portals" if len(view) > limit else ""
    return view.head(limit).astype(object).where(view.head(limit).notna(), "").to_markdown(index=False) + more


def _first(record: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = record.get(key)
        if isinstance(value, (int, float)):
            return value
        if isinstance(value, list):
            return len(value)
    return None

