"""validate() on the corpus truth values reports exactly the identity breaks the truth files
record in `source_inconsistencies` (../shared/corpus; skipped when absent)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from transforms.dictionary import load_default
from transforms.model import Observation
from transforms.validate import validate

pytestmark = pytest.mark.corpus

_ENTRY = re.compile(r"^(\w+)@([\w.@]+):")


def _identity_family(identity: str) -> str:
    """Truth files name the format-specific identities by family (s3_outcomes_sum)."""
    return re.sub(r"_v20(19|21)$", "", identity)


def test_validate_matches_recorded_source_inconsistencies(corpus_dir: Path):
    indicators = load_default().indicators
    mismatches = []
    checked = 0
    for case in sorted((corpus_dir / "cases").iterdir()):
        truth = json.loads((case / "truth.json").read_text(encoding="utf-8"))
        if not truth["report"].get("is_annual_report", True):
            continue
        obs = [Observation(code, float(v), table=indicators[code].table)
               for code, v in truth["values"].items() if code in indicators]
        flags = validate(obs, truth["report"]["format"])
        got = {(_identity_family(m.group(1)), m.group(2)) for f in flags if (m := _ENTRY.match(f))}
        want = {(_identity_family(m.group(1)), m.group(2))
                for x in truth.get("source_inconsistencies", []) if (m := _ENTRY.match(x))}
        checked += len(want)
        if got != want:
            mismatches.append(f"{case.name}: got {sorted(got)}, truth {sorted(want)}")
    assert checked > 0
    assert not mismatches
