"""The two pools (两库): targets imported from XLSX/CSV, inspectors from credentialed officers.

An import is all-or-nothing: every line and field is checked first and a file
with any bad record writes nothing. Conflicts of interest are declared per
officer and target and make the draw replace that officer for that target.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.core.numbers import credit_code_key
from enforcement.core.records import Field, ImportRejected, RecordSpec, validate_rows
from enforcement.core.sheets import read_rows
from enforcement.core.textsafety import visible_text
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.inspections.models import InspectionTarget, InspectorConflict

TARGETS = RecordSpec(
    "inspection-targets", "检查对象名录库", ("code",),
    [
        Field("code", "统一社会信用代码或编号", required=True, max_length=40, clean="code",
              aliases=("统一社会信用代码", "信用代码", "编号", "注册号")),
        Field("name", "名称", required=True, max_length=200, aliases=("单位名称", "企业名称", "检查对象", "检查对象名称")),
        Field("category", "类别", max_length=60, aliases=("行业类别", "对象类别", "行业")),
        Field("address", "经营地址", max_length=300, aliases=("地址", "经营场所", "住所")),
        Field("active", "在库", "bool", default=True),
    ],
    key_normaliser=credit_code_key,
)
_TARGET_COLUMNS = ("name", "category", "address", "active")


def import_targets(rows: Iterable[tuple[int, dict[str, Any]]], source: str = "") -> dict[str, int]:
    """Validate every row, then upsert on the code; targets a file omits stay in the pool."""
    records, errors = validate_rows(TARGETS, rows)
    if errors:
        raise ImportRejected(errors)
    existing = {credit_code_key(t.code): t for t in db.session.scalars(select(InspectionTarget))}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for r in records:
        target = existing.get(credit_code_key(r["code"]))
        if target is None:
            db.session.add(InspectionTarget(code=r["code"], **{c: r[c] for c in _TARGET_COLUMNS}))
            counts["created"] += 1
        elif any(getattr(target, c) != r[c] for c in _TARGET_COLUMNS):
            for c in _TARGET_COLUMNS:
                setattr(target, c, r[c])
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    db.session.flush()
    audit_log.record("inspections.import_targets", "inspection_target", "", after={"file": source, **counts})
    return counts


def import_targets_file(path: Path) -> dict[str, Any]:
    """Import a target list file; the counts carry the reader's notes under "notes" (merged cells filled…)."""
    table = read_rows(path, TARGETS)
    counts: dict[str, Any] = dict(import_targets(table, path.name))
    counts["notes"] = table.notes
    return counts


def target_pool(category: str = "") -> list[InspectionTarget]:
    stmt = select(InspectionTarget).where(InspectionTarget.active.is_(True)).order_by(InspectionTarget.code)
    if category:
        stmt = stmt.where(InspectionTarget.category == category)
    return list(db.session.scalars(stmt))


def inspector_pool(agency_id: int, on: date) -> list[Officer]:
    """Officers of the agency whose credential is valid on the draw date (执法检查人员名录库)."""
    officers = db.session.scalars(select(Officer).where(Officer.agency_id == agency_id).order_by(Officer.credential_number))
    return [o for o in officers if o.credential_valid_on(on)]


def declare_conflict(officer_id: int, target_id: int, reason: str, on: date) -> InspectorConflict:
    reason = visible_text(reason)
    if not reason:
        raise RuleViolation("请说明利害关系", field="reason")
    if db.session.get(Officer, officer_id) is None or db.session.get(InspectionTarget, target_id) is None:
        raise RuleViolation("执法人员或检查对象不存在")
    if db.session.scalar(select(InspectorConflict).where(
            InspectorConflict.officer_id == officer_id, InspectorConflict.target_id == target_id)):
        raise RuleViolation("该利害关系已申报")
    conflict = InspectorConflict(officer_id=officer_id, target_id=target_id, reason=reason, declared_on=on)
    db.session.add(conflict)
    db.session.flush()
    audit_log.record("inspections.declare_conflict", "inspector_conflict", conflict.id,
                     after={"officer_id": officer_id, "target_id": target_id, "reason": reason})
    return conflict


def conflict_choices(on: date) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """What a conflict can be declared between: (officer choices, target choices) as (id, label).

    Officers whose credential is valid on ``on`` (the inspector pools of every agency), labelled
    姓名（执法证号，执法主体）; active targets labelled 名称（代码）. Picked, never typed: a code typed
    wrong cannot silently declare nothing.
    """
    officers = db.session.scalars(select(Officer).order_by(Officer.agency_id, Officer.credential_number))
    people = [(o.id, f"{o.name}（执法证号 {o.credential_number}，{o.agency.name}）")
              for o in officers if o.credential_valid_on(on)]
    targets = [(t.id, f"{t.name}（{t.code}）") for t in target_pool()]
    return people, targets


def declared_conflicts() -> list[InspectorConflict]:
    """Every declared conflict, newest first."""
    return list(db.session.scalars(select(InspectorConflict).order_by(
        InspectorConflict.declared_on.desc(), InspectorConflict.id.desc())))
