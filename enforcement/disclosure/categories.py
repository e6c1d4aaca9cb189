"""The public categories: what each one lists, how it filters and sorts, and how a row is projected.

Pages, the JSON API, CSV/XLSX exports and the OpenAPI document all read these
definitions, so a filter the page offers is the filter the API accepts and the
document describes. Rows only ever leave through the public projection
(``enforcement.disclosure.projection``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Index, and_, or_
from sqlalchemy.orm import selectinload

from enforcement.core import clock
from enforcement.core.enums import CredentialStatus, DecisionKind, DecisionStatus, LegalStatus, PowerCategory
from enforcement.disclosure import projection
from enforcement.disclosure.exporting import PUBLIC_COLUMNS, flatten_public
from enforcement.disclosure.laws import article_in_force
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
)

CREDENTIAL_STATES = {"valid": "有效", "expired": "已过期", "suspended": "暂扣", "revoked": "注销"}
DECISION_STATES = {"public": "公示中", "withdrawn": "已撤回公示"}


def today() -> date:
    """The day visibility is judged on; tests may pin it with the TODAY setting."""
    return clock.today()


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    type: str  # choice | agency | year | date | text
    choices: dict[str, str] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class Category:
    slug: str  # URL segment and export name
    label: str
    model: type
    filters: tuple[Filter, ...]
    order: tuple[str, ...]  # sort columns, all in one direction, unique together
    descending: bool
    project: Callable[[Any, date], dict[str, Any] | None]
    options: Callable[[], list]
    conditions: Callable[[dict[str, Any], date], list]
    export_columns: list[tuple[str, str]]

    def order_columns(self) -> list:
        return [getattr(self.model, name) for name in self.order]


AGENCY_FILTER = Filter("agency", "执法主体", "agency", description="执法主体 id（见 /api/v1/agencies）")


def _agency_condition(model) -> Callable[[dict[str, Any]], list]:
    return lambda f: [model.agency_id == f["agency"]] if f.get("agency") else []


# ---------------------------------------------------------------- decisions


# The public list's index: newest-first pages walk it and stop after a page instead of sorting every
# public decision, and counts with any list filter are answered from it alone (100,000 decisions on
# SQLite: a page 350 → <1 ms, a count 200 → 30 ms). Declared next to the queries that rely on it.
PUBLIC_LIST_INDEX = Index(
    "ix_decisions_public_order", Decision.decided_on, Decision.id, Decision.status, Decision.expires_on,
    Decision.published_on, Decision.party_is_minor, Decision.kind, Decision.agency_id,
)


def listed_decision_conditions(on: date) -> list:
    """SQL form of projection.decision_visibility: 'public' or 'withdrawn' (a notice stays listed)."""
    shown = [s.value for s in projection.PUBLIC_STATUSES]
    # ``status || ''`` keeps SQLite (which has no statistics) from choosing the status index: almost every
    # row is "published", so it selects nearly everything and forces a sort. PostgreSQL plans from statistics.
    status = Decision.status + ""
    return [
        Decision.party_is_minor.is_(False),
        Decision.published_on.is_not(None),
        Decision.decided_on.is_not(None),
        or_(
            status == DecisionStatus.WITHDRAWN.value,
            and_(status.in_(shown), or_(Decision.expires_on.is_(None), Decision.expires_on > on)),
        ),
    ]


def _decision_conditions(f: dict[str, Any], on: date) -> list:
    conds = listed_decision_conditions(on)
    # Compared as expressions, like status above, so the public list index answers them.
    if f.get("agency"):
        conds.append(Decision.agency_id + 0 == f["agency"])
    if f.get("kind"):
        conds.append(Decision.kind + "" == f["kind"])
    if f.get("year"):
        conds.append(Decision.decided_on.between(date(f["year"], 1, 1), date(f["year"], 12, 31)))
    if f.get("date_from"):
        conds.append(Decision.decided_on >= f["date_from"])
    if f.get("date_to"):
        conds.append(Decision.decided_on <= f["date_to"])
    if f.get("state") == "withdrawn":
        conds.append(Decision.status == DecisionStatus.WITHDRAWN)
    elif f.get("state") == "public":
        conds.append(Decision.status != DecisionStatus.WITHDRAWN)
    return conds


def decision_row(d: Decision, on: date) -> dict[str, Any] | None:
    row = projection.public_decision(d, on)
    if row is not None:
        row["state_label"] = DECISION_STATES[row["state"]]
    return row


DECISIONS = Category(
    "decisions", "执法决定", Decision,
    (
        Filter("kind", "决定类型", "choice", DecisionKind.labels()),
        AGENCY_FILTER,
        Filter("year", "年度", "year", description="决定作出年度"),
        Filter("date_from", "决定日期自", "date", description="决定日期不早于（YYYY-MM-DD）"),
        Filter("date_to", "决定日期至", "date", description="决定日期不晚于（YYYY-MM-DD）"),
        Filter("state", "公示状态", "choice", DECISION_STATES),
    ),
    ("decided_on", "id"), True, decision_row,
    lambda: [selectinload(Decision.agency), selectinload(Decision.officers), selectinload(Decision.powers),
             selectinload(Decision.records)],
    _decision_conditions,
    [(k, label) if k != "state" else ("state_label", label) for k, label in PUBLIC_COLUMNS["decisions"]]
    + [("id", "编号")],
)


# ---------------------------------------------------------------- standing information


def _officer_conditions(f: dict[str, Any], on: date) -> list:
    conds = _agency_condition(Officer)(f)
    in_period = and_(Officer.credential_issued_on <= on, Officer.credential_expires_on >= on)
    state = f.get("state")
    if state == "valid":
        conds += [Officer.status == CredentialStatus.VALID, in_period]
    elif state == "expired":
        conds += [Officer.status == CredentialStatus.VALID, ~in_period]
    elif state:
        conds.append(Officer.status == state)
    return conds


def _officer_row(o: Officer, on: date) -> dict[str, Any]:
    row = projection.public_officer(o, on)
    row["credential_state_label"] = CREDENTIAL_STATES.get(row["credential_state"], row["credential_state"])
    return row


def power_basis_in_force(p: Power, on: date) -> list[dict[str, Any]]:
    """Each cited article with the text of the version in force on ``on`` (the citizen reads today's law)."""
    rows = []
    for b in p.basis:
        cited = b.article
        current = article_in_force(cited, on)
        rows.append({
            "citation": cited.citation,
            "law": cited.law.title,
            "cited_version": cited.law.version_date,
            "article": cited.label,
            "in_force": current is not None,
            "in_force_version": current.law.version_date if current else None,
            "law_id": current.law_id if current else cited.law_id,
            "number": current.number if current else cited.number,
            "text": current.text if current else "",
        })
    return rows


def _power_row(p: Power, on: date) -> dict[str, Any]:
    row = flatten_public("powers", projection.public_power(p))
    row["basis"] = power_basis_in_force(p, on)
    return row


def _power_conditions(f: dict[str, Any], _on: date) -> list:
    conds = _agency_condition(Power)(f)
    if f.get("category"):
        conds.append(Power.category == f["category"])
    return conds


def _agency_conditions(f: dict[str, Any], _on: date) -> list:
    return [Agency.legal_status == f["legal_status"]] if f.get("legal_status") else []


AGENCIES = Category(
    "agencies", "执法主体", Agency,
    (Filter("legal_status", "主体性质", "choice", LegalStatus.labels()),),
    ("id",), False, lambda a, _on: projection.public_agency(a), lambda: [], _agency_conditions,
    PUBLIC_COLUMNS["agencies"] + [("id", "编号")],
)

OFFICERS = Category(
    "officers", "执法人员", Officer,
    (AGENCY_FILTER, Filter("state", "证件状态", "choice", CREDENTIAL_STATES)),
    ("id",), False, _officer_row, lambda: [selectinload(Officer.agency)], _officer_conditions,
    [*PUBLIC_COLUMNS["officers"][:-1], ("credential_state_label", "证件状态"), ("id", "编号")],
)

POWERS = Category(
    "powers", "权责清单", Power,
    (Filter("category", "职权类别", "choice", PowerCategory.labels()), AGENCY_FILTER),
    ("id",), False, _power_row,
    lambda: [selectinload(Power.agency),
             selectinload(Power.basis).selectinload(PowerBasis.article).selectinload(LawArticle.law)],
    _power_conditions,
    PUBLIC_COLUMNS["powers"] + [("id", "编号")],
)

PROCEDURES = Category(
    "procedures", "执法流程", ProcedureGuide, (AGENCY_FILTER,),
    ("id",), False, lambda p, _on: flatten_public("procedures", projection.public_procedure(p)),
    lambda: [selectinload(ProcedureGuide.agency), selectinload(ProcedureGuide.steps)],
    lambda f, _on: _agency_condition(ProcedureGuide)(f),
    PUBLIC_COLUMNS["procedures"] + [("id", "编号")],
)

INSPECTION_ITEMS = Category(
    "inspection-items", "随机抽查事项清单", InspectionItem, (AGENCY_FILTER,),
    ("seq", "id"), False, lambda i, _on: projection.public_inspection_item(i),
    lambda: [selectinload(InspectionItem.agency)],
    lambda f, _on: _agency_condition(InspectionItem)(f),
    PUBLIC_COLUMNS["inspection-items"] + [("id", "编号")],
)


def _law_row(law: Law, _on: date) -> dict[str, Any]:
    return {"id": law.id, "title": law.title, "version_date": law.version_date, "display_title": law.display_title}


LAWS = Category(
    "laws", "法律法规", Law, (Filter("title", "法规名称", "text", description="法规名称（包含）"),),
    ("id",), False, _law_row, lambda: [],
    lambda f, _on: [Law.title.contains(f["title"], autoescape=True)] if f.get("title") else [],
    [("id", "编号"), ("title", "法规名称"), ("version_date", "版本日期")],
)

CATEGORIES: dict[str, Category] = {c.slug: c for c in (AGENCIES, OFFICERS, POWERS, PROCEDURES, INSPECTION_ITEMS,
                                                       DECISIONS, LAWS)}
