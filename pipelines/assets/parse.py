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

from pipelines.dedup import minhash_signature
from pipelines.io_managers import asset_path, read_value, stored_exists
from pipelines.provenance import extraction_version
from pipelines.resources import PathsResource
from transforms.dictionary import load_default
from transforms.model import OBSERVATION_FIELDS, REPORT_FIELDS, SourceDocument

PARSED_ASSET = dg.AssetKey("core_reports__parsed")
PARSED_COLUMNS = ["sha256", "extraction_version", "status", "reason", *REPORT_FIELDS.keys(), "flags",
                  "observation_count", "values_ok", "identity_breaks", "minhash", "observations_json",
                  "parse_seconds"]


def identity_ids() -> set[str]:
    return {i["id"] for i in load_default().identities}


def _identity_of(flag: str) -> str:
    return flag.split("@", 1)[0].split(":", 1)[0]


def parse_document(path: str, fetch: dict[str, Any]) -> dict[str, Any]:
    """Run `transforms.extract` on one archived body; never raises (a failure is a status)."""
    from transforms import extract  # imported here: the extraction engine is the heavy part

    started = time.perf_counter()
    ids = identity_ids()
    try:
        content = Path(path).read_bytes()
        doc = SourceDocument(
            content=content, content_type=fetch.get("content_type") or "",
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
        "status": status, "reason": reason, **meta, "flags": flags, "observation_count": len(observations),
        "values_ok": values_ok, "identity_breaks": sum(1 for f in flags if _identity_of(f) in ids),
        "minhash": minhash_signature(text), "observations_json": json.dumps(observations, ensure_ascii=False),
        "parse_seconds": round(time.perf_counter() - started, 3),
    }


@dg.asset(group_name="core", code_version=extraction_version(), kinds={"python"})
def core_reports__parsed(
    context: dg.AssetExecutionContext, paths: PathsResource, core_reports__documents: pd.DataFrame
) -> pd.DataFrame:
    """One row per distinct document body: extraction status, report metadata, flags, values."""
    version = extraction_version()
    previous: dict[str, dict[str, Any]] = {}
    stem = asset_path(paths, PARSED_ASSET)
    if stored_exists(stem):
        old = read_value(stem)
        if isinstance(old, pd.DataFrame) and "extraction_version" in old.columns:
            old = old[old["extraction_version"] == version]
            previous = {r["sha256"]: r for r in old.to_dict("records")}

    usable = core_reports__documents[core_reports__documents["archive_path"].notna()]
    first_fetch = usable.sort_values(["portal_id", "source_url"]).drop_duplicates("sha256")
    rows, reused, started = [], 0, time.perf_counter()
    total = len(first_fetch)
    for n, fetch in enumerate(first_fetch.to_dict("records"), start=1):
        sha = fetch["sha256"]
        if sha in previous:
            row = previous[sha]
            reused += 1
        else:
            row = {"sha256": sha, "extraction_version": version, **parse_document(fetch["archive_path"], fetch)}
        rows.append(row)
        if n % 25 == 0 or n == total:
            context.log.info(f"parsed {n}/{total} documents ({reused} reused from the previous build)")
    frame = pd.DataFrame(rows, columns=PARSED_COLUMNS)
    statuses = frame["status"].value_counts().to_dict()
    context.add_output_metadata({
        "documents": len(frame), "parsed_now": len(frame) - reused, "reused": reused,
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
