"""The masking check before publishing: every suspected private value gets an explicit choice.

The projection masks what the detection engine finds; this module lists those
findings for the officer, field by field, with their kind, reason and
confidence, and records for each value whether it is to be hidden
(``Decision.masking_masked``) or is confirmed public (``Decision.masking_confirmed``,
which the projection then keeps where the law allows it). High-confidence
findings are masked unless the officer says otherwise; publishing is refused
while any lower-confidence suspect has no choice. ``preview`` renders the exact
projection the public will see once the decision is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from enforcement.core import audit_log, clock, masking
from enforcement.core.enums import DecisionStatus, PartyType
from enforcement.core.errors import RuleViolation
from enforcement.disclosure import rules
from enforcement.disclosure.models import Decision
from enforcement.disclosure.projection import (  # noqa: F401 (NEVER_CONFIRMABLE: the publish form reads it)
    NEVER_CONFIRMABLE,
    confirmable,
    masking_context,
    notice_findings,
    party_names,
    public_decision,
)

# The free-text fields that reach the public, in the order the officer reads them.
FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "案由"), ("party_name", "当事人"), ("facts", "违法事实"), ("basis", "处罚依据"), ("result", "处理结果"),
    ("ended_reason", "变更/撤销原因"),
)
MASK, PUBLIC = "mask", "public"


@dataclass(frozen=True)
class Suspect:
    field: str
    field_label: str
    kind: str
    value: str
    replacement: str
    choice: str | None  # MASK, PUBLIC, or None (not yet decided)

    party: bool = False  # the value is the party's own name (shown as 张某), not another person's
    score: float = 1.0  # the engine's confidence
    reason: str = ""  # why the engine flagged it, in Chinese

    @property
    def certain(self) -> bool:
        """High confidence: masked unless the officer confirms it public; no decision required."""
        return self.score >= masking.HIGH

    @property
    def confidence_label(self) -> str:
        return "高" if self.certain else "中" if self.score >= 0.5 else "低"

    @property
    def kind_label(self) -> str:
        return "当事人姓名" if self.party else masking.KIND_LABELS[self.kind]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _scan(d: Decision, text: str) -> list[masking.Finding]:
    """The projection's scan of one text, before any officer confirmation (so confirmed values stay listed)."""
    return masking.scan(text, masking_context(d, with_confirmed=False))


def suspects(d: Decision) -> list[Suspect]:
    """Every suspected private value in the public fields, once per field and value."""
    masked, confirmed = set(_lines(d.masking_masked)), set(_lines(d.masking_confirmed))
    parties = party_names(d)
    result, seen = [], set()
    for field, label in FIELDS:
        if field == "party_name" and d.party_type == PartyType.ORGANISATION:
            continue  # organisations keep their name
        for f in _scan(d, getattr(d, field) or ""):
            if (field, f.value) in seen:
                continue
            seen.add((field, f.value))
            choice = PUBLIC if f.value in confirmed else MASK if f.value in masked or f.certain else None
            result.append(Suspect(field, label, f.kind, f.value, masking.replacement(f, parties), choice,
                                  party=f.kind == "name" and f.value in parties, score=f.score, reason=f.reason))
    return result


def unresolved(d: Decision) -> list[Suspect]:
    return [s for s in suspects(d) if s.choice is None]


def suspects_in(d: Decision, text: str) -> list[Suspect]:
    """Suspected private values in a text that will be shown unmasked (a withdrawal reason)."""
    return [Suspect("", "", f.kind, f.value, masking.replacement(f, party_names(d)), None, score=f.score,
                    reason=f.reason) for f in notice_findings(d, text)]


def record_choices(d: Decision, choices: dict[str, str]) -> None:
    """Store the officer's choice per value; a value chosen public is kept by the projection."""
    values = {s.value: s for s in suspects(d)}
    with _refusal_audited(d):
        never = [values[v] for v, c in choices.items() if c == PUBLIC and v in values and not confirmable(d, v)]
        if never:
            raise RuleViolation("身份证号码、证件号码、银行账号、健康信息和自然人的联系方式不得公开：" + "、".join(
                s.value for s in never))
        if d.status not in (DecisionStatus.DRAFT, DecisionStatus.IN_REVIEW, DecisionStatus.DECIDED):
            raise RuleViolation("该决定已公示，不能再修改隐去设置")
        masked, confirmed = set(_lines(d.masking_masked)), set(_lines(d.masking_confirmed))
        before = {"masked": sorted(masked), "confirmed": sorted(confirmed)}
        for value, choice in choices.items():
            if value not in values or choice not in (MASK, PUBLIC):
                continue
            (confirmed if choice == PUBLIC else masked).add(value)
            (masked if choice == PUBLIC else confirmed).discard(value)
        d.masking_masked, d.masking_confirmed = "\n".join(sorted(masked)), "\n".join(sorted(confirmed))
        after = {"masked": sorted(masked), "confirmed": sorted(confirmed)}
        if after != before:
            from enforcement.extensions import db

            db.session.flush()
            audit_log.record("decision.masking", "decision", d.id, before=before, after=after)


def _refusal_audited(d: Decision):
    from enforcement.disclosure.services import refusals_audited

    return refusals_audited("decision.masking", "decision", d.id)


class _AsPublished:
    """The decision as it will be once published today; everything else read through."""

    def __init__(self, d: Decision, today: date):
        self._d = d
        self.status = DecisionStatus.PUBLISHED
        self.published_on = today
        self.expires_on = rules.expiry_date(d.kind, d.penalty_kind_list, d.fine_amount, d.party_type, today)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._d, name)


def preview(d: Decision, today: date | None = None) -> dict[str, Any] | None:
    """Exactly what ``projection.public_decision`` will show after publishing (None: never public)."""
    today = today or clock.today()
    return public_decision(_AsPublished(d, today), today)  # type: ignore[arg-type]
