"""Attachment files of the demo site: the report as PDF (PyMuPDF) and as DOCX (python-docx)."""

from __future__ import annotations

import io
import zipfile
from html import escape

import pymupdf
from docx import Document

from spiders.fixture_site import tables

_CSS = "body{font-size:10pt} td{border:1px solid black;font-size:8pt;padding:2px} table{border-collapse:collapse}"


def story_pdf(html: str, user_css: str, paper: str, margin: float) -> bytes:
    """HTML laid out over as many pages as it needs by PyMuPDF's Story (tables break across pages)."""
    buf = io.BytesIO()
    story = pymupdf.Story(html=html, user_css=user_css)
    writer = pymupdf.DocumentWriter(buf)
    box = pymupdf.paper_rect(paper)
    more = True
    while more:
        device = writer.begin_page(box)
        more, _ = story.place(box + (margin, margin, -margin, -margin))
        story.draw(device)
        writer.end_page()
    writer.close()
    return buf.getvalue()


def report_pdf(title: str, fmt: str, agency: str, year: int, values: dict) -> bytes:
    """A text PDF with real ruled tables (what a print-to-PDF of the report page gives)."""
    html = f"<h3>{escape(title)}</h3>" + tables.body_html(fmt, agency, year, values)
    doc = pymupdf.open(stream=story_pdf(html, _CSS, "a4", 40), filetype="pdf")
    doc.set_metadata({"title": title, "author": agency, "creationDate": "D:20240101000000",
                      "modDate": "D:20240101000000", "producer": "ogi-reports demo site"})
    doc.subset_fonts()
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def report_docx(title: str, fmt: str, agency: str, year: int, values: dict) -> bytes:
    """A Word document with merged-cell tables, as agencies attach them."""
    doc = Document()
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    for heading, text, grid in tables.sections(fmt, agency, year, values):
        doc.add_paragraph(heading)
        if text:
            doc.add_paragraph(text)
        if grid:
            _add_grid(doc, grid)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Same report, same bytes: rewrite the zip with fixed entry timestamps."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _add_grid(doc, grid) -> None:
    """Lay the (text, colspan, rowspan) grid out on a regular table and merge the spans."""
    ncols = sum(cs for _, cs, _ in grid[0]) if grid else 0
    occupied: dict[tuple[int, int], bool] = {}
    placed = []
    for r, row in enumerate(grid):
        c = 0
        for text, cs, rs in row:
            while occupied.get((r, c)):
                c += 1
            placed.append((r, c, text, cs, rs))
            for dr in range(rs):
                for dc in range(cs):
                    occupied[(r + dr, c + dc)] = True
            c += cs
        ncols = max(ncols, c)
    table = doc.add_table(rows=len(grid), cols=ncols)
    table.style = "Table Grid"
    for r, c, text, cs, rs in placed:
        cell = table.cell(r, c)
        if cs > 1 or rs > 1:
            cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
        cell.text = text
