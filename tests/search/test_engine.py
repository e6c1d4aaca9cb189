"""The engine on its own, at the edges the demo town never reaches."""

from __future__ import annotations

from enforcement.search.engine import Doc, Filters
from enforcement.search.query import parse
from enforcement.search.whoosh_engine import WhooshEngine


def _engine_with(tmp_path, docs: list[Doc]) -> WhooshEngine:
    engine = WhooshEngine(tmp_path / "index")
    generation = engine.new_build()
    with engine.writer(generation, fresh=True) as writer:
        writer.index(docs)
    engine.publish(generation)
    return engine


def _decision(i: int, number: str) -> Doc:
    return Doc(key=f"decision:{i}", category="decision", entity_id=i, title="行政处罚决定书",
               body=f"{number} 当事人未安装燃气泄漏报警装置，责令改正，罚款。", url=f"/decisions/{i}", number=number,
               numbers=[number.replace("〔", "[").replace("〕", "]")])


def test_an_index_whose_every_document_was_deleted_answers_every_query_with_nothing(tmp_path):
    engine = _engine_with(tmp_path, [_decision(1, "京兴西罚字〔2026〕第0001号")])
    with engine.lock(), engine.writer() as writer:
        writer.delete(["decision:1"])
    for q in ("京兴西罚字[2026]第0001号", "燃气", '"责令 改正"', ""):
        result = engine.search(parse(q, engine.knows_number), Filters())
        assert (result.total, result.hits) == (0, [])
    assert engine.search(parse("燃气"), Filters(), sort="date").total == 0


def test_an_empty_index_and_an_unknown_filter_value_answer_with_nothing(tmp_path):
    engine = _engine_with(tmp_path, [])
    assert engine.search(parse("燃气"), Filters()).total == 0
    engine = _engine_with(tmp_path / "other", [_decision(1, "京兴西罚字〔2026〕第0001号")])
    assert engine.search(parse("燃气"), Filters(agency=999, year=1999, kind="nothing")).total == 0
    assert engine.search(parse("燃气"), Filters()).total == 1
