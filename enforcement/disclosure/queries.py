"""Read side of the public site: one definition per public category.

Pages, the JSON API, CSV/XLSX exports and the OpenAPI document all read the
same ``Category`` definitions, so a filter the page offers is the filter the
API accepts and the document describes. Rows only ever leave through the
public projection (``enforcement.disclosure.projection``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Date, Index, Select, and_, func, or_, select, tuple_
from sqlalchemy.orm import selectinload

from enforcement.core.enums import CredentialStatus, DecisionKind, DecisionStatus, LegalStatus, PowerCategory
from enforcement.core.errors import BadParameter
from enforcement.core.pagination import MAX_PAGE_SIZE, choice_param, date_param, int_param, param
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
from enforcement.extensions import db

EXPORT_BATCH = 1000
MAX_DB_ID = 2**31 - 1  # ids beyond a 32-bit integer cannot exist; asking for one is a 404, not a database error

CREDENTIAL_STATES = {"valid": "有效", "expired": "已过期", "suspended": "暂扣", "revoked": "注销"}
DECISION_STATES = {"public": "公示中", "withdrawn": "已撤回公示"}


def today() -> date:
    """The day visibility is judged on; tests may pin it with the TODAY setting."""
    pinned = current_app.config.get("TODAY") if has_app_context() else None
    return pinned or date.today()


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


def _decision_row(d: Decision, on: date) -> dict[str, Any] | None:
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
    ("decided_on", "id"), True, _decision_row,
    lambda: [selectinload(Decision.agency), selectinload(Decision.officers), selectinload(Decision.powers),
             selectinload(Decision.records)],
    _decision_conditions,
    PUBLIC_COLUMNS["decisions"] + [("id", "编号")],
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


# ---------------------------------------------------------------- parsing, lists, cursors


def parse_filters(cat: Category, args) -> dict[str, Any]:
    """Filter values from query parameters; anything not understood raises BadParameter (→ 400)."""
    values: dict[str, Any] = {}
    for f in cat.filters:
        if f.type == "choice":
            values[f.name] = choice_param(args, f.name, f.choices)
        elif f.type == "agency":
            values[f.name] = int_param(args, f.name, None, hi=MAX_DB_ID)
            if values[f.name] is not None and db.session.get(Agency, values[f.name]) is None:
                raise BadParameter(f.name, "没有该执法主体")
        elif f.type == "year":
            values[f.name] = int_param(args, f.name, None, lo=1949, hi=2100)
        elif f.type == "date":
            values[f.name] = date_param(args, f.name)
        else:
            values[f.name] = param(args, f.name) or None
    if values.get("date_from") and values.get("date_to") and values["date_from"] > values["date_to"]:
        raise BadParameter("date_to", "结束日期早于开始日期")
    return values


def filtered(cat: Category, filters: dict[str, Any], on: date) -> Select:
    return select(cat.model).where(*cat.conditions(filters, on))


def count(cat: Category, filters: dict[str, Any], on: date) -> int:
    stmt = select(func.count()).select_from(cat.model).where(*cat.conditions(filters, on))
    return db.session.scalar(stmt) or 0


def _ordered(cat: Category, stmt: Select) -> Select:
    cols = cat.order_columns()
    return stmt.order_by(*[c.desc() if cat.descending else c.asc() for c in cols])


def _after(cat: Category, key: list[Any]) -> Any:
    cols = cat.order_columns()
    if len(cols) == 1:
        return cols[0] < key[0] if cat.descending else cols[0] > key[0]
    return tuple_(*cols) < tuple_(*key) if cat.descending else tuple_(*cols) > tuple_(*key)


def encode_cursor(cat: Category, obj: Any) -> str:
    values = [getattr(obj, name) for name in cat.order]
    raw = json.dumps([v.isoformat() if isinstance(v, date) else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cat: Category, token: str) -> list[Any]:
    """The sort key after which a page starts; a token we did not issue is a 400, never a 500."""
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
        if not isinstance(values, list) or len(values) != len(cat.order):
            raise ValueError
        key = []
        for name, value in zip(cat.order, values, strict=True):
            column = getattr(cat.model, name)
            if isinstance(column.type, Date):
                key.append(date.fromisoformat(value))
            elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_DB_ID:
                key.append(value)
            else:
                raise ValueError
        return key
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadParameter("cursor", "无效的翻页游标") from None


@dataclass
class Listing:
    """One page of a filtered list, with what both page and cursor navigation need."""

    category: Category
    filters: dict[str, Any]
    rows: list[dict[str, Any]]
    total: int
    per_page: int
    page: int | None  # None in cursor mode
    next_cursor: str | None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return bool(self.page and self.page > 1)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def listing(cat: Category, args, *, per_page: int = 20, on: date | None = None) -> Listing:
    """A page of the category, by ``page`` (1-based) or by ``cursor`` (stable under inserts)."""
    on = on or today()
    filters = parse_filters(cat, args)
    size = int_param(args, "per_page", per_page, hi=MAX_PAGE_SIZE)
    token = param(args, "cursor")
    total = count(cat, filters, on)
    stmt = _ordered(cat, filtered(cat, filters, on).options(*cat.options()))
    page: int | None
    if token:
        if args.get("page"):
            raise BadParameter("page", "不能与 cursor 同时使用")
        stmt = stmt.where(_after(cat, decode_cursor(cat, token)))
        page = None
    else:
        page = int_param(args, "page", 1, hi=MAX_DB_ID)
        pages = max(1, -(-total // size))
        if page > pages:
            raise BadParameter("page", f"超出范围，共{pages}页")
        stmt = stmt.offset((page - 1) * size)
    objs = list(db.session.scalars(stmt.limit(size + 1)))
    more = len(objs) > size
    objs = objs[:size]
    rows = [r for r in (cat.project(o, on) for o in objs) if r is not None]
    next_cursor = encode_cursor(cat, objs[-1]) if more and objs else None
    return Listing(cat, filters, rows, total, size, page, next_cursor)


def iter_rows(cat: Category, filters: dict[str, Any], on: date | None = None,
              batch: int | None = None) -> Iterator[dict[str, Any]]:
    """Every matching row, in keyset batches: memory stays constant however many rows there are."""
    on = on or today()
    batch = batch or EXPORT_BATCH
    base = _ordered(cat, filtered(cat, filters, on).options(*cat.options()))
    key: list[Any] | None = None
    while True:
        stmt = base if key is None else base.where(_after(cat, key))
        objs = list(db.session.scalars(stmt.limit(batch)))
        if not objs:
            return
        for obj in objs:
            row = cat.project(obj, on)
            if row is not None:
                yield row
        key = [getattr(objs[-1], name) for name in cat.order]
        db.session.expunge_all()
        if len(objs) < batch:
            return


# ---------------------------------------------------------------- single records


def get_public(model: type, ident: int) -> Any | None:
    """The row, or None for an id that cannot exist."""
    if not 0 < ident <= MAX_DB_ID:
        return None
    return db.session.get(model, ident)


def check_credential(number: str, on: date | None = None) -> dict[str, Any] | None:
    """A citizen's credential check: state, holder's name and agency, nothing else."""
    number = "".join(number.split()).upper()
    if not number:
        return None
    officer = db.session.scalar(select(Officer).where(Officer.credential_number == number))
    if officer is None:
        return None
    state = projection.credential_state(officer, on or today())
    return {"number": officer.credential_number, "state": state, "state_label": CREDENTIAL_STATES.get(state, state),
            "name": officer.name, "agency": officer.agency.name, "officer_id": officer.id}


def home_summary(on: date | None = None) -> dict[str, Any]:
    """The home page: counts per category, the latest decisions and withdrawals."""
    on = on or today()
    counts = {slug: count(cat, {}, on) for slug, cat in CATEGORIES.items() if slug not in ("laws", "decisions")}
    counts["decisions"] = count(DECISIONS, {"state": "public"}, on)
    latest = db.session.scalars(
        _ordered(DECISIONS, filtered(DECISIONS, {"state": "public"}, on).options(*DECISIONS.options())).limit(8))
    withdrawn = db.session.scalars(
        filtered(DECISIONS, {"state": "withdrawn"}, on).options(selectinload(Decision.agency))
        .order_by(Decision.withdrawn_on.desc(), Decision.id.desc()).limit(5))
    return {
        "counts": counts,
        "latest": [r for r in (_decision_row(d, on) for d in latest) if r],
        "withdrawn": [r for r in (_decision_row(d, on) for d in withdrawn) if r],
    }


def agencies_for_choice() -> list[tuple[int, str]]:
    return [(a_id, name) for a_id, name in db.session.execute(select(Agency.id, Agency.name).order_by(Agency.id))]
