"""Resources: where data lives and how the crawl runs. One place defines every path the pipeline writes."""


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

    # Below: the fixed layout inside those three roots.
    @property
    def archive_dir(self) -> Path:
        """Content-addressed document bodies: <archive>/<sha256[:2]>/<sha256><ext>."""
        return self.raw_dir / "archive"

    @property
    def crawl_dir(self) -> Path:
        """One folder per crawl run (manifest.jsonl, health.json, stats.json, crawl.log)."""
        return self.raw_dir / "crawls"

    @property
    def assets_dir(self) -> Path:
        """Where the IO manager persists every asset (Parquet or JSON)."""
        return self.build_dir / "assets"

    @property
    def staging_dir(self) -> Path:
        """Releases are assembled here, then moved into `published_dir` in one rename."""
        return self.published_dir / ".staging"


class RegistryResource(dg.ConfigurableResource):
    """The portal registry the crawl reads (`OGI_REGISTRY` overrides the default file)."""

    path: str = os.environ.get("OGI_REGISTRY", str(REPO_ROOT / "data" / "portals.yaml"))


class CrawlSettingsResource(dg.ConfigurableResource):
    """Options handed to `python -m spiders.run`.

    `politeness=False` adds `--no-politeness` (loopback demo and tests only: no delays, no
    robots.txt); never switch it off against real government portals.
    """

    politeness: bool = True
    timeout_seconds: int = 6 * 3600


class ParseSettingsResource(dg.ConfigurableResource):
    """Extraction: worker processes and the time limit per document (0 workers = in this process,
    no limit; for debugging). A document over the limit is recorded as `failed` with the reason."""

    workers: int = min(2, os.cpu_count() or 1)
    timeout_seconds: int = 300


class PublishSettingsResource(dg.ConfigurableResource):
    """How a release is named and which pointers move after it is written.

    `version` empty means today's date (`vYYYY.MM.DD`); `pointers` are the symlinks repointed
    at the new release (`nightly` always for scheduled builds; `latest` for releases).
    """

    version: str = ""
    pointers: list[str] = ["nightly", "latest"]
