"""The Dagster code location: `defs` is what `dagster dev` and `dagster definitions validate` load.

`build_definitions` is the one function that assembles assets, checks, jobs, schedules,
sensors and resources; tests call it with their own resources (a temporary data root, the
loopback demo registry) instead of patching globals.

Automation and extra assets come from optional modules owned by the operations side; each
may expose `ASSETS`, `CHECKS`, `JOBS`, `SCHEDULES`, `SENSORS` lists and is skipped when absent.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import dagster as dg

from pipelines.assets.canonical import core_reports__canonical
from pipelines.assets.crawl import CRAWL_ASSET, raw_reports__crawl
from pipelines.assets.documents import core_reports__documents
from pipelines.assets.outputs import (
    out_reports__crawl_health,
    out_reports__documents,
    out_reports__indicators,
    out_reports__observations,
    out_reports__panel,
    out_reports__reports,
)
from pipelines.assets.parse import core_reports__observations, core_reports__parsed
from pipelines.assets.registry import raw_portals__registry
from pipelines.assets.release import out_reports__release
from pipelines.checks import all_checks
from pipelines.io_managers import OgiIOManager
from pipelines.resources import (
    CrawlSettingsResource,
    ParseSettingsResource,
    PathsResource,
    PublishSettingsResource,
    RegistryResource,
)

ASSETS = [
    raw_portals__registry, raw_reports__crawl, core_reports__documents, core_reports__parsed,
    core_reports__observations, core_reports__canonical, out_reports__reports, out_reports__observations,
    out_reports__panel, out_reports__documents, out_reports__indicators, out_reports__crawl_health,
    out_reports__release,
]

# Optional modules (OPS): schedules, sensors, coverage asset. Add new ones here.
OPTIONAL_MODULES = ("pipelines.schedules", "pipelines.sensors", "pipelines.assets.coverage", "pipelines.deployment")

# Used when no optional module defines jobs of the same name.
crawl_job = dg.define_asset_job(
    "crawl_all_portals", selection=dg.AssetSelection.assets(CRAWL_ASSET), tags={"ogi/crawl": "all"},
    description="Crawl portal partitions (a range of partitions runs as one subprocess).")
build_job = dg.define_asset_job(
    "build_release", selection=dg.AssetSelection.all() - dg.AssetSelection.assets(CRAWL_ASSET),
    description="Registry, parse, deduplicate, validate and publish from the stored crawls.")


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def default_resources() -> dict[str, Any]:
    paths = PathsResource()
    return {
        "paths": paths,
        "io_manager": OgiIOManager(paths=paths),
        "registry": RegistryResource(),
        "crawl_settings": CrawlSettingsResource(),
        "parse_settings": ParseSettingsResource(),
        "publish_settings": PublishSettingsResource(),
        "pipes_subprocess_client": dg.PipesSubprocessClient(),
    }


def build_definitions(resources: dict[str, Any] | None = None) -> dg.Definitions:
    """Assemble the code location; `resources` overrides the defaults by key.

    Overriding `paths` alone is enough to move every file: the IO manager follows it.
    """
    merged = default_resources()
    merged.update(resources or {})
    if resources and "paths" in resources and "io_manager" not in resources:
        merged["io_manager"] = OgiIOManager(paths=merged["paths"])
    assets: list[Any] = list(ASSETS)
    checks: list[Any] = list(all_checks())
    jobs: dict[str, Any] = {}
    schedules: list[Any] = []
    sensors: list[Any] = []
    for module in filter(None, map(_optional, OPTIONAL_MODULES)):
        assets += getattr(module, "ASSETS", [])
        checks += getattr(module, "CHECKS", [])
        jobs.update({job.name: job for job in getattr(module, "JOBS", [])})
        schedules += getattr(module, "SCHEDULES", [])
        sensors += getattr(module, "SENSORS", [])
    for job in (crawl_job, build_job):
        jobs.setdefault(job.name, job)
    executor = None
    deployment = _optional("pipelines.deployment")
    if deployment is not None and hasattr(deployment, "executor"):
        executor = deployment.executor()
    return dg.Definitions(assets=assets, asset_checks=checks, jobs=list(jobs.values()), schedules=schedules,
                          sensors=sensors, resources=merged, executor=executor)


defs = build_definitions()
