"""Export every disclosure kind, streamed in batches.

By default an export is the public projection (safe to publish). With
``include_private`` it is the full import format, for backups and moving
data between installations, and re-imports to the same state.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from enforcement.disclosure import projection
from enforcement.disclosure.formats import SPECS
from enforcement.disclosure.laws import citation_of
from enforcement.disclosure.models import (
    Agency,
    Decision,
    InspectionItem,
    LawArticle,
    Officer,
    Power,
    PowerBasis,
    ProcedureGuide,
)
from enforcement.extensions import db

BATCH = 1000

_MODELS = {
    "agencies": (Agency, projection.public_agency),
    "officers": (Officer, projection.public_officer),
    "powers": (Power, projection.public_power),
    "procedures": (ProcedureGuide, projection.public_procedure),
    "inspection-items": (InspectionItem, projection.public_inspection_item),
    "decisions": (Decision, projection.public_decision),
}


def _batches(stmt, key_column) -> Iterator[Any]:
    """Keyset pagination by id: constant memory for any table size."""
    last = 0
    while True:
        objs = list(db.session.scalars(stmt.where(key_column > last).order_by(key_column).limit(BATCH)))
        if not objs:
            return
        yield from objs
        last = getattr(objs[-1], key_column.key)
        db.session.expunge_all()


def _options(kind: str):
    if kind == "decisions":
        return [selectinload(Decision.agency), selectinload(Decision.officers), selectinload(Decision.powers),
                selectinload(Decision.records)]
    if kind == "powers":
        return [selectinload(Power.agency),
                selectinload(Power.basis).selectinload(PowerBasis.article).selectinload(LawArticle.law)]
    if kind == "procedures":
        return [selectinload(ProcedureGuide.agency), selectinload(ProcedureGuide.steps)]
    return [selectinload(_MODELS[kind][0].agency)] if kind != "agencies" else []


def iter_records(kind: str, include_private: bool = False) -> Iterator[dict[str, Any]]:
    if kind == "laws":
        stmt = select(LawArticle).options(selectinload(LawArticle.law))
        for a in _batches(stmt, LawArticle.id):
            yield {"title": a.law.title, "version_date": a.law.version_date, "number": a.number,
                   "chapter": a.chapter, "text": a.text}
        return
    model, public = _MODELS[kind]
    stmt = select(model).options(*_options(kind))
    for obj in _batches(stmt, model.id):
        if include_private:
            yield full_record(kind, obj)
        else:
            row = public(obj)
            if row is not None:
                yield row


def full_record(kind: str, obj: Any) -> dict[str, Any]:
    """The record in the import format (round-trips through import)."""
    names = [f.name for f in SPECS[kind].fields]
    row = {n: getattr(obj, n) for n in names if hasattr(obj, n) and n not in ("basis", "steps", "officers", "powers",
                                                                              "other_names", "penalty_kinds")}
    if "agency_credit_code" in names:
        row["agency_credit_code"] = obj.agency.credit_code
    if kind == "powers":
        row["basis"] = [citation_of(b.article) for b in obj.basis]
    if kind == "procedures":
        row["steps"] = [f"{s.name}：{s.description}" if s.description else s.name for s in obj.steps]
    if kind == "decisions":
        row["basis"] = obj.basis
        row["other_names"] = [n for n in obj.other_names.splitlines() if n]
        row["penalty_kinds"] = obj.penalty_kind_list
        row["officers"] = [o.credential_number for o in obj.officers]
        row["powers"] = [p.code for p in obj.powers]
    return {n: row.get(n) for n in names}


def columns(kind: str, include_private: bool) -> list[tuple[str, str]]:
    """(key, Chinese header) pairs for CSV/XLSX."""
    if include_private or kind == "laws":
        return [(f.name, f.label) for f in SPECS[kind].fields]
    return PUBLIC_COLUMNS[kind]


PUBLIC_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "agencies": [("name", "名称"), ("credit_code", "统一社会信用代码"), ("legal_status_label", "主体性质"),
                 ("duties", "职责"), ("address", "办公地址"), ("phone", "联系电话"), ("supervision_phone", "监督电话"),
                 ("supervision_channels", "监督方式"), ("reconsideration_body", "行政复议机关"),
                 ("litigation_court", "行政诉讼管辖法院")],
    "officers": [("name", "姓名"), ("credential_number", "执法证号"), ("category", "执法类别"), ("agency", "执法主体"),
                 ("credential_expires_on", "有效期至"), ("credential_state", "证件状态")],
    "powers": [("code", "职权编码"), ("name", "职权名称"), ("category_label", "职权类别"), ("agency", "执法主体"),
               ("basis_text", "法律依据"), ("discretion", "裁量基准")],
    "procedures": [("code", "流程编码"), ("item", "事项名称"), ("agency", "执法主体"), ("receiving_office", "受理机构"),
                   ("approving_office", "决定机构"), ("conditions", "办理条件"), ("time_limit", "办理时限"),
                   ("steps_text", "流程步骤")],
    "inspection-items": [("seq", "序号"), ("item", "检查项目"), ("sub_item", "检查子项"), ("agency", "检查主体"),
                         ("basis", "检查依据"), ("method", "检查方式"), ("content", "检查内容"), ("remark", "备注")],
    "decisions": [("number", "决定文号"), ("kind_label", "决定类型"), ("agency", "执法主体"), ("party", "当事人"),
                  ("party_credit_code", "统一社会信用代码"), ("title", "案由"), ("facts", "违法事实"),
                  ("basis", "处罚依据"), ("result", "处理结果"), ("fine_amount", "罚款金额（元）"),
                  ("decided_on", "决定日期"), ("published_on", "公示日期"), ("state", "公示状态"),
                  ("withdrawal_reason", "撤回理由")],
}


def flatten_public(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """Add the flat text columns that CSV/XLSX need for nested public fields."""
    if kind == "powers":
        row["basis_text"] = "；".join(b["citation"] for b in row["basis"])
    elif kind == "procedures":
        row["steps_text"] = " → ".join(s["name"] for s in row["steps"])
    return row


