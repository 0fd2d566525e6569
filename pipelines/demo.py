"""`make demo`: build the whole dataset from the generated demo portals served on 127.0.0.1.

Steps: generate the demo site (spiders.fixture_site: five platforms' worth of portals with
real-world quirks, duplicates and a truth file), serve it on the loopback interface, write a
registry for it, then run the same asset graph production runs (pipelines.runner): registry
-> crawl (Scrapy in a subprocess through Dagster Pipes) -> parse -> deduplicate -> publish.
Ends by printing where the files are, checking the release (`sha256sum -c`, frictionless)
and running a short DuckDB query.

Production is the same graph pointed at the real registry: `python -m pipelines.runner`
(see pipelines/README.md).
"""

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

DEMO_PORT = 8642        # fixed, so document URLs (and ids) stay the same from one demo run to the next


def _free(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def duckdb_example(release: Path) -> str:
    return (f"select agency_name, report_year, format_version, sec3_req_new_received__total as requests, "
            f"sec3_res_granted__total as granted from '{release}/parquet/panel.parquet' "
            f"order by agency_name, report_year")


def check_release(release: Path) -> list[str]:
    """sha256sum -c and frictionless validate, as a user would run them."""
    lines = []
    done = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=release, capture_output=True, text=True)
    listed = len((release / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    lines.append(f"sha256sum -c SHA256SUMS: {'OK' if done.returncode == 0 else 'FAILED'} ({listed} files)"
                 + ("" if done.returncode == 0 else "\n" + done.stdout[-1000:]))
    from frictionless import validate

    report = validate(str(release / "datapackage.json"))
    lines.append(f"frictionless validate datapackage.json: {'valid' if report.valid else 'INVALID'} "
                 f"({len(report.tasks)} resources)")
    return lines


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore", module="dagster")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    import dagster as dg
    import duckdb

    from pipelines.definitions import build_definitions
    from pipelines.resources import REPO_ROOT, CrawlSettingsResource, PathsResource, RegistryResource
    from pipelines.runner import BuildFailed, run_build
    from spiders.fixture_site import build_site, serve, write_registry

    ap = argparse.ArgumentParser(prog="python -m pipelines.demo", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", default=os.environ.get("OGI_DATA_DIR", str(REPO_ROOT / "data")))
    ap.add_argument("--port", type=int, default=DEMO_PORT, help="demo site port (0 = any free port)")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    paths = PathsResource(data_dir=args.data_dir)
    site_dir = paths.build_dir / "demo_site"
    print("ogi-reports demo: crawl the generated demo portals on 127.0.0.1 -> parse -> deduplicate -> publish")
    print(f"[site] generating the demo site in {site_dir} ...", flush=True)
    truth = build_site(site_dir)
    print(f"       {len(truth['portals'])} portals, {len(truth['reports'])} reports (truth: {site_dir / 'truth.json'})")
    port = args.port if args.port and _free(args.port) else 0
    if os.environ.get("DAGSTER_HOME"):
        Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
        instance = dg.DagsterInstance.get()
    else:
        instance = dg.DagsterInstance.ephemeral()
        print("       (DAGSTER_HOME not set: run history is not kept; `make demo` sets it)")
    with serve(site_dir, port=port) as base_url:
        registry = write_registry(base_url, site_dir / "registry.yaml")
        print(f"[site] serving at {base_url}; registry {registry}", flush=True)
        defs = build_definitions({
            "paths": paths, "registry": RegistryResource(path=str(registry)),
            "crawl_settings": CrawlSettingsResource(politeness=False),
        })
        try:
            summary = run_build(defs, instance, log=lambda line: print(line, flush=True))
        except BuildFailed as exc:
            print(f"demo build failed: {exc}", file=sys.stderr)
            return 1
    release = Path(summary["path"])
    latest = paths.published_dir / "latest"
    print()
    print(f"Release {summary['version']} written to {release}")
    print(f"  pointers: {latest} and {paths.published_dir / 'nightly'} -> {summary['version']}")
    print("  rows: " + ", ".join(f"{k}={v}" for k, v in summary["rows"].items()))
    report = json.loads((release / "build_report.json").read_text(encoding="utf-8"))
    docs = report.get("documents", {})
    roles, levels = docs.get("dedup_role", {}), docs.get("duplicate_level", {})
    print(f"  documents: {docs.get('fetches')} fetched, {docs.get('distinct_sha256')} distinct bodies -> "
          f"{roles.get('canonical', 0)} reports; {roles.get('duplicate', 0)} copies resolved as duplicates ("
          + ", ".join(f"{k}: {v}" for k, v in levels.items()) + f"), {docs.get('copies_disagreeing', 0)} disagreeing; "
          f"{roles.get('page_part', 0)} continuation page(s); {roles.get('not_a_report', 0)} not a report or not fetched")
    print("  files: parquet/<table>.parquet, parquet/<table>/<table>_<year>.parquet, csv/... (UTF-8 BOM), "
          "data_dictionary.md/.csv, datapackage.json, build_report.json, index.html, SHA256SUMS")
    for line in check_release(release):
        print("  " + line)
    query = duckdb_example(latest)
    print("\nTry it with DuckDB:")
    print(f"  .venv/bin/python -c \"import duckdb; duckdb.sql(\\\"{query}\\\").show()\"")
    print()
    duckdb.sql(query).show(max_rows=12)
    print(f"Demo finished in {time.perf_counter() - started:.0f}s. Browse the release: {release / 'index.html'}; "
          "the asset graph: `make dev` (http://127.0.0.1:3000).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
