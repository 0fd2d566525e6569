"""The IO manager every asset persists through: DataFrames as Parquet, everything else as JSON.

Paths are deterministic, `<build>/assets/<asset_name>[/<partition>].{parquet,json}`, so any
single asset can be re-materialised from what its upstream assets stored, in the UI or from
Python, and people can open the intermediate files with DuckDB. A partitioned upstream read
by an unpartitioned asset arrives as `{partition_key: value}`; partitions that were never
materialised (a portal added but not crawled yet) are skipped with a warning instead of
failing the whole build.
"""


import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from pipelines.resources import PathsResource

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(key: str) -> str:
    """Partition keys become file names (portal ids are already safe; keep it so)."""
    return _SAFE.sub("_", key)


def asset_path(paths: PathsResource, asset_key: dg.AssetKey, partition: str | None = None) -> Path:
    """Stem (no suffix) of the file that holds an asset (or one partition of it)."""
    base = paths.assets_dir.joinpath(*asset_key.path)
    return base / safe_name(partition) if partition is not None else base


def write_value(stem: Path, obj: Any) -> Path:
    """Write atomically (temp file + rename) so a crash never leaves a half-written input."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(obj, pd.DataFrame):
        path = stem.with_suffix(".parquet")
        tmp = path.with_name(path.name + ".tmp")
        obj.to_parquet(tmp, index=False)
    else:
        path = stem.with_suffix(".json")
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    os.replace(tmp, path)
    for other in (stem.with_suffix(".parquet"), stem.with_suffix(".json")):
        if other != path and other.exists():
            other.unlink()
    return path


def read_value(stem: Path) -> Any:
    parquet, js = stem.with_suffix(".parquet"), stem.with_suffix(".json")
    if parquet.exists():
        return pd.read_parquet(parquet)
    if js.exists():
        return json.loads(js.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"{stem}.parquet/.json not found: materialise the upstream asset first")


def stored_exists(stem: Path) -> bool:
    return stem.with_suffix(".parquet").exists() or stem.with_suffix(".json").exists()


def markdown_preview(frame: pd.DataFrame, rows: int = 5, columns: int = 8, width: int = 40) -> str:
    """The first rows and columns as a Markdown table for the UI (long cells cut to `width`)."""
    head = frame.iloc[:rows, :columns].copy()
    for col in head.columns:
        text = [str(v).replace("|", "\\|").replace("\n", " ") for v in head[col]]
        head[col] = [t[:width] + ("…" if len(t) > width else "") for t in text]
    more = f"\n\n{len(frame)} rows x {frame.shape[1]} columns" if len(frame) > rows or frame.shape[1] > columns else ""
    return head.to_markdown(index=False) + more


class OgiIOManager(dg.ConfigurableIOManager):
    """Parquet/JSON files under `PathsResource.assets_dir`."""

    paths: dg.ResourceDependency[PathsResource]

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        key = context.asset_key
        if context.has_asset_partitions:
            partitions = list(context.asset_partition_keys)
            if len(partitions) == 1 and not (isinstance(obj, dict) and set(obj) == set(partitions)):
                obj = {partitions[0]: obj}
            for partition in partitions:
                write_value(asset_path(self.paths, key, partition), obj[partition])
            context.add_output_metadata({"partitions_written": len(partitions)})
            return
        path = write_value(asset_path(self.paths, key), obj)
        meta: dict[str, Any] = {"path": dg.MetadataValue.path(str(path)), "bytes": path.stat().st_size,
                                "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        if isinstance(obj, pd.DataFrame):
            meta["rows"] = len(obj)
            meta["preview"] = dg.MetadataValue.md(markdown_preview(obj))
        context.add_output_metadata(meta)

    def load_input(self, context: dg.InputContext) -> Any:
        key = context.asset_key
        if not context.has_asset_partitions:
            return read_value(asset_path(self.paths, key))
        out: dict[str, Any] = {}
        missing = []
        for partition in context.asset_partition_keys:
            stem = asset_path(self.paths, key, partition)
            if stored_exists(stem):
                out[partition] = read_value(stem)
            else:
                missing.append(partition)
        if missing:
            context.log.warning(
                f"{key.to_user_string()}: {len(missing)} partition(s) never materialised, skipped: "
                + ", ".join(missing[:20])
            )
        return out
