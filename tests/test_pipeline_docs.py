"""pipelines/README.md documents every published table and column declared in pipelines/tables.py."""

from __future__ import annotations

from pathlib import Path

from pipelines.tables import published_tables

README = Path(__file__).resolve().parent.parent / "pipelines" / "README.md"


def test_readme_lists_every_table_and_column():
    text = README.read_text(encoding="utf-8")
    missing = [f"{spec.name}.{name}" for spec in published_tables() for name in [spec.name, *spec.column_names]
               if f"`{name}`" not in text]
    assert not missing, f"regenerate the list with `python -m pipelines.tables`; missing: {missing[:10]}"
