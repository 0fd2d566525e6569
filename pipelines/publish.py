"""Write a release: Parquet + CSV per table and per year, data dictionary, datapackage.json,
build report, index.html, SHA256SUMS; then move it into place in one rename.

Layout of `<published>/<version>/` (see pipelines/README.md):

    parquet/<table>.parquet   parquet/<table>/<table>_<year>.parquet
    csv/<table>.csv           csv/<table>/<table>_<year>.csv      (UTF-8 with BOM)
    data_dictionary.md  data_dictionary.csv  datapackage.json  build_report.json  index.html
    SHA256SUMS

Releases are immutable. The version is `vYYYY.MM.DD`; a second build on the same day gets
`vYYYY.MM.DD.2` (then `.3`, ...) instead of overwriting. Everything is written under
`<published>/.staging/` first; only a complete, checksummed folder is renamed into place,
and the `nightly`/`latest` pointers (a relative symlink and `<name>.json`) move after that.
A failure anywhere removes the staging folder: no partial release is ever visible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from pipelines import dictionary_files
from pipelines.tables import TableSpec, column_properties, conform, frictionless_type, to_arrow

CSV_ENCODING = "utf-8-sig"      # BOM: Excel opens the Chinese text correctly
LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
           "title": "Creative Commons Attribution 4.0"}


class ReleaseError(RuntimeError):
    """A release could not be written; nothing was published."""


@dataclass
class ReleaseInputs:
    tables: dict[str, tuple[TableSpec, pd.DataFrame]]
    crosswalk: pd.DataFrame
    build_report: dict[str, Any]
    git_sha: str
    run_id: str = ""
    extra_metadata: dict[str, str] = field(default_factory=dict)
    sources: list[dict[str, str]] = field(default_factory=list)    # datapackage `sources` (portals)


def next_version(published_dir: Path, requested: str = "", today: dt.date | None = None) -> str:
    """`requested` if given (it must not exist yet), else today's `vYYYY.MM.DD[.N]` not used yet."""
    if requested:
        if (published_dir / requested).exists():
            raise ReleaseError(f"release {requested} already exists in {published_dir}; releases are immutable "
                               "(leave the version empty to get the next free suffix)")
        return requested
    base = f"v{(today or dt.datetime.now(dt.UTC).date()):%Y.%m.%d}"
    version, n = base, 1
    while (published_dir / version).exists():
        n += 1
        version = f"{base}.{n}"
    return version


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _csv_value_frame(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """List columns as JSON arrays (frictionless `array`), booleans as true/false."""
    out = df.copy()
    for name, type_name, _ in spec.fields:
        if type_name == "list<string>":
            out[name] = out[name].map(lambda v: json.dumps(list(v), ensure_ascii=False))
        elif type_name == "bool":
            out[name] = out[name].map(lambda v: "" if v is pd.NA or v is None else ("true" if v else "false"))
    return out


def write_table(root: Path, spec: TableSpec, df: pd.DataFrame, metadata: dict[str, str]) -> dict[str, Any]:
    """Whole-table and per-year Parquet and CSV files; returns what datapackage.json needs."""
    table = conform(df, spec)
    meta = {**metadata, "table": spec.name, "description": spec.description,
            "primary_key": ",".join(spec.primary_key)}
    arrow = to_arrow(table, spec, meta)
    pq_dir, csv_dir = root / "parquet", root / "csv"
    pq_dir.mkdir(parents=True, exist_ok=True)
    csv_dir.mkdir(parents=True, exist_ok=True)
    whole_pq = pq_dir / f"{spec.name}.parquet"
    pq.write_table(arrow, whole_pq, compression="zstd")
    whole_csv = csv_dir / f"{spec.name}.csv"
    csv_frame = _csv_value_frame(table, spec)
    csv_frame.to_csv(whole_csv, index=False, encoding=CSV_ENCODING, lineterminator="\n")
    per_year: list[str] = []
    if spec.year_column:
        years = table[spec.year_column]
        for year in sorted(int(y) for y in years.dropna().unique()):
            mask = (years == year).fillna(False).to_numpy()
            (pq_dir / spec.name).mkdir(exist_ok=True)
            (csv_dir / spec.name).mkdir(exist_ok=True)
            pq.write_table(arrow.filter(mask), pq_dir / spec.name / f"{spec.name}_{year}.parquet", compression="zstd")
            csv_frame[mask].to_csv(csv_dir / spec.name / f"{spec.name}_{year}.csv", index=False,
                                   encoding=CSV_ENCODING, lineterminator="\n")
            per_year += [f"parquet/{spec.name}/{spec.name}_{year}.parquet", f"csv/{spec.name}/{spec.name}_{year}.csv"]
        if years.isna().any():
            # rows without a year stay in the whole-table files only; say so rather than drop silently
            metadata_note = f"{int(years.isna().sum())} row(s) without {spec.year_column} are only in the whole-table files"
        else:
            metadata_note = ""
    else:
        metadata_note = ""
    return {"spec": spec, "rows": len(table), "csv": whole_csv, "parquet": whole_pq, "per_year": per_year,
            "note": metadata_note}


def datapackage(root: Path, version: str, written: list[dict[str, Any]], git_sha: str, run_id: str,
                created: str, sources: list[dict[str, str]] | None = None) -> dict[str, Any]:
    resources = []
    for w in written:
        spec: TableSpec = w["spec"]
        props = column_properties(spec)
        fields = [{"name": n, "type": frictionless_type(t), "description": d,
                   **{f"ogi_{k}": v for k, v in props.get(n, {}).items()}} for n, t, d in spec.fields]
        resources.append({
            "name": spec.name,
            "path": w["csv"].relative_to(root).as_posix(),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "description": spec.description + (f" Note: {w['note']}." if w["note"] else ""),
            "bytes": w["csv"].stat().st_size,
            "hash": f"sha256:{sha256_file(w['csv'])}",
            "schema": {"fields": fields, "primaryKey": list(spec.primary_key)},
            "ogi_rows": w["rows"],
            "ogi_parquet": w["parquet"].relative_to(root).as_posix(),
            "ogi_parquet_sha256": sha256_file(w["parquet"]),
            "ogi_per_year_files": w["per_year"],
        })
    return {
        "profile": "tabular-data-package",
        "name": "ogi-reports",
        "title": "China government information disclosure annual-report statistics (政府信息公开工作年度报告)",
        "description": "Statistics from 政府信息公开工作年度报告 crawled from government portals, parsed into "
                       "canonical indicators (transforms/data/indicators.yaml), deduplicated and validated.",
        "version": version,
        "created": created,
        "licenses": [LICENSE],
        "sources": sources or [{"title": "Government portals listed in the ogi-reports portal registry"}],
        "ogi_git_sha": git_sha,
        "ogi_run_id": run_id,
        "resources": resources,
    }


def write_sha256sums(root: Path) -> Path:
    """`sha256sum -c` format over every file of the release except SHA256SUMS itself."""
    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel != "SHA256SUMS":
            lines.append(f"{sha256_file(path)}  {rel}\n")
    out = root / "SHA256SUMS"
    out.write_text("".join(lines), encoding="utf-8")
    return out


def _release_page_renderer() -> Callable[[Path], Any] | None:
    try:
        module = importlib.import_module("pipelines.release_page")
    except ImportError:
        return None
    return getattr(module, "render_release_page", None)


def publish(published_dir: Path, inputs: ReleaseInputs, version: str = "",
            pointers: Iterable[str] = ("nightly", "latest")) -> dict[str, Any]:
    """Write the release atomically; return its summary (version, path, rows, files)."""
    published_dir.mkdir(parents=True, exist_ok=True)
    staging_root = published_dir / ".staging"
    staging_root.mkdir(exist_ok=True)
    version = next_version(published_dir, version)
    staging = staging_root / f"{version}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    try:
        meta = {"release_version": version, "git_sha": inputs.git_sha, "created": created,
                "datapackage_version": version, **inputs.extra_metadata}
        written = [write_table(staging, spec, df, meta) for spec, df in inputs.tables.values()]
        dictionary_files.write(staging, [w["spec"] for w in written], inputs.crosswalk)
        package = datapackage(staging, version, written, inputs.git_sha, inputs.run_id, created, inputs.sources)
        (staging / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
        report = {"version": version, "created": created, "git_sha": inputs.git_sha, "run_id": inputs.run_id,
                  "rows": {w["spec"].name: w["rows"] for w in written}, **inputs.build_report}
        (staging / "build_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str),
                                                   encoding="utf-8")
        render = _release_page_renderer()
        if render is not None:
            render(staging)
        write_sha256sums(staging)
        final = published_dir / version
        if final.exists():
            raise ReleaseError(f"{final} appeared while this release was being written; not overwriting it")
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for name in pointers:
        point(published_dir, name, version)
    files = sorted(p.relative_to(final).as_posix() for p in final.rglob("*") if p.is_file())
    return {"version": version, "path": str(final), "created": created, "rows": report["rows"],
            "files": len(files), "bytes": sum((final / f).stat().st_size for f in files)}


def point(published_dir: Path, name: str, version: str) -> None:
    """Repoint `<name>` (relative symlink) and `<name>.json` at `version`, each by one rename."""
    link = published_dir / name
    tmp = published_dir / f".{name}.{uuid.uuid4().hex[:8]}"
    os.symlink(version, tmp)
    os.replace(tmp, link)
    pointer = published_dir / f"{name}.json"
    tmp_json = published_dir / f".{name}.json.{uuid.uuid4().hex[:8]}"
    tmp_json.write_text(json.dumps({"version": version}) + "\n", encoding="utf-8")
    os.replace(tmp_json, pointer)
