"""Table cells -> canonical observations (`extract_cells`).

Grids come from `transforms.readers` (HTML/DOCX/PDF/XLS); flattened tables are read from
the document text when a document has no grid (text captures, PDF text layers without
ruled tables). Both are reduced to rows (`transforms.tables.rows`) and mapped by one
state machine (`transforms.tables.mapper`) that follows the table layouts of every format
generation; label variants are data (`transforms/data/labels/*.yaml`, indicators.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transforms.labels import default_maps, normalise_label
from transforms.model import Observation, ReadDocument, ReportMeta
from transforms.tables.flat import detect_rendering, rows_from_text
from transforms.tables.grid import rows_from_grid
from transforms.tables.mapper import Evidence, Mapper


@dataclass
class CellResult:
    """What the tables of one document yield."""

    observations: list[Observation] = field(default_factory=list)
    format_version: str | None = None        # detected from the tables; None when no table was found
    flags: list[str] = field(default_factory=list)
    rendering: str | None = None             # grid | one_cell_per_line | pipe_rows | ... (text only)
    tables_found: list[str] = field(default_factory=list)


# words only the 2019/2021 tables print (a report in the old layout may still cite 条例第二十条)
_NATIONAL_MARKERS = ("第二十条第(一)项", "第二十条第(五)项", "第二十条第(六)项", "第二十条第(八)项",
                     "第二十条第(九)项", "第二十条(五)项", "本年收费金额", "采购项目数量", "申请人情况",
                     "本年新收政府信息公开申请数量", "本年新收政府信息公开申请数", "本年制发件数", "本年新制作数量",
                     "本年处理决定数量", "上一年项目数量", "结转下年度继续办理", "结果维持")


def document_family(texts: list[str]) -> str:
    """national (2019/2021 tables) or old (pre-2019 statistical tables)."""
    joined = "".join(normalise_label(t) for t in texts)
    return "national" if any(normalise_label(m) in joined for m in _NATIONAL_MARKERS) else "old"


def format_from_evidence(ev: Evidence) -> str | None:
    if ev.tables & {"sec2", "sec3", "sec4"}:
        if ev.v2021:
            return "v2021"
        if ev.v2019:
            return "v2019"
        return None
    if "old" in ev.tables:
        return "v2014_national" if ev.old_national > ev.old_local else "v2008_local"
    return None


def extract_cells(read: ReadDocument, meta: ReportMeta) -> CellResult:
    """Every table cell of `read` as an Observation, the format generation, and flags."""
    maps = default_maps()
    result = CellResult()
    grids = [t for t in read.tables if t.rows]
    evidence = Evidence()
    text_mapper = None
    if read.text:
        # flattened tables in the text: the whole source when there is no usable grid, else only
        # the tables the grids did not hold (a table drawn without ruling, a page the reader missed)
        text_mapper = Mapper(document_family([read.text]), maps)
        text_mapper.report_year = meta.report_year
        text_mapper.feed(rows_from_text(read.text))
    if grids:
        grid_rows = [rows_from_grid(t, maps) for t in grids]
        family = document_family([c.text for rows in grid_rows for row in rows for c in row.labels])
        mapper = Mapper(family, maps)
        mapper.report_year = meta.report_year
        # a grid continuing table 三 without its header, the header read from the text
        mapper.sec3_order_elsewhere = text_mapper is not None and text_mapper.sec3_out_of_order
        for rows in grid_rows:
            mapper.feed(rows)
        if any(o.indicator_code for o in mapper.observations):
            result.observations = mapper.observations
            result.flags.extend(mapper.flags)
            result.rendering = "grid"
            evidence = mapper.evidence
    if text_mapper is not None:
        mapper = text_mapper
        if result.rendering is None:
            result.observations = mapper.observations
            result.flags.extend(mapper.flags)
            result.rendering = detect_rendering(read.text)
            evidence = mapper.evidence
        else:
            missing = mapper.evidence.tables - evidence.tables
            extra = [o for o in mapper.observations if o.indicator_code and o.table in missing]
            if extra:
                result.observations.extend(extra)
                result.flags.append(f"tables_from_text: {', '.join(sorted(missing))} read from the flattened text")
                evidence.tables |= missing
                evidence.v2019 += mapper.evidence.v2019
                evidence.v2021 += mapper.evidence.v2021
    # a table counts only when a label in it mapped to a code (a stray heading is not a table)
    evidence.tables = {o.table for o in result.observations if o.indicator_code and o.table} & evidence.tables
    if not evidence.tables:
        return result
    result.flags = list(dict.fromkeys(result.flags))
    result.tables_found = sorted(evidence.tables)
    result.format_version = format_from_evidence(evidence)
    if result.format_version is None and evidence.tables & {"sec2", "sec3", "sec4"}:
        guess = meta.format_version if meta.format_version in ("v2019", "v2021") else None
        if guess is None and meta.report_year:
            guess = "v2021" if meta.report_year >= 2021 else "v2019"
        result.format_version = guess
        result.flags.append("format_from_year_or_text: the tables found do not tell v2019 from v2021")
    return result


__all__ = ["CellResult", "extract_cells"]
