"""Resources: where data lives. One place defines every path the pipeline writes."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

REPO_ROOT = Path(__file__).resolve().parent.parent


class PathsResource(dg.ConfigurableResource):
    """Data root and the layout below it (raw archive, build area, published releases).

    `OGI_DATA_DIR` overrides the root (default: `data/` in the repository).
    """

    data_dir: str = os.environ.get("OGI_DATA_DIR", str(REPO_ROOT / "data"))

    @property
    def root(self) -> Path:
        return Path(self.data_dir)

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def published_dir(self) -> Path:
        return self.root / "published"
