"""The published draw algorithm: anyone re-runs a draw from the published data alone."""

from __future__ import annotations

import copy
import json

import pytest

from enforcement.inspections import drawing


def pools(n_targets: int = 40, n_inspectors: int = 6, conflicts=()) -> dict:
    return {
        "algorithm": drawing.ALGORITHM,
        "plan": {"number": "西红门双随机〔2021〕第1号", "item_code": "XHM-SJ-001", "ratio_percent": "10",
                 "inspectors_per_target": 2, "draw_on": "2021-10-09"},
        "targets": [{"code": f"91110115T{i:09d}", "name": f"北京某餐厅{i}号店"} for i in range(n_targets)],
        "inspectors": [{"credential_number": f"11011500{i:03d}", "name": f"执法员{i}"} for i in range(n_inspectors)],
        "conflicts": [{"credential_number": c, "target_code": t} for c, t in conflicts],
    }


def published(p: dict, seed: str) -> dict:
    """The document as the platform publishes it after the draw, round-tripped through JSON text."""
    result = [t.as_dict() for t in drawing.run_draw(p, seed)]
    document = {**p, "commitment": drawing.commitment(p, seed), "seed": seed, "result": result}
    return json.loads(json.dumps(document, ensure_ascii=False))


def test_rerunning_a_draw_from_its_published_document_gives_identical_targets_and_inspectors():
    seed = drawing.new_seed()
    document = published(pools(), seed)
    outcome = drawing.verify(document)
    assert outcome.ok, outcome.problems
    assert [t.as_dict() for t in outcome.result] == document["result"]
    assert len(document["result"]) == 4  # 10% of 40
    assert all(len(t["inspectors"]) == 2 and len(set(t["inspectors"])) == 2 for t in document["result"])


def test_changing_one_pool_entry_changes_the_commitment():
    seed = "ab" * 32
    p = pools()
    original = drawing.commitment(p, seed)
    renamed = copy.deepcopy(p)
    renamed["targets"][7]["name"] += "（分店）"
    dropped = copy.deepcopy(p)
    dropped["inspectors"].pop()
    assert drawing.commitment(renamed, seed) != original
    assert drawing.commitment(dropped, seed) != original
    assert drawing.commitment(p, "cd" * 32) != original
    assert drawing.commitment(copy.deepcopy(p), seed) == original  # same data, same commitment


def test_a_published_result_that_differs_from_the_rerun_fails_verification():
    document = published(pools(), "01" * 32)
    document["result"][0]["inspectors"].reverse()
    outcome = drawing.verify(document)
    assert not outcome.ok
    assert "重新抽取的结果与公布的结果不一致" in outcome.problems


def test_a_pool_changed_after_the_commitment_fails_verification():
    document = published(pools(), "02" * 32)
    document["targets"].pop()
    assert "承诺值不符" in drawing.verify(document).problems[0]


def test_an_inspector_with_a_declared_conflict_is_replaced_for_that_target():
    seed = "03" * 32
    plain = drawing.run_draw(pools(), seed)
    first = plain[0]
    conflicted = pools(conflicts=[(first.inspectors[0], first.code)])
    redrawn = drawing.run_draw(conflicted, seed)[0]
    assert redrawn.code == first.code
    assert first.inspectors[0] not in redrawn.inspectors
    assert redrawn.recused == [first.inspectors[0]]
    assert len(redrawn.inspectors) == 2
    assert drawing.verify(published(conflicted, seed)).ok


def test_too_few_inspectors_without_conflict_is_refused():
    p = pools(n_targets=1, n_inspectors=2, conflicts=[("11011500000", "91110115T000000000")])
    with pytest.raises(drawing.DrawError):
        drawing.run_draw(p, "04" * 32)


@pytest.mark.parametrize(("size", "ratio", "expected"), [(40, "5", 2), (41, "5", 3), (3, "5", 1), (0, "5", 0),
                                                         (200, "12.5", 25), (7, "100", 7)])
def test_target_count_is_the_ceiling_of_the_ratio_and_at_least_one(size, ratio, expected):
    assert drawing.target_count(size, ratio) == expected


def test_the_stream_is_a_fixed_function_of_the_seed():
    a, b = drawing.HmacStream("seed"), drawing.HmacStream("seed")
    values = [a.below(1000) for _ in range(20)]
    assert values == [b.below(1000) for _ in range(20)]
    assert values != [drawing.HmacStream("seed2").below(1000) for _ in range(20)]
    # Pinned so that a change to the algorithm cannot pass unnoticed: published draws depend on it.
    assert drawing.pick(drawing.HmacStream("00" * 32), list(range(10)), 3) == PINNED


PINNED = [8, 9, 0]


def test_command_line_verifier_reads_a_downloaded_file(tmp_path, capsys):
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(published(pools(), "05" * 32), ensure_ascii=False), encoding="utf-8")
    assert drawing.main([str(path)]) == 0
    assert "验证通过" in capsys.readouterr().out
