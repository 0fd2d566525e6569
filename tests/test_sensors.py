"""Sensors: registry -> portal partitions (add only, never delete); crawl success -> build."""

from __future__ import annotations

import dagster as dg
import yaml

from pipelines.resources import RegistryResource
from pipelines.sensors import build_after_crawl, portal_partitions_from_registry


def _portal(pid: str, urls: list[str]) -> dict:
    return {"id": pid, "agency": f"{pid} 人民政府", "region_code": "440100", "level": "prefecture",
            "platform": "generic", "start_urls": urls, "allowed_domains": ["127.0.0.1"], "verified": False}


def _write(path, portals):
    path.write_text(yaml.safe_dump({"portals": portals}, allow_unicode=True), encoding="utf-8")


def _tick(instance, registry_path):
    with dg.build_sensor_context(instance=instance,
                                 resources={"registry": RegistryResource(path=str(registry_path))}) as ctx:
        result = portal_partitions_from_registry(ctx)
    if isinstance(result, dg.SensorResult):
        for req in result.dynamic_partitions_requests or []:
            instance.add_dynamic_partitions(req.partitions_def_name, list(req.partition_keys))
    return result


def test_registry_growth_adds_partitions_and_never_deletes(tmp_path):
    reg = tmp_path / "portals.yaml"
    _write(reg, [_portal("a", ["http://127.0.0.1/a/"]), _portal("b", ["http://127.0.0.1/b/"]),
                 _portal("no_url", [])])
    with dg.instance_for_test() as instance:
        first = _tick(instance, reg)
        assert isinstance(first, dg.SensorResult)
        [req] = first.dynamic_partitions_requests
        assert req.partitions_def_name == "portal" and list(req.partition_keys) == ["a", "b"]
        assert not first.run_requests  # new portals wait for the next scheduled crawl

        again = _tick(instance, reg)
        assert isinstance(again, dg.SkipReason) and "all 2 crawlable portals" in again.skip_message

        _write(reg, [_portal("b", ["http://127.0.0.1/b/"]), _portal("c", ["http://127.0.0.1/c/"])])
        grown = _tick(instance, reg)
        assert list(grown.dynamic_partitions_requests[0].partition_keys) == ["c"]
        assert instance.get_dynamic_partitions("portal") == ["a", "b", "c"]  # "a" left the registry, kept

        reg.write_text("portals: [ {id: broken", encoding="utf-8")
        broken = _tick(instance, reg)
        assert isinstance(broken, dg.SkipReason) and "unreadable" in broken.skip_message
        assert instance.get_dynamic_partitions("portal") == ["a", "b", "c"]


def test_build_is_requested_after_a_successful_crawl():
    @dg.op
    def noop():
        return None

    @dg.job(name="crawl_all_portals")
    def fake_crawl():
        noop()

    with dg.instance_for_test() as instance:
        result = fake_crawl.execute_in_process(instance=instance, tags={"ogi/schedule": "crawl_weekly_off_season"})
        event = next(e for e in result.all_events if e.event_type_value == "PIPELINE_SUCCESS")
        ctx = dg.build_run_status_sensor_context(sensor_name="build_after_crawl", dagster_event=event,
                                                 dagster_instance=instance, dagster_run=result.dagster_run)
        request = build_after_crawl(ctx)
    assert request.run_key == f"build-after-{result.run_id}"
    assert request.tags["ogi/schedule"] == "crawl_weekly_off_season"
    assert build_after_crawl.job_name == "build_release"
