"""The national tables in PDFs without rulings and in DOCX layouts (merged cells, text boxes,
layout tables): exact values or flagged omissions, never a wrong value.

Documents are generated here (PyMuPDF text at grid positions; python-docx; LibreOffice when
installed). OMITTED lists the variants whose reading is known to be partial: their missing
cells must be marked (ambiguous or unmapped observations), and nothing they emit may be wrong.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace

import pytest
from test_variants_national import score
from test_variants_national_gen import (
    build_docx,
    build_pdf_text_table,
    docx_variants,
    pdf_variants,
    variants,
)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# text-only PDFs lose blank cells (a row of 6 numbers under 7 columns cannot be placed) and a
# group label wrapped across a leaf label's lines hides that leaf; pdf_text_blanks is read in full
# since grids are rebuilt from word positions (readers/pdf_unruled.py places a number by x)
OMITTED = {"pdf_text_wrapped_blanks_2019", "pdf_text_wrapped_center"}


def _assert_flagged(rep, missing: list[str]) -> None:
    """Every missing sec3 row is present as a non-value (ambiguous row or unmapped cells)."""
    kept = {o.indicator_code for o in rep.observations if o.value is None and o.indicator_code}
    unmapped = [o for o in rep.observations if o.indicator_code is None and o.table == "sec3" and o.value is not None]
    for code in missing:
        assert code in kept or unmapped, code


@pytest.mark.parametrize("name", sorted(pdf_variants()))
def test_pdf_without_rulings(name):
    content, truth, title = build_pdf_text_table(pdf_variants()[name])
    rep, wrong, extra, missing = score(content, PDF, truth, title)
    assert rep.status == "ok"
    assert not wrong, wrong
    assert not extra, extra
    if name in OMITTED:
        assert missing
        _assert_flagged(rep, missing)
        assert len(missing) < len(truth) / 4
    else:
        assert not missing, missing
        assert rep.meta.format_version == pdf_variants()[name].fmt


def test_pdf_blank_cells_rows_are_ambiguous_not_shifted():
    content, truth, title = build_pdf_text_table(pdf_variants()["pdf_text_blanks"])
    rep, wrong, extra, missing = score(content, PDF, truth, title)
    assert not wrong and not extra
    flagged = [o for o in rep.observations if o.null_reason == "ambiguous" and "too_few_values" in o.flags]
    assert {o.indicator_code for o in flagged} >= set(missing)


@pytest.mark.parametrize("name", sorted(docx_variants()))
def test_docx_variant(name):
    var, container, borders = docx_variants()[name]
    content, truth, title = build_docx(var, container, borders)
    rep, wrong, extra, missing = score(content, DOCX, truth, title)
    assert rep.status == "ok"
    assert not wrong, wrong
    assert not extra, extra
    assert not missing, missing


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("borders", [False, True])
def test_libreoffice_pdf_of_a_docx(tmp_path, borders):
    """A DOCX printed to PDF by LibreOffice: ruled (grid) or borderless (text only)."""
    var = replace(variants()["base2021"], nulls="zero")
    content, truth, title = build_docx(var, "body", borders)
    src = tmp_path / "report.docx"
    src.write_bytes(content)
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"LibreOffice conversion failed: {exc}")
    rep, wrong, extra, missing = score((tmp_path / "report.pdf").read_bytes(), PDF, truth, title)
    assert rep.status == "ok"
    assert not wrong, wrong
    assert not extra, extra
    print(f"libreoffice borders={borders}: {len(truth) - len(missing)}/{len(truth)} values")


@pytest.mark.parametrize("name", ["base2021", "sec4_2rows", "hubei", "kitchen_sink_2019"])
def test_ruled_pdf_prints_never_wrong(name):
    """Printed with ruled cells (PyMuPDF Story, whose narrow cells let numbers spill over)."""
    from test_variants_national_gen import build_story_pdf

    content, truth, title = build_story_pdf(variants()[name])
    rep, wrong, extra, missing = score(content, PDF, truth, title)
    assert not wrong, wrong
    assert not extra, extra
    assert len(missing) < 10


def test_a_cell_holding_two_numbers_makes_its_row_ambiguous():
    from transforms.model import ReadDocument, ReportMeta, Table
    from transforms.tables import extract_cells

    grid = [["第二十条第（五）项"] * 4,
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "292", "0 1", "49"],       # '149' cut by a cell border
            ["其他对外管理服务事项", "83", "-2", "78"]]
    res = extract_cells(ReadDocument(kind="pdf", text="", tables=[Table(rows=grid, source="pdf")]), ReportMeta())
    got = {o.indicator_code: o.value for o in res.observations if o.value is not None}
    assert "s2_license_decisions" not in got and "s2_license_items_prev" not in got
    assert got["s2_other_services_items_change"] == -2 and got["s2_other_services_decisions"] == 78
    assert any("cell_with_several_numbers" in o.flags for o in res.observations)


def test_random_ruled_pdf_prints_never_wrong():
    """Random layouts printed with rulings, broken across pages (a number is never carried into
    the empty cell below it; a label cell naming several rows is not read)."""
    import random

    from test_variants_national_gen import build_story_pdf, random_variant

    rng = random.Random(5)
    for _ in range(8):
        var = random_variant(rng)
        content, truth, title = build_story_pdf(var)
        _, wrong, extra, _ = score(content, PDF, truth, title)
        assert not wrong and not extra, (var, wrong, extra[:3])


def test_a_column_read_as_one_digit_run_is_not_a_value():
    """'0101900084…' (a column of cells read as one) in a grid or in a pipe row is never a number."""
    from transforms.model import ReadDocument, ReportMeta, Table
    from transforms.tables import extract_cells

    head = ["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    row = ["一、本年新收政府信息公开申请数量", "0101900084002125", "0", "0", "17", "0", "1", "18"]
    grid = ReadDocument(kind="pdf", text="", tables=[Table(rows=[head, row], source="pdf")])
    text = ReadDocument(kind="text", text="\n".join(" | ".join(r) for r in (head, row)))
    for read in (grid, text):
        res = extract_cells(read, ReportMeta())
        assert not [o for o in res.observations if o.value is not None and o.indicator_code], read.kind


def test_random_unruled_pdfs_never_wrong():
    """Text-only PDFs in random geometries (narrow label columns make labels run into cells)."""
    import random

    from test_variants_national_gen import PdfVariant

    rng = random.Random(3)
    for _ in range(12):
        var = PdfVariant(fmt=rng.choice(["v2019", "v2021"]), seed=rng.randint(1, 999),
                         leaf_width=rng.choice([80.0, 110.0, 160.0, 330.0]), valign=rng.choice(["top", "center"]),
                         nested=rng.choice([True, False]), nulls=rng.choice(["zero", "blank"]),
                         font_size=rng.choice([7.0, 8.0, 9.0]))
        content, truth, title = build_pdf_text_table(var)
        _, wrong, extra, _ = score(content, PDF, truth, title)
        assert not wrong and not extra, (var, wrong, extra[:3])
