"""Deployment switches: which Dagster instance (storage, run launcher) and which publish target.

Two environment variables select everything; code and assets never change between them:

- `OGI_DEPLOYMENT` = `local` (default: SQLite under DAGSTER_HOME, runs as local processes),
  `postgres` (run/event/schedule storage in Postgres, so several webservers/daemons share
  state), `k8s` (Postgres + one Kubernetes Job per run, `dagster-k8s`), `celery` (Postgres +
  the `dagster-celery` executor, steps spread over Celery workers).
- `OGI_PUBLISH_URL` = where releases are mirrored through fsspec: `file:///srv/ogi` (default
  is the local `data/published`), `s3://bucket/prefix`, `gs://…` (needs the matching fsspec
  backend, e.g. `s3fs`, installed).

`write_instance_yaml` renders DAGSTER_HOME/dagster.yaml from the repository's dagster.yaml
plus the overlay of the chosen deployment; secrets stay in environment variables (`{env: …}`),
never in the file. `python -m pipelines.deployment instance DAGSTER_HOME` is what the
Makefile runs before starting the webserver and the daemon.
"""

import argparse
import copy
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import fsspec
import yaml

from pipelines.resources import PublishSettingsResource

REPO_ROOT = Path(__file__).resolve().parent.parent
BASE_INSTANCE_YAML = REPO_ROOT / "dagster.yaml"
DEPLOYMENTS = ("local", "postgres", "k8s", "celery")

# Python packages each deployment needs beyond the project's own dependencies (the same pins
# as the pyproject extras: `pip install -e '.[postgres]'`, `.[k8s]`, `.[celery]`).
EXTRA_PACKAGES = {
    "local": [],
    "postgres": ["dagster-postgres==0.29.27"],
    "k8s": ["dagster-postgres==0.29.27", "dagster-k8s==0.29.27"],
    "celery": ["dagster-postgres==0.29.27", "dagster-celery==0.29.27"],
}

POSTGRES_STORAGE = {
    "postgres": {
        "postgres_db": {
            "hostname": {"env": "DAGSTER_PG_HOST"},
            "port": 5432,
            "username": {"env": "DAGSTER_PG_USERNAME"},
            "password": {"env": "DAGSTER_PG_PASSWORD"},
            "db_name": {"env": "DAGSTER_PG_DB"},
        }
    }
}

K8S_RUN_LAUNCHER = {
    "module": "dagster_k8s.launcher",
    "class": "K8sRunLauncher",
    "config": {
        "job_namespace": {"env": "OGI_K8S_NAMESPACE"},
        "service_account_name": "dagster",
        "instance_config_map": "dagster-instance",
        "dagster_home": "/opt/dagster/dagster_home",
        "image_pull_policy": "IfNotPresent",
        "env_secrets": ["dagster-postgres-secret"],
        "load_incluster_config": True,
    },
}


def current_deployment(env: Mapping[str, str] | None = None) -> str:
    """The deployment named by OGI_DEPLOYMENT (default `local`); unknown names are an error."""
    name = (env if env is not None else os.environ).get("OGI_DEPLOYMENT", "local").strip() or "local"
    if name not in DEPLOYMENTS:
        raise ValueError(f"OGI_DEPLOYMENT={name!r}: expected one of {', '.join(DEPLOYMENTS)}")
    return name


def instance_config(deployment: str | None = None) -> dict[str, Any]:
    """The dagster.yaml content for `deployment` (the repository's dagster.yaml plus an overlay)."""
    deployment = deployment or current_deployment()
    if deployment not in DEPLOYMENTS:
        raise ValueError(f"unknown deployment {deployment!r}: expected one of {', '.join(DEPLOYMENTS)}")
    config = yaml.safe_load(BASE_INSTANCE_YAML.read_text(encoding="utf-8")) or {}
    if deployment != "local":
        config["storage"] = copy.deepcopy(POSTGRES_STORAGE)
    if deployment == "k8s":
        config["run_launcher"] = copy.deepcopy(K8S_RUN_LAUNCHER)
        # one crawl/build per pod; Kubernetes, not the 2-core limit, bounds concurrency
        config.setdefault("run_queue", {})["max_concurrent_runs"] = 10
    return config


def write_instance_yaml(dagster_home: Path | str, deployment: str | None = None) -> Path:
    """Render DAGSTER_HOME/dagster.yaml for `deployment`; return its path."""
    deployment = deployment or current_deployment()
    home = Path(dagster_home)
    home.mkdir(parents=True, exist_ok=True)
    out = home / "dagster.yaml"
    header = (f"# Rendered by `python -m pipelines.deployment instance` for OGI_DEPLOYMENT={deployment}.\n"
              f"# Edit dagster.yaml in the repository or pipelines/deployment.py, not this file.\n")
    out.write_text(header + yaml.safe_dump(instance_config(deployment), sort_keys=False, allow_unicode=True),
                   encoding="utf-8")
    return out


def init_local_storage(dagster_home: Path | str) -> None:
    """Create the SQLite run/event/schedule storage of a local instance once, up front.

    A webserver and a daemon started at the same moment on an empty DAGSTER_HOME would
    otherwise both create the same tables and one of them can fail.
    """
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(dagster_home)) as instance:
        instance.get_runs_count()


def executor(deployment: str | None = None) -> Any:
    """The executor for the code location: Celery workers for `celery`, Dagster's default otherwise.

    Returns None when Dagster's default (multiprocess in the run worker) applies, so
    `Definitions(executor=executor())` is a no-op for local, postgres and k8s.
    """
    deployment = deployment or current_deployment()
    if deployment != "celery":
        return None
    try:
        from dagster_celery import celery_executor  # type: ignore[import-not-found]
    except ImportError as exc:
        raise RuntimeError("OGI_DEPLOYMENT=celery needs `pip install "
                           + " ".join(EXTRA_PACKAGES["celery"]) + "`") from exc
    return celery_executor.configured({
        "broker": {"env": "OGI_CELERY_BROKER"},
        "backend": {"env": "OGI_CELERY_BACKEND"},
    })


# ---------------------------------------------------------------- publish target (fsspec)


def publish_url(env: Mapping[str, str] | None = None) -> str | None:
    """OGI_PUBLISH_URL, or None when releases stay only in the local data/published."""
    return (env if env is not None else os.environ).get("OGI_PUBLISH_URL") or None


def mirror_release(release_dir: Path | str, target_url: str, pointers: tuple[str, ...] = ("latest",)) -> str:
    """Copy a finished release directory to `target_url/<version>/` and write pointer files.

    Object stores have no symlinks, so each pointer is written as `<pointer>.json`
    ({"version": ...}), which `ogi-download` reads first. SHA256SUMS is uploaded last, so a
    reader never sees a checksum list for files that are not there yet. Returns the URL of
    the copied release.
    """
    release_dir = Path(release_dir).resolve()
    version = release_dir.name
    fs, root = fsspec.core.url_to_fs(target_url)
    root = root.rstrip("/")
    dest = f"{root}/{version}"
    files = sorted(p for p in release_dir.rglob("*") if p.is_file())
    last = [p for p in files if p.name == "SHA256SUMS"]
    for path in [p for p in files if p.name != "SHA256SUMS"] + last:
        remote = f"{dest}/{path.relative_to(release_dir).as_posix()}"
        fs.makedirs(remote.rsplit("/", 1)[0], exist_ok=True)
        fs.put_file(str(path), remote)
    for pointer in pointers:
        with fs.open(f"{root}/{pointer}.json", "w") as fh:
            fh.write(json.dumps({"version": version}) + "\n")
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    return f"{protocol}://{dest}" if protocol != "file" else f"file://{dest}"


@dg.asset(group_name="publish", code_version="1", kinds={"fsspec"})
def out_reports__release_mirror(
    context: dg.AssetExecutionContext, publish_settings: PublishSettingsResource, out_reports__release: dict
) -> dict:
    """Copy the new release to OGI_PUBLISH_URL (s3://, gs://, file://, ... through fsspec) and
    write its pointer files there; does nothing, and says so, when OGI_PUBLISH_URL is unset."""
    target = publish_url()
    if not target:
        context.add_output_metadata({"target": "none: OGI_PUBLISH_URL is unset (releases stay in data/published)"})
        return {"target": None, "version": out_reports__release.get("version")}
    url = mirror_release(out_reports__release["path"], target, tuple(publish_settings.pointers))
    context.add_output_metadata({"target": target, "release_url": url, "version": out_reports__release["version"],
                                 "pointers": ", ".join(publish_settings.pointers) or "none"})
    return {"target": target, "release_url": url, "version": out_reports__release["version"]}


ASSETS = [out_reports__release_mirror]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.deployment", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    inst = sub.add_parser("instance", help="render DAGSTER_HOME/dagster.yaml for OGI_DEPLOYMENT")
    inst.add_argument("dagster_home", nargs="?", default=os.environ.get("DAGSTER_HOME", str(REPO_ROOT / "DAGSTER_HOME")))
    inst.add_argument("--deployment", choices=DEPLOYMENTS, default=None)
    mirror = sub.add_parser("mirror", help="copy a release to OGI_PUBLISH_URL (or --to)")
    mirror.add_argument("release_dir")
    mirror.add_argument("--to", default=None)
    mirror.add_argument("--pointer", action="append", default=None, help="pointer to write (default: latest)")
    args = parser.parse_args(argv)
    if args.command == "instance":
        deployment = args.deployment or current_deployment()
        path = write_instance_yaml(args.dagster_home, deployment)
        if deployment == "local":
            init_local_storage(args.dagster_home)
        print(f"{path} ({deployment}; extra packages: {' '.join(EXTRA_PACKAGES[deployment]) or 'none'})")
        return 0
    target = args.to or publish_url()
    if not target:
        print("no target: set OGI_PUBLISH_URL or pass --to", file=sys.stderr)
        return 2
    print(mirror_release(args.release_dir, target, tuple(args.pointer or ["latest"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
