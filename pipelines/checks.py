"""Asset checks with readable metadata (the crawl-volume check lives with the crawl asset).

Blocking: schema and primary key of every published table (a table that breaks them never
reaches a release). Warnings: share of documents parsed, share of values passing the
identities, freshness of the newest report year, and the release's own self-checks
(frictionless validation, SHA256SUMS) which run after the files exist.
"""

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from pipelines.tables import TableSpec, conform, published_tables, to_arrow
from transforms.dictionary import load_default

PARSED_SHARE_MIN = 0.8
IDENTITY_SHARE_MIN = 0.9


def schema_problems(df: pd.DataFrame, spec: TableSpec) -> dict[str, Any]:
    """Missing/extra columns, type conversion errors and primary-key duplicates or nulls."""
    missing = [c for c in spec.column_names if c not in df.columns]
    extra = [c for c in df.columns if c not in spec.column_names]
    type_error, dtype_mismatches = "", []
    if not missing:
        try:
            to_arrow(df, spec)
            conformed = conform(df, spec)
            dtype_mismatches = [f"{c}: {df[c].dtype} (declared {spec.field_type(c)})" for c in spec.column_names
                                if str(df[c].dtype) != str(conformed[c].dtype)]
        except Exception as exc:
            type_error = f"{type(exc).__name__}: {exc}"[:500]
    key = list(spec.primary_key)
    null_keys = int(df[key].isna().any(axis=1).sum()) if not missing else 0
    dup = df[df.duplicated(key, keep=False)] if not missing else df.iloc[0:0]
    return {"missing_columns": missing, "extra_columns": extra, "type_error": type_error,
            "dtype_mismatches": dtype_mismatches,
            "null_key_rows": null_keys, "duplicate_key_rows": len(dup),
            "duplicate_key_sample": dup[key].head(5).astype(str).to_dict("records") if len(dup) else []}


def _build_schema_check(spec_name: str, asset_key: dg.AssetKey) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=asset_key, name="schema_and_primary_key", blocking=True,
                    description=f"`{spec_name}` has exactly the declared columns and types, and a unique, "
                                "non-null primary key")
    def schema_and_primary_key(table: pd.DataFrame) -> dg.AssetCheckResult:
        spec = next(t for t in published_tables() if t.name == spec_name)
        problems = schema_problems(table, spec)
        passed = not (problems["missing_columns"] or problems["extra_columns"] or problems["type_error"]
                      or problems["dtype_mismatches"] or problems["null_key_rows"] or problems["duplicate_key_rows"])
        return dg.AssetCheckResult(passed=passed, metadata={
            "rows": len(table), "primary_key": ", ".join(spec.primary_key),
            **{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
               for k, v in problems.items()},
        })

    return schema_and_primary_key


def schema_checks() -> list[dg.AssetChecksDefinition]:
    return [_build_schema_check(spec.name, dg.AssetKey(f"out_reports__{spec.name}")) for spec in published_tables()]


@dg.asset_check(asset="core_reports__parsed", name="documents_parsed_share",
                description=f"Share of distinct documents extracted with status ok (warns below {PARSED_SHARE_MIN:.0%})")
def documents_parsed_share(core_reports__parsed: pd.DataFrame) -> dg.AssetCheckResult:
    n = len(core_reports__parsed)
    ok = int((core_reports__parsed["status"] == "ok").sum())
    share = ok / n if n else 0.0
    return dg.AssetCheckResult(
        passed=bool(n) and share >= PARSED_SHARE_MIN, severity=dg.AssetCheckSeverity.WARN,
        metadata={"documents": n, "parsed_ok": ok, "share": round(share, 4), "threshold": PARSED_SHARE_MIN,
                  "status_counts": json.dumps(core_reports__parsed["status"].value_counts().to_dict())})


def identity_share(observations: pd.DataFrame) -> tuple[int, int]:
    """(mapped values, mapped values whose flags name no identity break)."""
    ids = {i["id"] for i in load_default().identities}
    mapped = observations[observations["indicator_code"].notna() & observations["value"].notna()]
    clean = mapped["flags"].map(lambda fl: not any(str(f).split("@")[0].split(":")[0] in ids for f in fl))
    return len(mapped), int(clean.sum())


@dg.asset_check(asset="core_reports__observations", name="identity_pass_share",
                description=f"Share of mapped values not involved in any identity break "
                            f"(warns below {IDENTITY_SHARE_MIN:.0%})")
def identity_pass_share(core_reports__observations: pd.DataFrame) -> dg.AssetCheckResult:
    n, clean = identity_share(core_reports__observations)
    share = clean / n if n else 0.0
    return dg.AssetCheckResult(
        passed=bool(n) and share >= IDENTITY_SHARE_MIN, severity=dg.AssetCheckSeverity.WARN,
        metadata={"mapped_values": n, "passing": clean, "share": round(share, 4), "threshold": IDENTITY_SHARE_MIN})


def expected_newest_year(today: dt.date) -> int:
    """Reports for year Y are due by 31 March of Y+1: from April on, Y-1 should be there."""
    return today.year - 1 if today.month >= 4 else today.year - 2


@dg.asset_check(asset="out_reports__reports", name="newest_year_freshness",
                description="The newest report year is the one due by now (reports for Y are due 31 March Y+1)")
def newest_year_freshness(out_reports__reports: pd.DataFrame) -> dg.AssetCheckResult:
    years = out_reports__reports["report_year"].dropna()
    newest = int(years.max()) if len(years) else None
    expected = expected_newest_year(dt.datetime.now(dt.UTC).date())
    return dg.AssetCheckResult(
        passed=newest is not None and newest >= expected, severity=dg.AssetCheckSeverity.WARN,
        metadata={"newest_year": newest if newest is not None else "none", "expected_at_least": expected,
                  "reports_in_newest_year": int((years == newest).sum()) if newest is not None else 0})


def verify_sha256sums(release_dir: Path) -> list[str]:
    """Files whose hash differs from SHA256SUMS, or that are missing (same as `sha256sum -c`)."""
    bad = []
    for line in (release_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        path = release_dir / rel
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            bad.append(rel)
    return bad


def frictionless_errors(release_dir: Path, limit: int = 20) -> tuple[bool, list[str]]:
    from frictionless import validate

    report = validate(str(release_dir / "datapackage.json"))
    errors = [f"{task.name}: {err.type}: {err.note}" for task in report.tasks for err in task.errors][:limit]
    errors += [f"package: {err.type}: {err.note}" for err in report.errors][:limit]
    return bool(report.valid), errors


@dg.asset_check(asset="out_reports__release", name="datapackage_valid",
                description="`frictionless validate` passes on the release's datapackage.json")
def datapackage_valid(out_reports__release: dict[str, Any]) -> dg.AssetCheckResult:
    valid, errors = frictionless_errors(Path(out_reports__release["path"]))
    return dg.AssetCheckResult(passed=valid, metadata={"errors": len(errors), "first_errors": "\n".join(errors)
                                                       or "none"})


@dg.asset_check(asset="out_reports__release", name="checksums_verify",
                description="Every file of the release matches SHA256SUMS (`sha256sum -c SHA256SUMS`)")
def checksums_verify(out_reports__release: dict[str, Any]) -> dg.AssetCheckResult:
    release_dir = Path(out_reports__release["path"])
    bad = verify_sha256sums(release_dir)
    listed = len((release_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    return dg.AssetCheckResult(passed=not bad, metadata={"files_listed": listed, "mismatched": ", ".join(bad)
                                                         or "none"})


def all_checks() -> list[dg.AssetChecksDefinition]:
    return [*schema_checks(), documents_parsed_share, identity_pass_share, newest_year_freshness,
            datapackage_valid, checksums_verify]
