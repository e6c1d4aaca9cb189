"""Loads the demo town through the same import services a real town uses."""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import select

from enforcement.accounts.models import User
from enforcement.accounts.services import create_user
from enforcement.core.records import ImportRejected
from enforcement.demo import decisions as demo_decisions
from enforcement.demo import town
from enforcement.demo.powers import derive_powers
from enforcement.disclosure.importing import import_rows, write_decisions
from enforcement.disclosure.laws import citation_of, load_bundled_laws
from enforcement.disclosure.models import Agency, LawArticle, Officer, Power
from enforcement.extensions import db

# Other domains add their demo data here: functions (rng, progress) -> str, run in order after decisions.
EXTRA_STEPS: list[Callable[[random.Random, Callable[[str], None]], str]] = []


def _import(kind: str, records: list[dict]) -> None:
    try:
        import_rows(kind, enumerate(records, 1))
    except ImportRejected as e:  # demo data is ours: a rejection is a bug, say exactly where
        raise RuntimeError(f"demo {kind}: " + "; ".join(str(x) for x in e.errors[:5])) from None


def load_demo(n_decisions: int = 3000, progress: Callable[[str], None] = lambda _m: None) -> str:
    rng = random.Random(20210101)
    laws = load_bundled_laws()
    progress(f"法规库 {len(laws)} 部")
    _import("agencies", town.AGENCIES)
    officers = town.officers(rng)
    _import("officers", officers)
    powers = derive_powers(laws)
    articles = {a.id: a for a in db.session.scalars(select(LawArticle).where(LawArticle.id.in_([p.article_id for p in powers])))}
    _import("powers", [
        {"code": p.code, "name": p.name, "category": p.category, "agency_credit_code": town.TOWN_GOV,
         "basis": [citation_of(articles[p.article_id])], "discretion": _discretion(p), "source": "京政发〔2020〕9号下放"}
        for p in powers
    ])
    _import("procedures", town.procedure_records())
    _import("inspection-items", town.inspection_item_records())
    _users()
    progress(f"执法主体 {len(town.AGENCIES)}，执法人员 {len(officers)}，职权 {len(powers)}")
    created = _decisions(n_decisions, powers, officers, progress)
    extras = [step(rng, progress) for step in EXTRA_STEPS]
    from enforcement.training.demo import load_training_demo  # a year of training (own seeded random)

    extras.append(load_training_demo(progress))
    from enforcement.disclosure.demo import load_back_office_demo  # drafts (one in review), records

    extras.append(load_back_office_demo(progress))
    from enforcement.audit.demo import load_audit_demo  # reviews, unmasked cases, findings (after all data)
    from enforcement.inspections.demo import load_inspections_demo  # pools, plans, draws, results
    from enforcement.requests.demo import load_requests_demo  # a year of requests, through the services

    extras.append(load_inspections_demo(progress))
    extras.append(load_requests_demo(progress))
    extras.append(load_audit_demo(progress))
    return "；".join([f"执法决定 {n_decisions} 件（新增 {created}）", *extras])


def _discretion(p) -> str:
    if not p.fine:
        return "依法实施，不涉及罚款裁量。"
    low, high = p.fine
    mid = low + (high - low) * 3 / 10
    return (f"初次违法且及时改正、危害后果轻微的，可以不予处罚；一般情形处{low:,.0f}元以上{mid:,.0f}元以下罚款；"
            f"逾期不改正或者造成安全隐患的，处{mid:,.0f}元以上{high:,.0f}元以下罚款。")


def _users() -> None:
    officer_ids = list(db.session.scalars(select(Officer.id).order_by(Officer.id)))
    agency_id = db.session.scalar(select(Agency.id).where(Agency.credit_code == town.ENFORCEMENT_TEAM))
    for username, password, roles, display, officer_index, qualified in town.DEMO_USERS:
        if db.session.scalar(select(User).where(User.username == username)) is None:
            create_user(username, password, roles, display_name=display, agency_id=agency_id,
                        officer_id=officer_ids[officer_index] if officer_index is not None else None,
                        has_legal_qualification=qualified)


def _decisions(n: int, powers, officers, progress) -> int:
    agencies = dict(db.session.execute(select(Agency.credit_code, Agency.id)).all())
    officer_ids = dict(db.session.execute(select(Officer.credential_number, Officer.id)).all())
    power_ids = dict(db.session.execute(select(Power.code, Power.id)).all())
    batch, created = [], 0
    for record in demo_decisions.generate(n, powers, officers):
        record["agency_id"] = agencies[record["agency_credit_code"]]
        record["officer_ids"] = sorted({officer_ids[c] for c in record["officers"]})
        record["power_ids"] = sorted({power_ids[c] for c in record["powers"]})
        batch.append(record)
        if len(batch) == 5000:
            created += write_decisions(batch).created
            batch.clear()
            progress(f"执法决定 {record['_line']:,}/{n:,}")
    if batch:
        created += write_decisions(batch).created
    return created
