"""Deduplication of reposted reports (pure pandas/datasketch, no Dagster).

The same report is posted on the agency's own site, on the government portal's aggregate
column and on provincial platforms, often as HTML and again as PDF. Three levels link copies:

1. identical bytes: one row per sha256 here (the document catalogue already groups fetches);
2. near-identical text: MinHash signatures + LSH (datasketch), linear in the number of
   documents; a candidate pair is linked only when its estimated Jaccard similarity reaches
   the threshold (0.8) and the two groups do not contradict each other on year, scope or
   agency (agency names may differ above 0.95: one text read two ways);
3. same agency + report year + scope (from `transforms.identify`).

Links are merged with union-find; each group is one report. The canonical copy is chosen by
these rules, in order: (1) found on the agency's own domain; (2) more values that pass the
arithmetic identities; (3) fewer identity breaks; (4) latest revision (publish date); (5) fewer
extraction warnings (a cleanly read HTML table before a PDF read by position); (6) latest
fetch; (7) smallest sha256 (only to be deterministic). Copies whose values differ from
the canonical copy's are flagged, never dropped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE = 5
NEAR_DUP_THRESHOLD = 0.8
SAME_TEXT = 0.95          # above this, a differently identified agency name does not block a link
_DROP = re.compile(r"[\s\u3000\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """NFKC, no whitespace or punctuation: HTML and PDF renderings of one report converge."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text or ""))


def minhash_signature(text: str) -> list[int] | None:
    """MinHash over character 5-grams of the normalised text (None when there is no text)."""
    norm = normalise_text(text)
    if len(norm) < SHINGLE:
        return None
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([norm[i:i + SHINGLE].encode("utf-8") for i in range(len(norm) - SHINGLE + 1)])
    return [int(v) for v in m.hashvalues]


def normalise_agency(name: str | None) -> str | None:
    if not name:
        return None
    return normalise_text(name) or None


def agency_id(region_code: str | None, agency_name: str | None, fallback: str) -> str:
    """Region code + normalised agency name: one agency across years and copies."""
    norm = normalise_agency(agency_name)
    if not norm:
        return fallback
    return f"{region_code or '000000'}:{norm}"


def report_id(agency_key: str | None, year: Any, scope: str | None, sha256: str) -> str:
    """Stable across builds: from agency + year + scope when identified, else from the bytes."""
    if agency_key and _present(year):
        basis = f"{agency_key}|{int(year)}|{scope or 'unknown'}"
    else:
        basis = f"doc|{sha256}"
    return "r" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:15]


def _present(v: Any) -> bool:
    return v is not None and not (isinstance(v, float) and np.isnan(v)) and v is not pd.NA


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_KEYS = ("report_year", "report_scope", "agency_key")


def _known(row: pd.Series) -> dict[str, set[Any]]:
    return {col: ({row.get(col)} if _present(row.get(col)) else set()) for col in _KEYS}


def _compatible(a: dict[str, set[Any]], b: dict[str, set[Any]], same_text: bool = False) -> bool:
    """Two groups may merge when they agree on year, scope and agency wherever both know them.

    Texts that are practically the same (`same_text`) may disagree on the agency: that is the
    identification reading one name two ways (简称/全称), not two agencies.
    """
    cols = [c for c in _KEYS if not (same_text and c == "agency_key")]
    return all(not (a[col] and b[col]) or a[col] == b[col] for col in cols)


def _split_by_province(group: pd.DataFrame) -> list[list[int]]:
    """One agency name in two provinces (a generic name such as 公安局) is two agencies.

    Only regions the documents themselves state count (`region_from_document`); a copy without
    one joins the province its guessed (portal) region names, or the only province there is.
    """
    stated = group["region_from_document"].fillna(False).astype(bool) if "region_from_document" in group \
        else pd.Series(False, index=group.index)
    prov = group["region_code"].where(stated).map(lambda c: str(c)[:2] if isinstance(c, str) and c else None)
    by_prov: dict[str, list[int]] = {}
    for i, p in prov.items():
        if p:
            by_prov.setdefault(p, []).append(i)
    loose = [i for i, p in prov.items() if not p]
    if len(by_prov) <= 1:
        return [sorted([*next(iter(by_prov.values()), []), *loose])]
    alone = []
    for i in loose:
        guess = group.at[i, "region_code"]
        guess = str(guess)[:2] if isinstance(guess, str) and guess else None
        if guess in by_prov:
            by_prov[guess].append(i)
        else:
            alone.append([i])
    return [sorted(v) for v in by_prov.values()] + alone


def resolve(docs: pd.DataFrame, threshold: float = NEAR_DUP_THRESHOLD) -> pd.DataFrame:
    """Group report documents into reports and pick the canonical copy of each.

    `docs`: one row per sha256 that parsed as an annual report, with columns sha256,
    agency_name, region_code, report_year, report_scope, own_domain (bool), values_ok (int),
    identity_breaks (int), publish_date, extraction_flags (int, optional), region_from_document
    (bool, optional: the region code was read from the document, not the portal), fetched_at,
    minhash (list[int] or None) and values
    (dict code -> value). Returns one row per sha256: report_id, agency_id, canonical_sha256,
    is_canonical, duplicate_level (None for canonical copies), near_text_similarity,
    values_disagree, dedup_flags (list[str]).
    """
    cols = ["sha256", "report_id", "agency_id", "canonical_sha256", "is_canonical", "duplicate_level",
            "near_text_similarity", "values_disagree", "dedup_flags"]
    if docs.empty:
        return pd.DataFrame(columns=cols)
    docs = docs.reset_index(drop=True).copy()
    docs["agency_key"] = docs["agency_name"].map(normalise_agency)
    uf = _UnionFind(len(docs))
    known = {i: _known(docs.loc[i]) for i in docs.index}     # per group root: what its members say
    link_level: dict[tuple[int, int], str] = {}
    similarity: dict[int, float] = {}

    # level 3: same agency + year + scope
    keyed = docs[docs["agency_key"].notna() & docs["report_year"].map(_present)]
    for _, group in keyed.groupby(["agency_key", "report_year", docs["report_scope"].fillna("unknown")]):
        for idx in _split_by_province(group):
            for other in idx[1:]:
                uf.union(idx[0], other)
                link_level[(idx[0], other)] = "agency_year_scope"
            known[uf.find(idx[0])] = _known(docs.loc[idx[0]])

    # level 2: near-identical text via LSH (one insert and one query per document)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    sigs: dict[int, np.ndarray] = {}
    for i, sig in docs["minhash"].items():
        if sig is not None and len(sig) == NUM_PERM:
            sigs[i] = np.asarray(sig, dtype=np.uint64)
            lsh.insert(str(i), LeanMinHash(seed=1, hashvalues=sigs[i]))
    pairs = []
    for i, sig in sigs.items():
        for key in lsh.query(LeanMinHash(seed=1, hashvalues=sig)):
            j = int(key)
            if j > i:
                jac = float(np.count_nonzero(sig == sigs[j])) / NUM_PERM   # MinHash Jaccard estimate
                if jac >= threshold:
                    pairs.append((jac, i, j))
    # most similar pairs first; a merge must keep the whole group consistent (no chaining
    # of a 2020 and a 2021 report through a copy whose year is unknown)
    for jac, i, j in sorted(pairs, reverse=True):
        ri, rj = uf.find(i), uf.find(j)
        if ri == rj:
            similarity[i], similarity[j] = max(similarity.get(i, 0.0), jac), max(similarity.get(j, 0.0), jac)
            continue
        if not _compatible(known[ri], known[rj], same_text=jac >= SAME_TEXT):
            continue
        merged = {col: known[ri][col] | known[rj][col] for col in _KEYS}
        uf.union(i, j)
        known[uf.find(i)] = merged
        similarity[i], similarity[j] = max(similarity.get(i, 0.0), jac), max(similarity.get(j, 0.0), jac)
        link_level[(i, j)] = "near_text"

    direct: dict[int, set[str]] = {}
    for (a, b), lvl in link_level.items():
        direct.setdefault(a, set()).add(lvl)
        direct.setdefault(b, set()).add(lvl)
    docs["_group"] = [uf.find(i) for i in range(len(docs))]
    docs["_rank"] = list(zip(
        ~docs["own_domain"].fillna(False).astype(bool),
        -docs["values_ok"].fillna(0).astype(int),
        docs["identity_breaks"].fillna(0).astype(int),
        [_desc(v) for v in docs["publish_date"]],
        docs["extraction_flags"].fillna(0).astype(int) if "extraction_flags" in docs else [0] * len(docs),
        [_desc(v) for v in docs["fetched_at"]],
        docs["sha256"],
        strict=True,
    ))
    out_rows = []
    used_ids: set[str] = set()
    for _, group in docs.groupby("_group", sort=False):
        ordered = group.loc[sorted(group.index, key=lambda k: group.at[k, "_rank"])]
        canon = ordered.iloc[0]
        canon_values = canon["values"] or {}
        year = canon["report_year"]
        akey = agency_id(canon.get("region_code"), canon.get("agency_name"), fallback=f"doc:{canon['sha256'][:12]}")
        rid = report_id(akey if canon["agency_key"] else None, year, canon.get("report_scope"), canon["sha256"])
        if rid in used_ids:     # two groups the rules keep apart share agency/year/scope: key by the bytes
            rid = report_id(None, None, None, canon["sha256"])
        used_ids.add(rid)
        disagreeing = []
        for i, row in ordered.iterrows():
            is_canon = row["sha256"] == canon["sha256"]
            flags: list[str] = []
            disagree = False
            if not is_canon:
                diff = _differences(canon_values, row["values"] or {})
                if diff:
                    disagree = True
                    disagreeing.append(row["sha256"][:12])
                    flags.append(f"values_disagree_with_canonical:{len(diff)}:{','.join(diff[:5])}")
            out_rows.append({
                "sha256": row["sha256"], "report_id": rid, "agency_id": akey,
                "canonical_sha256": canon["sha256"], "is_canonical": is_canon,
                "duplicate_level": None if is_canon else _level(i, direct),
                "near_text_similarity": similarity.get(i), "values_disagree": disagree,
                "dedup_flags": flags,
            })
        if disagreeing:
            for r in out_rows:
                if r["sha256"] == canon["sha256"]:
                    r["values_disagree"] = True
                    r["dedup_flags"] = [f"copies_disagree:{','.join(disagreeing)}"]
    return pd.DataFrame(out_rows, columns=cols)


def _desc(value: Any) -> str:
    """Sort key putting the latest ISO date/time first (missing last)."""
    if not _present(value) or not str(value):
        return "\uffff"
    return "".join(chr(0xFFFF - ord(c)) for c in str(value))


def _level(i: int, direct: dict[int, set[str]]) -> str:
    """near_text when this copy was linked by its text, else agency_year_scope."""
    if "near_text" in direct.get(i, set()):
        return "near_text"
    return "agency_year_scope"


def _differences(a: dict[str, float], b: dict[str, float]) -> list[str]:
    """Codes present in both with values that differ."""
    out = []
    for code in sorted(set(a) & set(b)):
        va, vb = a[code], b[code]
        if _present(va) and _present(vb) and abs(float(va) - float(vb)) > 1e-9:
            out.append(code)
    return out
