"""The canonical indicator dictionary (`transforms/data/indicators.yaml`).

The YAML file is the single source of every indicator fact: codes, Chinese labels and
variants, units, formats, cross-era comparability and arithmetic identities. Everything
else (label matching, Parquet schemas, the data dictionary, validation) is derived from
the objects this module builds. Codes are a public contract: never renamed or reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

DICTIONARY_PATH = Path(str(resources.files("transforms") / "data" / "indicators.yaml"))


@dataclass(frozen=True)
class Indicator:
    """One canonical indicator: a scalar code or one cell address (sec3.row@col)."""

    code: str
    zh: str
    en: str
    unit: str | None
    table: str                      # sec2 | sec3 | sec4 | old | text
    formats: tuple[str, ...]
    zh_variants: tuple[str, ...] = ()
    confidence: str | None = None
    row: str | None = None          # sec3/sec4: row (or group) code
    col: str | None = None          # sec3/sec4: column (applicant type / result) code
    signed: bool = False
    comparable_to: tuple[dict[str, Any], ...] = ()
    note: str | None = None


@dataclass
class Dictionary:
    raw: dict[str, Any]
    indicators: dict[str, Indicator] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return list(self.indicators)

    @property
    def identities(self) -> list[dict[str, Any]]:
        return list(self.raw.get("identities", []))

    def members(self, dimension: str) -> list[dict[str, Any]]:
        return list(self.raw["dimensions"][dimension]["members"])

    @property
    def sec3_rows(self) -> list[dict[str, Any]]:
        return list(self.raw["section3"]["rows"])

    @property
    def sec4_cells(self) -> list[str]:
        return list(self.raw["section4"]["cell_order_when_flattened"])

    def table_codes(self, table: str) -> list[str]:
        return [c for c, ind in self.indicators.items() if ind.table == table]


def _scalar(entry: dict[str, Any], table: str) -> Indicator:
    return Indicator(
        code=entry["code"],
        zh=entry.get("zh", ""),
        en=entry.get("en", ""),
        unit=entry.get("unit"),
        table=table,
        formats=tuple(entry.get("formats", ())),
        zh_variants=tuple(entry.get("zh_variants", ())),
        confidence=entry.get("confidence"),
        signed=bool(entry.get("signed", False)),
        comparable_to=tuple(entry.get("comparable_to", ())),
        note=entry.get("note"),
    )


def build(raw: dict[str, Any]) -> Dictionary:
    """Expand the YAML into one `Indicator` per scalar code and per table cell."""
    d = Dictionary(raw=raw)

    def add(ind: Indicator) -> None:
        if ind.code in d.indicators:
            raise ValueError(f"duplicate indicator code {ind.code!r}")
        d.indicators[ind.code] = ind

    for entry in raw.get("section2", []):
        add(_scalar(entry, "sec2"))
    for entry in raw.get("old_formats", []):
        add(_scalar(entry, "old"))
    for entry in raw.get("section6_text", []):
        add(_scalar(entry, "text"))

    applicants = raw["dimensions"]["applicant_type"]["members"]
    for row in raw["section3"]["rows"]:
        for col in applicants:
            add(Indicator(
                code=f"sec3.{row['code']}@{col['code']}",
                zh=f"{row['zh']} / {col['zh']}",
                en=f"{row['en']} — {col['en']}",
                unit=row.get("unit"),
                table="sec3",
                formats=tuple(row.get("formats", ())),
                confidence=row.get("confidence"),
                row=row["code"],
                col=col["code"],
                comparable_to=tuple(row.get("comparable_to", ())) if col["code"] == "total" else (),
                note=row.get("note"),
            ))
    groups = {m["code"]: m for m in raw["dimensions"]["review_litigation_group"]["members"]}
    results = {m["code"]: m for m in raw["dimensions"]["review_litigation_result"]["members"]}
    sec4 = raw["section4"]
    for cell in sec4["cell_order_when_flattened"]:
        g, r = cell.split("@")
        add(Indicator(
            code=f"sec4.{cell}",
            zh=f"{groups[g]['zh']} / {results[r]['zh']}",
            en=f"{groups[g]['en']} — {results[r]['en']}",
            unit="件",
            table="sec4",
            formats=tuple(sec4.get("formats", ())),
            confidence=sec4.get("confidence"),
            row=g,
            col=r,
        ))
    return d


def load(path: Path | str | None = None) -> Dictionary:
    """Load and expand a dictionary file (the packaged one by default)."""
    if path is None:
        return load_default()
    with open(path, encoding="utf-8") as fh:
        return build(yaml.safe_load(fh))


@lru_cache(maxsize=1)
def load_default() -> Dictionary:
    with open(DICTIONARY_PATH, encoding="utf-8") as fh:
        return build(yaml.safe_load(fh))
