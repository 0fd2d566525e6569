"""Report pages with borderless tables printed to PDF by headless Chromium (as real reports are
captured): the PDF has no rulings, so the reader rebuilds grids from word positions
(`readers/pdf_unruled.py`). Every value read must be exact; a cell not read must be flagged
(ambiguous or unmapped), never guessed. Skipped when Chromium is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from synthetic_tables import make_old, render_html
from test_variants_national import score
from test_variants_national_gen import build_html, variants

from transforms.readers.pdf import read_pdf

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")

BORDERLESS = "<style>table,td,th{border:none!important}</style>"
# variant -> most cells it may leave out (measured when the grids were added; a cell left out
# must never become a wrong value, and the ceiling keeps what is read from slipping back)
MISSING_AT_MOST = {"base2021": 15, "base2019": 15, "blank_cells": 18, "sec3_flat_labels": 44, "sec3_split": 29,
                   "layout_tables": 85, "sec2_outside_titles_2019": 0, "word_export_2019_br": 106,
                   "sec3_split_2rows": 0, "thousands": 18,
                   # full-width digits wrap in their cells and print against the next cell's digits
                   "fullwidth": 51,
                   # 总计 first: the header prints glued (总计自然), table 三 goes on over the page
                   # without it; the rows there cannot be placed and are left out
                   "sec3_total_first": 176}


def _borderless(html: bytes) -> bytes:
    page = re.sub(rb"\sborder=(['\"]?)1\1", b"", html)
    return page.replace(b"</head>", BORDERLESS.encode() + b"</head>", 1)


def print_pdf(html: bytes) -> bytes:
    """The page printed the way the corpus PDFs were: headless Chromium, no header/footer."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out, profile = Path(tmp) / "page.html", Path(tmp) / "out.pdf", Path(tmp) / "profile"
        src.write_bytes(html)
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={out}", str(src)],
                       check=True, capture_output=True, timeout=60)
        return out.read_bytes()


@pytest.fixture(scope="module")
def printed() -> dict[str, tuple[bytes, dict[str, float], str]]:
    out = {}
    for name in sorted(MISSING_AT_MOST):
        html, truth, title = build_html(variants()[name])
        out[name] = (print_pdf(_borderless(html)), truth, title)
    return out


def test_print_has_no_rulings_and_grids_come_from_words(printed):
    import pymupdf

    content = printed["base2021"][0]
    with pymupdf.open(stream=content, filetype="pdf") as doc:
        assert not any(d.get("color") is not None and "s" in d.get("type", "") for page in doc
                       for d in page.get_drawings())
    tables = read_pdf(content).tables
    assert tables and {t.source for t in tables} == {"pdf_text"}
    rows = [r for t in tables for r in t.rows]
    # a label wrapped over lines stays one label next to its numbers; a group label gets its own cell
    assert any(r[-8:-7] == ["（一）予以公开"] and len(r) >= 9 for r in rows), rows
    assert any(r[0].startswith("（三）") and r[1] == "4．保护第三方合法权益" for r in rows), rows


@pytest.mark.parametrize("name", sorted(MISSING_AT_MOST))
def test_borderless_print_exact_or_left_out(printed, name):
    content, truth, title = printed[name]
    rep, wrong, extra, missing = score(content, "application/pdf", truth, title)
    assert rep.status == "ok"
    assert not wrong, wrong
    assert not extra, extra
    assert len(missing) <= MISSING_AT_MOST[name], missing
    assert rep.meta.format_version == variants()[name].fmt


def test_blank_cells_stay_in_their_columns(printed):
    """Blank cells of the variant are printed as nothing: each number keeps its own column."""
    content, truth, title = printed["blank_cells"]
    rep = score(content, "application/pdf", truth, title)[0]
    got = rep.values()
    sec3 = {k: v for k, v in truth.items() if k.startswith("sec3.")}
    assert sum(1 for k in sec3 if k in got) > 0.85 * len(sec3)
    assert all(got[k] == v for k, v in sec3.items() if k in got)


@pytest.mark.parametrize("fmt", ["v2008_local", "v2014_national"])
def test_borderless_old_table(fmt):
    """Old statistics tables (指标名称 | 计量单位 | 年度 | 历年累计): the unit column stays its own column;
    a header whose cells print against each other (计量单位2012年度历年累计) leaves the table as text."""
    rep = make_old(fmt, seed=1)
    content = print_pdf(_borderless(render_html(rep).encode()))
    got, wrong, extra, missing = score(content, "application/pdf", rep.truth, "")
    assert not wrong, wrong
    assert len(missing) <= 2, missing
