"""`data_dictionary.md` and `data_dictionary.csv` of a release, generated, never hand-written.

Sources: the table specs (pipelines.tables), the indicator dictionary (indicators.yaml: Chinese
and English labels, units, formats, comparability) and the raw-label crosswalk observed in
this build (which printed row/column labels were mapped to each code, per format).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipelines.tables import TableSpec, column_properties
from transforms.dictionary import load_default
from transforms.panel import panel_columns

CSV_COLUMNS = ["entry_type", "table", "name", "type", "zh", "en", "unit", "formats", "comparability",
               "primary_key", "raw_row_label", "raw_col_label", "format_version", "count", "description",
               "codes_by_format"]


def crosswalk(observations: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Distinct (code, raw row label, raw column label, format) with how often they occurred."""
    cols = ["indicator_code", "raw_row_label", "raw_col_label", "format_version", "count"]
    if observations.empty:
        return pd.DataFrame(columns=cols)
    fmt = reports.set_index("report_id")["format_version"] if len(reports) else pd.Series(dtype=object)
    obs = observations.reindex(columns=["report_id", "indicator_code", "raw_row_label", "raw_col_label"]).copy()
    obs["format_version"] = obs["report_id"].map(fmt)
    obs = obs.fillna({"indicator_code": "(unmapped)", "raw_row_label": "", "raw_col_label": "",
                      "format_version": ""})
    out = obs.groupby(["indicator_code", "raw_row_label", "raw_col_label", "format_version"]).size()
    return out.rename("count").reset_index().sort_values(["indicator_code", "format_version", "raw_row_label"])


def _rows(specs: list[TableSpec], xwalk: pd.DataFrame) -> list[dict[str, object]]:
    d = load_default()
    panel = {c.name: c for c in panel_columns()}
    rows: list[dict[str, object]] = []
    for spec in specs:
        props = column_properties(spec)
        rows.append({"entry_type": "table", "table": spec.name, "name": spec.name,
                     "primary_key": ",".join(spec.primary_key), "description": spec.description})
        for name, type_name, desc in spec.fields:
            col = panel.get(name) if spec.name == "panel" else None
            rows.append({
                "entry_type": "column", "table": spec.name, "name": name, "type": type_name, "description": desc,
                "zh": col.zh if col else "", "en": col.en if col else "", "unit": (col.unit or "") if col else "",
                "formats": ",".join(col.formats) if col else "", "comparability": col.grade if col else "",
                "primary_key": "yes" if name in spec.primary_key else "",
                "codes_by_format": json.dumps(props[name]["codes_by_format"]) if name in props else "",
            })
    for code, ind in d.indicators.items():
        links = "; ".join(f"{x.get('code')}:{x.get('quality')}" for x in ind.comparable_to)
        rows.append({"entry_type": "indicator", "table": "observations", "name": code, "type": "float64",
                     "zh": ind.zh, "en": ind.en, "unit": ind.unit or "", "formats": ",".join(ind.formats),
                     "comparability": links, "description": ind.note or ""})
    for rec in xwalk.to_dict("records"):
        rows.append({"entry_type": "raw_label", "table": "observations", "name": rec["indicator_code"],
                     "raw_row_label": rec["raw_row_label"], "raw_col_label": rec["raw_col_label"],
                     "format_version": rec["format_version"], "count": int(rec["count"])})
    return rows


def _md_escape(value: object) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def write(root: Path, specs: list[TableSpec], xwalk: pd.DataFrame) -> None:
    rows = _rows(specs, xwalk)
    frame = pd.DataFrame(rows, columns=CSV_COLUMNS)
    frame.to_csv(root / "data_dictionary.csv", index=False, encoding="utf-8-sig", lineterminator="\n")

    d = load_default()
    out = ["# Data dictionary", "",
           "Generated from the table declarations and `transforms/data/indicators.yaml`. "
           "`data_dictionary.csv` holds the same entries (entry_type = table | column | indicator | raw_label).", ""]
    for spec in specs:
        out += [f"## Table `{spec.name}`", "", spec.description, "",
                f"Primary key: `{', '.join(spec.primary_key)}`. Files: `parquet/{spec.name}.parquet`, "
                f"`csv/{spec.name}.csv`" + (f", per year `parquet/{spec.name}/{spec.name}_<year>.parquet`."
                                           if spec.year_column else "."), "",
                "| column | type | description |", "|---|---|---|"]
        out += [f"| `{n}` | {t} | {_md_escape(desc)} |" for n, t, desc in spec.fields]
        out.append("")
    out += ["## Panel columns and comparability", "",
            "Each panel column joins the v2019/v2021 code with the old-format codes it is comparable to "
            "(`comparable_to` in indicators.yaml). Grade: exact > approx > weak (the weakest link).", "",
            "| column | zh | en | unit | v2019/v2021 | v2008_local/v2014_national | grade |", "|---|---|---|---|---|---|---|"]
    out += [f"| `{c.name}` | {_md_escape(c.zh)} | {_md_escape(c.en)} | {c.unit or ''} | {', '.join(c.new_codes)} | "
            f"{', '.join(c.old_codes)} | {c.grade} |" for c in panel_columns()]
    out += ["", "## Indicators", "", "| code | zh | en | unit | formats | comparable to |", "|---|---|---|---|---|---|"]
    for code, ind in d.indicators.items():
        links = ", ".join(f"{x.get('code')} ({x.get('quality')})" for x in ind.comparable_to)
        out.append(f"| `{code}` | {_md_escape(ind.zh)} | {_md_escape(ind.en)} | {ind.unit or ''} | "
                   f"{', '.join(ind.formats)} | {links} |")
    out += ["", "## Raw-label crosswalk (this build)", "",
            "Printed labels mapped to each code, per format generation, with how often they occurred.", "",
            "| code | raw row label | raw column label | format | count |", "|---|---|---|---|---|"]
    out += [f"| `{r['indicator_code']}` | {_md_escape(r['raw_row_label'])} | {_md_escape(r['raw_col_label'])} | "
            f"{r['format_version']} | {int(r['count'])} |" for r in xwalk.to_dict("records")]
    (root / "data_dictionary.md").write_text("\n".join(out) + "\n", encoding="utf-8")


def indicators_frame() -> pd.DataFrame:
    """The `indicators` table: one row per dictionary code."""
    d = load_default()
    feeds: dict[str, str] = {}
    for col in panel_columns():
        for code in (*col.new_codes, *col.old_codes):
            feeds.setdefault(code, col.name)
    return pd.DataFrame([{
        "indicator_code": code, "table": ind.table, "zh": ind.zh, "en": ind.en, "unit": ind.unit,
        "formats": list(ind.formats), "confidence": ind.confidence, "indicator_row": ind.row,
        "indicator_col": ind.col, "zh_variants": list(ind.zh_variants),
        "comparable_to": [f"{x.get('code')}:{x.get('quality')}" for x in ind.comparable_to],
        "panel_column": feeds.get(code), "note": ind.note,
    } for code, ind in d.indicators.items()])

