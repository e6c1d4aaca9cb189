"""Answering a request: the outcome with its legal basis, and the reply letter (答复告知书).

Each outcome of the national classification (codes.OUTCOMES) has a letter
template; the letter always ends with the remedy channels — 行政复议 (body and
period) and 行政诉讼 (court and period) — as the laws in force on the answer date
set them (``enforcement.disclosure.remedies``), frozen into the reply so a
later change of law does not rewrite a sent letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from enforcement.requests import services
from enforcement.requests.codes import OUTCOME_BY_CODE, ApplicantType, EventKind, ProvisionForm
from enforcement.requests.models import InfoRequest, RequestReply

# The letter's body per outcome group (or code); {provided}, {reasons}, {basis} are filled in.
TEMPLATES = {
    "granted": "经审查，您（单位）申请获取的政府信息属于公开范围，根据{basis}的规定，现予以公开。{provided}",
    "partial": "经审查，您（单位）申请获取的政府信息中含有不应当公开的内容，但能够作区分处理。根据{basis}的规定，"
               "本机关向您提供可以公开的内容；不予公开的部分及理由如下：{reasons}{provided}",
    "withheld": "经审查，您（单位）申请获取的政府信息{label}，根据{basis}的规定，不予公开。理由：{reasons}",
    "unable": "经检索，{label}，根据{basis}的规定，本机关无法提供。{reasons}",
    "not_handled": "经审查，您（单位）的申请属于“{label}”情形，根据{basis}的规定，本机关不予处理。{reasons}",
    "other": "您（单位）的申请属于“{label}”情形，根据{basis}的规定，本机关不再处理。{reasons}",
}


@dataclass
class Letter:
    """The reply letter as text blocks (HTML and PDF render the same blocks)."""

    title: str
    number: str
    addressee: str
    opening: str
    body: str
    remedies: str
    agency: str
    answered_on: date


def remedy_text(agency: Agency, on: date) -> str:
    """The remedy channels for an act of ``agency`` on ``on``, as one paragraph with the articles.

    From the laws in force that day when the library has them; otherwise from the agency's recorded
    bodies and periods, saying so.
    """
    from enforcement.disclosure.remedies import remedy_channels

    channels = remedy_channels(agency, on)
    rc, lit = channels["reconsideration"], channels["litigation"]
    if rc.known:
        f = rc.figures
        basis = "、".join(b.citation for b in (rc.basis.get("apply"), rc.basis.get("body")) if b)
        recon = (f"可以自收到本告知书之日起{f['apply_days']}日内向{f['body'] or f['body_rule']}申请行政复议"
                 f"（{basis}）")
    else:
        recon = (f"可以自收到本告知书之日起{agency.reconsideration_days}日内向{agency.reconsideration_body or '上一级行政机关'}"
                 "申请行政复议（期限以法律规定为准）")
    if lit.known:
        f = lit.figures
        basis = "、".join(b.citation for b in (lit.basis.get("direct"), lit.basis.get("court")) if b)
        court = f["court"] or "有管辖权的人民法院"
        litig = f"也可以自收到本告知书之日起{f['direct_months']}个月内向{court}提起行政诉讼（{basis}）"
    else:
        litig = (f"也可以自收到本告知书之日起{agency.litigation_months}个月内向{agency.litigation_court or '人民法院'}"
                 "提起行政诉讼（期限以法律规定为准）")
    return f"如对本答复不服，{recon}；{litig}。"


def _number(req: InfoRequest, on: date) -> str:
    count = db.session.scalar(select(func.count(RequestReply.id)).where(RequestReply.number.like(f"%〔{on.year}〕%")))
    short = req.agency.name.rsplit("区", 1)[-1].replace("人民政府", "") if req.agency else ""
    return f"{short}依申请公开告字〔{on.year}〕第{(count or 0) + 1}号"


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (staff often leave it off), or '' for nothing."""
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？；.!?;" else text + "。"


def answer(req: InfoRequest, *, outcome: str, legal_basis: str, answered_on: date, actor: str, reasons: str = "",
           provided: str = "", public_url: str = "", information_key: str = "") -> RequestReply:
    """Answer the request with one outcome of the national classification, its legal basis and the letter.

    Raises RuleViolation for an unknown outcome, a missing legal basis, missing reasons for a refusal or a
    partial disclosure, nothing provided for a disclosure, a public link that is not on this platform, or
    a request not being handled (see ``services.mark_answered``).
    """
    spec = OUTCOME_BY_CODE.get(outcome)
    if spec is None or outcome == "other.no_correction":
        raise RuleViolation("请选择答复结果（逾期不补正请使用“视为放弃申请”）", field="outcome")
    if not legal_basis.strip():
        raise RuleViolation("每一种答复都必须写明法律依据", field="legal_basis")
    if spec.group in ("partial", "withheld", "not_handled") and not reasons.strip():
        raise RuleViolation("部分公开、不予公开和不予处理应当说明理由", field="reasons")
    if spec.group in ("granted", "partial") and not (provided.strip() or public_url.strip()):
        raise RuleViolation("请说明提供的信息（随告知书附送的内容，或获取方式、途径）", field="provided")
    public_url = public_url.strip()
    if public_url and not (public_url.startswith("/") and not public_url.startswith("//")):
        raise RuleViolation("已公开信息的链接应为本平台的页面地址（以 / 开头）", field="public_url")
    if req.reply is not None:
        raise RuleViolation("该申请已答复")
    reply = RequestReply(number=_number(req, answered_on), outcome=outcome, legal_basis=legal_basis.strip(),
                         reasons=reasons.strip(), provided=provided.strip(), public_url=public_url,
                         remedies=remedy_text(req.agency, answered_on), answered_on=answered_on, answered_by=actor)
    req.reply = reply
    services.mark_answered(req, reply, actor)
    if information_key:
        services.set_information_key(req, information_key)
    db.session.flush()
    audit_log.record("request.answer", "info_request", req.id, after={
        "outcome": outcome, "reply": reply.number, "answered_on": answered_on})
    return reply


def letter(req: InfoRequest) -> Letter:
    """The 答复告知书 of an answered request (RuleViolation if it has none)."""
    reply = req.reply
    if reply is None:
        raise RuleViolation("该申请尚未答复")
    spec = OUTCOME_BY_CODE[reply.outcome]
    provided = ""
    if reply.provided:
        provided = _sentence(f"提供的信息：{reply.provided}")
    if reply.public_url:
        provided += f"该信息已在本平台主动公开，可通过以下地址获取：{reply.public_url}。"
    template = TEMPLATES.get(spec.group, TEMPLATES["other"])
    body = template.format(basis=reply.legal_basis, reasons=_sentence(reply.reasons), label=spec.label,
                           provided=provided)
    if spec.group in ("granted", "partial"):
        body += f"提供形式：{ProvisionForm.labels().get(req.provision_form, '')}。"
    corrected = [e for e in req.events if e.kind == EventKind.CORRECTED]
    received = corrected[-1].on if corrected else req.received_on
    addressee = req.applicant_name if req.applicant_type == ApplicantType.NATURAL else req.applicant_name
    opening = (f"本机关于{_cn(received)}收到您（单位）的政府信息公开申请（申请编号：{req.tracking_number}）。"
               "现答复如下：")
    return Letter(title="政府信息公开申请答复告知书", number=reply.number, addressee=addressee, opening=opening,
                  body=body, remedies=reply.remedies, agency=req.agency.name, answered_on=reply.answered_on)


def _cn(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
