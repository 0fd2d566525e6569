"""Word documents: DOCX with python-docx; DOC/WPS/RTF converted first (antiword or LibreOffice).

DOCX body paragraphs and tables are read in document order. python-docx's `row.cells` repeats
a merged cell (gridSpan and vMerge) in every slot it covers, which is the grid convention of
`transforms.model.Table`. Tables nested in cells become grids of their own.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from transforms.model import ReadDocument, Table
from transforms.readers.cells import cell_text, drop_empty_rows, drop_phantom_columns, pad

CELL_SEPARATOR = " | "
CONVERT_TIMEOUT_S = 120


def _docx_table_rows(table) -> list[list[str]]:
    """Grid of a Word table: python-docx repeats a merged cell (gridSpan, vMerge) in every slot
    it covers; phantom grid columns left by Word are dropped."""
    ids: list[list] = []
    texts: dict[int, str] = {}
    alive = []  # keep the lxml proxies alive so that id() stays unique
    for row in table.rows:
        try:
            cells = row.cells
        except Exception:  # malformed grid spans
            cells = []
        row_ids = []
        for c in cells:
            alive.append(c._tc)
            key = id(c._tc)
            if key not in texts:
                texts[key] = cell_text("\n".join(p.text for p in c.paragraphs))
            row_ids.append(key)
        ids.append(row_ids)
    rows = [[texts[k] if k is not None else "" for k in row] for row in drop_phantom_columns(ids)]
    return drop_empty_rows(pad(rows))


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_TBL, _W_P = f"{{{_W_NS}}}tbl", f"{{{_W_NS}}}p"
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _text_boxes(paragraph) -> list:
    """The text-box contents (w:txbxContent) anchored in a paragraph; of the two copies Word
    writes (mc:Choice drawing and mc:Fallback VML) only the first is kept."""
    found = paragraph._p.iter(f"{{{_W_NS}}}txbxContent")
    out = []
    for box in found:
        if any(a.tag == f"{{{_MC_NS}}}Fallback" for a in box.iterancestors()):
            continue
        if any(a.tag == f"{{{_W_NS}}}txbxContent" for a in box.iterancestors()):
            continue
        out.append(box)
    return out


def read_docx(content: bytes, kind: str = "docx") -> ReadDocument:
    try:
        import docx
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(content))
    except Exception as exc:
        return ReadDocument(kind=kind, text="", status="decode_error", reason=f"DOCX could not be opened: {exc}")
    lines: list[str] = []
    tables: list[Table] = []
    length = 0

    def push(line: str) -> None:
        nonlocal length
        length += len(line) + (1 if lines else 0)
        lines.append(line)

    def add_table(t, nested: bool) -> None:
        rows = _docx_table_rows(t)
        if rows:
            offset = None if nested else length + (1 if lines else 0)
            tables.append(Table(rows=rows, index=len(tables), source=kind, char_offset=offset))
            if not nested:
                for row in rows:
                    push(CELL_SEPARATOR.join(row))
        # a layout table without text of its own still holds its inner tables
        seen: list = []
        for row in t.rows:
            for c in row.cells:
                if c._tc in seen:
                    continue
                seen.append(c._tc)
                for inner in c.tables:
                    add_table(inner, nested=True)

    try:
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                text = " ".join(block.text.split())
                if text:
                    push(text)
                for box in _text_boxes(block):
                    for el in box:
                        if el.tag == _W_TBL:
                            add_table(DocxTable(el, block), nested=False)
                        elif el.tag == _W_P:
                            inner = " ".join(Paragraph(el, block).text.split())
                            if inner:
                                push(inner)
            elif isinstance(block, DocxTable):
                add_table(block, nested=False)
    except Exception as exc:
        return ReadDocument(kind=kind, text="\n".join(lines), tables=tables, status="decode_error",
                            reason=f"DOCX body could not be read: {exc}")
    props = document.core_properties
    meta = {k: str(v) for k, v in (("title", props.title), ("author", props.author),
                                    ("created", props.created), ("modified", props.modified)) if v}
    text = "\n".join(lines)
    status, reason = ("ok", "") if text.strip() else ("empty", "document has no text")
    return ReadDocument(kind=kind, text=text, tables=tables, title=props.title or "", meta=meta,
                        status=status, reason=reason)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_soffice(content: bytes, suffix: str) -> bytes | None:
    """Convert a legacy Word file to DOCX with LibreOffice headless; None when it fails."""
    exe = _soffice()
    if not exe:
        return None
    with tempfile.TemporaryDirectory(prefix="ogi-convert-") as tmp:
        src = Path(tmp) / f"input.{suffix}"
        src.write_bytes(content)
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except (subprocess.TimeoutExpired, OSError):
            return None
        out = Path(tmp) / "input.docx"
        return out.read_bytes() if out.exists() and out.stat().st_size else None


def antiword_text(content: bytes) -> tuple[str | None, str]:
    exe = shutil.which("antiword")
    if not exe:
        return None, "antiword is not installed"
    with tempfile.NamedTemporaryFile(suffix=".doc") as fh:
        fh.write(content)
        fh.flush()
        try:
            proc = subprocess.run([exe, "-m", "UTF-8.txt", "-w", "0", fh.name], capture_output=True,
                                  timeout=CONVERT_TIMEOUT_S, check=False)
        except (subprocess.TimeoutExpired, OSError) as exc:
            return None, f"antiword failed: {exc}"
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        return None, f"antiword failed: {err[:200]}"
    return proc.stdout.decode("utf-8", "replace"), ""


def read_legacy_word(content: bytes, kind: str) -> ReadDocument:
    """DOC / WPS / RTF: LibreOffice to DOCX (keeps tables); antiword text as a fallback for DOC."""
    converted = convert_with_soffice(content, kind)
    if converted:
        out = read_docx(converted, kind=kind)
        out.meta["converted_with"] = "libreoffice"
        return out
    missing = [] if _soffice() else ["LibreOffice (soffice)"]
    if kind == "doc":
        text, reason = antiword_text(content)
        if text is not None:
            if "password" in text.lower()[:200]:
                return ReadDocument(kind=kind, text="", status="encrypted", reason="DOC is password-protected")
            return ReadDocument(kind=kind, text=text.strip(), meta={"converted_with": "antiword"},
                                status="ok" if text.strip() else "empty")
        if "not installed" in reason:
            missing.append("antiword")
        elif not missing:
            return ReadDocument(kind=kind, text="", status="decode_error", reason=reason)
    if missing:
        return ReadDocument(kind=kind, text="", status="unsupported_format",
                            reason=f"{kind.upper()} needs a converter; missing: {', '.join(missing)}")
    return ReadDocument(kind=kind, text="", status="decode_error",
                        reason=f"{kind.upper()} could not be converted (corrupt or unsupported variant)")
