"""The three entry points load: Dagster definitions, Scrapy settings, the CLI tools."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_definitions_build_with_swapped_resources(tmp_path):
    from pipelines.definitions import build_definitions
    from pipelines.resources import PathsResource

    defs = build_definitions(resources={"paths": PathsResource(data_dir=str(tmp_path))})
    assert defs.resources["paths"].data_dir == str(tmp_path)


def test_dagster_definitions_validate(tmp_path):
    env = dict(os.environ, DAGSTER_HOME=str(tmp_path))
    (tmp_path / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    proc = subprocess.run([str(BIN / "dagster"), "definitions", "validate"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_scrapy_settings_are_polite():
    from spiders import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert "ogi-reports" in settings.USER_AGENT


def test_scrapy_list_runs():
    proc = subprocess.run([str(BIN / "scrapy"), "list"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
