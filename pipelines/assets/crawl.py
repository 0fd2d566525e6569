"""`raw_reports__crawl` [portal]: run `python -m spiders.run` out of process through Dagster Pipes.

Scrapy never runs inside the Dagster process (a Twisted reactor cannot restart). One run can
crawl one portal or, under a single-run backfill, many portals in one subprocess. The stored
value per portal is the manifest rows of that portal plus its health and the crawl stats,
which is all the downstream assets need (the bodies are in the content-addressed archive).
"""


import datetime as dt
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import dagster as dg

from pipelines.assets.registry import PORTALS, raw_portals__registry
from pipelines.io_managers import asset_path, read_value, stored_exists
from pipelines.resources import REPO_ROOT, CrawlSettingsResource, PathsResource, RegistryResource

CRAWL_ASSET = dg.AssetKey("raw_reports__crawl")
# single-run backfills are what we want (one Scrapy process for many portals); the flag is beta
warnings.filterwarnings("ignore", message=".*backfill_policy.*", category=dg.BetaWarning)
VOLUME_DROP_WARN = 0.5      # warn when a portal yields less than half the documents of its previous crawl
LOG_TAIL = 4000


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _per_portal(record: Any, portal_id: str) -> Any:
    """health/stats files may be keyed by portal id, a list of records or one record."""
    if isinstance(record, dict) and portal_id in record:
        return record[portal_id]
    if isinstance(record, dict) and isinstance(record.get("portals"), (dict, list)):
        return _per_portal(record["portals"], portal_id)
    if isinstance(record, list):
        return next((r for r in record if isinstance(r, dict) and r.get("portal_id") == portal_id), {})
    return record if isinstance(record, dict) else {}


def crawl_command(registry: str, portals: list[str], out_dir: Path, archive_dir: Path, politeness: bool) -> list[str]:
    """The spiders.run command line; output goes to `out_dir/crawl.log` (shown on failure)."""
    args = [sys.executable, "-m", "spiders.run", "--registry", registry, "--portals", ",".join(portals),
            "--out", str(out_dir), "--archive", str(archive_dir)]
    if not politeness:
        args.append("--no-politeness")
    log = out_dir / "crawl.log"
    # sh only redirects: Scrapy's log would otherwise flood the run output (and a PIPE could block)
    return ["/bin/sh", "-c", f'exec "$0" "$@" >>"{log}" 2>&1', *args]


@dg.asset(
    group_name="raw",
    partitions_def=PORTALS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    deps=[raw_portals__registry],
    code_version="1",
    kinds={"scrapy"},
    pool="crawl",
    check_specs=[dg.AssetCheckSpec("crawl_volume", asset=CRAWL_ASSET,
                                   description="Documents per portal against the previous crawl; "
                                               "zero documents or a drop of more than half warns")],
)
def raw_reports__crawl(
    context: dg.AssetExecutionContext,
    paths: PathsResource,
    registry: RegistryResource,
    crawl_settings: CrawlSettingsResource,
    pipes_subprocess_client: dg.PipesSubprocessClient,
):
    """Crawl the partition's portal(s): manifest rows, health and stats per portal."""
    portals = list(context.partition_keys)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out_dir = paths.crawl_dir / f"{stamp}_{context.run.run_id[:8]}"
    out_dir.mkdir(parents=True, exist_ok=True)
    paths.archive_dir.mkdir(parents=True, exist_ok=True)
    previous = {}
    for pid in portals:
        stem = asset_path(paths, CRAWL_ASSET, pid)
        previous[pid] = len(read_value(stem).get("documents", [])) if stored_exists(stem) else None

    command = crawl_command(registry.path, portals, out_dir, paths.archive_dir, crawl_settings.politeness)
    context.log.info(f"crawling {len(portals)} portal(s) into {out_dir}")
    try:
        invocation = pipes_subprocess_client.run(
            context=context, command=command, cwd=str(REPO_ROOT),
            extras={"portals": portals, "out_dir": str(out_dir), "archive_dir": str(paths.archive_dir)},
            env={"SCRAPY_SETTINGS_MODULE": "spiders.settings"},
        )
    except dg.DagsterPipesExecutionError as exc:
        tail = (out_dir / "crawl.log").read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:] \
            if (out_dir / "crawl.log").exists() else "(no log)"
        raise dg.Failure(description=f"spiders.run failed: {exc}", metadata={"log_tail": dg.MetadataValue.md(
            f"```\n{tail}\n```"), "log": dg.MetadataValue.path(str(out_dir / "crawl.log"))}) from exc

    reported: dict[str, Any] = {}
    for result in invocation.get_results(implicit_materializations=False):
        if isinstance(result, dg.MaterializeResult) and result.metadata:
            reported.update({f"spider/{k}": v for k, v in result.metadata.items()})

    manifest = _read_jsonl(out_dir / "manifest.jsonl")
    health, stats = _read_json(out_dir / "health.json"), _read_json(out_dir / "stats.json")
    errors = _read_jsonl(out_dir / "errors.jsonl")
    value: dict[str, dict[str, Any]] = {}
    for pid in portals:
        docs = [row for row in manifest if row.get("portal_id") == pid]
        value[pid] = {
            "portal_id": pid, "crawl_dir": str(out_dir), "crawled_at": stamp, "run_id": context.run.run_id,
            "documents": docs, "health": _per_portal(health, pid), "run_stats": stats,
            "fetch_errors": [e for e in errors if e.get("portal_id") == pid],
            "previous_documents": previous[pid],
        }
    status_counts: dict[str, int] = {}
    for row in manifest:
        key = str(row.get("http_status"))
        status_counts[key] = status_counts.get(key, 0) + 1
    yield dg.Output(value, metadata={
        "portals": len(portals), "documents": len(manifest), "http_status": json.dumps(status_counts),
        "crawl_dir": dg.MetadataValue.path(str(out_dir)), **reported,
    })
    yield volume_check(value)


def volume_check(value: dict[str, dict[str, Any]]) -> dg.AssetCheckResult:
    """Zero documents, or fewer than half of the previous crawl's, warns (the portal may have moved)."""
    rows, bad = [], []
    for pid, v in value.items():
        now, before = len(v["documents"]), v.get("previous_documents")
        drop = before is not None and before > 0 and now < before * (1 - VOLUME_DROP_WARN)
        if now == 0 or drop:
            bad.append(pid)
        rows.append(f"| {pid} | {before if before is not None else '-'} | {now} | {'WARN' if pid in bad else 'ok'} |")
    table = "| portal | previous | now | status |\n|---|---|---|---|\n" + "\n".join(rows)
    return dg.AssetCheckResult(
        check_name="crawl_volume", asset_key=CRAWL_ASSET, passed=not bad, severity=dg.AssetCheckSeverity.WARN,
        metadata={"portals_flagged": len(bad), "flagged": ", ".join(bad) or "none",
                  "threshold_drop": VOLUME_DROP_WARN, "volumes": dg.MetadataValue.md(table)},
    )
