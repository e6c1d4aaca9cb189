"""What the decision form offers: officers who can act (the others shown with why not), powers with their
legal basis, and the next 文号 in the agency's own numbering.

Officer standing uses the training domain's rules (``training.services.credential_state`` and
``officer_standing``): an officer may be named on a case only while the 执法证 is valid (行政处罚法
art. 42) and the year's training hours are not behind (the training requirement of the town's rules);
``ineligible_added`` is the server-side check behind the disabled check boxes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from enforcement.core import clock
from enforcement.core.enums import DecisionKind
from enforcement.core.numbers import credential_key, number_key
from enforcement.disclosure.models import Agency, Decision, Officer, Power
from enforcement.extensions import db

# credential_state codes (training.services.CREDENTIAL_STATES) that stop an officer acting, with the reason shown.
CREDENTIAL_REASONS = {"expired": "证件过期", "not_yet": "证件尚未生效", "suspended": "暂停执法", "revoked": "证件已注销"}
TRAINING_REASON = "培训学时不足"


@dataclass(frozen=True)
class OfficerOption:
    credential_number: str
    label: str  # 姓名（执法证号，有效期至…）
    reason: str  # why the officer cannot act ("" when they can)

    @property
    def disabled(self) -> bool:
        return bool(self.reason)


def officer_options(on: date | None = None) -> list[OfficerOption]:
    """Every officer, eligible ones first then by name, each with the reason they cannot act on ``on`` (today).

    The training hours are read only for officers whose credential is in force (one query each).
    """
    from enforcement.training.services import credential_state, officer_standing

    on = on or clock.today()
    options = []
    for o in db.session.scalars(select(Officer).order_by(Officer.name, Officer.id)):
        reasons = []
        state = credential_state(o, on)
        if state in CREDENTIAL_REASONS:
            reasons.append(CREDENTIAL_REASONS[state])
        else:
            standing = officer_standing(o.id, on)
            if standing.behind:
                reasons.append(f"{TRAINING_REASON}（已完成{standing.earned_hours}学时，"
                               f"应完成{standing.expected_hours_by_now}学时）")
        label = f"{o.name}（{o.credential_number}，有效期至{o.credential_expires_on.isoformat()}）"
        options.append(OfficerOption(o.credential_number, label, "；".join(reasons)))
    options.sort(key=lambda x: x.disabled)
    return options


def ineligible_added(d: Decision | None, credential_numbers: Iterable[str], on: date | None = None) -> list[str]:
    """Messages for officers newly named on the case who cannot act on ``on`` ([] when all can).

    Officers already on the case stay (their case page warns about them; ``lifecycle.decide`` refuses
    an invalid credential), so editing another field of an older draft is not refused.
    """
    already = {credential_key(o.credential_number) for o in d.officers} if d is not None else set()
    by_key = {credential_key(o.credential_number): o for o in officer_options(on)}
    messages = []
    for number in credential_numbers or []:
        option = by_key.get(credential_key(number or ""))
        if option is not None and option.disabled and credential_key(number) not in already:
            messages.append(f"{option.label.split('（')[0]}不能承办案件：{option.reason}")
    return messages


@dataclass(frozen=True)
class PowerOption:
    code: str
    label: str
    basis: tuple[str, ...]  # the legal basis, one citation per article (《…》第…条)


def power_options() -> list[PowerOption]:
    """Every power with its legal basis to the article, in code order (the searchable picker's options)."""
    from sqlalchemy.orm import selectinload

    from enforcement.disclosure.models import PowerBasis

    powers = db.session.scalars(select(Power).options(selectinload(Power.basis).selectinload(PowerBasis.article))
                                .order_by(Power.code)).all()
    return [PowerOption(p.code, f"{p.code} {p.name}", tuple(b.article.citation for b in p.basis)) for p in powers]


# --- The next 文号 ---------------------------------------------------------------------------

def default_agency(user) -> Agency | None:
    """The agency in whose name ``user`` decides: its own (the account's, else its officer record's), or,
    for an entrusted organisation, the agency that entrusted it (行政处罚法 art. 20). None: no agency."""
    agency_id = user.agency_id or (user.officer.agency_id if getattr(user, "officer", None) is not None else None)
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency is not None and agency.entrusted_by:
        principal = db.session.scalar(select(Agency).where(Agency.name == agency.entrusted_by).limit(1))
        return principal or agency
    return agency


_NUMBER = re.compile(r"^(?P<prefix>.+?)[〔\[（(](?P<year>\d{4})[〕\]）)](?P<di>第?)(?P<serial>\d+)号$")
KIND_WORDS = {DecisionKind.PENALTY: "罚", DecisionKind.INSPECTION: "检", DecisionKind.COERCION: "强"}


def next_number(agency_id: int | None, kind: str = DecisionKind.PENALTY, year: int | None = None) -> str:
    """The next free 文号 in the agency's numbering for ``kind`` in ``year`` (this year), or "".

    Reads the agency's latest numbers of that kind shaped like 京兴西罚字〔2026〕第0012号, keeps the
    prefix and the zero padding, and takes the highest serial of the year plus one (第0001号 in a
    new year). "" when the agency has no such number to follow.
    """
    if agency_id is None:
        return ""
    year = year or clock.today().year
    rows = db.session.scalars(select(Decision.number).where(Decision.agency_id == agency_id, Decision.kind == kind)
                              .order_by(Decision.id.desc()).limit(500)).all()
    word = KIND_WORDS.get(kind, "")
    parsed = [m for m in (_NUMBER.match(n.strip()) for n in rows) if m]
    parsed = [m for m in parsed if not word or f"{word}字" in m["prefix"]] or parsed
    if not parsed:
        return ""
    prefix, di, width = parsed[0]["prefix"], parsed[0]["di"], len(parsed[0]["serial"])
    serials = [int(m["serial"]) for m in parsed if m["prefix"] == prefix and int(m["year"]) == year]
    serial = max(serials, default=0) + 1
    while True:
        number = f"{prefix}〔{year}〕{di}{serial:0{width}d}号"
        if db.session.scalar(select(Decision.id).where(Decision.number_key == number_key(number))) is None:
            return number
        serial += 1
