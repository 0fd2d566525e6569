"""The canonical dictionary loads, its codes are unique and its identities refer to real codes."""

from __future__ import annotations

import re

import yaml

from transforms import dictionary


def test_dictionary_loads_and_expands_cells():
    d = dictionary.load_default()
    # 25 section-三 rows x 7 applicant columns + 15 section-四 cells.
    assert len(d.table_codes("sec3")) == len(d.sec3_rows) * 7
    assert len(d.table_codes("sec4")) == 15
    assert "sec3.req_new_received@natural_person" in d.indicators
    assert "sec4.lit_direct@corrected" in d.indicators
    assert d.indicators["pro_items_total"].unit == "条"


def test_codes_are_unique_in_the_yaml():
    raw = yaml.safe_load(dictionary.DICTIONARY_PATH.read_text(encoding="utf-8"))
    codes = [e["code"] for key in ("section2", "old_formats", "section6_text") for e in raw[key]]
    codes += [r["code"] for r in raw["section3"]["rows"]]
    assert len(codes) == len(set(codes)), [c for c in codes if codes.count(c) > 1]


def test_duplicate_codes_are_rejected():
    raw = yaml.safe_load(dictionary.DICTIONARY_PATH.read_text(encoding="utf-8"))
    raw["section2"].append(dict(raw["section2"][0]))
    try:
        dictionary.build(raw)
    except ValueError as exc:
        assert "duplicate" in str(exc)
    else:
        raise AssertionError("a duplicate code was accepted")


def _known_names(d: dictionary.Dictionary) -> set[str]:
    raw = d.raw
    known = set(d.indicators) | set(raw["dimensions"])
    known |= {r["code"] for r in raw["section3"]["rows"]}
    known |= {r["code"] for r in raw["section3"].get("derived_rows", [])}
    for dim in raw["dimensions"].values():
        known |= {m["code"] for m in dim["members"]} | {m["code"] for m in dim.get("derived", [])}
    return known | {"region_aggregate"}  # a report_scope value


def test_every_identity_refers_to_existing_codes():
    d = dictionary.load_default()
    known = _known_names(d)
    for ident in d.identities:
        for token in re.findall(r"\*?_?[a-z][a-z0-9_]*\*?", ident["expr"]):
            if "_" not in token:
                continue  # grammar words (for, in, sum, max) and loop variables
            if "*" in token:  # a wildcard such as res_denied_* or *_items_prev
                pattern = re.compile("^" + token.replace("*", ".*") + "$")
                assert any(pattern.match(k) for k in known), (ident["id"], token)
            else:
                assert token in known, (ident["id"], token)


def test_project_dictionary_contains_every_shared_code(shared_dir):
    """../shared gains codes as reports are transcribed: merge them in when this fails."""
    shared = dictionary.load(shared_dir / "domain" / "indicators.yaml")
    ours = dictionary.load_default()
    missing = sorted(set(shared.indicators) - set(ours.indicators))
    assert not missing, f"merge these codes from ../shared/domain/indicators.yaml: {missing}"
