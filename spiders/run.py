"""Run one crawl in this process and exit: the entry point the pipeline calls.

    python -m spiders.run --registry PATH --portals ID[,ID] --out DIR [--archive DIR] [--no-politeness] [--warc]

Writes DIR/manifest.jsonl, DIR/health.json, DIR/stats.json, DIR/errors.jsonl; bodies go to the
archive (default DIR/raw). Exit status: 0 when the crawl ran (even if portals are blocked or
broken: that is in health.json), 1 when the crawl itself failed, 2 for bad arguments.
Under dagster-pipes (DAGSTER_PIPES_CONTEXT set) the stats are reported as materialization metadata.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from spiders.registry import RegistryError, load_registry, select

NO_POLITENESS = {
    "DOWNLOAD_DELAY": 0,
    "RANDOMIZE_DOWNLOAD_DELAY": False,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_BACKOFF_BASE": 0.05,
    "DOWNLOAD_TIMEOUT": 20,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m spiders.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--registry", required=True, help="registry YAML (format of data/portals.yaml)")
    ap.add_argument("--portals", default="", help="comma-separated portal ids (default: all with a column URL)")
    ap.add_argument("--out", required=True, help="output dir for manifest.jsonl, health.json, stats.json")
    ap.add_argument("--archive", help="content-addressed archive + incremental state (default OUT/raw)")
    ap.add_argument("--no-politeness", action="store_true",
                    help="no delays/AutoThrottle, higher per-host cap (local test sites only); robots.txt still obeyed")
    ap.add_argument("--warc", action="store_true", help="also write OUT/crawl.warc.gz")
    ap.add_argument("--log-level", default="INFO")
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="extra Scrapy setting")
    return ap.parse_args(argv)


def crawl(args: argparse.Namespace) -> dict:
    """Run the spider; returns the crawl summary (stats.json content)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("LOG_LEVEL", args.log_level)
    if args.no_politeness:
        settings.update(NO_POLITENESS, priority="cmdline")
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    out = Path(args.out)
    archive = Path(args.archive) if args.archive else out / "raw"
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler("annual_reports")
    process.crawl(crawler, registry=args.registry, portals=args.portals, out=str(out), archive=str(archive),
                  warc="1" if args.warc else "")
    process.start()
    summary = getattr(crawler.spider, "crawl_summary", None) if crawler.spider else None
    if summary is None:
        return {"finish_reason": crawler.stats.get_value("finish_reason") or "not_started"}
    return summary


def failed(summary: dict) -> bool:
    return summary.get("finish_reason") != "finished"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        select(load_registry(args.registry), args.portals)
    except (RegistryError, OSError) as exc:
        print(f"spiders.run: {exc}", file=sys.stderr)
        return 2
    if os.environ.get("DAGSTER_PIPES_CONTEXT"):
        from dagster_pipes import open_dagster_pipes

        with open_dagster_pipes() as pipes:
            summary = crawl(args)
            pipes.report_asset_materialization(metadata={
                "pages_requested": summary.get("pages_requested", 0),
                "documents_new": summary.get("documents", {}).get("new", 0),
                "documents_changed": summary.get("documents", {}).get("changed", 0),
                "documents_unchanged": summary.get("documents", {}).get("unchanged", 0),
                "errors": summary.get("errors", 0),
                "duration_s": summary.get("duration_s") or 0.0,
                "finish_reason": summary.get("finish_reason", ""),
                "portal_status": {"raw_value": summary.get("portal_status", {}), "type": "json"},
                "out_dir": {"raw_value": str(Path(args.out).resolve()), "type": "path"},
            })
    else:
        summary = crawl(args)
    print(json.dumps({k: summary.get(k) for k in ("finish_reason", "pages_requested", "documents", "errors",
                                                  "duration_s", "portal_status")}, ensure_ascii=False),
          file=sys.stderr)
    return 1 if failed(summary) else 0


if __name__ == "__main__":
    sys.exit(main())
