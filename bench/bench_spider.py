"""Spider throughput on the loopback demo site, politeness off, against a bare Scrapy spider.

    .venv/bin/python -m bench.bench_spider [--scale N]

Both crawl the same served site in the same run, each in its own process; pages/s counts HTTP
responses over the crawl time Scrapy measures (engine start to close), peak memory is the child's
max RSS. Our spider does more per page (decoding, title rules, archive writes, schema validation).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from spiders.fixture_site import build_site, serve, write_registry

REPO = Path(__file__).resolve().parent.parent
PORTALS = "demo-trs-gbk,demo-trs-utf8,demo-trs-dynamic,demo-hanweb,demo-gkmlpt,demo-generic"


def measure(scale: int = 8) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        build_site(root / "site", scale=scale)
        with serve(root / "site") as base:
            registry = write_registry(base, root / "registry.yaml", portals=PORTALS.split(","))
            ours = subprocess.run([sys.executable, "-m", "spiders.run", "--registry", str(registry), "--out",
                                   str(root / "out"), "--no-politeness", "--log-level", "WARNING"],
                                  capture_output=True, text=True, cwd=REPO)
            if ours.returncode:
                raise RuntimeError(ours.stderr[-2000:])
            stats = json.loads((root / "out" / "stats.json").read_text())
            import yaml
            starts = [u.split("#")[0] for p in yaml.safe_load(registry.read_text())["portals"] for u in p["start_urls"]]
            bare = subprocess.run([sys.executable, str(REPO / "bench" / "bare_spider.py"), str(base), *starts],
                                  capture_output=True, text=True, cwd=REPO)
            if bare.returncode:
                raise RuntimeError(bare.stderr[-2000:])
            bare_stats = json.loads(bare.stdout.strip().splitlines()[-1])
    ours_rate = stats["responses"] / stats["duration_s"]
    return {"scale": scale,
            "ours": {"pages": stats["responses"], "duration_s": stats["duration_s"], "pages_per_s": round(ours_rate, 1),
                     "documents": stats["documents"]["total"], "peak_rss_mb": stats["peak_rss_mb"]},
            "bare": bare_stats, "ratio_ours_to_bare": round(ours_rate / bare_stats["pages_per_s"], 2)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=8)
    result = measure(ap.parse_args().scale)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
