"""The maintainer's daily tool: re-materialise ONE asset from the UI's GraphQL API.

Starts `dagster-webserver` and `dagster-daemon` on 127.0.0.1 (free port, DAGSTER_HOME and
the data root in tmp_path), launches one asset through GraphQL, checks that the run
materialised that asset and nothing else and that its stored output was rewritten, then
opens the asset's page in headless chromium and saves a screenshot to tests/artifacts/.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_TIMEOUT = 120
RUN_TIMEOUT = 120

WORKSPACE_QUERY = """
{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
    locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
DAEMON_QUERY = "{ instance { daemonHealth { allDaemonStatuses { daemonType healthy required } } } }"
ASSET_QUERY = """query ($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { ... on AssetNode {
    description assetMaterializations(limit: 1) { runId metadataEntries { label __typename
      ... on PathMetadataEntry { path } ... on IntMetadataEntry { intValue }
      ... on TextMetadataEntry { text } ... on MarkdownMetadataEntry { mdStr } } } } } }"""
# The mutation the UI's "Materialize" button sends (pipelines/OPERATING.md shows it with curl).
LAUNCH_MUTATION = """mutation Launch($params: ExecutionParams!) { launchRun(executionParams: $params) {
    __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message }
    ... on InvalidSubsetError { message } ... on RunConfigValidationInvalid { errors { message } } } }"""
RUN_QUERY = """query ($id: ID!) { runOrError(runId: $id) { __typename ... on Run {
    status jobName assetSelection { path } stepKeysToExecute } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DagsterStack:
    """webserver + daemon as child processes of the test, in their own process groups."""

    def __init__(self, home: Path, env: dict[str, str], workspace_args: list[str]):
        self.home, self.env, self.args = home, env, workspace_args
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen] = []

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = (self.home / f"{name}.log").open("wb")
        self.procs.append(subprocess.Popen(argv, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                           start_new_session=True))

    def start(self) -> DagsterStack:
        self._spawn("webserver", [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(self.port),
                                  *self.args])
        self._wait(self._location_loaded, "code location loaded")
        self._spawn("daemon", [str(BIN / "dagster-daemon"), "run", *self.args])
        return self

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.home.glob("*.log")))

    def _wait(self, probe, what: str, timeout: float = STARTUP_TIMEOUT):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            for proc in self.procs:
                if proc.poll() is not None:
                    raise AssertionError(f"{proc.args[0]} exited with {proc.returncode}\n{self.logs()}")
            try:
                last = probe()
                if last:
                    return last
            except requests.RequestException as exc:
                last = exc
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {what}: {last}\n{self.logs()}")

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        resp = requests.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30)
        resp.raise_for_status()
        body = resp.json()
        assert "errors" not in body, body
        return body["data"]

    def _location_loaded(self):
        entries = self.graphql(WORKSPACE_QUERY)["workspaceOrError"]["locationEntries"]
        for entry in entries:
            if entry["loadStatus"] == "LOADED":
                err = entry["locationOrLoadError"]
                if err["__typename"] == "PythonError":
                    raise AssertionError(f"code location failed to load: {err['message']}")
                return entry["name"]
        return None

    def daemon_healthy(self) -> bool:
        statuses = self.graphql(DAEMON_QUERY)["instance"]["daemonHealth"]["allDaemonStatuses"]
        return all(s["healthy"] for s in statuses if s["required"])

    def wait_for_run(self, run_id: str) -> dict:
        def finished():
            run = self.graphql(RUN_QUERY, {"id": run_id})["runOrError"]
            return run if run["status"] in ("SUCCESS", "FAILURE", "CANCELED") else None

        return self._wait(finished, f"run {run_id}", RUN_TIMEOUT)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


ASSET = "out_reports__indicators"   # no upstream: cheap, and its stored file is easy to check


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    from pipelines.deployment import init_local_storage, write_instance_yaml

    root = tmp_path_factory.mktemp("ui")
    home = root / "dagster_home"
    write_instance_yaml(home, "local")
    init_local_storage(home)  # as `make instance` does: the two processes must not race to create SQLite tables
    env = dict(os.environ, DAGSTER_HOME=str(home), OGI_DATA_DIR=str(root / "data"), OGI_AUTOMATION="off",
               OGI_DEPLOYMENT="local", PYTHONUNBUFFERED="1")
    env.pop("OGI_PUBLISH_URL", None)
    running = DagsterStack(home, env, workspace_args=[])  # pyproject.toml [tool.dagster], as `make dev`
    try:
        running.start()
        yield running, root / "data"
    finally:
        running.stop()


def _stored_file(data_dir: Path) -> Path:
    from dagster import AssetKey

    from pipelines.io_managers import asset_path
    from pipelines.resources import PathsResource

    return asset_path(PathsResource(data_dir=str(data_dir)), AssetKey(ASSET)).with_suffix(".parquet")


def test_webserver_binds_loopback_and_daemon_is_healthy(stack):
    running, _ = stack
    assert running.url.startswith("http://127.0.0.1:")
    assert requests.get(f"{running.url}/server_info", timeout=10).status_code == 200
    running._wait(running.daemon_healthy, "daemon heartbeat", timeout=90)


def test_rematerialise_one_asset_through_graphql(stack):
    import pandas as pd
    from dagster import DagsterEventType, DagsterInstance, EventRecordsFilter

    running, data_dir = stack
    stored = _stored_file(data_dir)
    stored.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"indicator_code": ["stale"]}).to_parquet(stored)   # an old output to be rewritten
    os.utime(stored, (1_000_000_000, 1_000_000_000))
    before = set(data_dir.rglob("*"))

    location = running._location_loaded()
    params = {"selector": {"repositoryLocationName": location, "repositoryName": "__repository__",
                           "jobName": "__ASSET_JOB", "assetSelection": [{"path": [ASSET]}]},
              "executionMetadata": {"tags": [{"key": "ogi/test", "value": "ui"}]}}
    launched = running.graphql(LAUNCH_MUTATION, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    run = running.wait_for_run(run_id)
    assert run["status"] == "SUCCESS", running.logs()
    assert run["assetSelection"] == [{"path": [ASSET]}]
    # the asset's step, plus only its own asset checks (as the UI's "Materialize" does)
    assert ASSET in run["stepKeysToExecute"] and all(k.startswith(ASSET) for k in run["stepKeysToExecute"])

    with DagsterInstance.from_config(str(running.home)) as instance:
        records = instance.get_event_records(
            EventRecordsFilter(event_type=DagsterEventType.ASSET_MATERIALIZATION), limit=100)
        materialised = {r.event_log_entry.dagster_event.asset_key.to_user_string()
                        for r in records if r.run_id == run_id}
        planned_steps = {r.event_log_entry.dagster_event.step_key for r in instance.get_records_for_run(
            run_id, of_type=DagsterEventType.STEP_START).records}
    assert materialised == {ASSET}
    assert planned_steps == set(run["stepKeysToExecute"])

    rewritten = pd.read_parquet(stored)
    assert stored.stat().st_mtime > 1_000_000_000 + 10
    assert "stale" not in set(rewritten["indicator_code"]) and len(rewritten) > 50
    created = {p for p in set(data_dir.rglob("*")) - before if p.is_file()}
    assert created <= {stored}, f"other assets wrote files: {created - {stored}}"

    # what the asset page shows: description, rows, path, sha256 and a Markdown preview
    node = running.graphql(ASSET_QUERY, {"key": {"path": [ASSET]}})["assetNodeOrError"]
    assert node["description"]
    meta = {e["label"]: e for e in node["assetMaterializations"][0]["metadataEntries"]}
    assert meta["path"]["path"] == str(stored) and meta["rows"]["intValue"] == len(rewritten)
    assert meta["sha256"]["text"] == hashlib.sha256(stored.read_bytes()).hexdigest()
    assert "| indicator_code" in meta["preview"]["mdStr"]


def test_every_asset_has_a_description(stack):
    running, _ = stack
    nodes = running.graphql("{ assetNodes { assetKey { path } description } }")["assetNodes"]
    assert len(nodes) >= 10
    assert [n["assetKey"]["path"] for n in nodes if not (n["description"] or "").strip()] == []


@pytest.mark.browser
def test_asset_page_in_chromium(stack):
    if not CHROMIUM:
        pytest.skip("Debian chromium is not installed (.ci/system-deps.sh installs it as root)")
    from playwright.sync_api import sync_playwright

    running, _ = stack
    location = running._location_loaded()
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{running.url}/assets/{ASSET}", timeout=60_000)
            page.get_by_text("The indicator dictionary as a table").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle", timeout=30_000)
            shots["asset"] = ARTIFACTS / f"ui_asset_{ASSET}.png"
            page.screenshot(path=str(shots["asset"]), full_page=True)
            page.goto(f"{running.url}/locations/{location}/schedules/crawl_nightly_reporting_season",
                      timeout=60_000)
            page.get_by_text("Asia/Shanghai").first.wait_for(timeout=60_000)
            page.wait_for_load_state("networkidle", timeout=30_000)
            shots["schedule"] = ARTIFACTS / "ui_schedule_crawl_nightly_reporting_season.png"
            page.screenshot(path=str(shots["schedule"]), full_page=True)
        finally:
            browser.close()
    for path in shots.values():
        assert path.stat().st_size > 20_000, path


@pytest.mark.browser
def test_coverage_plot_in_the_ui(stack):
    """Materialise the coverage asset from stored upstream tables, then look at its plot."""
    if not CHROMIUM:
        pytest.skip("Debian chromium is not installed (.ci/system-deps.sh installs it as root)")
    from dagster import AssetKey
    from playwright.sync_api import sync_playwright
    from test_release_page import _observations, _reports

    from pipelines.io_managers import asset_path, write_value
    from pipelines.resources import PathsResource

    running, data_dir = stack
    paths = PathsResource(data_dir=str(data_dir))
    reports = _reports()
    write_value(asset_path(paths, AssetKey("out_reports__reports")), reports)
    write_value(asset_path(paths, AssetKey("out_reports__observations")),
                _observations(reports).merge(reports[["report_id", "report_year"]], on="report_id"))
    params = {"selector": {"repositoryLocationName": running._location_loaded(), "repositoryName": "__repository__",
                           "jobName": "__ASSET_JOB", "assetSelection": [{"path": ["out_reports__coverage"]}]}}
    launched = running.graphql(LAUNCH_MUTATION, {"params": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    assert running.wait_for_run(launched["run"]["runId"])["status"] == "SUCCESS", running.logs()

    shot = ARTIFACTS / "ui_asset_out_reports__coverage_plot.png"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{running.url}/assets/out_reports__coverage", timeout=60_000)
            row = page.locator("tr", has_text="coverage_plot").first
            row.wait_for(timeout=60_000)
            row.get_by_text("Show Markdown").click()
            image = page.locator("img[src^='data:image/png']").first
            image.wait_for(timeout=30_000)
            assert image.evaluate("img => img.complete && img.naturalWidth > 200")
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert shot.stat().st_size > 20_000


DRY_RUN = """mutation DryRun($selector: ScheduleSelector!, $ts: Float) {
  scheduleDryRun(selectorData: $selector, timestamp: $ts) { __typename
    ... on DryRunInstigationTick { evaluationResult { skipReason error { message }
        runRequests { runKey jobName tags { key value } } } }
    ... on PythonError { message } } }"""


def test_schedule_tick_in_the_code_server(stack):
    """The schedule, evaluated by the running code server ("Preview tick result" in the UI)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from dagster import DagsterInstance

    running, _ = stack
    selector = {"repositoryLocationName": running._location_loaded(), "repositoryName": "__repository__",
                "scheduleName": "crawl_nightly_reporting_season"}
    ts = dt.datetime(2027, 1, 30, 12, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    with DagsterInstance.from_config(str(running.home)) as instance:
        instance.add_dynamic_partitions("portal", ["gd_gz_gov", "zj_hz_gov"])
    result = running.graphql(DRY_RUN, {"selector": selector, "ts": ts})["scheduleDryRun"]
    evaluation = result["evaluationResult"]
    assert evaluation["error"] is None, evaluation
    [request] = evaluation["runRequests"]
    tags = {t["key"]: t["value"] for t in request["tags"]}
    assert request["runKey"] == "crawl_nightly_reporting_season:2027-01-31"  # the next 01:30 in Shanghai
    assert tags["dagster/asset_partition_range_start"] == "gd_gz_gov"
    assert tags["dagster/asset_partition_range_end"] == "zj_hz_gov"
