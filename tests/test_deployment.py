"""The deployment switch: OGI_DEPLOYMENT selects the instance yaml, OGI_PUBLISH_URL the publish target.

Postgres, Kubernetes and Celery are not running here: the tests check that the switch
renders the right configuration and that Dagster's own instance schema accepts it.
"""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config

from pipelines import deployment


def _validated(tmp_path, name):
    path = deployment.write_instance_yaml(tmp_path / name, name)
    config, _ = dagster_instance_config(str(path.parent))  # raises on a schema error
    return yaml.safe_load(path.read_text()), config


def test_default_is_local_and_unknown_names_fail():
    assert deployment.current_deployment({}) == "local"
    assert deployment.current_deployment({"OGI_DEPLOYMENT": "k8s"}) == "k8s"
    with pytest.raises(ValueError, match="expected one of"):
        deployment.current_deployment({"OGI_DEPLOYMENT": "kubernetes"})


def test_local_instance_is_the_repository_yaml_and_loads(tmp_path):
    from dagster import DagsterInstance
    from dagster._core.launcher import DefaultRunLauncher

    raw, _ = _validated(tmp_path, "local")
    assert "storage" not in raw and "run_launcher" not in raw
    assert raw["run_queue"]["max_concurrent_runs"] == 2
    with DagsterInstance.from_config(str(tmp_path / "local")) as instance:
        assert isinstance(instance.run_launcher, DefaultRunLauncher)
        assert type(instance.run_storage).__name__.startswith("Sqlite")


@pytest.mark.parametrize("name", ["postgres", "k8s", "celery"])
def test_shared_deployments_use_postgres_storage_from_env(tmp_path, name):
    raw, config = _validated(tmp_path, name)
    pg = config["storage"]["postgres"]["postgres_db"]
    assert pg["hostname"] == {"env": "DAGSTER_PG_HOST"} and pg["password"] == {"env": "DAGSTER_PG_PASSWORD"}
    if name == "k8s":
        assert raw["run_launcher"]["class"] == "K8sRunLauncher"
        assert raw["run_launcher"]["module"] == "dagster_k8s.launcher"
    else:
        assert "run_launcher" not in raw


def test_broken_overlay_is_caught_by_dagsters_schema(tmp_path, monkeypatch):
    bad = {"postgres": {"postgres_db": {"hostname": "db", "port": "not-a-port"}}}
    monkeypatch.setattr(deployment, "POSTGRES_STORAGE", bad)
    from dagster._core.errors import DagsterInvalidConfigError

    with pytest.raises(DagsterInvalidConfigError):
        _validated(tmp_path, "postgres")


def test_executor_switch():
    assert deployment.executor("local") is None and deployment.executor("k8s") is None
    try:
        import dagster_celery  # noqa: F401
    except ImportError:
        with pytest.raises(RuntimeError, match="dagster-celery"):
            deployment.executor("celery")


def test_cli_initialises_local_storage(tmp_path, monkeypatch):
    monkeypatch.delenv("OGI_DEPLOYMENT", raising=False)
    assert deployment.main(["instance", str(tmp_path)]) == 0
    assert (tmp_path / "history" / "runs.db").is_file() and (tmp_path / "schedules" / "schedules.db").is_file()


def test_cli_renders_for_env_choice(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OGI_DEPLOYMENT", "postgres")
    assert deployment.main(["instance", str(tmp_path)]) == 0
    assert "postgres" in yaml.safe_load((tmp_path / "dagster.yaml").read_text())["storage"]
    assert "dagster-postgres" in capsys.readouterr().out


def _release(tmp_path):
    rel = tmp_path / "v2026.03.31"
    (rel / "parquet").mkdir(parents=True)
    (rel / "parquet" / "reports.parquet").write_bytes(b"PAR1" * 100)
    (rel / "datapackage.json").write_text(json.dumps({"version": rel.name}))
    sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(rel).as_posix()}\n"
                   for p in sorted(rel.rglob("*")) if p.is_file())
    (rel / "SHA256SUMS").write_text(sums)
    return rel


def test_publish_target_memory_filesystem(tmp_path):
    import fsspec

    rel = _release(tmp_path)
    url = deployment.mirror_release(rel, "memory://bucket/ogi")
    fs = fsspec.filesystem("memory")
    assert url == "memory:///bucket/ogi/v2026.03.31" or url.endswith("bucket/ogi/v2026.03.31")
    assert fs.cat_file("/bucket/ogi/v2026.03.31/parquet/reports.parquet") == b"PAR1" * 100
    assert json.loads(fs.cat_file("/bucket/ogi/latest.json")) == {"version": "v2026.03.31"}


def test_publish_target_file_url_is_downloadable_over_http(tmp_path, monkeypatch):
    """Mirror to a file:// target, serve it on 127.0.0.1, fetch `latest` with ogi-download."""
    from test_download_client import _Server

    from pipelines.download_client import download_release

    rel = _release(tmp_path)
    monkeypatch.setenv("OGI_PUBLISH_URL", f"file://{tmp_path / 'www'}")
    assert deployment.main(["mirror", str(rel)]) == 0
    with _Server(tmp_path / "www") as srv:
        out = download_release("latest", srv.url, tmp_path / "dl", progress=False)
    assert (out / "parquet" / "reports.parquet").read_bytes() == b"PAR1" * 100


def test_make_targets_render_the_instance_and_bind_loopback():
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("make"):
        pytest.skip("make is not installed")
    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run(["make", "-n", "-W", "pyproject.toml", "dev", "webserver", "daemon"], cwd=repo,
                         capture_output=True, text=True, timeout=60).stdout
    assert "pipelines.deployment instance" in out
    assert "dagster dev -h 127.0.0.1 -p 3000" in out
    assert "dagster-webserver -h 127.0.0.1 -p 3000" in out and "dagster-daemon run" in out


def _materialise_mirror(rel):
    import dagster as dg

    from pipelines.resources import PublishSettingsResource

    @dg.asset(name="out_reports__release")
    def release_stub() -> dict:
        return {"version": rel.name, "path": str(rel)}

    result = dg.materialize([release_stub, deployment.out_reports__release_mirror],
                            resources={"publish_settings": PublishSettingsResource()})
    assert result.success
    return result.output_for_node("out_reports__release_mirror")


def test_mirror_asset_is_a_noop_without_publish_url(tmp_path, monkeypatch):
    monkeypatch.delenv("OGI_PUBLISH_URL", raising=False)
    assert _materialise_mirror(_release(tmp_path))["target"] is None


def test_mirror_asset_copies_release_and_pointers(tmp_path, monkeypatch):
    import fsspec

    monkeypatch.setenv("OGI_PUBLISH_URL", "memory://mirror-test/releases")
    out = _materialise_mirror(_release(tmp_path))
    fs = fsspec.filesystem("memory")
    assert out["version"] == "v2026.03.31"
    assert fs.exists("/mirror-test/releases/v2026.03.31/SHA256SUMS")
    for pointer in ("nightly", "latest"):
        assert json.loads(fs.cat_file(f"/mirror-test/releases/{pointer}.json"))["version"] == "v2026.03.31"
