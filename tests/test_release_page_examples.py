"""The researchers' guide (README.md, "Using the data") runs: its pandas and DuckDB examples
against a release written by the real publisher and served on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_download_client import _Server
from test_publish import inputs

from pipelines import publish
from pipelines.download_client import download_release

GUIDE = Path(__file__).resolve().parent.parent / "README.md"
DOC_BASE = "https://data.example.org/ogi-reports"
DOC_LOCAL = "ogi/v2026.03.31"


def _python_blocks() -> dict[str, str]:
    """The guide's ```python blocks, keyed by the heading they sit under (+ index)."""
    blocks: dict[str, str] = {}
    heading = ""
    for part in re.split(r"(^###? [^\n]*$|```python\n.*?```)", GUIDE.read_text(encoding="utf-8"), flags=re.M | re.S):
        if part.startswith("#"):
            heading = part.lstrip("#").strip()
        elif part.startswith("```python"):
            key = heading if heading not in blocks else f"{heading} #2"
            blocks[key] = part[len("```python\n"):-3]
    return blocks


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    summary = publish.publish(root, inputs())
    with _Server(root) as srv:
        local = download_release("latest", srv.url, root.parent / "downloads", progress=False)
        yield srv.url.rstrip("/"), local, summary


def _run(code: str, base: str, local: Path) -> dict:
    code = code.replace(DOC_BASE, base).replace(DOC_LOCAL, str(local))
    namespace: dict = {}
    exec(compile(code, str(GUIDE), "exec"), namespace)  # the guide's own code, unchanged but for URLs
    return namespace


def test_guide_has_the_promised_examples():
    blocks = _python_blocks()
    assert {"pandas", "DuckDB (query the Parquet files where they are)"} <= set(blocks)
    assert "INSTALL httpfs" in blocks["DuckDB (query the Parquet files where they are) #2"]


def test_pandas_example_over_http(served):
    base, local, summary = served
    ns = _run(_python_blocks()["pandas"], base, local)
    assert len(ns["reports"]) == summary["rows"]["reports"] == len(ns["reports_csv"])
    assert len(ns["obs"]) == summary["rows"]["observations"]
    assert "sec3_res_granted__total" in ns["panel"].columns


def test_duckdb_local_example(served, capsys):
    base, local, summary = served
    _run(_python_blocks()["DuckDB (query the Parquet files where they are)"], base, local)
    shown = capsys.readouterr().out
    assert "province_name" in shown and "2020" in shown and "2021" in shown


def test_duckdb_http_example(served, capsys):
    import duckdb

    try:
        duckdb.connect().sql("LOAD httpfs")
    except duckdb.Error as exc:
        pytest.skip(f"DuckDB's httpfs extension is not installed and CI is offline: {str(exc).splitlines()[0]}")
    base, local, _ = served
    _run(_python_blocks()["DuckDB (query the Parquet files where they are) #2"], base, local)
    assert "requests" in capsys.readouterr().out
