"""Score the extractor against a corpus of cases with truth files.

    python -m transforms.evaluate CORPUS_DIR [--json] [--quiet]

CORPUS_DIR holds `cases/<case_id>/{meta.json, truth.json, document.*}` (or is the `cases`
folder itself). Each document goes through `transforms.extract.extract` exactly as the
pipeline calls it. Scoring follows ../shared/corpus/README.md:

- T = truth `values` keys, E = codes with a non-null value in `ParsedReport.values()`;
  `ambiguous` codes are removed from both.
- correct = codes in T and E with numerically equal values;
- scored_extracted = |E ∩ T| + codes in E \\ T whose table is listed in `complete_tables`;
- precision = Σ correct / Σ scored_extracted, recall = Σ correct / Σ |T|;
- metadata: agency (agency or an alias, whitespace-normalised), year and format are one check
  each when the truth states them and the document is a report; is_annual_report is one check.

Every mismatch is printed. With --json the last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transforms.model import ParsedReport, SourceDocument

CONTENT_TYPES = {
    "html": "text/html",
    "txt": "text/plain",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
}
OLD_FORMATS = ("v2008_local", "v2014_national")


@dataclass
class Case:
    case_id: str
    meta: dict[str, Any]
    truth: dict[str, Any]
    document: Path

    @property
    def rendering(self) -> str:
        return str(self.meta.get("rendering") or "unknown")

    @property
    def truth_format(self) -> str:
        return str(self.truth.get("report", {}).get("format") or "none")

    def source_document(self) -> SourceDocument:
        kind = self.document.suffix.lstrip(".").lower()
        return SourceDocument(content=self.document.read_bytes(), content_type=CONTENT_TYPES.get(kind, ""),
                              url=self.meta.get("source_url") or "", title=self.meta.get("title") or "")


@dataclass
class CaseScore:
    case_id: str
    truth_format: str
    rendering: str
    status: str = ""
    cells_truth: int = 0
    cells_extracted: int = 0        # scored_extracted
    cells_correct: int = 0
    metadata_correct: int = 0
    metadata_total: int = 0
    seconds: float = 0.0
    mismatches: list[str] = field(default_factory=list)
    metadata: dict[str, bool] = field(default_factory=dict)


def load_cases(corpus_dir: Path) -> list[Case]:
    root = corpus_dir / "cases" if (corpus_dir / "cases").is_dir() else corpus_dir
    cases = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        docs = sorted(folder.glob("document.*"))
        if not docs or not (folder / "truth.json").exists():
            continue
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8")) if (folder / "meta.json").exists() else {}
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        cases.append(Case(folder.name, meta, truth, docs[0]))
    return cases


def table_of(code: str) -> str | None:
    """sec2 | sec3 | sec4 | old (the names `complete_tables` uses), None for other codes."""
    if code.startswith("sec3."):
        return "sec3"
    if code.startswith("sec4."):
        return "sec4"
    from transforms.dictionary import load_default

    ind = load_default().indicators.get(code)
    if ind is not None and ind.table in ("sec2", "old"):
        return ind.table
    return None


def values_equal(a: float, b: float) -> bool:
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)
    except (TypeError, ValueError):
        return False


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def score_metadata(truth_report: dict[str, Any], report: ParsedReport) -> dict[str, bool]:
    """One boolean per metadata check that applies to this case."""
    meta = report.meta
    checks: dict[str, bool] = {"is_annual_report": bool(meta.is_annual_report) == bool(truth_report.get("is_annual_report"))}
    if not truth_report.get("is_annual_report"):
        return checks
    if truth_report.get("agency"):
        names = {_norm(truth_report["agency"])} | {_norm(a) for a in truth_report.get("agency_aliases") or []}
        checks["agency"] = _norm(meta.agency_name) in names
    if truth_report.get("year") is not None:
        checks["year"] = meta.report_year == truth_report["year"]
    fmt = truth_report.get("format")
    if fmt:
        checks["format"] = meta.format_version == fmt or (fmt == "old" and meta.format_version in OLD_FORMATS)
    return checks


def score_case(case: Case, report: ParsedReport, seconds: float = 0.0) -> CaseScore:
    truth = case.truth
    ambiguous = set(truth.get("ambiguous") or [])
    complete = set(truth.get("complete_tables") or [])
    t_values = {k: v for k, v in (truth.get("values") or {}).items() if k not in ambiguous}
    e_values = {k: v for k, v in report.values().items() if v is not None and k not in ambiguous}
    sc = CaseScore(case.case_id, case.truth_format, case.rendering, status=report.status, seconds=seconds)
    sc.cells_truth = len(t_values)
    both = set(t_values) & set(e_values)
    extra = sorted(k for k in set(e_values) - set(t_values) if table_of(k) in complete)
    sc.cells_extracted = len(both) + len(extra)
    for code in sorted(t_values):
        if code not in e_values:
            sc.mismatches.append(f"missing {code} = {t_values[code]}")
        elif values_equal(t_values[code], e_values[code]):
            sc.cells_correct += 1
        else:
            sc.mismatches.append(f"wrong {code}: got {e_values[code]}, truth {t_values[code]}")
    for code in extra:
        sc.mismatches.append(f"extra {code} = {e_values[code]} (table {table_of(code)} is complete in truth)")
    if not truth.get("report", {}).get("is_annual_report", True) and e_values:
        sc.mismatches.append(f"look-alike document: {len(e_values)} values extracted (not scored)")
    sc.metadata = score_metadata(truth.get("report") or {}, report)
    sc.metadata_total = len(sc.metadata)
    sc.metadata_correct = sum(sc.metadata.values())
    m = report.meta
    got = {"is_annual_report": m.is_annual_report, "agency": m.agency_name, "year": m.report_year,
           "format": m.format_version}
    want = truth.get("report") or {}
    for check, ok in sc.metadata.items():
        if not ok:
            sc.mismatches.append(f"metadata {check}: got {got[check]!r}, truth {want.get(check)!r}")
    if report.status not in ("ok", "not_annual_report"):
        sc.mismatches.append(f"status {report.status}: {report.reason}")
    return sc


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _aggregate(scores: Iterable[CaseScore]) -> dict[str, Any]:
    scores = list(scores)
    correct = sum(s.cells_correct for s in scores)
    extracted = sum(s.cells_extracted for s in scores)
    truth = sum(s.cells_truth for s in scores)
    mc = sum(s.metadata_correct for s in scores)
    mt = sum(s.metadata_total for s in scores)
    return {"documents": len(scores), "cells_truth": truth, "cells_extracted": extracted, "cells_correct": correct,
            "precision": _ratio(correct, extracted), "recall": _ratio(correct, truth),
            "metadata_correct": mc, "metadata_total": mt, "metadata_accuracy": _ratio(mc, mt)}


def summarise(scores: list[CaseScore]) -> dict[str, Any]:
    out = _aggregate(scores)
    checks: dict[str, list[int]] = {}
    for s in scores:
        for name, ok in s.metadata.items():
            c = checks.setdefault(name, [0, 0])
            c[0] += int(ok)
            c[1] += 1
    out["metadata_checks"] = {k: {"correct": v[0], "total": v[1], "accuracy": _ratio(v[0], v[1])}
                              for k, v in sorted(checks.items())}
    for key, attr in (("by_format", "truth_format"), ("by_rendering", "rendering")):
        groups: dict[str, list[CaseScore]] = {}
        for s in scores:
            groups.setdefault(getattr(s, attr), []).append(s)
        out[key] = {k: _aggregate(v) for k, v in sorted(groups.items())}
    statuses: dict[str, int] = {}
    for s in scores:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    out["statuses"] = statuses
    out["seconds"] = round(sum(s.seconds for s in scores), 2)
    return out


def _extractor() -> Callable[[SourceDocument], ParsedReport]:
    return importlib.import_module("transforms.extract").extract


def identify_only(doc: SourceDocument) -> ParsedReport:
    """read + identify without cell mapping (`--identify-only`): scores the metadata on its own."""
    from transforms.identify import identify
    from transforms.readers import read

    got = read(doc)
    meta = identify(got, doc)
    status = got.status if got.status != "ok" else ("ok" if meta.is_annual_report else "not_annual_report")
    return ParsedReport(status=status, meta=meta, reason=got.reason, read=got)


def evaluate(corpus_dir: Path, extract: Callable[[SourceDocument], ParsedReport] | None = None) -> list[CaseScore]:
    extract = extract or _extractor()
    scores = []
    for case in load_cases(corpus_dir):
        start = time.perf_counter()
        try:
            report = extract(case.source_document())
        except Exception as exc:  # extract must not raise; score the case as failed instead
            from transforms.model import ReportMeta

            report = ParsedReport(status="failed", meta=ReportMeta(), reason=f"{type(exc).__name__}: {exc}")
        scores.append(score_case(case, report, time.perf_counter() - start))
    return scores


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def print_report(scores: list[CaseScore], summary: dict[str, Any], out=None) -> None:
    w = (out or sys.stdout).write
    w(f"{'case':44s} {'format':15s} {'rendering':21s} {'status':10s} {'truth':>5s} {'extr':>5s} {'corr':>5s} "
      f"{'prec':>6s} {'rec':>6s} meta\n")
    for s in scores:
        w(f"{s.case_id:44s} {s.truth_format:15s} {s.rendering:21s} {s.status:10s} {s.cells_truth:5d} "
          f"{s.cells_extracted:5d} {s.cells_correct:5d} {_fmt(_ratio(s.cells_correct, s.cells_extracted)):>6s} "
          f"{_fmt(_ratio(s.cells_correct, s.cells_truth)):>6s} {s.metadata_correct}/{s.metadata_total}\n")
    w("\nMismatches\n")
    for s in scores:
        for m in s.mismatches:
            w(f"  {s.case_id}: {m}\n")
    for key in ("by_format", "by_rendering"):
        w(f"\n{key}\n")
        for name, g in summary[key].items():
            w(f"  {name:22s} docs={g['documents']:3d} truth={g['cells_truth']:5d} extracted={g['cells_extracted']:5d} "
              f"correct={g['cells_correct']:5d} precision={_fmt(g['precision'])} recall={_fmt(g['recall'])} "
              f"metadata={g['metadata_correct']}/{g['metadata_total']}\n")
    w("\nMetadata checks\n")
    for name, c in summary["metadata_checks"].items():
        w(f"  {name:18s} {c['correct']}/{c['total']} = {_fmt(c['accuracy'])}\n")
    w(f"\nOverall: documents={summary['documents']} cells_truth={summary['cells_truth']} "
      f"cells_extracted={summary['cells_extracted']} correct={summary['cells_correct']} "
      f"precision={_fmt(summary['precision'])} recall={_fmt(summary['recall'])} "
      f"metadata={summary['metadata_correct']}/{summary['metadata_total']} "
      f"({_fmt(summary['metadata_accuracy'])}) statuses={summary['statuses']} time={summary['seconds']}s\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transforms.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus_dir", type=Path, help="folder with cases/<case_id>/ (or the cases folder)")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object on the last line")
    parser.add_argument("--quiet", action="store_true", help="only the summary (no per-document lines)")
    parser.add_argument("--identify-only", action="store_true",
                        help="run read + identify only (no cells): metadata figures without the cell mapper")
    args = parser.parse_args(argv)
    if not args.corpus_dir.is_dir():
        parser.error(f"{args.corpus_dir} is not a folder")
    if args.identify_only:
        extract = identify_only
    else:
        try:
            extract = _extractor()
        except ImportError as exc:
            parser.error(f"transforms.extract is not importable ({exc}); use --identify-only")
    scores = evaluate(args.corpus_dir, extract)
    summary = summarise(scores)
    if not args.quiet:
        print_report(scores, summary)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
