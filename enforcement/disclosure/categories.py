"""The public categories: what each one lists, how it filters and sorts, and how a row is projected.

Pages, the JSON API, CSV/XLSX exports and the OpenAPI document all read these
definitions, so a filter the page offers is the filter the API accepts and the
document describes. Rows only ever leave through the public projection
(``enforcement.disclosure.projection``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Index, String, and_, func, literal_column, or_, select
from sqlalchemy.orm import selectinload

from enforcement.core import clock
from enforcement.core.enums import (
    CredentialStatus,
    DecisionKind,
    DecisionStatus,
    LegalStatus,
    PartyType,
    PowerCategory,
)
from enforcement.core.numbers import (
    MIDDLE_DOTS,
    credential_key,
    credit_code_key,
    number_key,
    without_middle_dots,
)
from enforcement.core.textsafety import printable
from enforcement.disclosure import projection
from enforcement.disclosure.exporting import PUBLIC_COLUMNS, flatten_public
from enforcement.disclosure.laws import (
    LAW_STATUS_LABELS,
    citation_of,
    corresponding_article,
    law_status,
    version_in_force,
)
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
    decision_powers,
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


def keyword_filter(what: str) -> Filter:
    return Filter("q", "关键词", "text", description=f"关键词，匹配{what}")


def _contains(column, text: str):
    return column.contains(text, autoescape=True)


def _without_dots(column):
    """The column with every middle dot removed, in SQL (replace() exists in SQLite and PostgreSQL)."""
    for dot in MIDDLE_DOTS:
        column = func.replace(column, dot, "")
    return column


def name_matches(column, text: str):
    """买买提·艾力 is found by 买买提艾力 and by 买买提•艾力: middle dots are ignored on both sides."""
    return _contains(_without_dots(column), without_middle_dots(text))


_QUOTES = "《》〈〉「」『』“”‘’\"'【】〔〕（）()[]［］"
_WORD_SEPARATORS = re.compile(r"[\s、，,；;]+")
_GROUPED_IDENTIFIER = re.compile(r"[0-9A-Za-z]+(?:\s+[0-9A-Za-z]+)+")
MAX_TERMS = 10


def keyword_terms(text: str | None) -> list[str]:
    """The words of a keyword, each of which a record must match (``燃气 报警``: both, as on /search).

    Split at spaces (the full-width 　 of a Chinese IME too) and at the list marks 、，；; invisible format
    characters that a pasted cell or web page carries (a BOM, a zero-width space: Unicode Cf) removed;
    book-title marks, quotes and brackets around a word dropped, so 《北京市燃气管理条例》 finds the law.
    Letters and digits in groups (``110 115 000 01`` as printed on a 执法证, ``9111 0115 MA01 ABCD1J``) are
    one identifier, not four words that each match other officers. The first ``MAX_TERMS`` words; []
    when nothing visible is left."""
    visible = printable(text or "")
    folded = unicodedata.normalize("NFKC", visible).strip()
    if _GROUPED_IDENTIFIER.fullmatch(folded) and len(folded.replace(" ", "")) >= 8:
        return ["".join(folded.split())]
    return [w for w in (word.strip(_QUOTES) for word in _WORD_SEPARATORS.split(visible)) if w][:MAX_TERMS]


def _keyword(f: dict[str, Any], *columns, numbers=()) -> list:
    """One condition per word of the keyword: contained in one of the columns (as typed or width-folded:
    Ｐ－ＲＱ－５９ is P-RQ-59), or (numbers) in a normalised key."""
    conditions = []
    for word in keyword_terms(f.get("q")):
        spellings = dict.fromkeys((word, unicodedata.normalize("NFKC", word)))
        conditions.append(or_(*[_contains(c, spelling) for c in columns for spelling in spellings],
                              *[_contains(col, norm(word)) for col, norm in numbers]))
    return conditions


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


def sql_constant(value: str) -> Any:
    """A fixed string (a status name, never input) written into the SQL as a literal, not bound.

    Not a bound value: an expanding IN is re-rendered into the SQL at every execution (a fifth of the
    prebuilt list statements' time, ``list_keys``), and on PostgreSQL a prepared statement whose statuses
    are parameters was planned anew at every execution (0.25 ms of a list request): with the statuses
    in its text, the generic plan is as good as a custom one and is kept."""
    assert "'" not in value
    return literal_column(f"'{value}'", type_=String)


def listed_decision_conditions(on: date) -> list:
    """SQL form of projection.decision_visibility: 'public' or 'withdrawn' (a notice stays listed)."""
    shown = [sql_constant(s.value) for s in projection.PUBLIC_STATUSES]
    # ``status || ''`` keeps SQLite (which has no statistics) from choosing the status index: almost every
    # row is "published", so it selects nearly everything and forces a sort. PostgreSQL plans from statistics.
    status = Decision.status.op("||")(sql_constant(""))
    return [
        Decision.party_is_minor.is_(False),
        Decision.published_on.is_not(None),
        Decision.decided_on.is_not(None),
        or_(
            status == sql_constant(DecisionStatus.WITHDRAWN.value),
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
    conds += _decision_text_conditions(f)
    return conds


def _decision_text_conditions(f: dict[str, Any]) -> list:
    """Keyword and party filters over what the public projection shows verbatim, and nothing else.

    Masked texts (facts, a natural person's name) are never matched in SQL: a match on the raw text would
    tell a visitor that 张三 is the 张某 of a decision. The keyword matches the 文号 (normalised: 〔〕/[],
    第, leading zeros), an organisation party's name or credit code, and the names of the powers
    exercised (对未安装燃气泄漏报警装置的行政处罚 for 燃气); full-text search over the masked texts is /search.
    """
    conds = []
    organisation = Decision.party_type == PartyType.ORGANISATION
    if f.get("party"):
        party = f["party"]
        conds.append(and_(organisation, or_(_contains(Decision.party_name, party),
                                            Decision.party_credit_code == credit_code_key(party))))
    for q in keyword_terms(f.get("q")):
        power_named = select(decision_powers.c.decision_id).join(Power, Power.id == decision_powers.c.power_id).where(
            _contains(Power.name, q))
        conds.append(or_(
            _contains(Decision.number_key, number_key(q)),
            and_(organisation, _contains(Decision.party_name, q)),
            and_(Decision.party_type != PartyType.PERSON, Decision.party_credit_code == credit_code_key(q)),
            Decision.id.in_(power_named),
        ))
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
        keyword_filter("决定文号（不计括号样式、“第”和前导零）、单位当事人名称或信用代码、行使的职权名称"),
        Filter("party", "当事人（单位）", "text", description="单位当事人名称（包含）或统一社会信用代码；"
               "自然人姓名不公开，不能用于筛选"),
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
    for q in keyword_terms(f.get("q")):
        conds.append(or_(name_matches(Officer.name, q), _contains(Officer.credential_key, credential_key(q))))
    return conds


def _officer_row(o: Officer, on: date) -> dict[str, Any]:
    row = projection.public_officer(o, on)
    row["credential_state_label"] = CREDENTIAL_STATES.get(row["credential_state"], row["credential_state"])
    return row


def power_basis_in_force(p: Power, on: date) -> list[dict[str, Any]]:
    """Each cited article beside the same provision in the version in force on ``on`` (today for a citizen).

    ``match`` says how the two relate: 'same' (the cited version is in force), 'renumbered' (a later
    version, matched through the concordance: number and text may differ), 'unmatched' (a later
    version is in force but no concordance links the articles: the cited text is shown, never a
    same-numbered article that may be another provision) or 'none' (no version in force).
    """
    rows = []
    for b in p.basis:
        cited = b.article
        law = version_in_force(cited.law.title, on)
        current = corresponding_article(cited, law) if law is not None else None
        match = "none" if law is None else "same" if law.id == cited.law_id else "renumbered" if current else "unmatched"
        rows.append({
            "citation": cited.citation,
            "pinned_citation": citation_of(cited),
            "law": cited.law.title,
            "cited_version": cited.law.version_date,
            "cited_law_id": cited.law_id,
            "cited_number": cited.number,
            "cited_text": cited.text,
            "article": cited.label,
            "match": match,
            "in_force": current is not None,
            "in_force_version": law.version_date if law is not None else None,
            "in_force_law_id": law.id if law is not None else None,
            "in_force_article": current.label if current else None,
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
    return conds + _keyword(f, Power.name, Power.code)


def _agency_conditions(f: dict[str, Any], _on: date) -> list:
    conds = [Agency.legal_status == f["legal_status"]] if f.get("legal_status") else []
    return conds + _keyword(f, Agency.name, numbers=[(Agency.credit_code, credit_code_key)])


AGENCIES = Category(
    "agencies", "执法主体", Agency,
    (Filter("legal_status", "主体性质", "choice", LegalStatus.labels()), keyword_filter("名称或统一社会信用代码")),
    ("id",), False, lambda a, _on: projection.public_agency(a), lambda: [], _agency_conditions,
    PUBLIC_COLUMNS["agencies"] + [("id", "编号")],
)

OFFICERS = Category(
    "officers", "执法人员", Officer,
    (AGENCY_FILTER, Filter("state", "证件状态", "choice", CREDENTIAL_STATES),
     keyword_filter("姓名（“·”可有可无）或执法证号")),
    ("id",), False, _officer_row, lambda: [selectinload(Officer.agency)], _officer_conditions,
    [*PUBLIC_COLUMNS["officers"][:-1], ("credential_state_label", "证件状态"), ("id", "编号")],
)

POWERS = Category(
    "powers", "权责清单", Power,
    (Filter("category", "职权类别", "choice", PowerCategory.labels()), AGENCY_FILTER,
     keyword_filter("职权名称或编码")),
    ("id",), False, _power_row,
    lambda: [selectinload(Power.agency),
             selectinload(Power.basis).selectinload(PowerBasis.article).selectinload(LawArticle.law)],
    _power_conditions,
    PUBLIC_COLUMNS["powers"] + [("id", "编号")],
)

PROCEDURES = Category(
    "procedures", "执法流程", ProcedureGuide, (AGENCY_FILTER, keyword_filter("事项名称或流程编码")),
    ("id",), False, lambda p, _on: flatten_public("procedures", projection.public_procedure(p)),
    lambda: [selectinload(ProcedureGuide.agency), selectinload(ProcedureGuide.steps)],
    lambda f, _on: _agency_condition(ProcedureGuide)(f) + _keyword(f, ProcedureGuide.item, ProcedureGuide.code),
    PUBLIC_COLUMNS["procedures"] + [("id", "编号")],
)

INSPECTION_ITEMS = Category(
    "inspection-items", "随机抽查事项清单", InspectionItem,
    (AGENCY_FILTER, keyword_filter("检查项目、检查子项或检查内容")),
    ("seq", "id"), False, lambda i, _on: projection.public_inspection_item(i),
    lambda: [selectinload(InspectionItem.agency)],
    lambda f, _on: _agency_condition(InspectionItem)(f) + _keyword(
        f, InspectionItem.item, InspectionItem.sub_item, InspectionItem.content),
    PUBLIC_COLUMNS["inspection-items"] + [("id", "编号")],
)


def _law_row(law: Law, on: date) -> dict[str, Any]:
    """A version with its adoption date, in-force interval and status on ``on`` (computed from the dates)."""
    status = law_status(law, on)
    return {"id": law.id, "title": law.title, "version_date": law.version_date, "display_title": law.display_title,
            "in_force_from": law.effective_from, "in_force_until": law.in_force_until,
            "status": status, "status_label": LAW_STATUS_LABELS[status]}


LAWS = Category(
    "laws", "法律法规", Law, (Filter("title", "法规名称", "text", description="法规名称（包含）"),),
    ("id",), False, _law_row, lambda: [],
    lambda f, _on: [_contains(Law.title, word) for word in keyword_terms(f.get("title"))],
    [("id", "编号"), ("title", "法规名称"), ("version_date", "版本日期（通过或修订）"), ("in_force_from", "施行日期"),
     ("in_force_until", "失效日期"), ("status_label", "效力状态")],
)

CATEGORIES: dict[str, Category] = {c.slug: c for c in (AGENCIES, OFFICERS, POWERS, PROCEDURES, INSPECTION_ITEMS,
                                                       DECISIONS, LAWS)}
