"""The public projection of every disclosure record: the only shape the public ever sees.

Pages, the API, exports, feeds and the search index all call these functions;
masking happens here, once, never in templates.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from enforcement.core import clock, masking
from enforcement.core.enums import (
    CaseProcedure,
    CredentialStatus,
    DecisionKind,
    DecisionStatus,
    LegalStatus,
    PartyType,
    PenaltyKind,
    PowerCategory,
)
from enforcement.disclosure.models import Agency, Decision, InspectionItem, Officer, Power, ProcedureGuide

PUBLIC_STATUSES = frozenset({DecisionStatus.PUBLISHED, DecisionStatus.CHANGED, DecisionStatus.REVOKED,
                             DecisionStatus.ILLEGAL, DecisionStatus.VOID})


def decision_visibility(d: Decision, today: date | None = None) -> str:
    """'public', 'withdrawn' (notice only), 'expired' (410) or 'hidden' (never public: 404)."""
    today = today or clock.today()
    if d.party_is_minor or d.published_on is None:
        return "hidden"
    if d.status == DecisionStatus.WITHDRAWN:
        return "withdrawn"
    if d.status == DecisionStatus.EXPIRED or (d.expires_on is not None and d.expires_on <= today):
        return "expired"
    if d.status in PUBLIC_STATUSES:
        return "public"
    return "hidden"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def party_display(d: Decision, ctx: masking.Context | None = None) -> str:
    if d.party_type == PartyType.PERSON:
        return masking.mask_person_name(d.party_name)
    return d.party_name if d.party_type == PartyType.ORGANISATION else _mask_decision_text(d, d.party_name, ctx)


def party_names(d: Any) -> list[str]:
    """Natural persons named as the party: they keep their surname (张某), nothing more."""
    names = [d.party_name] if d.party_type == PartyType.PERSON else []
    if d.party_type == PartyType.SOLE_TRADER and d.party_legal_rep:
        names.append(d.party_legal_rep)
    return names


def public_credit_code(d: Any) -> str:
    """The party's credit code as published: only a valid one (GB 32100-2015), never a person's ID in its place."""
    code = (d.party_credit_code or "").strip()
    return code if d.party_type != PartyType.PERSON and masking.valid_credit_code(code) else ""


NEVER_CONFIRMABLE = frozenset({"id_number", "id_document", "bank_account", "health"})


def confirmable(d: Any, value: str) -> bool:
    """Whether an officer's "this is public" can be honoured for value.

    ID numbers, identity documents, bank accounts and health data found with high confidence never
    (个人信息保护法 art. 28); phone numbers, e-mail and other contacts only as an organisation's, never a
    natural person's or a third person's. Anything else (a public official's name, a business address, a
    low-confidence "maybe an account" that is a serial number) is the officer's call.
    """
    findings = masking.scan(value)
    kinds = {f.kind for f in findings}
    if {f.kind for f in findings if f.certain} & NEVER_CONFIRMABLE:
        return False
    contact = {"phone", "email", "im_account"}
    return not (kinds & contact and d.party_type != PartyType.ORGANISATION)


def refused_confirmations(d: Any) -> list[str]:
    """Values an officer confirmed public that the projection masks anyway (the audit reports them)."""
    return [v for v in _lines(d.masking_confirmed) if not confirmable(d, v)]


def _other_names(d: Any) -> list[str]:
    names = d.other_names
    return list(names) if isinstance(names, list | tuple) else _lines(names)


def public_values(d: Any) -> list[str]:
    """Values on a decision that are public by law: its officers' names and 执法证号, its agency's
    published contacts, the party's valid credit code and, for an organisation, its legal representative."""
    values = [public_credit_code(d)]
    for o in getattr(d, "officers", None) or []:
        values += [o] if isinstance(o, str) else [o.name, o.credential_number]  # an import lists 执法证号
    agency = getattr(d, "agency", None)
    if agency is not None:
        values += [agency.name, agency.address, agency.phone, agency.supervision_phone]
    if d.party_type == PartyType.ORGANISATION:
        values += [d.party_name, d.party_legal_rep]
    return [v for v in values if v]


def masking_context(d: Any, *, with_confirmed: bool = True) -> masking.Context:
    """What the engine must know about a decision's people, numbers and places (``d`` is a Decision or any
    object with its attributes, e.g. an import record); the publish check and the audit use it too."""
    keep = public_values(d)
    if with_confirmed:
        keep += [v for v in _lines(d.masking_confirmed) if confirmable(d, v)]
    person = d.party_type != PartyType.ORGANISATION
    numbers = [("id_number", d.party_id_number), ("bank_account", d.party_bank_account)]
    if person:
        numbers.append(("phone", d.party_phone))
    credit = (d.party_credit_code or "").strip()
    if credit and not masking.valid_credit_code(credit):
        numbers.append(("id_number", credit))  # not a credit code: a sole trader's ID in the wrong field
    return masking.context(party_names=party_names(d), names=_other_names(d), numbers=numbers,
                           addresses=[d.party_address] if person else [], keep=keep)


def notice_findings(d: Any, text: str) -> list[masking.Finding]:
    """Private values in a text published as written, without masking (a withdrawal reason, 行政处罚法
    art. 48): the staff form and the import refuse such a text with this same function."""
    return masking.scan(text, masking_context(d, with_confirmed=False))


def _mask_decision_text(d: Decision, text: str, ctx: masking.Context | None = None) -> str:
    return masking.mask_text(text, ctx or masking_context(d)) if text else ""


def decision_header(d: Decision) -> dict[str, Any]:
    """What even a withdrawn decision's notice shows: number, kind, agency, dates."""
    return {
        "id": d.id,
        "number": d.number,
        "kind": d.kind,
        "kind_label": DecisionKind.labels().get(d.kind, d.kind),
        "agency_id": d.agency_id,
        "agency": d.agency.name if d.agency else "",
        "decided_on": d.decided_on,
        "published_on": d.published_on,
    }


def public_decision(d: Decision, today: date | None = None) -> dict[str, Any] | None:
    """The masked projection, the withdrawal notice, or None when nothing may be shown."""
    state = decision_visibility(d, today)
    if state == "hidden" or state == "expired":
        return None
    header = {**decision_header(d), "state": state}
    ctx = masking_context(d)
    if state == "withdrawn":
        return {**header, "withdrawn_on": d.withdrawn_on,
                "withdrawal_reason": _mask_decision_text(d, d.withdrawal_reason, ctx)}
    legal_rep = d.party_legal_rep if d.party_type == PartyType.ORGANISATION else (
        masking.mask_person_name(d.party_legal_rep) if d.party_legal_rep else "")
    return {
        **header,
        "status": d.status,
        "status_label": DecisionStatus.labels().get(d.status, d.status),
        "procedure_label": CaseProcedure.labels().get(d.procedure, d.procedure),
        "title": _mask_decision_text(d, d.title, ctx),
        "party_type": d.party_type,
        "party_type_label": PartyType.labels().get(d.party_type, d.party_type),
        "party": party_display(d, ctx),
        "party_credit_code": public_credit_code(d),
        "party_legal_rep": legal_rep,
        "facts": _mask_decision_text(d, d.facts, ctx),
        "basis": _mask_decision_text(d, d.basis, ctx),
        "result": _mask_decision_text(d, d.result, ctx),
        "penalty_kinds": d.penalty_kind_list,
        "penalty_kind_labels": [PenaltyKind.labels().get(k, k) for k in d.penalty_kind_list],
        "fine_amount": d.fine_amount,
        "confiscation_amount": d.confiscation_amount,
        "is_major": d.is_major,
        "ended_on": d.ended_on,
        "ended_reason": _mask_decision_text(d, d.ended_reason, ctx) if d.ended_on else "",
        "expires_on": d.expires_on,
        "officers": [{"name": o.name, "credential_number": o.credential_number} for o in d.officers],
        "powers": [{"code": p.code, "name": p.name} for p in d.powers],
        "records": [{"kind": r.kind, "sha256": r.sha256, "filed_at": r.filed_at} for r in d.records],
    }


def _standing_text(text: str, keep: list[str]) -> str:
    """Free text of standing information, masked like every public text: agencies' own contacts kept."""
    return masking.mask_text(text or "", keep=[k for k in keep if k])


def _agency_keep(a: Agency | None) -> list[str]:
    return [a.name, a.address, a.phone, a.supervision_phone, a.credit_code] if a is not None else []


def public_agency(a: Agency) -> dict[str, Any]:
    keep = _agency_keep(a)
    return {
        "id": a.id,
        "name": a.name,
        "credit_code": a.credit_code,
        "legal_status": a.legal_status,
        "legal_status_label": LegalStatus.labels().get(a.legal_status, a.legal_status),
        "entrusted_by": a.entrusted_by,
        "duties": _standing_text(a.duties, keep),
        "address": a.address,
        "phone": a.phone,
        "supervision_phone": a.supervision_phone,
        "supervision_channels": _standing_text(a.supervision_channels, keep),
        "reconsideration_body": a.reconsideration_body,
        "reconsideration_days": a.reconsideration_days,
        "litigation_court": a.litigation_court,
        "litigation_months": a.litigation_months,
    }


def credential_state(o: Officer, today: date | None = None) -> str:
    """'valid', 'expired', 'suspended' or 'revoked' as a citizen checking a credential needs it."""
    today = today or clock.today()
    if o.status != CredentialStatus.VALID:
        return o.status
    return "valid" if o.credential_issued_on <= today <= o.credential_expires_on else "expired"


def public_officer(o: Officer, today: date | None = None) -> dict[str, Any]:
    """Name, credential number, category, agency, validity: nothing else personal."""
    return {
        "id": o.id,
        "name": o.name,
        "credential_number": o.credential_number,
        "category": o.category,
        "agency_id": o.agency_id,
        "agency": o.agency.name if o.agency else "",
        "credential_expires_on": o.credential_expires_on,
        "credential_state": credential_state(o, today),
    }


def public_power(p: Power) -> dict[str, Any]:
    return {
        "id": p.id,
        "code": p.code,
        "name": p.name,
        "category": p.category,
        "category_label": PowerCategory.labels().get(p.category, p.category),
        "agency_id": p.agency_id,
        "agency": p.agency.name if p.agency else "",
        "discretion": _standing_text(p.discretion, _agency_keep(p.agency)),
        "source": _standing_text(p.source, _agency_keep(p.agency)),
        "basis": [
            {"citation": b.article.citation, "law": b.article.law.title,
             "version_date": b.article.law.version_date, "article": b.article.label, "text": b.article.text}
            for b in p.basis
        ],
    }


def public_procedure(p: ProcedureGuide) -> dict[str, Any]:
    return {
        "id": p.id,
        "code": p.code,
        "item": p.item,
        "agency_id": p.agency_id,
        "agency": p.agency.name if p.agency else "",
        "receiving_office": p.receiving_office,
        "approving_office": p.approving_office,
        "conditions": _standing_text(p.conditions, _agency_keep(p.agency)),
        "time_limit": p.time_limit,
        "steps": [{"position": s.position, "name": s.name,
                   "description": _standing_text(s.description, _agency_keep(p.agency))} for s in p.steps],
    }


def public_inspection_item(i: InspectionItem) -> dict[str, Any]:
    return {
        "id": i.id,
        "code": i.code,
        "seq": i.seq,
        "item": i.item,
        "sub_item": i.sub_item,
        "agency_id": i.agency_id,
        "agency": i.agency.name if i.agency else "",
        "basis": i.basis,
        "method": i.method,
        "content": _standing_text(i.content, _agency_keep(i.agency)),
        "remark": _standing_text(i.remark, _agency_keep(i.agency)),
    }
