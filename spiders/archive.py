"""Content-addressed archive of fetched bytes, with provenance and the incremental crawl state.

Layout under the archive dir:
  <sha256[:2]>/<sha256><ext>                   the bytes, once per content (two URLs, one file)
  <sha256[:2]>/<sha256><ext>.provenance.jsonl  one line per sighting (url, portal, headers, time)
  state.sqlite                                 per URL: sha256, ETag, Last-Modified, attachments
SQLite and append-only sidecars keep parallel crawls (one process per portal) safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  url TEXT PRIMARY KEY, portal_id TEXT, sha256 TEXT, path TEXT, etag TEXT, last_modified TEXT,
  content_type TEXT, size INTEGER, fetched_at TEXT, item TEXT, children TEXT
)"""


class Archive:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.root / "state.sqlite", timeout=60, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, no fsync per URL
        self._db.execute(_SCHEMA)

    # --- bytes -------------------------------------------------------------------------
    @staticmethod
    def digest(body: bytes) -> str:
        return hashlib.sha256(body).hexdigest()

    def relpath(self, sha: str, ext: str) -> str:
        return f"{sha[:2]}/{sha}{ext}"

    def store(self, body: bytes, ext: str, provenance: dict[str, Any]) -> tuple[str, str]:
        """Write the bytes once (atomic rename) and append a provenance line. -> (sha256, relpath)."""
        sha = self.digest(body)
        rel = self.relpath(sha, ext)
        target = self.root / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
            os.replace(tmp, target)
        self.add_provenance(rel, provenance)
        return sha, rel

    def add_provenance(self, rel: str, provenance: dict[str, Any]) -> None:
        line = json.dumps(provenance, ensure_ascii=False, sort_keys=True) + "\n"
        with open(self.root / f"{rel}.provenance.jsonl", "a", encoding="utf-8") as fh:
            fh.write(line)

    # --- incremental state ---------------------------------------------------------------
    def previous(self, url: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT sha256, path, etag, last_modified, content_type, size, fetched_at, item, children "
            "FROM documents WHERE url = ?", (url,)).fetchone()
        if not row:
            return None
        keys = ("sha256", "path", "etag", "last_modified", "content_type", "size", "fetched_at", "item", "children")
        out = dict(zip(keys, row, strict=True))
        out["item"] = json.loads(out["item"] or "{}")
        out["children"] = json.loads(out["children"] or "[]")
        return out

    def remember(self, item: dict[str, Any], children: list[dict[str, Any]] | None = None) -> None:
        """Record what we hold for a URL (children: attachments/parts found on a report page)."""
        old = self.previous(item["url"])
        kids = children if children is not None else (old or {}).get("children", [])
        self._db.execute(
            "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (item["url"], item["portal_id"], item["sha256"], item["path"], item.get("etag"),
             item.get("last_modified"), item.get("content_type"), item.get("size"), item.get("fetched_at"),
             json.dumps(item, ensure_ascii=False), json.dumps(kids, ensure_ascii=False)))

    def set_children(self, url: str, children: list[dict[str, Any]]) -> None:
        self._db.execute("UPDATE documents SET children = ? WHERE url = ?",
                         (json.dumps(children, ensure_ascii=False), url))

    def read(self, rel: str) -> bytes:
        return (self.root / rel).read_bytes()

    def close(self) -> None:
        self._db.close()
