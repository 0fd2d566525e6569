"""`core_reports__parsed` and `core_reports__observations`: extraction, once per distinct document.

Parsing is incremental: the asset reads its own previous output and reuses every row whose
(sha256, extraction version) matches, so a nightly build parses only new or changed bytes;
a change anywhere in `transforms/` changes the extraction version (and the asset's
`code_version`, so the UI marks it stale) and everything is parsed again.
"""


import json
import time
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from pipelines import parallel
from pipelines.io_managers import asset_path, read_value, stored_exists
from pipelines.provenance import extraction_version
from pipelines.resources import ParseSettingsResource, PathsResource
from transforms import multipage
from transforms.dedup import minhash_signature
from transforms.dictionary import load_default
from transforms.model import OBSERVATION_FIELDS, REPORT_FIELDS, SourceDocument

PARSED_ASSET = dg.AssetKey("core_reports__parsed")
PARSED_COLUMNS = ["sha256", "part_sha256s", "extraction_version", "status", "reason", *REPORT_FIELDS.keys(), "flags",
                  "observation_count", "values_ok", "identity_breaks", "minhash", "observations_json",
                  "parse_seconds"]


def identity_ids() -> set[str]:
    return {i["id"] for i in load_default().identities}


def _identity_of(flag: str) -> str:
    return flag.split("@", 1)[0].split(":", 1)[0]


def parse_units(documents: pd.DataFrame) -> list[dict[str, Any]]:
    """What to extract: one unit per distinct body, a first page together with its continuation pages.

    A unit is keyed by the sha256 of its first (or only) document; `parts` are the
    continuation pages (role `page_part`, same portal and report URL), in page order.
    """
    usable = documents[documents["archive_path"].notna() & documents["sha256"].notna()]
    usable = usable.sort_values(["portal_id", "source_url"])
    is_part = usable["role"] == "page_part" if "role" in usable.columns else pd.Series(False, index=usable.index)
    parts_of: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for rec in usable[is_part].to_dict("records"):
        parts_of.setdefault((rec["portal_id"], rec.get("report_url") or ""), []).append(rec)
    units: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    claimed: set[tuple[str, str]] = set()
    for rec in usable[~is_part].to_dict("records"):
        key = (rec["portal_id"], rec.get("report_url") or "")
        parts = []
        if rec.get("role") == "detail" and key in parts_of:
            parts = sorted(parts_of[key], key=lambda r: multipage.part_order(r["source_url"]))
            claimed.add(key)
        unit_key = (rec["sha256"], tuple(p["sha256"] for p in parts))
        units.setdefault(unit_key, {"fetch": rec, "parts": parts})
    for key, parts in parts_of.items():
        if key not in claimed:      # continuation pages whose first page failed: extract them alone
            for rec in parts:
                units.setdefault((rec["sha256"], ()), {"fetch": rec, "parts": []})
    by_sha: dict[str, dict[str, Any]] = {}
    for (sha, _parts), unit in units.items():
        by_sha.setdefault(sha, unit)
    return list(by_sha.values())


def parse_unit(unit: dict[str, Any]) -> dict[str, Any]:
    """Run `transforms.extract` on one unit; never raises (a failure is a status)."""
    from transforms import extract  # imported here: the extraction engine is the heavy part

    fetch, parts = unit["fetch"], unit["parts"]
    started = time.perf_counter()
    ids = identity_ids()
    try:
        content = Path(fetch["archive_path"]).read_bytes()
        content_type = fetch.get("content_type") or ""
        if parts:
            pages = [(content, fetch.get("encoding"))] + [
                (Path(p["archive_path"]).read_bytes(), p.get("encoding")) for p in parts]
            content, content_type = multipage.join_pages(pages), "text/html; charset=utf-8"
        doc = SourceDocument(
            content=content, content_type=content_type,
            url=fetch.get("final_url") or fetch.get("source_url") or "", title=fetch.get("title") or "",
            landing_url=fetch.get("landing_page") or "", publish_date=fetch.get("publish_date") or "",
        )
        parsed = extract(doc)
        meta = {k: getattr(parsed.meta, k, None) for k in REPORT_FIELDS}
        observations = [o.to_dict() for o in parsed.observations]
        status, reason, flags = parsed.status, parsed.reason, list(parsed.flags)
        text = parsed.read.text if parsed.read is not None else ""
    except Exception as exc:
        meta = dict.fromkeys(REPORT_FIELDS)
        observations, status, reason, flags, text = [], "failed", f"{type(exc).__name__}: {exc}", [], ""
    values_ok = sum(
        1 for o in observations
        if o.get("indicator_code") and o.get("value") is not None and not any(_identity_of(f) in ids for f in o["flags"])
    )
    return {
        "sha256": fetch["sha256"], "part_sha256s": [p["sha256"] for p in parts],
        "status": status, "reason": reason, **meta, "flags": flags, "observation_count": len(observations),
        "values_ok": values_ok, "identity_breaks": sum(1 for f in flags if _identity_of(f) in ids),
        "minhash": minhash_signature(text), "observations_json": json.dumps(observations, ensure_ascii=False),
        "parse_seconds": round(time.perf_counter() - started, 3),
    }


def timed_out(unit: dict[str, Any], seconds: int) -> dict[str, Any]:
    """The row of a document whose extraction ran past the limit (the worker was killed)."""
    return {"sha256": unit["fetch"]["sha256"], "part_sha256s": [p["sha256"] for p in unit["parts"]],
            "status": "failed", "reason": f"extraction exceeded {seconds}s (worker stopped)",
            **dict.fromkeys(REPORT_FIELDS), "flags": [], "observation_count": 0, "values_ok": 0,
            "identity_breaks": 0, "minhash": None, "observations_json": "[]", "parse_seconds": float(seconds)}


@dg.asset(group_name="core", code_version=extraction_version(), kinds={"python"})
def core_reports__parsed(
    context: dg.AssetExecutionContext, paths: PathsResource, parse_settings: ParseSettingsResource,
    core_reports__documents: pd.DataFrame,
) -> pd.DataFrame:
    """One row per distinct document body (multi-page articles joined): status, metadata, flags, values."""
    version = extraction_version()
    previous: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    stem = asset_path(paths, PARSED_ASSET)
    if stored_exists(stem):
        old = read_value(stem)
        if isinstance(old, pd.DataFrame) and {"extraction_version", "part_sha256s"} <= set(old.columns):
            old = old[old["extraction_version"] == version]
            previous = {(r["sha256"], tuple(r["part_sha256s"])): r for r in old.to_dict("records")}

    units = parse_units(core_reports__documents)
    started = time.perf_counter()
    rows: list[dict[str, Any] | None] = [None] * len(units)
    todo = []
    for n, unit in enumerate(units):
        key = (unit["fetch"]["sha256"], tuple(p["sha256"] for p in unit["parts"]))
        if key in previous:
            rows[n] = previous[key]
        else:
            todo.append(n)
    reused = len(units) - len(todo)
    context.log.info(f"{len(units)} documents: {reused} reused from the previous build, {len(todo)} to parse")
    if parse_settings.workers <= 0:
        results = ((n, parse_unit(units[n])) for n in todo)
    else:
        results = ((todo[i], r) for i, r in parallel.map_with_timeout(
            parse_unit, [units[n] for n in todo], parse_settings.workers, parse_settings.timeout_seconds,
            on_timeout=lambda unit: timed_out(unit, parse_settings.timeout_seconds)))
    for done, (n, row) in enumerate(results, start=1):
        rows[n] = {"extraction_version": version, **row}
        if done % 25 == 0 or done == len(todo):
            context.log.info(f"parsed {done}/{len(todo)}")
    frame = pd.DataFrame(rows, columns=PARSED_COLUMNS)
    frame["part_sha256s"] = frame["part_sha256s"].map(list)
    statuses = frame["status"].value_counts().to_dict()
    context.add_output_metadata({
        "documents": len(frame), "parsed_now": len(frame) - reused, "reused": reused,
        "multi_page": int(frame["part_sha256s"].map(len).gt(0).sum()),
        "timed_out": int(frame["reason"].fillna("").str.contains("exceeded", regex=False).sum()),
        "workers": parse_settings.workers,
        "extraction_version": version, "status_counts": json.dumps(statuses),
        "annual_reports": int(frame["is_annual_report"].fillna(False).astype(bool).sum()),
        "seconds": round(time.perf_counter() - started, 1),
    })
    return frame


OBSERVATION_COLUMNS = ["sha256", "observation_seq", "indicator_row", "indicator_col", *OBSERVATION_FIELDS.keys()]


@dg.asset(group_name="core", code_version="1", kinds={"pandas"})
def core_reports__observations(
    context: dg.AssetExecutionContext, core_reports__parsed: pd.DataFrame
) -> pd.DataFrame:
    """All extracted values (long), one row per observation of every parsed document."""
    d = load_default()
    rows = []
    for sha, blob in zip(core_reports__parsed["sha256"], core_reports__parsed["observations_json"], strict=True):
        for seq, obs in enumerate(json.loads(blob or "[]")):
            ind = d.indicators.get(obs.get("indicator_code") or "")
            rows.append({"sha256": sha, "observation_seq": seq, "indicator_row": ind.row if ind else None,
                         "indicator_col": ind.col if ind else None, **{k: obs.get(k) for k in OBSERVATION_FIELDS}})
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    frame["flags"] = frame["flags"].map(lambda v: list(v) if isinstance(v, (list, tuple)) else [])
    mapped = frame["indicator_code"].notna()
    context.add_output_metadata({
        "observations": len(frame), "mapped": int(mapped.sum()), "unmapped": int((~mapped).sum()),
        "documents_with_values": int(frame["sha256"].nunique()),
    })
    return frame
