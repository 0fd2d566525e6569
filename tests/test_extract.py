"""transforms.extract: the whole chain on generated documents; it never raises."""

from __future__ import annotations

from synthetic_tables import make_national, make_old, render_html, render_text

import transforms
from transforms.model import Observation, ParsedReport, ReportMeta, SourceDocument


def test_exported_as_function_and_module_attribute():
    import importlib

    assert callable(transforms.extract)
    assert importlib.import_module("transforms.extract").extract is transforms.extract


def test_html_report_end_to_end():
    rep = make_national("v2021", seed=5)
    page = render_html(rep).replace("<title>年度报告</title>", "<title>某某区人民政府2021年政府信息公开工作年度报告</title>")
    out = transforms.extract(SourceDocument(content=page.encode(), content_type="text/html",
                                            title="某某区人民政府2021年政府信息公开工作年度报告"))
    assert out.status == "ok", out.reason
    assert out.meta.format_version == "v2021"
    values = out.values()
    assert all(values[k] == v for k, v in rep.truth.items())
    assert all(o.source == "table" for o in out.observations if o.indicator_code in rep.truth)


def test_text_capture_old_table():
    rep = make_old("v2008_local", seed=2)
    text = render_text(rep, "space_separated").replace("2021", "2012")
    out = transforms.extract(SourceDocument(content=text.encode(), content_type="text/plain",
                                            title="某某区2012年政府信息公开工作年度报告"))
    assert out.status == "ok"
    assert out.meta.format_version == "v2008_local"
    assert {k: out.values()[k] for k in rep.truth} == rep.truth


def test_report_without_table_is_narrative_only():
    text = ("某某镇2020年政府信息公开工作年度报告\n一、总体情况\n2020年，我镇主动公开政府信息52条。"
            "全年未收到政府信息公开申请。\n二、主动公开政府信息情况\n")
    out = transforms.extract(SourceDocument(content=text.encode(), content_type="text/plain",
                                            title="某某镇2020年政府信息公开工作年度报告"))
    assert out.status == "ok"
    assert out.meta.format_version == "narrative_only"
    assert all(o.source == "narrative" for o in out.observations)


def test_lookalike_is_not_a_report():
    text = "关于2021年政务公开工作要点落实情况的报告\n一、工作要点落实情况\n我局认真落实工作要点，共公开信息20条。\n"
    out = transforms.extract(SourceDocument(content=text.encode(), content_type="text/plain",
                                            title="关于2021年政务公开工作要点落实情况的报告"))
    assert out.status == "not_annual_report"
    assert out.observations == []


def test_unreadable_input_keeps_the_reader_status():
    out = transforms.extract(SourceDocument(content=b"", content_type="application/pdf"))
    assert out.status == "empty"
    out = transforms.extract(SourceDocument(content=b"%PDF-1.4 truncated", content_type="application/pdf"))
    assert out.status != "ok" and out.reason


def test_unexpected_error_becomes_failed(monkeypatch):
    import transforms.tables

    def boom(read, meta):
        raise RuntimeError("mapper exploded")

    monkeypatch.setattr(transforms.tables, "extract_cells", boom)
    rep = make_national("v2019", seed=1)
    out = transforms.extract(SourceDocument(content=render_text(rep, "pipe_rows").encode(), content_type="text/plain",
                                            title="某某区人民政府2020年政府信息公开工作年度报告"))
    assert out.status == "failed"
    assert "mapper exploded" in out.reason


def test_table_values_win_over_narrative():
    obs = [Observation("pro_items_total", 1913.0, source="narrative"),
           Observation("pro_items_total", 739.0, source="table"),
           Observation("req_received", 3.0, source="narrative"),
           Observation("pro_ch_website", None, null_reason="ambiguous"),
           Observation("pro_ch_gazette", 5.0, dimension="cumulative")]
    report = ParsedReport(status="ok", meta=ReportMeta(), observations=obs)
    assert report.values() == {"pro_items_total": 739.0, "req_received": 3.0}


def test_conflicting_table_cells_are_flagged():
    from transforms.extract import DUPLICATE_FLAG, _duplicate_conflicts

    a = Observation("pro_items_total", 1.0, table_index=0)
    b = Observation("pro_items_total", 2.0, table_index=1)
    flags = _duplicate_conflicts([a, b])
    assert flags and DUPLICATE_FLAG in a.flags and DUPLICATE_FLAG in b.flags


def test_a_failing_narrative_step_keeps_the_table_values(monkeypatch):
    import transforms.narrative

    def boom(text, meta):
        raise ValueError("pattern bug")

    monkeypatch.setattr(transforms.narrative, "extract_narrative", boom)
    rep = make_national("v2021", seed=4)
    out = transforms.extract(SourceDocument(content=render_text(rep, "pipe_rows").encode(), content_type="text/plain",
                                            title="某某区人民政府2021年政府信息公开工作年度报告"))
    assert out.status == "ok"
    assert any(f.startswith("narrative_failed") for f in out.flags)
    assert out.values()["sec3.req_new_received@total"] == rep.truth["sec3.req_new_received@total"]
