"""Every kind of private value, written the way real case files write it, stays off every public surface.

One imported decision per kind: its facts carry the value in a real-world spelling; the test walks the
projection, the page, the API, the CSV/XLSX exports, the Atom feed and the search index (a search for the
value finds nothing, and no snippet shows it), then checks the officer's publish check lists it and the
supervisor's audit reports an officer's wrong confirmation of it.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from enforcement.audit.checks_public import decision_leaks
from enforcement.core.masking import digits
from enforcement.disclosure import publish_check
from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Decision
from enforcement.disclosure.projection import public_decision
from enforcement.extensions import db
from enforcement.search.services import rebuild, search
from tests.disclosure.helpers import decision
from tests.search.test_freshness import RECENT, TODAY

# (kind, facts written as a town office writes them, the raw value that must never be public)
KINDS = [
    ("full-width ID", "当事人公民身份证１１０１０５１９８５０６１７２３１９，对事实无异议。", "110105198506172319"),
    ("grouped ID", "经查当事人身份证号110105 19850617 2319。", "110105198506172319"),
    ("15-digit ID", "当事人持旧身份证110105850617231。", "110105850617231"),
    ("ID with a wrong check digit", "当事人身份证号码110105198506172310。", "110105198506172310"),
    ("disability card", "当事人持残疾人证，证号11010519850617231942。", "11010519850617231942"),
    ("full-width mobile", "联系方式：１３９１２３４５６７８。", "13912345678"),
    ("grouped mobile", "当事人手机1391 2345 678。", "13912345678"),
    ("landline", "当事人电话010-8765 4321转123。", "87654321"),
    ("local number", "联系69256781，已送达。", "69256781"),
    ("HK permit", "当事人证件号码H12345678。", "H12345678"),
    ("passport", "当事人护照号码E87654321。", "E87654321"),
    ("bank card", "当事人通过银行卡6222 0202 0011 2233 441缴纳罚款。", "6222020200112233441"),
    ("e-mail", "当事人邮箱zhang.san@example.cn。", "zhang.san@example.cn"),
    ("WeChat", "当事人微信号zs_1988abc。", "zs_1988abc"),
    ("QQ", "当事人QQ：123456789。", "123456789"),
    ("licence plate", "当事人驾驶京B·D12345号车辆占道。", "D12345"),
    ("unlabelled address", "当事人在7号楼3单元502室内存放钢瓶。", "3单元502"),
    ("labelled address with a space", "当事人住址：北京市大兴区 西红门镇宏福苑小区7号楼3单元502室。", "宏福苑小区7号楼"),
    ("village address", "当事人在2排15号院私搭乱建。", "2排15号院"),
    ("health", "当事人自述患有抑郁症，系二级肢体残疾。", "肢体残疾"),
    ("role word not in a list", "保洁员李小红在场，举报人陈丽女士称属实。", "李小红"),
    ("middle-dot name", "见证人阿依古丽·买买提签字确认。", "阿依古丽"),
]


def _leaked(raw: str, text: str) -> bool:
    """Whether ``raw`` appears in ``text`` in any spelling (digits compared by digits alone)."""
    if re.fullmatch(r"[\dXx]+", raw):
        return raw.upper() in digits(text)
    return raw in text


@pytest.mark.parametrize(("label", "facts", "raw"), KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_is_masked_on_every_public_surface(indexed_town, client, label, facts, raw):
    number = "京兴西罚字〔2026〕第0001号"
    import_rows("decisions", [(1, decision(number, facts=facts, other_names=[], **RECENT))])
    db.session.commit()
    d = db.session.scalar(select(Decision).where(Decision.number == number))
    rebuild()
    surfaces = {
        "projection": repr(public_decision(d)),
        "page": client.get(f"/decisions/{d.id}").get_data(as_text=True),
        "api": client.get(f"/api/v1/decisions/{d.id}").get_data(as_text=True),
        "csv": client.get("/decisions/export.csv").get_data(as_text=True),
        "feed": client.get("/feeds/decisions.atom").get_data(as_text=True),
    }
    sheet = load_workbook(io.BytesIO(client.get("/decisions/export.xlsx").data), read_only=True).active
    surfaces["xlsx"] = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    hits = search(raw)
    surfaces["search"] = repr(hits.results)  # (the query itself is echoed back; only the results matter)
    assert "当事人" in surfaces["page"]
    assert {k: _leaked(raw, v) for k, v in surfaces.items()} == dict.fromkeys(surfaces, False)
    assert hits.relaxed or not [h for h in hits.results if h.get("category") == "decision"]

    listed = publish_check.suspects(d)
    assert any(_leaked(raw, s.value) or raw in s.value for s in listed), listed


def test_a_wrong_confirmation_is_masked_anyway_and_reported_by_the_audit(indexed_town):
    import_rows("decisions", [(1, decision(facts="当事人公民身份证１１０１０５１９８５０６１７２３１９。", other_names=[],
                                           **RECENT))])
    d = db.session.scalar(select(Decision))
    d.masking_confirmed = "１１０１０５１９８５０６１７２３１９"  # an officer's mistake, as the demo makes a few
    db.session.commit()
    assert "１１０１０５" not in public_decision(d)["facts"]
    leaks = decision_leaks(d, TODAY)
    assert [(field, f.kind) for field, f in leaks] == [("masking_confirmed", "id_number")]


def test_a_sole_traders_id_in_the_credit_code_field_is_refused(indexed_town):
    from enforcement.core.records import ImportRejected

    with pytest.raises(ImportRejected) as refused:
        import_rows("decisions", [(1, decision(party_type="sole_trader", party_name="西红门小吃店",
                                               party_legal_rep="张三", party_credit_code="11010519491231002X"))])
    assert "居民身份证号码" in str(refused.value.errors[0])


def test_a_withdrawal_reason_with_personal_data_is_refused_on_import_as_on_the_form(indexed_town):
    from enforcement.core.records import ImportRejected

    with pytest.raises(ImportRejected) as refused:
        import_rows("decisions", [(1, decision(status="withdrawn", withdrawn_on=(TODAY - timedelta(days=2)).isoformat(),
                                               withdrawal_reason="当事人张三（电话13912345678）申请复议后撤销。",
                                               **RECENT))])
    assert "撤回理由将向社会公开" in str(refused.value.errors[0])
