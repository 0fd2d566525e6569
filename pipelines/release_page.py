"""A static `index.html` for every release: files, coverage plots, data dictionary.

For people who would rather look than read. The page is self-contained (inline SVG made
with matplotlib, inline CSS, no scripts, no CDN), so it works offline, from a file:// URL
and from any static host. The publisher calls `render_release_page` before it writes
SHA256SUMS, so the page itself is checksummed; the checksums shown on the page are
computed here from the same bytes.

The coverage figures are computed from the release's own Parquet files (found by their
columns, not by name): reports per province x year, and the share of table cells that
pass the dictionary's arithmetic identities per year.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
from matplotlib import font_manager
from matplotlib.figure import Figure

from pipelines.tables import OBSERVATIONS, REPORTS

PAGE_NAME = "index.html"
SKIP_IN_FILE_TABLE = {PAGE_NAME, "SHA256SUMS"}

CENTRAL = ("中央", "central")  # region code absent: central departments
# .ttc collections register under their first face (JP), which also covers simplified hanzi.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "Noto Serif CJK JP",
             "WenQuanYi Zen Hei", "Source Han Sans SC")


def cjk_font() -> str | None:
    """A Simplified-Chinese font matplotlib can use, or None (then plots use pinyin labels)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    if not names.intersection(CJK_FONTS):
        # matplotlib's font cache predates fonts installed later (fonts-noto-cjk): add them now
        for path in font_manager.findSystemFonts():
            if "CJK" in Path(path).name or "wqy" in Path(path).name.lower():
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Two-digit GB/T 2260 prefix -> province name, from transforms/data/regions.csv."""
    path = resources.files("transforms") / "data" / "regions.csv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {r["code"][:2]: r["name"] for r in csv.DictReader(fh) if r["level"] == "province"}


def province_label(region_code: Any, chinese: bool) -> str:
    """Province name when a CJK font can draw it, else the GB/T 2260 province code (e.g. 440000)."""
    code = str(region_code or "")[:2]
    if not code:
        return CENTRAL[0] if chinese else CENTRAL[1]
    return province_names().get(code, f"{code}0000") if chinese else f"{code}0000"


# ---------------------------------------------------------------- coverage tables


def reports_per_province_year(reports: pd.DataFrame) -> pd.DataFrame:
    """Count of annual reports by province (rows, by GB/T 2260 order) and report year (columns)."""
    df = reports
    if "is_annual_report" in df.columns:
        df = df[df["is_annual_report"].fillna(False).astype(bool)]
    df = df.dropna(subset=["report_year"])
    if df.empty:
        return pd.DataFrame(dtype="int64")
    prov = df["region_code"].astype("string").str[:2].fillna("")
    table = pd.crosstab(prov, df["report_year"].astype(int))
    return table.sort_index()


def identity_pass_share_per_year(observations: pd.DataFrame, identities: Iterable[str]) -> pd.DataFrame:
    """Per report year: table cells with a mapped value, and the share not flagged by any identity.

    `observations` needs `report_year`, `indicator_code`, `value` and `flags` (list of flag
    strings; an identity that breaks adds its id, optionally as `<id>@<scope>`). Narrative
    values are not table cells.
    """
    ids = set(identities)
    df = observations.dropna(subset=["report_year", "indicator_code", "value"])
    if "source" in df.columns:
        df = df[df["source"].fillna("table") == "table"]
    if df.empty:
        return pd.DataFrame(columns=["cells", "passing", "share_passing"])
    broken = df["flags"].map(
        lambda fl: any(str(f).split("@", 1)[0] in ids for f in (list(fl) if fl is not None else [])))
    out = (pd.DataFrame({"report_year": df["report_year"].astype(int), "passing": ~broken})
           .groupby("report_year")["passing"].agg(cells="size", passing="sum"))
    out["share_passing"] = out["passing"] / out["cells"]
    return out


# ---------------------------------------------------------------- plots (SVG strings)


def _svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE so it can be inlined


def plot_reports_per_province_year(table: pd.DataFrame, fmt: str = "svg") -> str | bytes:
    """Heatmap of reports per province x year; `fmt` "svg" (str) or "png" (bytes)."""
    font = cjk_font()
    fig = Figure(figsize=(max(5.0, 0.55 * len(table.columns) + 2.5), max(2.5, 0.28 * len(table.index) + 1.2)))
    ax = fig.add_subplot()
    if table.empty:
        ax.text(0.5, 0.5, "no annual reports in this release", ha="center", va="center")
        ax.set_axis_off()
    else:
        im = ax.imshow(table.to_numpy(), aspect="auto", cmap="YlGnBu", vmin=0)
        ax.set_xticks(range(len(table.columns)), [str(c) for c in table.columns], rotation=90)
        labels = [province_label(f"{c}0000" if c else "", bool(font)) for c in table.index]
        ax.set_yticks(range(len(table.index)), labels, fontfamily=font or "sans-serif")
        for (i, j), v in pd.DataFrame(table.to_numpy()).stack().items():
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                        color="white" if v > table.to_numpy().max() * 0.6 else "black")
        ax.set_xlabel("report (statistics) year")
        fig.colorbar(im, ax=ax, label="reports")
    ax.set_title("Annual reports per province and year")
    return _render(fig, fmt)


def plot_identity_share(table: pd.DataFrame, fmt: str = "svg") -> str | bytes:
    """Bars of the share of table cells passing identities per year, with cell counts."""
    fig = Figure(figsize=(max(5.0, 0.5 * len(table.index) + 2.5), 3.2))
    ax = fig.add_subplot()
    if table.empty:
        ax.text(0.5, 0.5, "no table cells in this release", ha="center", va="center")
        ax.set_axis_off()
    else:
        years = [str(y) for y in table.index]
        bars = ax.bar(years, table["share_passing"] * 100, color="#2b8cbe")
        for bar, n in zip(bars, table["cells"], strict=True):
            ax.annotate(f"n={n}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=7)
        ax.set_ylim(0, 105)
        ax.set_ylabel("% of cells passing identities")
        ax.set_xlabel("report (statistics) year")
        ax.tick_params(axis="x", rotation=90)
    ax.set_title("Table cells consistent with the arithmetic identities")
    return _render(fig, fmt)


def _render(fig: Figure, fmt: str) -> str | bytes:
    if fmt == "svg":
        return _svg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, bbox_inches="tight", dpi=110)
    return buf.getvalue()


# ---------------------------------------------------------------- reading a release


def _find_table(release_dir: Path, name: str, needed: set[str]) -> Path | None:
    """The whole-table Parquet file of table `name` (`parquet/<name>.parquet`) if it has `needed`."""
    for path in [release_dir / "parquet" / f"{name}.parquet", *sorted(release_dir.rglob(f"{name}.parquet"))]:
        if path.is_file() and needed <= set(pq.read_schema(path).names):
            return path
    return None


def load_coverage_inputs(release_dir: Path) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """(reports, observations with report_year) from the release, or None where absent.

    Only the columns the figures need are read: observations can be tens of millions of rows.
    """
    reports_path = _find_table(release_dir, REPORTS.name, {"region_code", "report_year"})
    reports = None
    if reports_path:
        names = pq.read_schema(reports_path).names
        reports = pd.read_parquet(reports_path, columns=[c for c in (
            "report_id", "region_code", "report_year", "is_annual_report") if c in names])
    obs_path = _find_table(release_dir, OBSERVATIONS.name, {"indicator_code", "value", "flags"})
    observations = None
    if obs_path:
        names = pq.read_schema(obs_path).names
        observations = pd.read_parquet(obs_path, columns=[c for c in (
            "report_id", "report_year", "indicator_code", "value", "flags", "source") if c in names])
        if "report_year" not in observations.columns and reports is not None and "report_id" in names:
            observations = observations.merge(reports[["report_id", "report_year"]].drop_duplicates("report_id"),
                                              on="report_id", how="left")
        if "report_year" not in observations.columns:
            observations = None
    return reports, observations


def identity_ids() -> list[str]:
    from transforms.dictionary import load_default

    return [i["id"] for i in load_default().identities]


# ---------------------------------------------------------------- HTML


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _table(headers: list[str], rows: Iterable[Iterable[Any]], cls: str = "") -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _dictionary_sections(release_dir: Path, package: dict[str, Any]) -> str:
    """Columns of every table (from datapackage.json), then the indicator codes, each folded."""
    e = html.escape
    parts = []
    for res in package.get("resources", []):
        fields = (res.get("schema") or {}).get("fields") or []
        if not fields:
            continue
        paths = res.get("path")
        paths = [*(paths if isinstance(paths, list) else [paths] if paths else []),
                 *([res["ogi_parquet"]] if res.get("ogi_parquet") else [])]
        links = ", ".join(f'<a href="{e(p)}">{e(p)}</a>' for p in paths)
        rows = f", {res['ogi_rows']} rows" if "ogi_rows" in res else ""
        parts.append(f'<details class="dictionary" id="dict-{e(res.get("name", ""))}"><summary><strong>'
                     f'{e(res.get("name", ""))}</strong> <small>{len(fields)} columns{rows}: {links}</small>'
                     f'</summary><p>{e(res.get("description", ""))}</p>')
        parts.append(_table(["column", "type", "description"],
                            ([f"<code>{e(f['name'])}</code>", e(str(f.get("type", ""))),
                              e(f.get("description", ""))] for f in fields)))
        parts.append("</details>")
    for path in sorted(release_dir.glob("data_dictionary*.csv")):
        df = pd.read_csv(path, dtype=str, encoding="utf-8-sig").fillna("")
        rel = path.relative_to(release_dir).as_posix()
        if "entry_type" in df.columns:  # the publisher's dictionary: show the indicator codes
            df = df[df["entry_type"] == "indicator"]
            df = df[[c for c in ("name", "zh", "en", "unit", "formats", "comparability") if c in df.columns]]
            what = "indicator codes"
        else:
            what = "rows"
        parts.append(f'<details class="dictionary" id="dict-indicators"><summary><strong>{len(df)} {what}'
                     f'</strong> <small>from <a href="{e(rel)}">{e(rel)}</a></small></summary>')
        parts.append(_table(list(df.columns), ([e(v) for v in row] for row in df.itertuples(index=False))))
        parts.append("</details>")
    for path in sorted(release_dir.glob("data_dictionary*.md")):
        rel = path.relative_to(release_dir).as_posix()
        parts.append(f'<p>The same dictionary as text: <a href="{e(rel)}">{e(rel)}</a>.</p>')
    return "\n".join(parts) or "<p>This release has no data dictionary.</p>"


CSS = """
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3} td.num{text-align:right} code,.sha{font-family:ui-monospace,monospace;font-size:.78rem}
figure{margin:1rem 0} figure svg{max-width:100%;height:auto} small{color:#666;font-weight:normal}
pre{background:#f6f6f6;padding:.6rem;overflow-x:auto}
details.dictionary{margin:.4rem 0} summary{cursor:pointer}
"""


def render_release_page(release_dir: Path) -> Path:
    """Write `release_dir/index.html` from the files in `release_dir`; return its path."""
    release_dir = Path(release_dir)
    e = html.escape
    package: dict[str, Any] = {}
    if (release_dir / "datapackage.json").is_file():
        package = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    version = str(package.get("version") or release_dir.name)
    title = package.get("title") or "Open government information annual-report statistics (ogi-reports)"

    files = sorted(p for p in release_dir.rglob("*")
                   if p.is_file() and p.relative_to(release_dir).as_posix() not in SKIP_IN_FILE_TABLE)
    file_rows: list[list[str]] = []
    split_rows: list[list[str]] = []   # per-year files (parquet/<table>/..., csv/<table>/...), folded
    for p in files:
        rel = p.relative_to(release_dir).as_posix()
        size = p.stat().st_size
        (split_rows if len(p.relative_to(release_dir).parts) > 2 else file_rows).append(
            [f'<a href="{e(rel)}">{e(rel)}</a>', f'<span title="{size} bytes">{_human(size)}</span>',
             f'<span class="sha">{_sha256(p)}</span>'])
    split_table = (f'<details id="per-year-files"><summary>{len(split_rows)} per-year files '
                   f'(the same tables split by report year)</summary>'
                   f'{_table(["file", "size", "sha256"], split_rows, "files")}</details>') if split_rows else ""

    reports, observations = load_coverage_inputs(release_dir)
    if reports is not None:
        prov_fig = plot_reports_per_province_year(reports_per_province_year(reports))
        n_reports = int(reports_per_province_year(reports).to_numpy().sum())
    else:
        prov_fig, n_reports = "<p>No reports table in this release.</p>", 0
    if observations is not None:
        share = identity_pass_share_per_year(observations, identity_ids())
        share_fig = plot_identity_share(share)
    else:
        share_fig = "<p>No observations table with flags in this release.</p>"

    licenses = ", ".join(lic.get("name") or lic.get("title") or "" for lic in package.get("licenses", []))
    citation = (f"ogi-reports contributors ({version[1:5] if version.startswith('v') else version}). "
                f"{title}, release {version}.")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{e(title)} — {e(version)}</title><style>{CSS}</style></head>
<body>
<h1>{e(title)}</h1>
<p>Release <strong id="release-version">{e(version)}</strong>, page generated
{dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}. {n_reports} annual reports.
{f"License: {e(licenses)}." if licenses else ""}</p>
<p>Every file is listed in <a href="SHA256SUMS">SHA256SUMS</a>. Download and verify the whole release with
<code>ogi-download {e(version)} --base-url &lt;URL of this directory's parent&gt;</code>, or query the Parquet
files in place, e.g. with DuckDB: <code>SELECT * FROM read_parquet('&lt;URL&gt;/parquet/….parquet')</code>.</p>
<h2 id="files">Files</h2>
{_table(["file", "size", "sha256"], file_rows, "files")}
{split_table}
<h2 id="coverage">Coverage</h2>
<figure id="plot-province-year">{prov_fig}<figcaption>Annual reports per province (GB/T 2260) and
report year. Central departments have no region code.</figcaption></figure>
<figure id="plot-identity-share">{share_fig}<figcaption>Share of table cells (mapped, non-null values)
not flagged by any arithmetic identity of the indicator dictionary, by report year.</figcaption></figure>
<h2 id="dictionary">Data dictionary</h2>
{_dictionary_sections(release_dir, package)}
<h2 id="cite">How to cite</h2>
<pre>{e(citation)}</pre>
</body></html>
"""
    out = release_dir / PAGE_NAME
    out.write_text(page, encoding="utf-8")
    return out
