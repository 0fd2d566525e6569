"""transforms.evaluate: scoring arithmetic on hand-made cases, the CLI, and the real corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.evaluate import Case, main, score_case, score_metadata, summarise, table_of
from transforms.model import Observation, ParsedReport, ReportMeta


def _report(values: dict[str, float | None], **meta) -> ParsedReport:
    obs = [Observation(indicator_code=k, value=v) for k, v in values.items()]
    defaults = {"is_annual_report": True, "agency_name": "某县人民政府", "report_year": 2020, "format_version": "v2019"}
    return ParsedReport(status="ok", meta=ReportMeta(**{**defaults, **meta}), observations=obs)


def _case(values: dict, complete=(), ambiguous=(), report=None, case_id="c1") -> Case:
    truth = {"report": report or {"is_annual_report": True, "agency": "某县人民政府", "agency_aliases": ["某县"],
                                  "year": 2020, "format": "v2019", "level": "county"},
             "values": values, "complete_tables": list(complete), "ambiguous": list(ambiguous)}
    return Case(case_id, {"rendering": "pipe_rows"}, truth, Path("document.txt"))


def test_table_of_codes():
    assert table_of("sec3.req_new_received@natural_person") == "sec3"
    assert table_of("sec4.rev@corrected") == "sec4"
    assert table_of("s2_rules_issued") == "sec2"
    assert table_of("pro_items_total") == "old"
    assert table_of("not_a_code") is None


def test_correct_wrong_missing_and_extra_outside_complete_tables():
    case = _case({"sec3.req_new_received@total": 21, "s2_rules_issued": 0, "pro_items_total": 13305})
    got = _report({"sec3.req_new_received@total": 21.0, "s2_rules_issued": 1, "sec4.rev@corrected": 3,
                   "sec3.req_carried_over@total": None})
    sc = score_case(case, got)
    assert (sc.cells_truth, sc.cells_extracted, sc.cells_correct) == (3, 2, 1)
    assert any(m.startswith("wrong s2_rules_issued") for m in sc.mismatches)
    assert any(m.startswith("missing pro_items_total") for m in sc.mismatches)
    assert not any(m.startswith("extra") for m in sc.mismatches)   # sec4 is not a complete table here


def test_extra_cells_count_only_in_complete_tables_and_not_when_ambiguous():
    case = _case({"sec3.req_new_received@total": 21}, complete=["sec3", "sec2"],
                 ambiguous=["sec3.res_granted@total"])
    got = _report({"sec3.req_new_received@total": 21, "sec3.req_carried_over@total": 0,   # extra, complete
                   "sec3.res_granted@total": 5,                                           # ambiguous
                   "sec4.rev@corrected": 1,                                               # not complete
                   "s2_rules_issued": 2})                                                 # extra, complete
    sc = score_case(case, got)
    assert (sc.cells_truth, sc.cells_extracted, sc.cells_correct) == (1, 3, 1)
    assert sorted(m.split()[1] for m in sc.mismatches if m.startswith("extra")) == [
        "s2_rules_issued", "sec3.req_carried_over@total"]


def test_old_table_extras_and_ambiguous_truth_keys_are_not_scored():
    case = _case({"req_received": 4, "rev_total_old": 0}, complete=["old"], ambiguous=["rev_total_old"])
    sc = score_case(case, _report({"req_received": 4, "staff_full_time": 1, "rev_total_old": 9}))
    # staff_full_time is an old-table code -> extra in a complete table; rev_total_old ambiguous
    assert table_of("staff_full_time") == "old"
    assert (sc.cells_truth, sc.cells_extracted, sc.cells_correct) == (1, 2, 1)


def test_precision_and_recall_are_summed_over_cases():
    s1 = score_case(_case({"a_x": 1, "b_x": 2}, case_id="a"), _report({"a_x": 1, "b_x": 3}))
    s2 = score_case(_case({"c_x": 1}, case_id="b"), _report({"c_x": 1}))
    summary = summarise([s1, s2])
    assert summary["cells_truth"] == 3 and summary["cells_extracted"] == 3 and summary["cells_correct"] == 2
    assert summary["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert summary["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert summary["by_rendering"]["pipe_rows"]["documents"] == 2


def test_metadata_checks():
    truth = {"is_annual_report": True, "agency": "某县人民政府", "agency_aliases": ["某 县"], "year": 2020,
             "format": "old"}
    ok = score_metadata(truth, _report({}, agency_name="某县", format_version="v2014_national"))
    assert ok == {"is_annual_report": True, "agency": True, "year": True, "format": True}
    bad = score_metadata(truth, _report({}, agency_name="某市", report_year=2021, format_version="v2019"))
    assert bad == {"is_annual_report": True, "agency": False, "year": False, "format": False}
    # null agency/year are skipped; a look-alike scores only the flag
    assert set(score_metadata({**truth, "agency": None, "year": None}, _report({}))) == {"is_annual_report", "format"}
    lookalike = {"is_annual_report": False, "agency": None, "year": None, "format": None}
    assert score_metadata(lookalike, _report({}, is_annual_report=False)) == {"is_annual_report": True}
    assert score_metadata(lookalike, _report({})) == {"is_annual_report": False}


def _write_case(root: Path, case_id: str, html: str, truth: dict) -> None:
    folder = root / "cases" / case_id
    folder.mkdir(parents=True)
    (folder / "document.html").write_text(html, encoding="utf-8")
    (folder / "meta.json").write_text(json.dumps({"id": case_id, "source_url": "https://x.gov.cn/a.html",
                                                  "title": "", "rendering": "html_table"}), encoding="utf-8")
    (folder / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")


def test_cli_json_last_line(tmp_path, capsys):
    body = "本报告由某县人民政府编制。本报告中所列数据的统计期限为2020年1月1日至2020年12月31日。" * 5
    html = (f"<html><head><meta charset='utf-8'><title>某县2020年政府信息公开工作年度报告</title></head>"
            f"<body><p>{body}</p><p>一、总体情况</p><p>二、主动公开政府信息情况</p></body></html>")
    truth = {"report": {"is_annual_report": True, "agency": "某县", "agency_aliases": [], "year": 2020,
                        "format": "narrative_only", "level": "county"},
             "values": {"pro_items_total": 5}, "complete_tables": [], "ambiguous": []}
    _write_case(tmp_path, "case-a", html, truth)
    assert main([str(tmp_path), "--json", "--identify-only"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(lines[-1])
    for key in ("documents", "cells_truth", "cells_extracted", "cells_correct", "precision", "recall",
                "metadata_correct", "metadata_total", "by_format", "by_rendering"):
        assert key in summary
    assert summary["documents"] == 1 and summary["cells_truth"] == 1 and summary["cells_correct"] == 0
    assert summary["metadata_correct"] == summary["metadata_total"] == 4
    assert any("missing pro_items_total" in line for line in lines)


@pytest.mark.corpus
def test_corpus_documents_all_read_ok(corpus_dir):
    from transforms.evaluate import load_cases
    from transforms.readers import read

    cases = load_cases(corpus_dir)
    assert len(cases) >= 70
    bad = {c.case_id: (r.status, r.reason) for c in cases if (r := read(c.source_document())).status != "ok"}
    assert not bad


@pytest.mark.corpus
def test_corpus_end_to_end_when_extractor_exists(corpus_dir):
    pytest.importorskip("transforms.extract")
    from transforms.evaluate import evaluate

    summary = summarise(evaluate(corpus_dir))
    assert summary["metadata_correct"] / summary["metadata_total"] >= 0.98
    assert summary["seconds"] < 45


@pytest.mark.benchmark
@pytest.mark.corpus
def test_benchmark_corpus_evaluation_time(corpus_dir):
    """The whole corpus through read + identify, and through extract when it exists (target < 45 s)."""
    import time

    from transforms.evaluate import evaluate, identify_only

    start = time.perf_counter()
    scores = evaluate(corpus_dir, identify_only)
    read_identify = time.perf_counter() - start
    print(f"\nread+identify: {len(scores)} documents in {read_identify:.2f} s")
    try:
        import transforms.extract  # noqa: F401
    except ImportError:
        return
    start = time.perf_counter()
    summary = summarise(evaluate(corpus_dir))
    total = time.perf_counter() - start
    print(f"extract: {summary['documents']} documents in {total:.2f} s; precision={summary['precision']} "
          f"recall={summary['recall']} metadata={summary['metadata_correct']}/{summary['metadata_total']}")
    assert total < 45
