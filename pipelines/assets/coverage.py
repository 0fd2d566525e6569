"""`out_reports__coverage`: annual reports per province x year, with the plot in the UI.

The same numbers and figures as the release page (`pipelines.release_page`), computed from
the published tables, so an operator sees coverage gaps (a province missing a year, a year
whose tables break their identities) on the asset's page before anyone downloads a release.
"""

import base64

import dagster as dg
import pandas as pd

from pipelines import release_page as rp


def coverage_table(reports: pd.DataFrame) -> pd.DataFrame:
    """Long table: province code and name, report year, number of annual reports."""
    wide = rp.reports_per_province_year(reports)
    if wide.empty:
        return pd.DataFrame({"province_code": pd.Series(dtype="string"), "province_name": pd.Series(dtype="string"),
                             "report_year": pd.Series(dtype="int32"), "reports": pd.Series(dtype="int64")})
    long = wide.stack().rename("reports").reset_index()
    long.columns = ["province_prefix", "report_year", "reports"]
    long = long[long["reports"] > 0]
    return pd.DataFrame({
        "province_code": [f"{p}0000" if p else None for p in long["province_prefix"]],
        "province_name": [rp.province_label(f"{p}0000" if p else "", True) for p in long["province_prefix"]],
        "report_year": long["report_year"].astype("int32"),
        "reports": long["reports"].astype("int64"),
    }).astype({"province_code": "string", "province_name": "string"}).reset_index(drop=True)


def _png_markdown(png: bytes, alt: str) -> str:
    return f"![{alt}](data:image/png;base64,{base64.b64encode(png).decode()})"


@dg.asset(group_name="out", code_version="1", kinds={"pandas", "matplotlib"})
def out_reports__coverage(
    context: dg.AssetExecutionContext, out_reports__reports: pd.DataFrame, out_reports__observations: pd.DataFrame
) -> pd.DataFrame:
    """Annual reports per province (GB/T 2260) x report year; the plot and the share of table
    cells passing the dictionary's identities per year are in the materialization metadata."""
    table = coverage_table(out_reports__reports)
    wide = rp.reports_per_province_year(out_reports__reports)
    share = rp.identity_pass_share_per_year(out_reports__observations, rp.identity_ids())
    heatmap = rp.plot_reports_per_province_year(wide, fmt="png")
    share_png = rp.plot_identity_share(share, fmt="png")
    years = sorted(int(y) for y in table["report_year"].unique()) if len(table) else []
    share_md = (share.reset_index().assign(share_passing=lambda d: (d["share_passing"] * 100).round(1))
                .rename(columns={"share_passing": "% passing"}).to_markdown(index=False)) if len(share) else "none"
    context.add_output_metadata({
        "reports": int(table["reports"].sum()) if len(table) else 0,
        "provinces": int(table["province_code"].nunique()),
        "years": f"{years[0]}-{years[-1]}" if years else "none",
        "coverage_plot": dg.MetadataValue.md(_png_markdown(heatmap, "reports per province and year")),
        "identity_share_plot": dg.MetadataValue.md(_png_markdown(share_png, "share of cells passing identities")),
        "identity_share": dg.MetadataValue.md(share_md),
    })
    return table


ASSETS = [out_reports__coverage]
