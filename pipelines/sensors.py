"""Sensors: keep the `portal` partitions in step with the registry; build after each crawl.

- `portal_partitions_from_registry` polls the registry file every 5 minutes and adds a
  partition for every crawlable portal (one with a report-column URL) that has none. It never
  deletes partitions: a portal dropped from the registry keeps its crawl history; the
  sensor's log names such portals so an operator can delete them in the UI on purpose. New
  portals are crawled by the next scheduled crawl (or at once: materialize their partition).
- `build_after_crawl` launches `build_release` when a `crawl_all_portals` run succeeds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg
import yaml

from pipelines.assets.registry import PORTALS
from pipelines.resources import RegistryResource
from pipelines.schedules import automation_on, build_job, crawl_job
from spiders.registry import RegistryError, load_registry


def default_sensor_status() -> dg.DefaultSensorStatus:
    return dg.DefaultSensorStatus.RUNNING if automation_on() else dg.DefaultSensorStatus.STOPPED


def crawlable_portal_ids(registry_path: str | Path) -> list[str]:
    """Registry portals with at least one start URL, in registry order (same rule as the registry asset)."""
    return [p.id for p in load_registry(registry_path) if p.start_urls]


@dg.sensor(
    name="portal_partitions_from_registry",
    minimum_interval_seconds=300,
    description="Adds a `portal` partition for every crawlable registry portal that has none (never deletes).",
    default_status=default_sensor_status(),
)
def portal_partitions_from_registry(context: dg.SensorEvaluationContext, registry: RegistryResource):
    path = Path(registry.path)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        wanted = crawlable_portal_ids(path)
    except (OSError, RegistryError, yaml.YAMLError) as exc:
        # a broken registry must not remove anything; say why and try again next tick
        return dg.SkipReason(f"registry {path} unreadable: {exc}")
    existing = set(context.instance.get_dynamic_partitions(PORTALS.name))
    new = [pid for pid in wanted if pid not in existing]
    gone = sorted(existing - set(wanted))
    if gone:
        context.log.info(f"partitions not (or no longer) crawlable in the registry, kept: {', '.join(gone)}")
    if not new:
        context.update_cursor(digest)
        return dg.SkipReason(f"registry {digest}: all {len(wanted)} crawlable portals have partitions")
    context.log.info(f"adding {len(new)} portal partition(s): {', '.join(new[:20])}{' ...' if len(new) > 20 else ''}")
    return dg.SensorResult(dynamic_partitions_requests=[PORTALS.build_add_request(new)], cursor=digest)


@dg.run_status_sensor(
    name="build_after_crawl",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[crawl_job],
    request_job=build_job,
    description="After a successful crawl of all portals, rebuild and publish from the stored crawls.",
    default_status=default_sensor_status(),
)
def build_after_crawl(context: dg.RunStatusSensorContext):
    run = context.dagster_run
    return dg.RunRequest(run_key=f"build-after-{run.run_id}",
                         tags={"ogi/after_crawl_run": run.run_id,
                               "ogi/schedule": run.tags.get("ogi/schedule", "manual")})


SENSORS = [portal_partitions_from_registry, build_after_crawl]
