"""When the pipeline runs: nightly in the reporting season, weekly otherwise (Asia/Shanghai).

Departments publish their reports by 31 January and governments by 31 March (2019 条例
art. 49), with late and corrected reports trickling in all year (shared/domain/PORTALS.md §7).
So the crawl runs every night from 1 January to 30 April and once a week from May to
December. A scheduled crawl is one run over every `portal` partition (the crawl asset has a
single-run backfill policy, so it is one subprocess, not thousands of runs); when it
succeeds, `pipelines.sensors.build_after_crawl` launches the build job (every other asset,
publish included), because partitioned and unpartitioned assets cannot share one run.

Schedules and sensors start RUNNING by default so that `make dev` (webserver + daemon)
actually crawls on time; `OGI_AUTOMATION=off` starts them stopped (tests, a laptop).
"""

from __future__ import annotations

import os

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipelines.assets.crawl import CRAWL_ASSET
from pipelines.assets.registry import PORTALS

TIMEZONE = "Asia/Shanghai"
NIGHTLY_CRON = "30 1 * 1-4 *"      # 01:30 every night, January-April
WEEKLY_CRON = "30 1 * 5-12 0"      # 01:30 on Sundays, May-December
CRAWL_TAG = "ogi/crawl"            # dagster.yaml limits runs with this tag to one at a time


def automation_on() -> bool:
    return os.environ.get("OGI_AUTOMATION", "on").strip().lower() not in ("off", "0", "false", "no")


def default_schedule_status() -> dg.DefaultScheduleStatus:
    return dg.DefaultScheduleStatus.RUNNING if automation_on() else dg.DefaultScheduleStatus.STOPPED


# One crawl run over all portal partitions, and the build of everything else.
crawl_job = dg.define_asset_job(
    "crawl_all_portals",
    selection=dg.AssetSelection.assets(CRAWL_ASSET),
    description="Crawl every portal partition in one run (the crawl asset's single-run backfill policy).",
    tags={CRAWL_TAG: "all"},
)
build_job = dg.define_asset_job(
    "build_release",
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(CRAWL_ASSET),
    description="Parse, deduplicate, validate and publish from the stored crawls (every unpartitioned asset).",
)


def crawl_request(context: dg.ScheduleEvaluationContext, schedule: str) -> dg.RunRequest | dg.SkipReason:
    """A run over the whole range of `portal` partitions, keyed by the scheduled date."""
    keys = context.instance.get_dynamic_partitions(PORTALS.name)
    if not keys:
        return dg.SkipReason("no portal partitions yet: the registry sensor or the registry asset adds them")
    when = context.scheduled_execution_time
    return dg.RunRequest(
        run_key=f"{schedule}:{when:%Y-%m-%d}" if when else None,
        tags={ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1],
              "ogi/schedule": schedule, "ogi/portals": str(len(keys))},
    )


def _crawl_schedule(name: str, cron: str, description: str) -> dg.ScheduleDefinition:
    def evaluate(context: dg.ScheduleEvaluationContext):
        return crawl_request(context, name)

    return dg.ScheduleDefinition(
        name=name, cron_schedule=cron, execution_timezone=TIMEZONE, job=crawl_job,
        execution_fn=evaluate, description=description, default_status=default_schedule_status(),
    )


crawl_nightly_reporting_season = _crawl_schedule(
    "crawl_nightly_reporting_season", NIGHTLY_CRON,
    "Every night 01:30 Asia/Shanghai, January-April: departments publish by 31 Jan, governments by 31 Mar.")
crawl_weekly_off_season = _crawl_schedule(
    "crawl_weekly_off_season", WEEKLY_CRON,
    "Sundays 01:30 Asia/Shanghai, May-December: late, corrected and re-posted reports.")

SCHEDULES = [crawl_nightly_reporting_season, crawl_weekly_off_season]
JOBS = [crawl_job, build_job]
