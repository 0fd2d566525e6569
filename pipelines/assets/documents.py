"""`core_reports__documents`: every fetch of every crawled portal, with where its body is stored."""


import hashlib
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from pipelines.resources import PathsResource

MANIFEST_FIELDS = ("portal_id", "source_url", "final_url", "landing_page", "title", "publish_date", "content_type",
                   "byte_size", "sha256", "fetched_at", "http_status", "etag", "last_modified", "encoding",
                   "role", "report_url", "list_title", "link_text", "change", "archive_relpath")
# manifest.jsonl names (spiders/items.py) -> catalogue names
RENAMES = {"url": "source_url", "size": "byte_size", "path": "archive_relpath"}


LISTING_ROLES = ("list", "api")


def document_id(portal_id: str, source_url: str) -> str:
    return "d" + hashlib.sha256(f"{portal_id}|{source_url}".encode()).hexdigest()[:15]


def archive_file(archive_dir: Path, sha256: str | None, relpath: str | None = None) -> str | None:
    """Body path in the archive (<sha[:2]>/<sha><ext>), or None when the body is missing."""
    if isinstance(relpath, str) and relpath and (archive_dir / relpath).is_file():
        return str(archive_dir / relpath)
    if not isinstance(sha256, str) or not sha256:
        return None
    folder = archive_dir / sha256[:2]
    for candidate in sorted(folder.glob(f"{sha256}*")) if folder.is_dir() else []:
        if candidate.is_file():
            return str(candidate)
    return None


@dg.asset(group_name="core", code_version="1", kinds={"pandas"})
def core_reports__documents(
    context: dg.AssetExecutionContext, paths: PathsResource, raw_reports__crawl: dict[str, dict[str, Any]]
) -> pd.DataFrame:
    """One row per (portal, source URL) across all crawled portals: manifest fields + archive path."""
    rows = []
    for pid, crawl in sorted(raw_reports__crawl.items()):
        for doc in crawl.get("documents", []):
            doc = {RENAMES.get(k, k): v for k, v in doc.items()}
            row = {k: doc.get(k) for k in MANIFEST_FIELDS}
            row["portal_id"] = row["portal_id"] or pid
            row["crawled_at"] = crawl.get("crawled_at")
            rows.append(row)
        for err in crawl.get("fetch_errors", []):
            if err.get("role") in LISTING_ROLES:
                continue    # list/API page failures are portal health, not documents
            rows.append({"portal_id": pid, "source_url": err.get("url"), "final_url": err.get("url"),
                         "landing_page": err.get("landing_page"), "fetched_at": err.get("at"),
                         "crawled_at": crawl.get("crawled_at"),
                         "error": f"{err.get('kind')}: {err.get('reason')}"})
    frame = pd.DataFrame(rows, columns=[*MANIFEST_FIELDS, "crawled_at", "error"])
    frame["document_id"] = [document_id(p, u or "") for p, u in zip(frame["portal_id"], frame["source_url"],
                                                                      strict=True)]
    before = len(frame)
    # a portal listing the same URL twice (two list pages) is one fetch: keep the latest
    frame["_has_body"] = frame["sha256"].notna()
    frame = frame.sort_values(["_has_body", "fetched_at"], na_position="first").drop_duplicates(
        "document_id", keep="last").drop(columns="_has_body")
    # attachments carry no page date: take the date of the report page they were linked from
    page_date = {(pid, url): d for pid, url, d in zip(frame["portal_id"], frame["source_url"], frame["publish_date"],
                                                     strict=True) if isinstance(d, str) and d}
    frame["publish_date"] = [d if isinstance(d, str) and d else page_date.get((pid, rep))
                             for pid, rep, d in zip(frame["portal_id"], frame["report_url"], frame["publish_date"],
                                                    strict=True)]
    frame["archive_path"] = [archive_file(paths.archive_dir, s, rel)
                             for s, rel in zip(frame["sha256"], frame["archive_relpath"], strict=True)]
    frame["fetch_problem"] = [
        error if isinstance(error, str) else _fetch_problem(status, sha, path)
        for status, sha, path, error in zip(frame["http_status"], frame["sha256"], frame["archive_path"],
                                            frame["error"], strict=True)
    ]
    frame = frame.sort_values(["portal_id", "source_url"]).reset_index(drop=True)
    context.add_output_metadata({
        "fetches": len(frame), "repeated_listings_merged": before - len(frame),
        "distinct_sha256": int(frame["sha256"].nunique()), "portals": int(frame["portal_id"].nunique()),
        "fetch_problems": int(frame["fetch_problem"].notna().sum()),
    })
    return frame


def _fetch_problem(status: Any, sha: Any, path: Any) -> str | None:
    """Why a fetch has no usable body (None when it has one)."""
    try:
        code = int(status) if status is not None and not pd.isna(status) else None
    except (TypeError, ValueError):
        code = None
    if code is not None and not (200 <= code < 300 or code == 304):   # 304: unchanged, body in the archive
        return f"http_status_{code}"
    if not sha:
        return "no_body"
    if path is None:
        return "body_missing_from_archive"
    return None
