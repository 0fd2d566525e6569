"""Cross-report identities in the published tables, panel comparability as data, code versions."""

from __future__ import annotations

import json

import dagster as dg
import pandas as pd
import pytest

from pipelines import dictionary_files, publish
from pipelines.assets.outputs import _cross_report_breaks, out_reports__observations
from pipelines.assets.release import build_report
from pipelines.tables import OBSERVATIONS, REPORTS, column_properties, conform, panel_spec
from transforms.cross_report import breaks_across_reports, report_flags
from transforms.model import OBSERVATION_FIELDS
from transforms.panel import panel_columns

FORWARD, OVER = "sec3.req_carried_forward@total", "sec3.req_carried_over@total"


def two_years(carried_over_2021: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One agency's v2021 reports for 2020 and 2021 (as the demo site prints them), plus another agency."""
    reports = pd.DataFrame({
        "document_sha256": ["s20", "s21", "other"], "report_id": ["r20", "r21", "rx"],
        "report_year": [2020, 2021, 2021], "region_code": ["440103"] * 3,
        "agency_id": ["440103:荔湾区人民政府", "440103:荔湾区人民政府", "440103:荔湾区教育局"],
        "report_scope": ["agency_only"] * 3,
    })

    def ob(sha: str, seq: int, code: str, value: float, source: str = "table") -> dict:
        return {**dict.fromkeys(OBSERVATION_FIELDS), "sha256": sha, "observation_seq": seq, "indicator_code": code,
                "value": value, "source": source, "flags": [], "indicator_row": None, "indicator_col": None}

    observations = pd.DataFrame([
        ob("s20", 0, "sec3.req_new_received@total", 40), ob("s20", 1, OVER, 2), ob("s20", 2, FORWARD, 5),
        ob("s21", 0, "sec3.req_new_received@total", 38), ob("s21", 1, OVER, carried_over_2021),
        ob("s21", 2, FORWARD, 1), ob("s21", 3, OVER, 9, source="narrative"),   # prose: not the value checked
        ob("other", 0, OVER, 7),
    ])
    return reports, observations


def publish_observations(reports: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    context = dg.build_asset_context()
    return out_reports__observations(context, out_reports__reports=reports, core_reports__observations=observations)


def flags_of(published: pd.DataFrame) -> dict[tuple[str, int], list[str]]:
    return {(r, int(s)): list(f) for r, s, f in zip(published["report_id"], published["observation_seq"],
                                                     published["flags"], strict=True) if len(f)}


def test_broken_carry_chain_flags_both_values_and_the_later_report():
    reports, observations = two_years(carried_over_2021=4)      # 2020 carried 5 forward, 2021 says 4 came over
    published = publish_observations(reports, observations)
    assert list(published.columns) == OBSERVATIONS.column_names
    assert flags_of(published) == {("r20", 2): ["s3_carry_chain"], ("r21", 1): ["s3_carry_chain"]}
    assert published["value"].tolist() == conform(published, OBSERVATIONS)["value"].tolist()   # values unchanged
    flags = report_flags(_cross_report_breaks(reports, observations))
    assert list(flags) == ["r21"] and flags["r21"][0].startswith("s3_carry_chain@total: ")
    assert "= 4 but" in flags["r21"][0] and "= 5" in flags["r21"][0]

    report_rows = conform(reports.assign(flags=[[], flags["r21"], []]), REPORTS)
    docs = pd.DataFrame({c: [] for c in ("sha256", "parse_status", "dedup_role", "duplicate_level", "values_disagree")})
    health = pd.DataFrame({c: [] for c in ("portal_id", "status", "documents")})
    summary = build_report(docs, report_rows, health, published)
    assert summary["reports"]["cross_report_breaks"] == {"s3_carry_chain": 1}
    assert summary["observations"]["values_in_cross_report_breaks"] == 2


def test_carry_chain_that_holds_flags_nothing():
    reports, observations = two_years(carried_over_2021=5)
    published = publish_observations(reports, observations)
    assert flags_of(published) == {}
    assert breaks_across_reports(observations.merge(reports, left_on="sha256", right_on="document_sha256")).empty


def test_a_region_aggregate_and_the_agencys_own_report_are_separate_series():
    reports, observations = two_years(carried_over_2021=5)
    # the 2021 region aggregate of the same agency prints other figures: no break against its own report
    reports = pd.concat([reports, pd.DataFrame({"document_sha256": ["agg"], "report_id": ["r21agg"],
                                                "report_year": [2021], "region_code": ["440103"],
                                                "agency_id": ["440103:荔湾区人民政府"],
                                                "report_scope": ["region_aggregate"]})], ignore_index=True)
    extra = observations[observations["sha256"] == "s21"].assign(sha256="agg")
    extra.loc[extra["indicator_code"] == OVER, "value"] = 50
    assert flags_of(publish_observations(reports, pd.concat([observations, extra], ignore_index=True))) == {}


def test_panel_columns_carry_grade_and_codes_per_format_as_data(tmp_path):
    props = column_properties(panel_spec())
    assert set(props) == {c.name for c in panel_columns()}
    third = props["sec3_res_denied_third_party__total"]
    assert third["comparability"] == "weak"
    assert third["codes_by_format"]["v2008_local"] == ["ans_denied_commercial_secret", "ans_denied_privacy"]
    assert third["codes_by_format"]["v2021"] == ["sec3.res_denied_third_party@total"]
    assert column_properties(REPORTS) == {}

    inputs = publish.ReleaseInputs(
        tables={"panel": (panel_spec(), pd.DataFrame(columns=panel_spec().column_names))},
        crosswalk=dictionary_files.crosswalk(pd.DataFrame(), pd.DataFrame()), build_report={}, git_sha="test",
        run_id="test")
    summary = publish.publish(tmp_path, inputs, version="v2026.01.01", pointers=())
    release = tmp_path / summary["version"]
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["sec4_review__total"]["ogi_comparability"] == "approx"
    assert fields["sec4_review__total"]["ogi_codes_by_format"]["v2014_national"] == ["rev_total_old"]
    assert "ogi_comparability" not in fields["agency_id"]
    dictionary = pd.read_csv(release / "data_dictionary.csv", encoding="utf-8-sig", keep_default_na=False)
    row = dictionary[(dictionary["entry_type"] == "column") & (dictionary["name"] == "sec3_res_total__total")].iloc[0]
    assert row["comparability"] == "weak"
    assert json.loads(row["codes_by_format"])["v2019"] == ["sec3.res_total@total"]
    import pyarrow.parquet as pq

    field = pq.read_schema(release / "parquet" / "panel.parquet").field("sec3_res_total__total")
    assert field.metadata[b"comparability"] == b"weak"


def test_every_asset_has_a_code_version():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    missing = [k.to_user_string() for k in graph.get_all_asset_keys()
               if graph.get(k).is_materializable and not graph.get(k).code_version]
    assert not missing, missing


@pytest.mark.parametrize("module", ["dedup", "multipage", "panel", "cross_report"])
def test_moved_logic_is_pure(module):
    import ast
    from pathlib import Path

    import transforms

    tree = ast.parse((Path(transforms.__file__).parent / f"{module}.py").read_text(encoding="utf-8"))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not imported & {"dagster", "scrapy", "pipelines", "spiders"}


def test_post_extraction_modules_exist_and_leave_the_extraction_version_alone():
    from pipelines import provenance

    for name in provenance.POST_EXTRACTION:
        assert (provenance.TRANSFORMS_DIR / name).is_file(), f"{name} renamed: update POST_EXTRACTION"
    assert provenance.transforms_version("panel.py") != provenance.transforms_version("dedup.py")
    assert provenance.extraction_version().startswith("x")
