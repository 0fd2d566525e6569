"""End to end with the real publisher: its release carries our index.html (inside SHA256SUMS),
`ogi-download latest` fetches and verifies it over HTTP, and chromium renders the page."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from test_download_client import _Server
from test_publish import inputs

from pipelines import dictionary_files, publish
from pipelines.download_client import download_release

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("published")
    summary = publish.publish(root, inputs())
    return root, root / summary["version"]


def test_page_is_in_the_release_and_its_checksums(published):
    _, rel = published
    page = (rel / "index.html").read_text(encoding="utf-8")
    sums = dict(reversed(line.split("  ", 1)) for line in (rel / "SHA256SUMS").read_text().splitlines())
    assert "index.html" in sums
    for name, digest in sums.items():
        if name != "index.html":
            assert f'href="{name}"' in page and digest in page, name
            assert hashlib.sha256((rel / name).read_bytes()).hexdigest() == digest
    assert f">{rel.name}<" in page and "2 annual reports" in page
    assert page.count("<svg") == 2
    assert "sec3.res_total@total" not in page.split('id="dictionary"')[0]  # plots, not raw dumps, above
    dictionary = page.split('id="dictionary"')[1]
    assert "report_year" in dictionary                                     # the columns of every table
    n_codes = len(dictionary_files.indicators_frame())
    assert f"<strong>{n_codes} indicator codes</strong>" in dictionary      # and every indicator code


def test_figures_read_the_reports_and_observations_tables(published):
    from pipelines.release_page import load_coverage_inputs

    _, rel = published
    reports, observations = load_coverage_inputs(rel)
    assert "indicator_code" not in reports.columns and len(reports) == len(inputs().tables["reports"][1])
    assert {"report_year", "flags"} <= set(observations.columns)


def test_latest_downloads_and_verifies_over_http(published, tmp_path):
    root, rel = published
    with _Server(root) as srv:
        out = download_release("latest", srv.url, tmp_path, progress=False)
    assert out.name == rel.name
    assert (out / "index.html").read_bytes() == (rel / "index.html").read_bytes()
    assert (out / "parquet" / "observations.parquet").is_file()


@pytest.mark.browser
def test_published_page_renders_in_chromium(published):
    if not CHROMIUM:
        pytest.skip("Debian chromium is not installed (.ci/system-deps.sh installs it as root)")
    from playwright.sync_api import sync_playwright

    _, rel = published
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "release_page_published.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto((rel / "index.html").as_uri(), timeout=30_000)
            for fig in ("#plot-province-year svg", "#plot-identity-share svg"):
                box = page.locator(fig).bounding_box()
                assert box and box["width"] > 200 and box["height"] > 100, fig
            files = len([p for p in rel.rglob("*") if p.is_file() and p.name not in ("index.html", "SHA256SUMS")])
            assert page.locator("table.files tbody tr").count() == files
            page.locator("#dict-reports summary").click()
            assert page.locator("#dict-reports table").get_by_text("report_year").first.is_visible()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
