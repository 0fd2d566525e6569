"""`out_reports__release`: write a versioned release of every published table (pipelines/publish.py)."""


import json
from typing import Any
from urllib.parse import urlsplit

import dagster as dg
import pandas as pd

from pipelines import dictionary_files, publish
from pipelines.provenance import extraction_version, git_sha
from pipelines.resources import PathsResource, PublishSettingsResource
from pipelines.tables import published_tables
from transforms.validate import CROSS_REPORT_IDENTITIES


def build_report(documents: pd.DataFrame, reports: pd.DataFrame, crawl_health: pd.DataFrame,
                 observations: pd.DataFrame) -> dict[str, Any]:
    """What this build found: crawl status, parse outcomes, deduplication, identity pass share."""
    id_flags = observations["flags"].map(lambda f: len(f) > 0) if len(observations) else pd.Series(dtype=bool)
    mapped = observations["indicator_code"].notna() & observations["value"].notna() if len(observations) else id_flags
    cross = set(CROSS_REPORT_IDENTITIES)
    cross_values = observations["flags"].map(lambda f: bool(cross & set(f))) if len(observations) else id_flags
    cross_breaks = pd.Series([str(f).split("@", 1)[0] for flags in reports["flags"] for f in flags
                              if str(f).split("@", 1)[0] in cross], dtype=object) if len(reports) else pd.Series()
    return {
        "extraction_version": extraction_version(),
        "crawl": {
            "portals": len(crawl_health),
            "status": crawl_health["status"].value_counts().to_dict(),
            "per_portal": crawl_health[["portal_id", "status", "documents"]].to_dict("records"),
        },
        "documents": {
            "fetches": len(documents),
            "distinct_sha256": int(documents["sha256"].nunique()),
            "parse_status": documents["parse_status"].value_counts().to_dict(),
            "dedup_role": documents["dedup_role"].value_counts().to_dict(),
            "duplicate_level": documents["duplicate_level"].value_counts().to_dict(),
            "copies_disagreeing": int(documents["values_disagree"].fillna(False).astype(bool).sum()),
        },
        "reports": {
            "count": len(reports),
            "by_year": {str(k): int(v) for k, v in reports["report_year"].value_counts().sort_index().items()},
            "by_format": reports["format_version"].value_counts().to_dict(),
            "cross_report_breaks": {str(k): int(v) for k, v in cross_breaks.value_counts().items()},
        },
        "observations": {
            "count": len(observations),
            "mapped_values": int(mapped.sum()),
            "mapped_values_without_identity_flags": int((mapped & ~id_flags).sum()),
            "values_in_cross_report_breaks": int(cross_values.sum()),
        },
    }


def portal_sources(documents: pd.DataFrame) -> list[dict[str, str]]:
    """datapackage `sources`: one entry per crawled portal with the site it was crawled from."""
    out = []
    for pid, group in documents.dropna(subset=["source_url"]).groupby("portal_id"):
        parts = urlsplit(str(group["source_url"].iloc[0]))
        out.append({"title": f"portal {pid}", "path": f"{parts.scheme}://{parts.netloc}/"})
    return out


@dg.asset(group_name="publish", code_version="1", kinds={"parquet", "csv"})
def out_reports__release(
    context: dg.AssetExecutionContext,
    paths: PathsResource,
    publish_settings: PublishSettingsResource,
    out_reports__reports: pd.DataFrame,
    out_reports__observations: pd.DataFrame,
    out_reports__panel: pd.DataFrame,
    out_reports__documents: pd.DataFrame,
    out_reports__indicators: pd.DataFrame,
    out_reports__crawl_health: pd.DataFrame,
) -> dict[str, Any]:
    """Publish `data/published/vYYYY.MM.DD[.N]/` atomically and repoint `nightly`/`latest`."""
    frames = {"reports": out_reports__reports, "observations": out_reports__observations,
              "panel": out_reports__panel, "documents": out_reports__documents,
              "indicators": out_reports__indicators, "crawl_health": out_reports__crawl_health}
    tables = {spec.name: (spec, frames[spec.name]) for spec in published_tables()}
    report = build_report(out_reports__documents, out_reports__reports, out_reports__crawl_health,
                          out_reports__observations)
    inputs = publish.ReleaseInputs(
        tables=tables, crosswalk=dictionary_files.crosswalk(out_reports__observations, out_reports__reports),
        build_report=report, git_sha=git_sha(), run_id=context.run.run_id,
        extra_metadata={"extraction_version": extraction_version()}, sources=portal_sources(out_reports__documents),
    )
    summary = publish.publish(paths.published_dir, inputs, version=publish_settings.version,
                              pointers=publish_settings.pointers)
    context.add_output_metadata({
        "version": summary["version"], "release_dir": dg.MetadataValue.path(summary["path"]),
        "files": summary["files"], "bytes": summary["bytes"], "rows": json.dumps(summary["rows"]),
        "pointers": ", ".join(publish_settings.pointers) or "none",
    })
    return summary
