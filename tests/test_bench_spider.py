"""Benchmark (excluded by default; `pytest -m benchmark -s`): our spider vs a bare Scrapy spider."""

from __future__ import annotations

import json

import pytest

from bench.bench_spider import measure


@pytest.mark.benchmark
def test_spider_throughput_against_bare_scrapy():
    result = measure(scale=8)
    print("\nspider benchmark:", json.dumps(result, ensure_ascii=False))
    assert result["ours"]["pages"] > 100 and result["bare"]["pages"] > 100
    assert result["ours"]["pages_per_s"] > 0 and result["ratio_ours_to_bare"] > 0
