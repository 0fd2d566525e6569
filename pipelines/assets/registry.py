"""`raw_portals__registry`: the portal registry as a table, and the `portal` partitions."""


import dagster as dg
import pandas as pd

from pipelines.resources import RegistryResource
from spiders.registry import load_registry

PORTALS = dg.DynamicPartitionsDefinition(name="portal")


@dg.asset(group_name="raw", code_version="1", kinds={"yaml"})
def raw_portals__registry(context: dg.AssetExecutionContext, registry: RegistryResource) -> pd.DataFrame:
    """Every portal of the registry; crawlable ones (with a report-column URL) become partitions."""
    portals = load_registry(registry.path)
    frame = pd.DataFrame([{
        "portal_id": p.id, "agency": p.agency, "region_code": p.region_code, "level": p.level,
        "platform": p.platform, "start_urls": list(p.start_urls), "allowed_domains": list(p.allowed_domains),
        "hosts": list(p.hosts), "verified": p.verified,
    } for p in portals])
    crawlable = [p.id for p in portals if p.start_urls]
    existing = set(context.instance.get_dynamic_partitions(PORTALS.name))
    new = [pid for pid in crawlable if pid not in existing]
    if new:
        context.instance.add_dynamic_partitions(PORTALS.name, new)
    stale = sorted(existing - {p.id for p in portals})
    context.add_output_metadata({
        "registry": dg.MetadataValue.path(registry.path), "portals": len(portals), "crawlable": len(crawlable),
        "partitions_added": len(new), "partitions_not_in_registry": ", ".join(stale) or "none",
    })
    return frame
