"""Disclosure write services for standing data (subjects, officers, powers, procedures, inspection items).

Shared by every write path of the domain: refused actions are audited
(``refusals_audited``), stale saves are refused (``check_version``), and forms
are validated with the same record formats as imports (``formats.SPECS``), so a
field means the same in a file and on a page. The decision lifecycle is in
``lifecycle``. Services add and flush; the request or command commits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.core.numbers import credential_key
from enforcement.core.records import validate_rows
from enforcement.disclosure.formats import SPECS
from enforcement.disclosure.importing import _Resolver, _split_step
from enforcement.disclosure.models import (
    Agency,
    InspectionItem,
    Officer,
    Power,
    PowerBasis,
    ProcedureGuide,
    ProcedureStep,
)
from enforcement.extensions import db


class FormRejected(RuleViolation):
    """Field-level errors from the record format; ``errors`` is [(field, message)]."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("；".join(m for _f, m in errors), field=errors[0][0] if errors else None)
        self.errors = errors


class Conflict(RuleViolation):
    def __init__(self):
        super().__init__("保存失败：此记录已被他人修改。请核对最新内容后重新提交（您填写的内容已保留）。")


@contextmanager
def refusals_audited(action: str, entity: str, entity_id: Any) -> Iterator[None]:
    """Turn a stale save into a conflict, and log every refused attempt (the attempt itself is rolled back)."""
    try:
        yield
    except StaleDataError:
        conflict = Conflict()
        audit_log.record_refusal(action, entity, entity_id, conflict.message)
        raise conflict from None
    except RuleViolation as e:
        audit_log.record_refusal(action, entity, entity_id, e.message)
        raise


class MissingVersion(RuleViolation):
    def __init__(self):
        super().__init__("提交的内容缺少版本信息，无法确认是否基于最新内容修改。请刷新页面后重新提交（您填写的内容已保留）。")


def check_version(obj: Any, expected_version: int | None) -> None:
    """Refuse an edit of ``obj`` made from an older version, or one that names no version at all (which used
    to skip the check). Raises ``Conflict`` / ``MissingVersion``; a new record (obj None) needs none."""
    if obj is None:
        return
    if expected_version is None:
        raise MissingVersion()
    if obj.version != expected_version:
        raise Conflict()


def validated(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """One record checked exactly as an import line would be, references resolved to ids."""
    spec = SPECS[kind]
    records, errors = validate_rows(spec, [(0, raw)])
    if not errors:
        errors = _Resolver(spec).resolve(records[0])
    if errors:
        raise FormRejected([(e.field, f"{e.label}：{e.message}") for e in errors])
    return records[0]


def snapshot(obj: Any, columns: list[str]) -> dict[str, Any]:
    return {c: getattr(obj, c) for c in columns}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


# --- Standing information: agencies, officers, powers, procedures, inspection items ----------

STANDING_MODELS: dict[str, tuple[type, str, str]] = {  # kind -> (model, natural key, audit entity)
    "agencies": (Agency, "credit_code", "agency"),
    "officers": (Officer, "credential_number", "officer"),
    "powers": (Power, "code", "power"),
    "procedures": (ProcedureGuide, "code", "procedure"),
    "inspection-items": (InspectionItem, "code", "inspection_item"),
}
_CHILD_FIELDS = {"powers": "basis", "procedures": "steps"}


def _columns(kind: str) -> list[str]:
    names = [f.name for f in SPECS[kind].fields if f.name != _CHILD_FIELDS.get(kind)]
    return [("agency_id" if n == "agency_credit_code" else n) for n in names]


def save_standing(kind: str, obj: Any | None, raw: dict[str, Any], expected_version: int | None = None) -> Any:
    """Create (obj None) or edit one standing record from form input."""
    model, key, entity = STANDING_MODELS[kind]
    action = f"{entity}.{'update' if obj is not None else 'create'}"
    with refusals_audited(action, entity, obj.id if obj is not None else raw.get(key, "")):
        check_version(obj, expected_version)
        record = validated(kind, raw)
        if kind == "officers":  # 执法证号 are unique however they are typed (full width, spaces)
            same = Officer.credential_key == credential_key(record[key])
        else:
            same = getattr(model, key) == record[key]
        clash = db.session.scalar(select(model.id).where(same))
        if clash is not None and (obj is None or clash != obj.id):
            label = SPECS[kind].field_for(key).label
            raise FormRejected([(key, f"{label} {record[key]} 已被其他记录使用")])
        columns = _columns(kind)
        before = snapshot(obj, columns) if obj is not None else {}
        if obj is None:
            obj = model()
            db.session.add(obj)
        for c in columns:
            setattr(obj, c, record[c])
        children_before, children_after = _replace_children(kind, obj, record)
        db.session.flush()
        old, new = diff({**before, **children_before}, {**snapshot(obj, columns), **children_after})
        if old or new or action.endswith("create"):
            audit_log.record(action, entity, obj.id, before=old, after=new)
    return obj


def _replace_children(kind: str, obj: Any, record: dict[str, Any]) -> tuple[dict, dict]:
    """Powers' legal basis and procedures' steps are replaced as a whole, like an import does."""
    if kind == "powers":
        before = [b.article_id for b in obj.basis]
        if before != record["article_ids"]:
            obj.basis.clear()
            db.session.flush()
            obj.basis.extend(PowerBasis(article_id=a, position=i) for i, a in enumerate(record["article_ids"]))
        return {"basis": before}, {"basis": record["article_ids"]}
    if kind == "procedures":
        before = [f"{s.name}：{s.description}" for s in obj.steps]
        steps = [_split_step(s) for s in record["steps"]]
        if [(s.name, s.description) for s in obj.steps] != steps:
            obj.steps.clear()
            db.session.flush()
            obj.steps.extend(ProcedureStep(position=i + 1, name=n, description=d) for i, (n, d) in enumerate(steps))
        return {"steps": before}, {"steps": [f"{n}：{d}" for n, d in steps]}
    return {}, {}


# --- Decisions: drafting ---------------------------------------------------------------------

