"""Run the whole graph in this process, one asset per run, printing progress (demo, tests, CLI).

The order is the graph's: the registry (adds the `portal` partitions), one crawl run over all
portal partitions (a partition range, one subprocess), then every other asset in
dependency order, each in its own run so the console shows progress asset by asset and
every step is an ordinary, separately re-runnable materialisation in the instance. A failed
step (including a failed blocking check) stops the build before anything is published.

    python -m pipelines.runner [--registry PATH] [--data-dir DIR] [--no-politeness]

is the production build against the real registry (the same graph `make dev` shows).
"""

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipelines.assets.crawl import CRAWL_ASSET
from pipelines.assets.registry import PORTALS

REGISTRY_ASSET = dg.AssetKey("raw_portals__registry")
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
_SHOWN_METADATA = ("rows", "documents", "reports", "observations", "portals", "fetches", "parsed_now", "reused",
                   "duplicates_resolved", "version", "files", "indicators")


_CHECK_DETAIL = ("flagged", "newest_year", "expected_at_least", "share", "threshold", "missing_columns",
                 "extra_columns", "duplicate_key_rows", "null_key_rows", "type_error", "errors", "mismatched")


class BuildFailed(RuntimeError):
    """A step failed; the message names it (nothing was published)."""


def build_order(defs: dg.Definitions) -> list[dg.AssetKey]:
    """Every asset after the crawl, upstream first (the asset graph's topological order)."""
    graph = defs.resolve_asset_graph()
    order = [key for level in graph.toposorted_asset_keys_by_level for key in sorted(level)]
    return [k for k in order if k not in (REGISTRY_ASSET, CRAWL_ASSET)]


def _describe(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> tuple[str, list[str]]:
    parts, checks = [], []
    for event in result.get_asset_materialization_events():
        mat = event.event_specific_data.materialization  # type: ignore[union-attr]
        if mat.asset_key != key:
            continue
        for name in _SHOWN_METADATA:
            if name in mat.metadata:
                parts.append(f"{name}={mat.metadata[name].value}")
    for event in result.get_asset_check_evaluations():
        status = "ok" if event.passed else ("WARN" if event.severity == dg.AssetCheckSeverity.WARN else "FAILED")
        detail = "" if event.passed else " (" + ", ".join(
            f"{k}={event.metadata[k].value}" for k in _CHECK_DETAIL if k in event.metadata) + ")"
        checks.append(f"check {event.check_name}: {status}{detail}")
    return " ".join(dict.fromkeys(parts)), checks


def _failure_message(result: dg.ExecuteInProcessResult) -> str:
    """The innermost error message of the failed step (the cause, not Dagster's wrapper)."""
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:
                error = error.cause
            if error is not None:
                return f"{error.cls_name}: {error.message.strip()}"
    checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    if checks:
        return "blocking check failed: " + ", ".join(f"{c.asset_key.to_user_string()}:{c.check_name}" for c in checks)
    return "run failed"


def run_build(defs: dg.Definitions, instance: dg.DagsterInstance, log: Callable[[str], Any] = print,
              crawl: bool = True, quiet: bool = True) -> dict[str, Any]:
    """Registry -> crawl (all portals) -> every other asset; returns the release summary."""
    job = defs.resolve_implicit_global_asset_job_def()
    steps: list[tuple[str, list[dg.AssetKey], dict[str, str]]] = [("registry", [REGISTRY_ASSET], {})]
    total = 2 + len(build_order(defs))
    started = time.perf_counter()
    release: dict[str, Any] = {}

    def run(n: int, keys: list[dg.AssetKey], tags: dict[str, str]) -> dg.ExecuteInProcessResult:
        label = ", ".join(k.to_user_string() for k in keys)
        t0 = time.perf_counter()
        log(f"[{n:>2}/{total}] {label} ...")
        result = job.execute_in_process(asset_selection=keys, instance=instance, tags=tags, raise_on_error=False,
                                        run_config=QUIET if quiet else None)
        if not result.success:
            raise BuildFailed(f"{label} failed: {_failure_message(result)}")
        info, checks = _describe(result, keys[0])
        log(f"        done in {time.perf_counter() - t0:.1f}s {info}")
        for line in checks:
            log(f"        {line}")
        return result

    run(1, *steps[0][1:])
    if crawl:
        portals = instance.get_dynamic_partitions(PORTALS.name)
        if not portals:
            raise BuildFailed("the registry has no crawlable portal")
        run(2, [CRAWL_ASSET], {ASSET_PARTITION_RANGE_START_TAG: portals[0],
                               ASSET_PARTITION_RANGE_END_TAG: portals[-1], "ogi/crawl": "all"})
    for n, key in enumerate(build_order(defs), start=3):
        result = run(n, [key], {})
        if key.to_user_string() == "out_reports__release":
            release = result.output_for_node(key.to_python_identifier())
    log(f"build finished in {time.perf_counter() - started:.0f}s")
    return release


def main(argv: list[str] | None = None) -> int:
    from pipelines.definitions import build_definitions
    from pipelines.resources import CrawlSettingsResource, PathsResource, RegistryResource

    ap = argparse.ArgumentParser(prog="python -m pipelines.runner", description=__doc__.split("\n\n")[0])
    ap.add_argument("--registry", help="portal registry YAML (default: OGI_REGISTRY or data/portals.yaml)")
    ap.add_argument("--data-dir", help="data root (default: OGI_DATA_DIR or data/)")
    ap.add_argument("--no-politeness", action="store_true", help="loopback test sites only")
    ap.add_argument("--skip-crawl", action="store_true", help="rebuild from the stored crawls")
    args = ap.parse_args(argv)
    resources: dict[str, Any] = {}
    if args.data_dir:
        resources["paths"] = PathsResource(data_dir=args.data_dir)
    if args.registry:
        resources["registry"] = RegistryResource(path=args.registry)
    if args.no_politeness:
        resources["crawl_settings"] = CrawlSettingsResource(politeness=False)
    defs = build_definitions(resources)
    try:
        summary = run_build(defs, dg.DagsterInstance.get(), crawl=not args.skip_crawl)
    except BuildFailed as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(f"published {summary.get('version')} at {summary.get('path')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
