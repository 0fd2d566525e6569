"""Deduplication rules (transforms/dedup.py) on small hand-made document sets."""

from __future__ import annotations

import pandas as pd
import pytest

from transforms import dedup

TEMPLATE = ("某某市人民政府办公室2021年政府信息公开工作年度报告。本报告根据《中华人民共和国政府信息公开条例》"
            "编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
            "本年新收政府信息公开申请{n}件，上年结转{m}件，予以公开{k}件。") * 3


def doc(sha: str, **kw) -> dict:
    base = {"sha256": sha, "agency_name": "某某市人民政府办公室", "region_code": "110101", "report_year": 2021,
            "report_scope": "agency_only", "own_domain": False, "values_ok": 10, "identity_breaks": 0,
            "publish_date": "2022-01-20", "fetched_at": "2026-01-01T00:00:00Z", "minhash": None, "values": {}}
    base.update(kw)
    return base


def resolve(rows: list[dict]) -> pd.DataFrame:
    return dedup.resolve(pd.DataFrame(rows)).set_index("sha256")


def test_same_agency_year_scope_is_one_report_and_own_domain_wins():
    out = resolve([doc("a" * 64, values_ok=30), doc("b" * 64, own_domain=True, values_ok=5)])
    assert out["report_id"].nunique() == 1
    assert out.loc["b" * 64, "is_canonical"] and not out.loc["a" * 64, "is_canonical"]
    assert out.loc["a" * 64, "duplicate_level"] == "agency_year_scope"
    assert set(out["canonical_sha256"]) == {"b" * 64}


def test_a_generic_agency_name_in_two_provinces_is_two_agencies():
    out = resolve([doc("a" * 64, agency_name="公安局", region_code="110101", region_from_document=True),
                   doc("b" * 64, agency_name="公安局", region_code="440301", region_from_document=True),
                   doc("c" * 64, agency_name="公安局", region_code="440301", region_from_document=False),
                   doc("d" * 64, agency_name="公安局", region_code="500101", region_from_document=False)])
    assert out["report_id"].nunique() == 3
    assert out.loc["c" * 64, "report_id"] == out.loc["b" * 64, "report_id"], "joins the province it was found in"
    assert out["agency_id"].nunique() == 3
    out = resolve([doc("a" * 64, agency_name="公安局", region_code="110101", region_from_document=True),
                   doc("c" * 64, agency_name="公安局", region_code="440301", region_from_document=False)])
    assert out["report_id"].nunique() == 1, "a region guessed from the portal does not split a group"


def test_more_identity_passing_values_then_latest_revision():
    out = resolve([doc("a" * 64, values_ok=20), doc("b" * 64, values_ok=25)])
    assert out.loc["b" * 64, "is_canonical"]
    out = resolve([doc("a" * 64, publish_date="2022-01-20"), doc("b" * 64, publish_date="2022-03-01")])
    assert out.loc["b" * 64, "is_canonical"], "the later revision wins when everything else ties"


def test_different_year_or_scope_are_different_reports():
    out = resolve([doc("a" * 64), doc("b" * 64, report_year=2020), doc("c" * 64, report_scope="region_aggregate")])
    assert out["report_id"].nunique() == 3
    assert out["is_canonical"].all()


def test_near_identical_text_links_an_unidentified_copy_but_not_another_year():
    text = TEMPLATE.format(n=12, m=3, k=9)
    variant = text.replace("。", "．", 2)         # the PDF rendering differs in punctuation only
    other_year = TEMPLATE.format(n=12, m=3, k=9).replace("2021", "2020")
    out = resolve([
        doc("a" * 64, minhash=dedup.minhash_signature(text)),
        doc("b" * 64, agency_name=None, region_code=None, report_year=None, minhash=dedup.minhash_signature(variant)),
        doc("c" * 64, report_year=2020, minhash=dedup.minhash_signature(other_year)),
    ])
    assert out.loc["b" * 64, "report_id"] == out.loc["a" * 64, "report_id"]
    assert out.loc["b" * 64, "duplicate_level"] == "near_text"
    assert out.loc["b" * 64, "near_text_similarity"] >= dedup.NEAR_DUP_THRESHOLD
    assert out.loc["c" * 64, "report_id"] != out.loc["a" * 64, "report_id"]


def test_same_text_links_copies_whose_agency_was_read_differently():
    text = TEMPLATE.format(n=12, m=3, k=9)
    out = resolve([doc("a" * 64, minhash=dedup.minhash_signature(text)),
                   doc("b" * 64, agency_name="某某市政府办", minhash=dedup.minhash_signature(text + "。"))])
    assert out["report_id"].nunique() == 1
    assert out.loc["b" * 64, "duplicate_level"] == "near_text"


def test_similar_template_of_another_agency_is_not_linked():
    text = TEMPLATE.format(n=12, m=3, k=9)
    other = text.replace("某某市人民政府办公室", "另一县交通运输局").replace("12", "47").replace("9件", "31件")
    a, b = dedup.minhash_signature(text), dedup.minhash_signature(other)
    jac = sum(x == y for x, y in zip(a, b, strict=True)) / dedup.NUM_PERM
    out = resolve([doc("a" * 64, minhash=a), doc("b" * 64, agency_name="另一县交通运输局", minhash=b)])
    assert jac < dedup.SAME_TEXT
    assert out["report_id"].nunique() == 2


def test_unrelated_texts_are_not_linked():
    a = dedup.minhash_signature("甲" * 10 + TEMPLATE.format(n=1, m=2, k=3))
    b = dedup.minhash_signature("完全不同的一段文字，关于天气、交通和城市规划的说明，没有任何共同的句子。" * 5)
    out = resolve([doc("a" * 64, agency_name=None, minhash=a), doc("b" * 64, agency_name=None, minhash=b)])
    assert out["report_id"].nunique() == 2


def test_copies_with_different_values_are_flagged_not_dropped():
    out = resolve([
        doc("a" * 64, own_domain=True, values={"sec3.res_total@total": 12.0, "sec3.res_granted@total": 5.0}),
        doc("b" * 64, values={"sec3.res_total@total": 12.0, "sec3.res_granted@total": 6.0}),
        doc("c" * 64, values={"sec3.res_total@total": 12.0}),
    ])
    assert len(out) == 3
    assert out.loc["b" * 64, "values_disagree"]
    assert out.loc["b" * 64, "dedup_flags"][0].startswith("values_disagree_with_canonical:1:sec3.res_granted@total")
    assert not out.loc["c" * 64, "values_disagree"]
    assert out.loc["a" * 64, "values_disagree"]
    assert out.loc["a" * 64, "dedup_flags"] == [f"copies_disagree:{'b' * 12}"]


def test_report_id_is_stable_and_independent_of_the_canonical_bytes():
    first = resolve([doc("a" * 64)])
    second = resolve([doc("f" * 64, own_domain=True), doc("a" * 64)])
    assert first.loc["a" * 64, "report_id"] == second.loc["f" * 64, "report_id"]


def test_empty_input():
    assert dedup.resolve(pd.DataFrame()).empty


@pytest.mark.benchmark
def test_lsh_scales_linearly():
    import time

    rows = []
    for i in range(3000):
        text = f"第{i}号机关" + TEMPLATE.format(n=i, m=i % 7, k=i % 5) + f"编号{i * 7919}"
        rows.append(doc(f"{i:064x}", agency_name=f"机关{i}", minhash=dedup.minhash_signature(text)))
    started = time.perf_counter()
    out = dedup.resolve(pd.DataFrame(rows))
    elapsed = time.perf_counter() - started
    print(f"\nresolve: {len(rows)} documents in {elapsed:.2f}s ({out['report_id'].nunique()} reports)")
