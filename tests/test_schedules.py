"""Schedules: nightly January-April and weekly May-December in Asia/Shanghai; one crawl run
over every portal partition; the build job resolves next to the real assets."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG
from dagster._utils.schedules import cron_string_iterator

from pipelines import schedules

SH = ZoneInfo("Asia/Shanghai")


def _fires(schedule: dg.ScheduleDefinition, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    out = []
    for tick in cron_string_iterator(start.timestamp(), schedule.cron_schedule, schedule.execution_timezone):
        if tick >= end:
            break
        out.append(tick)
    return out


def test_reporting_season_nightly_then_weekly():
    start, end = dt.datetime(2027, 1, 1, tzinfo=SH), dt.datetime(2028, 1, 1, tzinfo=SH)
    nightly = _fires(schedules.crawl_nightly_reporting_season, start, end)
    weekly = _fires(schedules.crawl_weekly_off_season, start, end)
    assert {t.date() for t in nightly} == {dt.date(2027, 1, 1) + dt.timedelta(d) for d in range(120)}  # Jan 1-Apr 30
    assert all(t.hour == 1 and t.minute == 30 and t.tzinfo is not None for t in nightly + weekly)
    assert {t.month for t in weekly} == set(range(5, 13)) and all(t.weekday() == 6 for t in weekly)
    assert len(weekly) == 35  # Sundays from May to December 2027
    # deadline nights are covered in Shanghai time, not UTC
    assert dt.date(2027, 1, 31) in {t.date() for t in nightly} and dt.date(2027, 3, 31) in {t.date() for t in nightly}
    assert schedules.crawl_nightly_reporting_season.execution_timezone == "Asia/Shanghai"


def test_schedule_requests_one_run_over_all_portal_partitions():
    with dg.instance_for_test() as instance:
        when = dt.datetime(2027, 1, 31, 1, 30, tzinfo=SH)
        ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=when)
        skipped = schedules.crawl_nightly_reporting_season.evaluate_tick(ctx)
        assert not skipped.run_requests and "no portal partitions" in skipped.skip_message
        instance.add_dynamic_partitions("portal", ["gd_gz", "zj_hz", "bj_fgw"])
        ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=when)
        [request] = schedules.crawl_nightly_reporting_season.evaluate_tick(ctx).run_requests
    assert request.tags[ASSET_PARTITION_RANGE_START_TAG] == "gd_gz"
    assert request.tags[ASSET_PARTITION_RANGE_END_TAG] == "bj_fgw"
    assert request.run_key == "crawl_nightly_reporting_season:2027-01-31"
    assert request.tags["ogi/portals"] == "3"


def test_automation_switch(monkeypatch):
    monkeypatch.setenv("OGI_AUTOMATION", "off")
    assert schedules.default_schedule_status() == dg.DefaultScheduleStatus.STOPPED
    monkeypatch.delenv("OGI_AUTOMATION")
    assert schedules.default_schedule_status() == dg.DefaultScheduleStatus.RUNNING


@pytest.fixture(scope="module")
def defs():
    from pipelines.definitions import build_definitions

    # a fresh instance in scope: an earlier test's instance_for_test() may linger in Dagster's load context
    with dg.instance_for_test():
        defs = build_definitions()
        defs.get_repository_def()
        yield defs


def test_definitions_register_schedules_sensors_and_jobs(defs):
    from pipelines.sensors import SENSORS

    repo = defs.get_repository_def()
    assert {s.name for s in schedules.SCHEDULES} <= {s.name for s in repo.schedule_defs}
    assert {s.name for s in SENSORS} <= {s.name for s in repo.sensor_defs}
    crawl = defs.resolve_job_def("crawl_all_portals")
    build = defs.resolve_job_def("build_release")
    crawl_keys = {k.to_user_string() for k in crawl.asset_layer.executable_asset_keys}
    build_keys = {k.to_user_string() for k in build.asset_layer.executable_asset_keys}
    assert crawl_keys == {"raw_reports__crawl"}
    assert "raw_reports__crawl" not in build_keys and "core_reports__documents" in build_keys
    assert crawl.tags[schedules.CRAWL_TAG] == "all"
