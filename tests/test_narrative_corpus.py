"""extract_narrative on the real corpus (../shared/corpus; skipped when absent).

Narrative-only cases: every truth value found, none wrong. Every case: a narrative value
that differs from truth must be a narrative-vs-table conflict the truth file records
(the table value wins in `ParsedReport.values()`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.model import ReportMeta, SourceDocument
from transforms.narrative import extract_narrative

pytestmark = pytest.mark.corpus


def _document_text(case: Path) -> str:
    doc = next(p for p in case.iterdir() if p.name.startswith("document."))
    if doc.suffix == ".txt":
        return doc.read_text(encoding="utf-8")
    readers = pytest.importorskip("transforms.readers")
    return readers.read(SourceDocument(content=doc.read_bytes(), url=doc.name)).text


def _meta(truth: dict) -> ReportMeta:
    report = truth["report"]
    fmt = report.get("format")
    return ReportMeta(report_year=report.get("year"),
                      format_version=None if fmt in (None, "narrative_only", "old") else fmt)


@pytest.fixture(scope="module")
def results(corpus_dir: Path) -> list[tuple[str, dict, dict[str, float]]]:
    out = []
    for case in sorted((corpus_dir / "cases").iterdir()):
        truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
        if not truth["report"].get("is_annual_report", True):
            continue
        obs = extract_narrative(_document_text(case), _meta(truth))
        out.append((case.name, truth, {o.indicator_code: o.value for o in obs if o.value is not None}))
    return out


def test_narrative_only_cases_precision_and_recall(results):
    correct = wrong = expected = 0
    problems = []
    for name, truth, got in results:
        if truth["report"]["format"] != "narrative_only":
            continue
        expected += len(truth["values"])
        for code, want in truth["values"].items():
            if code not in got:
                problems.append(f"{name}: missed {code}={want}")
        for code, value in got.items():
            if code in truth["values"]:
                if value == truth["values"][code]:
                    correct += 1
                else:
                    wrong += 1
                    problems.append(f"{name}: {code}={value:g}, truth {truth['values'][code]}")
    print(f"narrative_only: correct {correct}, wrong {wrong}, truth values {expected}")
    assert wrong == 0, problems
    assert correct == expected, problems


def test_wrong_narrative_values_are_recorded_conflicts(results):
    unexplained = []
    for name, truth, got in results:
        notes = " ".join(x for x in truth.get("source_inconsistencies", []) if "narrative" in x)
        for code, value in got.items():
            want = truth["values"].get(code)
            if want is not None and value != want and f"{value:g}" not in notes:
                unexplained.append(f"{name}: {code}={value:g}, truth {want}")
    assert not unexplained
