"""The Dagster code location: `defs` is what `dagster dev` and `dagster definitions validate` load.

`build_definitions` is the one function that assembles assets, checks, jobs, schedules,
sensors and resources; tests call it with their own resources (a temporary data root, the
loopback demo registry) instead of patching globals.
"""

from __future__ import annotations

from typing import Any

import dagster as dg

from pipelines.resources import PathsResource


def build_definitions(resources: dict[str, Any] | None = None) -> dg.Definitions:
    """Assemble the code location; `resources` overrides the defaults by key."""
    default_resources: dict[str, Any] = {"paths": PathsResource()}
    default_resources.update(resources or {})
    return dg.Definitions(assets=[], resources=default_resources)


defs = build_definitions()
