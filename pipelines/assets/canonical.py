"""`core_reports__canonical`: reports resolved from their copies (rules in transforms/dedup.py)."""


import json

import dagster as dg
import pandas as pd

from pipelines.provenance import transforms_version
from transforms import dedup
from transforms.panel import report_values


def own_domain_fetches(documents: pd.DataFrame, parsed: pd.DataFrame, registry: pd.DataFrame) -> pd.Series:
    """Per fetch: was it found on a portal run by the agency that wrote the report (names normalised)?"""
    agency_of_portal = {pid: dedup.normalise_agency(a) for pid, a in zip(registry["portal_id"], registry["agency"],
                                                                          strict=True)}
    agency_of_sha = {s: dedup.normalise_agency(a) for s, a in zip(parsed["sha256"], parsed["agency_name"],
                                                                  strict=True)}
    return pd.Series([
        bool(agency_of_sha.get(sha)) and agency_of_portal.get(pid) == agency_of_sha.get(sha)
        for pid, sha in zip(documents["portal_id"], documents["sha256"], strict=True)
    ], index=documents.index, dtype=bool)


def representative_fetches(documents: pd.DataFrame, own: pd.Series) -> dict[str, str]:
    """sha256 -> the fetch that stands for the body: own domain first, then portal id and URL order."""
    fetches = documents.assign(_own=own).sort_values(["_own", "portal_id", "source_url"],
                                                      ascending=[False, True, True])
    fetches = fetches[fetches["sha256"].notna()].drop_duplicates("sha256")
    return dict(zip(fetches["sha256"], fetches["document_id"], strict=True))


def preferred_date(portal_date: object, document_date: object) -> str | None:
    """The portal's publication date (page meta / list) before the document's own (file metadata
    such as a DOCX creation date is often the template's)."""
    for value in (portal_date, document_date):
        if isinstance(value, str) and value:
            return value
    return None


def report_documents(parsed: pd.DataFrame) -> pd.Series:
    """Which parsed bodies are annual reports (status ok and identified as one)."""
    return (parsed["status"] == "ok") & parsed["is_annual_report"].fillna(False).astype(bool)


@dg.asset(group_name="core", code_version=transforms_version("dedup.py", "panel.py"), kinds={"pandas"})
def core_reports__canonical(
    context: dg.AssetExecutionContext,
    raw_portals__registry: pd.DataFrame,
    core_reports__documents: pd.DataFrame,
    core_reports__parsed: pd.DataFrame,
    core_reports__observations: pd.DataFrame,
) -> pd.DataFrame:
    """One row per annual-report body: its report id, canonical copy, duplicate level, disagreement."""
    parsed = core_reports__parsed[report_documents(core_reports__parsed)].copy()
    own_fetch = own_domain_fetches(core_reports__documents, parsed, raw_portals__registry)
    own = set(core_reports__documents.loc[own_fetch, "sha256"])
    representative = representative_fetches(core_reports__documents, own_fetch)
    fetch_by_id = core_reports__documents.set_index("document_id")
    portal_region = dict(zip(raw_portals__registry["portal_id"], raw_portals__registry["region_code"], strict=True))
    # when the document names no region, the portal's (from the registry) stands in, and says so
    region, region_source = [], []
    for sha, code in zip(parsed["sha256"], parsed["region_code"], strict=True):
        if isinstance(code, str) and code:
            region.append(code)
            region_source.append("document")
        else:
            pid = fetch_by_id.at[representative[sha], "portal_id"] if sha in representative else None
            fallback = portal_region.get(pid)
            region.append(fallback if isinstance(fallback, str) else None)
            region_source.append("portal_registry" if isinstance(fallback, str) else None)
    parsed["region_code"], parsed["region_source"] = region, region_source
    first_fetch = core_reports__documents.sort_values("fetched_at").drop_duplicates("sha256", keep="last")
    fetched = first_fetch.set_index("sha256")["fetched_at"]
    portal_date = first_fetch.set_index("sha256")["publish_date"]
    obs = core_reports__observations.rename(columns={"sha256": "report_id"})
    values = report_values(obs) if len(obs) else pd.DataFrame(columns=["report_id", "indicator_code",
                                                                       "value_for_panel"])
    by_doc: dict[str, dict[str, float]] = {}
    for sha, code, value in zip(values["report_id"], values["indicator_code"], values["value_for_panel"], strict=True):
        by_doc.setdefault(sha, {})[code] = float(value)
    docs = pd.DataFrame({
        "sha256": parsed["sha256"],
        "agency_name": parsed["agency_name"], "region_code": parsed["region_code"],
        "region_from_document": parsed["region_source"] == "document",
        "report_year": parsed["report_year"], "report_scope": parsed["report_scope"],
        "own_domain": parsed["sha256"].isin(own),
        "values_ok": parsed["values_ok"], "identity_breaks": parsed["identity_breaks"],
        "extraction_flags": parsed["flags"].map(len) - parsed["identity_breaks"].fillna(0).astype(int),
        "publish_date": [preferred_date(portal_date.get(s), p)
                         for s, p in zip(parsed["sha256"], parsed["publish_date"], strict=True)],
        "fetched_at": parsed["sha256"].map(fetched),
        "minhash": parsed["minhash"],
        "values": parsed["sha256"].map(lambda s: by_doc.get(s, {})),
    })
    resolved = dedup.resolve(docs)
    resolved["own_domain"] = resolved["sha256"].isin(own)
    resolved["representative_document_id"] = resolved["sha256"].map(representative)
    by_sha = parsed.set_index("sha256")
    resolved["region_code"] = resolved["sha256"].map(by_sha["region_code"])
    resolved["region_source"] = resolved["sha256"].map(by_sha["region_source"])
    levels = resolved["duplicate_level"].value_counts().to_dict()
    context.add_output_metadata({
        "report_documents": len(resolved), "reports": int(resolved["is_canonical"].sum()),
        "duplicates_resolved": int((~resolved["is_canonical"]).sum()),
        "by_level": json.dumps(levels), "reports_with_disagreeing_copies": int(
            (resolved["is_canonical"] & resolved["values_disagree"]).sum()),
    })
    return resolved
