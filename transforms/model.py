"""Data contracts of the extraction engine.

These dataclasses are the stable interface between `transforms` (which produces them),
`pipelines` (which persists them) and the evaluation command. Column names and types of
the observation and report tables are declared once here (`OBSERVATION_FIELDS`,
`REPORT_FIELDS`) and the Parquet schemas and data dictionary are generated from them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Format generations (ids shared with indicators.yaml and the corpus truth files).
FORMATS = ("v2008_local", "v2014_national", "v2019", "v2021", "narrative_only")

# Why a document produced no report / no values (stable strings, used in published tables).
DOCUMENT_STATUSES = (
    "ok",                   # parsed; observations (possibly none) were extracted
    "not_annual_report",    # a look-alike (工作要点落实情况, 统计数据, ...): nothing extracted
    "unsupported_format",   # OFD, images, unknown binary formats
    "decode_error",         # bytes could not be decoded / document is corrupt or truncated
    "encrypted",            # password-protected PDF or Office file
    "empty",                # no text at all (scanned PDF without text layer, blank page)
    "error_page",           # an HTTP error page or a JS challenge page saved as a document
    "too_large",            # over the configured size limit
    "failed",               # unexpected exception; `reason` holds the message
)


@dataclass(frozen=True)
class SourceDocument:
    """What a crawl hands to the extractor: the bytes and what is known about them."""

    content: bytes
    content_type: str = ""          # HTTP Content-Type or a guess from the extension
    url: str = ""                   # final URL of the document
    title: str = ""                 # title as listed on the portal, when known
    landing_url: str = ""           # detail page the attachment was linked from
    publish_date: str = ""          # from the crawl (page meta), ISO date, when known


@dataclass
class Table:
    """A table grid as read from a document, merged cells already expanded.

    `rows[i][j]` is the text of the cell (a merged cell's text repeated in every slot it
    covers). `source` says where the grid came from (html, pdf, docx, xls, text).
    """

    rows: list[list[str]]
    index: int = 0                  # order of the table in the document
    source: str = ""
    page: int | None = None         # PDF page (1-based) where the table starts
    char_offset: int | None = None  # offset of the table in `ReadDocument.text`, when known


@dataclass
class ReadDocument:
    """A document reduced to text and tables (the output of `transforms.readers`)."""

    kind: str                       # html | pdf | docx | doc | xls | xlsx | text
    text: str                       # the whole text in reading order (tables flattened inline)
    tables: list[Table] = field(default_factory=list)
    encoding: str | None = None
    title: str = ""                 # <title> / first heading / PDF metadata title
    meta: dict[str, str] = field(default_factory=dict)  # e.g. html <meta> PubDate, SiteIDCode
    status: str = "ok"              # one of DOCUMENT_STATUSES
    reason: str = ""                # human-readable detail when status != ok


@dataclass
class ReportMeta:
    """Report-level metadata (codes of `report_metadata` in indicators.yaml)."""

    is_annual_report: bool = False
    doc_kind: str = "unknown"       # annual_report | lookalike:<what> | unknown
    agency_name: str | None = None
    agency_level: str | None = None  # province | prefecture | county | township | department | central_dept
    region_code: str | None = None   # GB/T 2260, 6 digits
    region_name: str | None = None
    report_scope: str | None = None  # agency_only | region_aggregate
    report_year: int | None = None
    publish_date: str | None = None  # ISO yyyy-mm-dd
    format_version: str | None = None  # one of FORMATS
    title: str | None = None
    source_url: str | None = None
    site_id_code: str | None = None
    index_number: str | None = None


@dataclass
class Observation:
    """One value of one table cell (or one narrative sentence), with its provenance.

    A cell whose label maps to no code is kept with `indicator_code=None` and its raw
    labels. A cell that cannot be read with certainty has `value=None` and a
    `null_reason`; values that break an identity keep the printed value and get a flag.
    """

    indicator_code: str | None
    value: float | None
    unit: str | None = None
    value_normalised: float | None = None   # money in 元 (CNY), counts unchanged
    unit_normalised: str | None = None
    raw_row_label: str | None = None
    raw_col_label: str | None = None
    raw_text: str | None = None
    table: str | None = None                # sec2 | sec3 | sec4 | old | narrative | other
    table_index: int | None = None
    row: int | None = None
    col: int | None = None
    char_offset: int | None = None
    source: str = "table"                   # table | narrative
    dimension: str | None = None            # extra dimension, e.g. per-tier column (Anhui)
    value_column_kind: str | None = None    # annual | cumulative | quarterly | per_tier
    null_reason: str | None = None          # blank | dash | slash | none_word | ambiguous | unparsable
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ParsedReport:
    """The result of `transforms.extract(document)`."""

    status: str                              # one of DOCUMENT_STATUSES
    meta: ReportMeta
    observations: list[Observation] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)      # document-level flags (identity breaks, ...)
    reason: str = ""
    read: ReadDocument | None = None

    def values(self) -> dict[str, float]:
        """Canonical code -> value for emitted (non-null, mapped, non-ambiguous) observations.

        Table values win over narrative values, and a cell the table prints blank is not
        filled from prose (the table was located; the prose may count differently). Within
        a source the first observation wins.
        """
        out: dict[str, float] = {}
        in_table = {o.indicator_code for o in self.observations if o.source != "narrative" and o.indicator_code}
        for source_first in (True, False):
            for obs in self.observations:
                if (obs.source != "narrative") != source_first:
                    continue
                if not source_first and obs.indicator_code in in_table:
                    continue
                if obs.indicator_code and obs.value is not None and obs.dimension is None:
                    out.setdefault(obs.indicator_code, obs.value)
        return out


# Column name -> (arrow type name, description). The published `observations` and
# `reports` tables and the data dictionary are generated from these declarations.
OBSERVATION_FIELDS: dict[str, tuple[str, str]] = {
    "indicator_code": ("string", "Canonical indicator code from indicators.yaml; null when the label maps to no code"),
    "value": ("float64", "Value as printed, in `unit`"),
    "unit": ("string", "Unit as printed or the dictionary default (条, 件, 万元, 元, ...)"),
    "value_normalised": ("float64", "Money converted to 元 (CNY); counts unchanged"),
    "unit_normalised": ("string", "Unit of value_normalised"),
    "raw_row_label": ("string", "Row label as printed"),
    "raw_col_label": ("string", "Column label as printed"),
    "raw_text": ("string", "Cell text or sentence as printed"),
    "table": ("string", "sec2 | sec3 | sec4 | old | narrative | other"),
    "table_index": ("int32", "Index of the table in the document"),
    "row": ("int32", "Row index in the table grid"),
    "col": ("int32", "Column index in the table grid"),
    "char_offset": ("int64", "Character offset in the document text (flattened tables, narrative)"),
    "source": ("string", "table | narrative"),
    "dimension": ("string", "Extra dimension such as a per-tier column (Anhui tables)"),
    "value_column_kind": ("string", "annual | cumulative | quarterly | per_tier (old local tables)"),
    "null_reason": ("string", "Why value is null: blank | dash | slash | none_word | ambiguous | unparsable"),
    "flags": ("list<string>", "Validation flags on this value (identity ids that break, ...)"),
}

REPORT_FIELDS: dict[str, tuple[str, str]] = {
    "is_annual_report": ("bool", "The document is a 政府信息公开工作年度报告 (not a look-alike)"),
    "doc_kind": ("string", "annual_report | lookalike:<kind> | unknown"),
    "agency_name": ("string", "Reporting agency as named in the report"),
    "agency_level": ("string", "province | prefecture | county | township | department | central_dept"),
    "region_code": ("string", "GB/T 2260 code of the agency's jurisdiction"),
    "region_name": ("string", "Name of that region"),
    "report_scope": ("string", "agency_only | region_aggregate"),
    "report_year": ("int32", "Statistics year (not the publication year)"),
    "publish_date": ("string", "Publication date, ISO yyyy-mm-dd"),
    "format_version": ("string", "v2008_local | v2014_national | v2019 | v2021 | narrative_only"),
    "title": ("string", "Report title"),
    "source_url": ("string", "URL of the document"),
    "site_id_code": ("string", "政府网站标识码"),
    "index_number": ("string", "索引号"),
}
