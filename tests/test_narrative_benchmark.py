"""Speed of extract_narrative and validate (run with `pytest -m benchmark -s`)."""

from __future__ import annotations

import time

import pytest

from transforms.dictionary import load_default
from transforms.model import Observation, ReportMeta
from transforms.narrative import extract_narrative
from transforms.validate import validate

pytestmark = pytest.mark.benchmark


def test_narrative_and_validate_speed():
    paragraph = ("2021年，本机关主动公开政府信息1,234条，其中政策文件56条。本年度新收政府信息公开申请42件，"
                 "上年结转3件，办结政府信息公开申请40件，结转下年度继续办理5件。未发生行政复议。\n")
    text = paragraph * 2000                       # ~300 KB, a long report
    meta = ReportMeta(report_year=2021, format_version="v2021")
    start = time.perf_counter()
    obs = extract_narrative(text, meta)
    narrative_s = time.perf_counter() - start
    assert obs
    cells = [Observation(code, 1.0, table=ind.table) for code, ind in load_default().indicators.items()
             if ind.table in ("sec3", "sec4") and "v2021" in ind.formats]
    start = time.perf_counter()
    for _ in range(20):
        validate(cells, "v2021")
    validate_s = (time.perf_counter() - start) / 20
    print(f"\nextract_narrative: {len(text) / 1000:.0f} k chars in {narrative_s:.3f} s; "
          f"validate: {len(cells)} cells in {validate_s * 1000:.1f} ms")
