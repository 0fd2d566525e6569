"""Extraction accuracy on the real corpus (../shared/corpus), scored by transforms.evaluate.

Targets: precision >= 0.995, recall >= 0.97, metadata >= 0.98, and every cell of the seed
report (2013-qingzhen-seed). Skipped when the corpus is absent.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def scores(corpus_dir):
    from transforms.evaluate import evaluate

    return evaluate(corpus_dir)


def test_overall_precision_recall_metadata(scores):
    from transforms.evaluate import summarise

    summary = summarise(scores)
    bad = [m for s in scores for m in s.mismatches if m.startswith(("wrong", "extra"))]
    assert summary["precision"] >= 0.995, bad[:20]
    assert summary["recall"] >= 0.97, [m for s in scores for m in s.mismatches][:20]
    assert summary["metadata_accuracy"] >= 0.98


def test_every_rendering_is_precise(scores):
    from transforms.evaluate import summarise

    for rendering, agg in summarise(scores)["by_rendering"].items():
        if agg["cells_extracted"]:
            assert agg["precision"] >= 0.99, rendering


def test_seed_report_is_read_completely(scores):
    seed = next(s for s in scores if s.case_id == "2013-qingzhen-seed")
    assert seed.cells_truth == 40
    assert seed.cells_correct == seed.cells_truth, seed.mismatches
    assert seed.cells_extracted == seed.cells_truth
    assert seed.metadata_correct == seed.metadata_total, seed.metadata


def test_no_document_fails(scores):
    assert not [s.case_id for s in scores if s.status == "failed"]
