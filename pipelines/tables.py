"""Declarations of the published tables: columns, types, keys, sort order.

The one place that says what each published file contains. Observation and report columns
come from `transforms.model.OBSERVATION_FIELDS` / `REPORT_FIELDS`, panel columns from the
dictionary (`transforms.panel`); the Parquet schema, the CSV/datapackage schema and the data
dictionary are all generated from these specs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pyarrow as pa

from transforms.model import OBSERVATION_FIELDS, REPORT_FIELDS
from transforms.panel import panel_columns

Field = tuple[str, str, str]     # (name, type, description)


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    sort_by: tuple[str, ...] = ()
    year_column: str | None = None    # per-year files are split on this column

    @property
    def column_names(self) -> list[str]:
        return [f[0] for f in self.fields]

    def field_type(self, name: str) -> str:
        return next(t for n, t, _ in self.fields if n == name)


_REGION = (
    ("region_code", "string", "GB/T 2260 code of the agency's jurisdiction (6 digits)"),
    ("province_name", "string", "Province-level unit of region_code (省/自治区/直辖市)"),
    ("city_name", "string", "Prefecture-level unit of region_code (地级市/州/盟); null for province-level codes"),
    ("county_name", "string", "County-level unit of region_code (县/区/县级市); null above county level"),
)
_AGENCY = (
    ("agency_id", "string", "Stable agency key: region_code + normalised agency name (`doc:<sha256 prefix>` when "
                           "the report names no agency)"),
    ("agency_name", "string", "Reporting agency as named in the report"),
    ("agency_level", "string", "province | prefecture | county | township | department | central_dept"),
)

REPORTS = TableSpec(
    name="reports",
    description="One row per canonical annual report (duplicates resolved); every copy is in `documents`.",
    fields=(
        ("report_id", "string", "Stable report key: hash of agency + report year + scope (or of the document when unidentified)"),
        *_AGENCY[:1],
        *[(n, t, d) for n, (t, d) in REPORT_FIELDS.items() if n not in ("region_code",)],
        *_REGION,
        ("portal_id", "string", "Registry portal the canonical copy was found on"),
        ("landing_page", "string", "Detail page the canonical document was linked from"),
        ("document_format", "string", "File format of the canonical document (html, pdf, docx, ...)"),
        ("document_sha256", "string", "sha256 of the canonical document's bytes (first page of a multi-page article)"),
        ("part_sha256s", "list<string>", "sha256 of the continuation pages extracted with it (multi-page articles)"),
        ("copies", "int32", "Number of distinct documents (sha256) resolved to this report"),
        ("observations", "int32", "Number of observations extracted from the canonical document"),
        ("identity_flags", "int32", "Number of document-level identity breaks (see flags)"),
        ("values_disagree", "bool", "Some copy of this report carries different values for the same indicator"),
        ("flags", "list<string>", "Document-level flags: identity breaks `<identity>@<scope>` (also cross-report "
                                  "ones such as s3_carry_chain, on the later year's report), copy disagreements, ..."),
    ),
    primary_key=("report_id",),
    sort_by=("region_code", "report_year", "agency_id"),
    year_column="report_year",
)

OBSERVATIONS = TableSpec(
    name="observations",
    description="One row per extracted value (long format) of canonical reports, with provenance.",
    fields=(
        ("report_id", "string", "Report the value belongs to (reports.report_id)"),
        ("observation_seq", "int32", "Order of the value in its document (with report_id, the primary key)"),
        ("report_year", "int32", "Statistics year of the report"),
        ("region_code", "string", "GB/T 2260 code of the agency's jurisdiction"),
        ("agency_id", "string", "Agency key (reports.agency_id)"),
        ("indicator_row", "string", "Row (or row-group) code of a sec3/sec4 cell indicator"),
        ("indicator_col", "string", "Column code (applicant type / review-litigation result) of a cell indicator"),
        *[(n, t, d) for n, (t, d) in OBSERVATION_FIELDS.items()],
        ("document_sha256", "string", "sha256 of the document the value was read from (provenance; the first page "
                                      "of a multi-page article, whose pages are read as one)"),
    ),
    primary_key=("report_id", "observation_seq"),
    sort_by=("region_code", "report_year", "indicator_code", "report_id", "observation_seq"),
    year_column="report_year",
)

DOCUMENTS = TableSpec(
    name="documents",
    description="Every crawled document, duplicates and failures included, with the parse status and the "
                "deduplication decision.",
    fields=(
        ("document_id", "string", "Key of one fetch: hash of portal_id + source_url"),
        ("portal_id", "string", "Registry portal the document was found on"),
        ("source_url", "string", "URL as linked on the portal"),
        ("final_url", "string", "URL after redirects"),
        ("landing_page", "string", "Detail page the document was linked from"),
        ("title", "string", "Title as listed on the portal"),
        ("publish_date", "string", "Publication date from the portal page (ISO)"),
        ("content_type", "string", "HTTP Content-Type"),
        ("byte_size", "int64", "Size of the body in bytes"),
        ("sha256", "string", "sha256 of the body (content address in the raw archive)"),
        ("fetched_at", "string", "When the body was fetched (ISO timestamp)"),
        ("http_status", "int32", "HTTP status of the fetch"),
        ("role", "string", "detail (report page) | page_part (continuation page) | attachment"),
        ("change", "string", "new | changed | unchanged since the portal's previous crawl"),
        ("report_url", "string", "Report page the document belongs to"),
        ("parse_status", "string", "ok | not_annual_report | unsupported_format | decode_error | encrypted | empty | "
                                   "error_page | too_large | failed | not_fetched"),
        ("parse_reason", "string", "Why the document yielded no report or no values"),
        ("report_year", "int32", "Statistics year identified in the document"),
        ("agency_name", "string", "Agency identified in the document"),
        ("format_version", "string", "Format generation detected from the tables"),
        ("report_id", "string", "Report this document is a copy of (null when it is no report)"),
        ("dedup_role", "string", "canonical (the copy published in `reports`) | duplicate | page_part (continuation "
                                 "page extracted with its first page) | not_a_report"),
        ("duplicate_level", "string", "How it was matched to the canonical copy: sha256 | near_text | "
                                      "agency_year_scope (null for canonical copies)"),
        ("canonical_sha256", "string", "sha256 of the canonical copy of the report"),
        ("values_disagree", "bool", "This copy's values differ from the canonical copy's"),
        ("flags", "list<string>", "Document-level flags from parsing and deduplication"),
    ),
    primary_key=("document_id",),
    sort_by=("portal_id", "source_url"),
)

INDICATORS = TableSpec(
    name="indicators",
    description="The indicator dictionary (transforms/data/indicators.yaml), one row per code.",
    fields=(
        ("indicator_code", "string", "Canonical code (public contract: never renamed or reused)"),
        ("table", "string", "sec2 | sec3 | sec4 | old | text"),
        ("zh", "string", "Chinese label as printed in the official template"),
        ("en", "string", "English label"),
        ("unit", "string", "Unit (条, 件, 万元, ...)"),
        ("formats", "list<string>", "Format generations that carry the indicator"),
        ("confidence", "string", "confirmed | partial | memory (how sure the dictionary is)"),
        ("indicator_row", "string", "Row code of a cell indicator"),
        ("indicator_col", "string", "Column code of a cell indicator"),
        ("zh_variants", "list<string>", "Other labels seen in real reports"),
        ("comparable_to", "list<string>", "Cross-era links `<code>:<quality>`"),
        ("panel_column", "string", "Panel column this code feeds, if any"),
        ("note", "string", "Notes"),
    ),
    primary_key=("indicator_code",),
    sort_by=("indicator_code",),
)

CRAWL_HEALTH = TableSpec(
    name="crawl_health",
    description="One row per portal: the status of its latest crawl.",
    fields=(
        ("portal_id", "string", "Registry portal"),
        ("status", "string", "Portal status reported by the crawler (ok, error, blocked, ...)"),
        ("documents", "int32", "Documents in the latest crawl manifest"),
        ("documents_new", "int32", "Documents not seen before"),
        ("documents_changed", "int32", "Documents whose bytes changed"),
        ("documents_unchanged", "int32", "Documents unchanged since the previous crawl"),
        ("errors", "int32", "Errors counted by the crawler"),
        ("crawled_at", "string", "When the crawl ran (ISO timestamp)"),
        ("detail", "string", "The crawler's health record as JSON"),
    ),
    primary_key=("portal_id",),
    sort_by=("portal_id",),
)

_PANEL_ID = (
    ("report_id", "string", "Canonical report the row comes from"),
    *_AGENCY,
    *_REGION,
    ("report_scope", "string", "agency_only | region_aggregate"),
    ("report_year", "int32", "Statistics year"),
    ("format_version", "string", "Format generation of the report"),
)
PANEL_ID_COLUMNS = [f[0] for f in _PANEL_ID]


@lru_cache(maxsize=1)
def panel_spec() -> TableSpec:
    value_fields = tuple(
        (c.name, "float64",
         f"{c.en} ({c.zh}); comparability: {c.grade}; v2019/v2021: {' + '.join(c.new_codes)}; "
         f"v2008_local/v2014_national: {' + '.join(c.old_codes)}; unit {c.unit}")
        for c in panel_columns()
    )
    return TableSpec(
        name="panel",
        description="Agency x year (x scope), wide: the core indicators comparable across all four format "
                    "generations. Each value column carries its comparability grade (exact/approx/weak).",
        fields=(*_PANEL_ID, *value_fields),
        primary_key=("agency_id", "report_year", "report_scope"),
        sort_by=("region_code", "report_year", "agency_id"),
        year_column="report_year",
    )


def column_properties(spec: TableSpec) -> dict[str, dict[str, object]]:
    """Per-column facts beyond name, type and description, as data: each panel value column's
    comparability grade and the indicator codes (summed) that feed it per format generation.
    Written to datapackage.json (field properties `ogi_*`), Parquet field metadata and
    data_dictionary.csv."""
    if spec.name != "panel":
        return {}
    return {c.name: {"comparability": c.grade, "codes_by_format": {f: list(codes) for f, codes in c.codes_by_format}}
            for c in panel_columns()}


def published_tables() -> list[TableSpec]:
    return [REPORTS, OBSERVATIONS, panel_spec(), DOCUMENTS, INDICATORS, CRAWL_HEALTH]


def table_spec(name: str) -> TableSpec:
    return next(t for t in published_tables() if t.name == name)


# -- type mapping ---------------------------------------------------------------------------
_ARROW = {
    "string": pa.string(), "float64": pa.float64(), "int32": pa.int32(), "int64": pa.int64(),
    "bool": pa.bool_(), "list<string>": pa.list_(pa.string()),
}
_PANDAS = {"string": "object", "float64": "float64", "int32": "Int32", "int64": "Int64", "bool": "boolean"}
_FRICTIONLESS = {"string": "string", "float64": "number", "int32": "integer", "int64": "integer",
                 "bool": "boolean", "list<string>": "array"}


def arrow_type(type_name: str) -> pa.DataType:
    return _ARROW[type_name]


def frictionless_type(type_name: str) -> str:
    return _FRICTIONLESS[type_name]


def arrow_schema(spec: TableSpec, metadata: dict[str, str] | None = None) -> pa.Schema:
    props = column_properties(spec)
    fields = [pa.field(n, arrow_type(t), metadata={"description": d, **{
        k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in props.get(n, {}).items()}})
        for n, t, d in spec.fields]
    return pa.schema(fields, metadata={k: str(v) for k, v in (metadata or {}).items()})


def conform(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Exactly the declared columns, in order, with the declared types (missing ones all-null)."""
    out = pd.DataFrame(index=df.index)
    for name, type_name, _ in spec.fields:
        col = df[name] if name in df.columns else pd.Series([None] * len(df), index=df.index, dtype="object")
        if type_name == "list<string>":
            col = col.map(_as_list)
        elif type_name == "string":
            col = col.astype("object").where(col.notna(), None).map(lambda v: v if v is None else str(v))
        elif type_name == "bool":
            col = col.astype("boolean")
        else:
            col = pd.to_numeric(col, errors="coerce").astype(_PANDAS[type_name])
        out[name] = col
    if spec.sort_by and len(out):
        out = out.sort_values(list(spec.sort_by), kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _as_list(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def to_arrow(df: pd.DataFrame, spec: TableSpec, metadata: dict[str, str] | None = None) -> pa.Table:
    schema = arrow_schema(spec, metadata)
    table = pa.Table.from_pandas(conform(df, spec), schema=schema, preserve_index=False)
    return table.replace_schema_metadata(schema.metadata)   # our key/value block, not pandas' own


def columns_markdown() -> str:
    """The table/column summary embedded in pipelines/README.md (kept in sync by a test)."""
    out = []
    for spec in published_tables():
        out.append(f"**`{spec.name}`**: {spec.description} Primary key: `{', '.join(spec.primary_key)}`."
                   + (f" Per-year files by `{spec.year_column}`." if spec.year_column else ""))
        out.append("")
        out.append(", ".join(f"`{n}` ({t})" for n, t, _ in spec.fields))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(columns_markdown(), end="")
