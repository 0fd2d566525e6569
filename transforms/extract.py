"""One document in, one ParsedReport out: read -> identify -> cells -> narrative -> validate.

`extract` is what the pipeline and the evaluation call for every document. It never
raises: a document that cannot be read keeps the reader's status and reason, a look-alike
is `not_annual_report` with no observations, and an unexpected exception becomes status
`failed` with the message. The format generation is the one the tables show
(`transforms.tables`); a report without a table is `narrative_only`.
"""

from __future__ import annotations

import traceback

from transforms.model import Observation, ParsedReport, ReportMeta, SourceDocument

DUPLICATE_FLAG = "table_value_conflict"


def _duplicate_conflicts(observations: list[Observation]) -> list[str]:
    """Flag codes that two table cells give different values (the first one is reported)."""
    first: dict[str, Observation] = {}
    out: list[str] = []
    for obs in observations:
        if obs.source != "table" or obs.value is None or not obs.indicator_code or obs.dimension:
            continue
        prev = first.setdefault(obs.indicator_code, obs)
        if prev is not obs and prev.value != obs.value:
            for o in (prev, obs):
                if DUPLICATE_FLAG not in o.flags:
                    o.flags.append(DUPLICATE_FLAG)
            out.append(f"{DUPLICATE_FLAG}@{obs.indicator_code}: {prev.value:g} (table {prev.table_index}) "
                       f"vs {obs.value:g} (table {obs.table_index}); the first is kept")
    return out


def extract(doc: SourceDocument) -> ParsedReport:
    """Parse one document into report metadata and observations (never raises)."""
    meta = ReportMeta(source_url=doc.url or None, title=doc.title or None)
    read = None
    try:
        from transforms.readers import read as read_document

        read = read_document(doc)
        if read.status != "ok":
            return ParsedReport(status=read.status, meta=meta, reason=read.reason, read=read)

        from transforms.identify import identify

        meta = identify(read, doc)
        if not meta.is_annual_report:
            return ParsedReport(status="not_annual_report", meta=meta, read=read,
                                reason=f"not an annual report ({meta.doc_kind})")

        from transforms.tables import extract_cells

        cells = extract_cells(read, meta)
        meta.format_version = cells.format_version or "narrative_only"
        observations = list(cells.observations)
        flags = list(cells.flags)

        try:  # a failing later step costs its own output, not the table values
            from transforms.narrative import extract_narrative, narrative_conflicts

            narrative = extract_narrative(read.text or "", meta)
            for obs in narrative:
                obs.source = "narrative"
            observations.extend(narrative)
            flags.extend(narrative_conflicts(observations))
        except Exception as exc:
            flags.append(f"narrative_failed: {type(exc).__name__}: {exc}")
        flags.extend(_duplicate_conflicts(observations))
        try:
            from transforms.validate import validate

            flags.extend(validate(observations, meta.format_version))
        except Exception as exc:
            flags.append(f"validate_failed: {type(exc).__name__}: {exc}")
        return ParsedReport(status="ok", meta=meta, observations=observations, flags=flags, read=read)
    except Exception as exc:  # the run goes on; the reason is recorded
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else ""
        return ParsedReport(status="failed", meta=meta, reason=f"{type(exc).__name__}: {exc}{where}", read=read)


__all__ = ["extract"]
