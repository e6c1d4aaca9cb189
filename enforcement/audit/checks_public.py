"""Checks on what the public sees: completeness, private data in projections, laws in force, inspections."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from enforcement.audit.checks import CheckResult, Item, Scope, WorkingDays, check
from enforcement.core import masking, settings
from enforcement.core.enums import PartyType
from enforcement.core.numbers import article_label
from enforcement.disclosure import laws, projection
from enforcement.disclosure.models import (
    Agency,
    Decision,
    InspectionItem,
    Law,
    LawArticle,
    Officer,
    Power,
    PowerBasis,
    ProcedureGuide,
    ProcedureStep,
)
from enforcement.extensions import db

# The fields each category must publish (DOMAIN.md, 国办发〔2018〕118号), with their labels.
REQUIRED: dict[str, tuple[Any, dict[str, str]]] = {
    "agency": (Agency, {"name": "名称", "credit_code": "统一社会信用代码", "legal_status": "主体性质", "duties": "职责",
                        "address": "办公地址", "phone": "联系电话", "supervision_phone": "监督电话",
                        "supervision_channels": "监督方式", "reconsideration_body": "行政复议机关",
                        "litigation_court": "行政诉讼法院"}),
    "officer": (Officer, {"name": "姓名", "credential_number": "执法证号", "category": "执法类别"}),
    "power": (Power, {"name": "职权名称", "category": "职权类别", "discretion": "裁量基准"}),
    "procedure": (ProcedureGuide, {"item": "事项名称", "receiving_office": "受理机构", "approving_office": "决定机构",
                                   "conditions": "办理条件", "time_limit": "办理时限"}),
    "inspection_item": (InspectionItem, {"item": "检查项目", "basis": "检查依据", "method": "检查方式",
                                         "content": "检查内容"}),
    "decision": (Decision, {"number": "决定文号", "party_name": "当事人", "facts": "违法事实",
                            "basis": "处罚依据", "result": "处理结果"}),
}
_CHILD_REQUIRED = {
    "power": (PowerBasis, PowerBasis.power_id, "法律依据"),
    "procedure": (ProcedureStep, ProcedureStep.procedure_id, "流程步骤"),
}
CATEGORY_LABELS = {"agency": "执法主体", "officer": "执法人员", "power": "职权清单", "procedure": "执法流程",
                   "inspection_item": "随机抽查事项", "decision": "执法决定"}


def _public_decisions(scope: Scope):
    return scope.decisions(select(Decision).where(
        Decision.published_on.is_not(None), Decision.party_is_minor.is_(False),
        Decision.status.in_([str(s) for s in projection.PUBLIC_STATUSES]),
        or_(Decision.expires_on.is_(None), Decision.expires_on > scope.today)))


COMPLETENESS_RULE = "执法主体、人员、职权、流程、抽查事项和执法决定的必填公示项均不为空"
MASKING_RULE = "公开内容不得含身份证号码、电话、住址、银行账号及他人姓名"


@check("completeness")
def completeness(scope: Scope, entities: list[str] | None = None) -> CheckResult:
    """Every category publishes its required fields: an empty one is a finding, per record.

    ``entities`` narrows the run to some categories (the stored audit keeps decisions' own rows).
    """
    result = CheckResult("completeness", "公示内容完整性", COMPLETENESS_RULE)
    for entity, (model, fields) in REQUIRED.items():
        if entities is not None and entity not in entities:
            continue
        columns = [getattr(model, f) for f in fields]
        label_col = model.number if entity == "decision" else (model.code if hasattr(model, "code") else model.name)
        stmt = select(model.id, label_col, *columns)
        total = select(func.count(model.id))
        if entity == "decision":
            stmt = _public_decisions(scope).with_only_columns(model.id, label_col, Decision.agency_id, *columns)
            total = stmt.with_only_columns(func.count(model.id))
        result.checked += db.session.scalar(total) or 0
        empty = or_(*[func.coalesce(func.trim(c), "") == "" for c in columns])
        child = _CHILD_REQUIRED.get(entity)
        if child:
            child_model, fk, _label = child
            has_child = select(func.count(child_model.id)).where(fk == model.id).scalar_subquery()
            stmt = stmt.add_columns(has_child.label("children"))
            empty = or_(empty, has_child == 0)
        for row in db.session.execute(stmt.where(empty).order_by(model.id)):
            values = row._mapping
            missing = [label for f, label in fields.items() if not str(values.get(f) or "").strip()]
            if child and not values["children"]:
                missing.append(child[2])
            result.items.append(Item(entity, row.id, f"{CATEGORY_LABELS[entity]} {row[1]}", "缺少：" + "、".join(missing),
                                     values.get("agency_id")))
    return result


class _DecisionRow:
    """A decision's columns, shaped for ``projection.public_decision`` without loading relationships."""

    agency = None
    officers: list = []
    powers: list = []
    records: list = []

    def __init__(self, mapping):
        self.__dict__.update(mapping)

    @property
    def penalty_kind_list(self) -> list[str]:
        return [k for k in (self.penalty_kinds or "").split(",") if k]


_PLACEHOLDER = re.compile(r"\[[^\[\]]{1,12}已隐去\]")
_DECISION_TEXT_FIELDS = ("title", "party", "party_legal_rep", "facts", "basis", "result", "ended_reason")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def decision_leaks(d: Any, today) -> list[tuple[str, masking.Finding]]:
    """Private values left in a decision's public projection, and private values an officer wrongly
    confirmed public (the projection masks those anyway; the error is still a finding).

    The projection is re-scanned with the same engine and the decision's context, without the officer's
    confirmations, so whatever the engine flags and the public still sees is listed with its confidence:
    a value the officer confirmed public is listed too (the supervisor judges it), except an
    organisation's own contact, which the law lets it publish.
    """
    public = projection.public_decision(d, today)
    if public is None or public.get("state") != "public":
        return []
    ctx = projection.masking_context(d, with_confirmed=False)
    confirmed = set(_lines(d.masking_confirmed))
    leaks = []
    for name in _DECISION_TEXT_FIELDS:
        text = _PLACEHOLDER.sub("＊", public.get(name) or "")  # the masker's own "[住址已隐去]" is not a leak
        if name == "party" and d.party_type == PartyType.ORGANISATION:
            continue  # organisations keep their name
        for finding in masking.scan(text, ctx):
            if finding.kind == "name" and "某" in finding.value:
                continue  # already masked (张某, 某某)
            if finding.value.strip() in confirmed:
                if d.party_type == PartyType.ORGANISATION and finding.kind in ("phone", "email", "address"):
                    continue  # an organisation's business contact, confirmed public
                finding = masking.Finding(finding.kind, finding.start, finding.end, finding.value, finding.score,
                                          "办案人员确认公开")
            leaks.append((name, finding))
    for value in projection.refused_confirmations(d):  # masked by the platform, but the officer erred
        for finding in masking.scan(value):
            leaks.append(("masking_confirmed", masking.Finding(finding.kind, 0, len(value), value, finding.score,
                                                               "办案人员错误地确认公开（系统已自动隐去）")))
    return leaks


def shown_value(value: str) -> str:
    """A private value as a list may show it: enough to find it in the record, never the whole of it."""
    value = value.strip()
    if len(value) <= 2:
        return value[:1] + "＊"
    if len(value) <= 6:
        return value[:1] + "＊" * (len(value) - 1)
    return value[:3] + "＊" * (len(value) - 5) + value[-2:]


def describe_leaks(leaks: list[tuple[str, masking.Finding]]) -> str:
    """One line for the audit: each value (partly hidden) with its kind and the engine's confidence."""
    return "、".join(sorted({f"{f.label}“{shown_value(f.value)}”（可信度{f.confidence_label}"
                            + ("，办案人员确认公开" if f.reason.startswith("办案人员") else "") + "）"
                            for _field, f in leaks}))


def leak_message(leaks: list[tuple[str, masking.Finding]]) -> str:
    """What happened, in words: values the public sees, and values an officer wrongly marked public that the
    platform masked anyway (the public does not see those; the officer's error is the finding)."""
    visible = [(n, f) for n, f in leaks if n != "masking_confirmed"]
    refused = [f for n, f in leaks if n == "masking_confirmed"]
    parts = []
    if visible:
        parts.append("公开内容含" + describe_leaks(visible))
    if refused:
        values = "、".join(sorted({f"{f.label}“{shown_value(f.value)}”" for f in refused}))
        parts.append(f"办案人员错误地将{values}确认为可以公开；系统未采纳，公开时已自动隐去，公众看不到")
    return "；".join(parts)


STANDING = ("agency", "power", "procedure", "inspection_item")


def _standing_leaks(ids: dict[str, set[int]] | None = None) -> list[Item]:
    """Masking scan over the standing categories' public projections (an agency's own phones are public).

    ``ids`` narrows the scan to some records per category (the stored audit rescans only changed ones).
    """
    def query(model, *options):
        stmt = select(model).options(*options).order_by(model.id)
        return stmt.where(model.id.in_(sorted(ids.get(entity_of[model], ())))) if ids is not None else stmt

    entity_of = {Agency: "agency", Power: "power", ProcedureGuide: "procedure", InspectionItem: "inspection_item"}
    items = []
    sources = [
        ("agency", lambda: db.session.scalars(query(Agency)), projection.public_agency, {"phone", "address"}),
        ("power", lambda: db.session.scalars(query(Power, selectinload(Power.agency), selectinload(Power.basis)
                                                   .selectinload(PowerBasis.article).selectinload(LawArticle.law))),
         projection.public_power, set()),
        ("procedure", lambda: db.session.scalars(query(ProcedureGuide, selectinload(ProcedureGuide.steps))),
         projection.public_procedure, set()),
        ("inspection_item", lambda: db.session.scalars(query(InspectionItem)), projection.public_inspection_item, set()),
    ]
    for entity, records, project, allowed in sources:
        if ids is not None and not ids.get(entity):
            continue
        for record in records():
            public = project(record)
            public.pop("basis", None) if entity == "power" else None  # statute text is law, not personal data
            keep = [public.get(k) or "" for k in ("name", "address", "phone", "supervision_phone", "agency")]
            found = [f for text in _texts(public) for f in masking.scan(text, keep=keep) if f.kind not in allowed]
            if found:
                items.append(Item(entity, record.id, f"{CATEGORY_LABELS[entity]} {getattr(record, 'code', record.name)}",
                                  "公开内容含" + describe_leaks([("", f) for f in found]),
                                  getattr(record, "agency_id", None)))
    return items


def _texts(value: Any) -> list[str]:
    """Every string in a projection, each scanned on its own (two phones in two fields are two phones)."""
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) and value else []


@check("masking")
def masking_check(scope: Scope) -> CheckResult:
    """Nothing personal in any public projection: the scanner over exactly what the public is shown."""
    result = CheckResult("masking", "个人信息隐去", MASKING_RULE)
    stmt = _public_decisions(scope).with_only_columns(*Decision.__table__.columns).order_by(Decision.id)
    for row in db.session.execute(stmt).mappings():
        d = _DecisionRow(row)
        result.checked += 1
        leaks = decision_leaks(d, scope.today)
        if leaks:
            result.items.append(Item("decision", d.id, d.number, leak_message(leaks), d.agency_id, d.decided_on))
    if scope.year is None:
        result.items.extend(_standing_leaks())
    return result


@check("laws")
def laws_in_force(scope: Scope) -> CheckResult:
    """Every power cites the version of each law that is in force today (by entry into force, not adoption).

    The finding says where the provision is in the version in force when the library's
    concordance knows it (e.g. 生活垃圾管理条例 2019 art. 68 → 2020 art. 69), and that it must be
    checked by hand when it does not.
    """
    result = CheckResult("laws", "职权依据现行有效", "职权清单引用的法律法规须为现行有效版本")
    cited = db.session.execute(
        select(Power.id, Power.code, Power.name, Power.agency_id, Law.id.label("law_id"), Law.title, Law.version_date,
               LawArticle.label, LawArticle.number)
        .join(PowerBasis, PowerBasis.power_id == Power.id)
        .join(LawArticle, LawArticle.id == PowerBasis.article_id)
        .join(Law, Law.id == LawArticle.law_id)
        .order_by(Power.code)).all()
    in_force: dict[str, Law | None] = {}
    for r in cited:
        if r.title not in in_force:
            in_force[r.title] = laws.version_in_force(r.title, scope.today)
        current = in_force[r.title]
        result.checked += 1
        if current is not None and current.id != r.law_id:
            moved = laws.corresponding_number(r.title, r.number, r.version_date, current.version_date)
            where = (f"，该条现为{article_label(moved)}" if moved else "，现行版本中的对应条文须人工核对")
            result.items.append(Item("power", r.id, f"{r.code} {r.name}",
                                     f"引用《{r.title}》({r.version_date.isoformat()}){r.label}，现行版本为"
                                     f"{current.version_date.isoformat()}版{where}", r.agency_id))
    return result


@check("inspection_results")
def inspection_results(scope: Scope) -> CheckResult:
    """双随机 results are public within 20 working days of the inspection; drawn tasks are inspected in period."""
    from enforcement.inspections.models import (
        InspectionDraw,
        InspectionPlan,
        InspectionTarget,
        InspectionTask,
    )

    limit = settings.get("inspection_result_days")
    days = WorkingDays()
    result = CheckResult("inspection_results", "双随机抽查结果公示", f"检查结果在检查后{limit}个工作日内公示；抽中的对象在检查期间内完成检查")
    stmt = (select(InspectionTask.id, InspectionTask.inspected_on, InspectionTask.result_published_on,
                   InspectionPlan.number, InspectionPlan.agency_id, InspectionPlan.period_end, InspectionTarget.name)
            .join(InspectionDraw, InspectionDraw.id == InspectionTask.draw_id)
            .join(InspectionPlan, InspectionPlan.id == InspectionDraw.plan_id)
            .join(InspectionTarget, InspectionTarget.id == InspectionTask.target_id))
    if scope.year is not None:
        stmt = stmt.where(func.extract("year", InspectionPlan.period_start) == scope.year)
    if scope.agency_id is not None:
        stmt = stmt.where(InspectionPlan.agency_id == scope.agency_id)
    for r in db.session.execute(stmt.order_by(InspectionTask.id)):
        label = f"{r.number} {r.name}"
        if r.inspected_on is None:
            if r.period_end < scope.today:
                result.checked += 1
                result.items.append(Item("inspection_task", r.id, label,
                                         f"检查期间已于{r.period_end.isoformat()}结束，尚未检查", r.agency_id))
            continue
        due = days.due(r.inspected_on, limit)
        if r.result_published_on is None and due >= scope.today:
            continue
        result.checked += 1
        if r.result_published_on is None:
            result.items.append(Item("inspection_task", r.id, label,
                                     f"{r.inspected_on.isoformat()}检查，结果应于{due.isoformat()}前公示，尚未公示",
                                     r.agency_id, r.inspected_on))
        elif r.result_published_on > due:
            result.items.append(Item("inspection_task", r.id, label,
                                     f"结果应于{due.isoformat()}前公示，实际{r.result_published_on.isoformat()}公示",
                                     r.agency_id, r.inspected_on))
    result.notes += days.note()
    return result
