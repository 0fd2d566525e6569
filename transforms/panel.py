"""The agency x year panel: core indicators comparable across all four format generations.

Which columns exist, what feeds them and their comparability grade all come from
`comparable_to` in indicators.yaml (nothing is listed here by hand): a column is the newest
code (sec3 `@total` cells, sec2 codes, sec4 cells or sums) together with the old-format codes
it is comparable to, kept only when the codes together cover v2008_local, v2014_national,
v2019 and v2021. Several old codes linked to one new code are added up (e.g. 商业秘密 +
个人隐私 ~ 保护第三方合法权益). The grade is the weakest link (exact > approx > weak).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from transforms.dictionary import Dictionary, load_default
from transforms.model import FORMATS

PANEL_FORMATS = tuple(f for f in FORMATS if f != "narrative_only")
NEW_FORMATS = ("v2019", "v2021")         # reports of these read the new codes; older ones the old codes
_GRADE_ORDER = {"exact": 0, "approx": 1, "weak": 2}


@dataclass(frozen=True)
class PanelColumn:
    name: str                        # column name in the panel table
    new_codes: tuple[str, ...]       # summed, v2019/v2021 reports
    old_codes: tuple[str, ...]       # summed, v2008_local/v2014_national reports
    grade: str                       # exact | approx | weak
    zh: str
    en: str
    unit: str | None
    formats: tuple[str, ...]
    codes_by_format: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (format, codes summed for its reports)

    def codes_for(self, fmt: str) -> tuple[str, ...]:
        return dict(self.codes_by_format).get(fmt, ())


def column_name(codes: tuple[str, ...]) -> str:
    """`sec3.res_total@total` -> `sec3_res_total__total`; sums join their members with `_plus_`."""
    parts = [c.replace(".", "_").replace("@", "__") for c in codes]
    head, rest = parts[0], [p.split("_", 1)[1] if p.startswith(("sec3_", "sec4_")) else p for p in parts[1:]]
    return "_plus_".join([head, *rest])


def _worst(grades: list[str]) -> str:
    return max(grades, key=lambda g: _GRADE_ORDER.get(g, 3)) if grades else "exact"


def _formats(d: Dictionary, codes: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for code in codes:
        ind = d.indicators.get(code)
        if ind is not None:
            out.update(ind.formats)
    return out


@lru_cache(maxsize=1)
def panel_columns() -> tuple[PanelColumn, ...]:
    d = load_default()
    candidates: list[tuple[tuple[str, ...], tuple[str, ...], str]] = []
    for code, ind in d.indicators.items():
        links = [x for x in ind.comparable_to if x.get("code") in d.indicators]
        # only new-format codes lead a panel column; old-to-old links (local variants) do not
        if links and not set(ind.formats) & {"v2008_local", "v2014_national"}:
            old = tuple(x["code"] for x in links if set(d.indicators[x["code"]].formats) - {"v2019", "v2021"})
            if old:
                grades = [x.get("quality", "weak") for x in links if x["code"] in old]
                candidates.append(((code,), old, _worst(grades)))
    for link in d.raw.get("section4", {}).get("comparable_to", []):
        if link.get("code") not in d.indicators:
            continue
        if "cell" in link:
            new = (f"sec4.{link['cell']}",)
        else:
            new = tuple(f"sec4.{term.strip()}" for term in link["expr"].split("+"))
        if all(c in d.indicators for c in new):
            candidates.append((new, (link["code"],), link.get("quality", "weak")))
    columns = []
    for new, old, grade in candidates:
        formats = _formats(d, new) | _formats(d, old)
        if not set(PANEL_FORMATS) <= formats:
            continue
        lead = d.indicators[new[0]]
        zh = " + ".join(d.indicators[c].zh for c in new)
        en = " + ".join(d.indicators[c].en for c in new)
        by_format = tuple(
            (f, tuple(c for c in (new if f in NEW_FORMATS else old) if f in d.indicators[c].formats))
            for f in PANEL_FORMATS)
        columns.append(PanelColumn(
            name=column_name(new), new_codes=new, old_codes=old, grade=grade, zh=zh, en=en,
            unit=lead.unit, formats=tuple(f for f in PANEL_FORMATS if f in formats), codes_by_format=by_format,
        ))
    return tuple(columns)


def report_values(observations: pd.DataFrame) -> pd.DataFrame:
    """One value per (report, code): table values before narrative ones, as `ParsedReport.values()`."""
    obs = observations[observations["indicator_code"].notna() & observations["dimension"].isna()].copy()
    obs["value_for_panel"] = obs["value_normalised"].where(obs["value_normalised"].notna(), obs["value"])
    obs = obs[obs["value_for_panel"].notna()]
    obs["_narrative"] = (obs["source"] == "narrative").astype(int)
    obs = obs.sort_values(["report_id", "_narrative", "observation_seq"], kind="stable")
    return obs.drop_duplicates(["report_id", "indicator_code"])[["report_id", "indicator_code", "value_for_panel"]]


def build_panel(reports: pd.DataFrame, observations: pd.DataFrame, id_columns: list[str]) -> pd.DataFrame:
    """Wide panel, one row per canonical report (agency x year x scope), one column per PanelColumn."""
    values = report_values(observations)
    wide = values.pivot(index="report_id", columns="indicator_code", values="value_for_panel") if len(values) else (
        pd.DataFrame(index=pd.Index([], name="report_id")))
    out = reports[id_columns].copy().set_index("report_id", drop=False)
    for col in panel_columns():
        new = _sum_present(wide, col.new_codes, require_all=True)
        old = _sum_present(wide, col.old_codes, require_all=False)
        out[col.name] = new.reindex(out.index).combine_first(old.reindex(out.index)) if len(out) else pd.Series(
            dtype="float64")
    return out.reset_index(drop=True)


def _sum_present(wide: pd.DataFrame, codes: tuple[str, ...], require_all: bool) -> pd.Series:
    present = [c for c in codes if c in wide.columns]
    if not present or (require_all and len(present) < len(codes)):
        return pd.Series(index=wide.index, dtype="float64")
    block = wide[present]
    total = block.sum(axis=1, min_count=len(present) if require_all else 1)
    return total.astype("float64")
