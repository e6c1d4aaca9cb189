"""Receiving requests: the public form's checks, staff registration, tracking numbers and query codes.

A request gets a tracking number (``GK`` + year + sequence, shown to the
applicant and staff) and a private query code of 10 characters from a
32-letter alphabet (50 bits); only a salted SHA-256 of the code is stored.
Anonymous submissions are limited per address (a keyed hash of it is kept, not
the address) and guarded by a server-side arithmetic question carried in a
signed, timed token, so no third-party service is involved.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import BinaryIO

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.core.masking import valid_credit_code, valid_id_number
from enforcement.core.models import utcnow
from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from enforcement.requests import clock
from enforcement.requests.codes import (
    ApplicantType,
    Channel,
    Delivery,
    EventKind,
    IdDocument,
    ProvisionForm,
    Status,
)
from enforcement.requests.models import InfoRequest, RequestAttachment, RequestEvent, SubmissionAttempt

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
CODE_LENGTH = 10
SUBMISSIONS_PER_DAY = 5  # online submissions per address per 24 hours
CHALLENGE_MAX_AGE = 30 * 60  # seconds
MB = 1024 * 1024
ATTACHMENT_LIMIT = 5 * MB
MAX_ATTACHMENTS = 3
ATTACHMENT_EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".txt", ".doc", ".docx"})
_CN_DIGITS = "零一二三四五六七八九十"


# --- query codes ---------------------------------------------------------------------------------

def new_query_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def hash_code(code: str, salt: str | None = None) -> str:
    """'salt$sha256(salt + code)' of a normalised code (upper case, no spaces or dashes)."""
    salt = salt or secrets.token_hex(8)
    norm = "".join(code.split()).replace("-", "").upper()
    return f"{salt}${hashlib.sha256((salt + norm).encode()).hexdigest()}"


def code_matches(stored: str, code: str) -> bool:
    salt, _, _digest = stored.partition("$")
    return bool(code) and hmac.compare_digest(hash_code(code, salt), stored)


def _tracking_number(year: int) -> str:
    prefix = f"GK{year}"
    last = db.session.scalar(select(func.max(InfoRequest.tracking_number)).where(
        InfoRequest.tracking_number.like(prefix + "-%")))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}-{seq:04d}"


# --- anti-abuse: a signed arithmetic question and a per-address limit -------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="requests-challenge")


def new_challenge(rng: secrets.SystemRandom | None = None) -> tuple[str, str]:
    """(question in Chinese, signed token) — e.g. ('三加五等于几？（请填写阿拉伯数字）', token)."""
    rng = rng or secrets.SystemRandom()
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    token = _serializer().dumps({"h": hashlib.sha256(f"{a + b}:{a}:{b}".encode()).hexdigest(), "a": a, "b": b})
    return f"{_CN_DIGITS[a]}加{_CN_DIGITS[b]}等于几？（请填写阿拉伯数字）", token


def check_challenge(token: str, answer: str) -> None:
    """Raise RuleViolation(field='answer') unless ``answer`` solves the token's question within 30 minutes."""
    try:
        data = _serializer().loads(token or "", max_age=CHALLENGE_MAX_AGE)
    except SignatureExpired:
        raise RuleViolation("验证题已过期，请重新回答", field="answer") from None
    except BadSignature:
        raise RuleViolation("验证题无效，请重新回答", field="answer") from None
    answer = (answer or "").strip()
    if not answer.isdigit() or not hmac.compare_digest(
            hashlib.sha256(f"{answer}:{data.get('a')}:{data.get('b')}".encode()).hexdigest(), str(data.get("h"))):
        raise RuleViolation("验证题回答错误", field="answer")


def _address_hash(remote_addr: str) -> str:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), (remote_addr or "").encode(), "sha256").hexdigest()


def check_rate_limit(remote_addr: str) -> None:
    """Refuse a 6th online submission from the same address within 24 hours (RuleViolation)."""
    since = utcnow() - timedelta(days=1)
    count = db.session.scalar(select(func.count(SubmissionAttempt.id)).where(
        SubmissionAttempt.address_hash == _address_hash(remote_addr), SubmissionAttempt.at >= since)) or 0
    if count >= SUBMISSIONS_PER_DAY:
        raise RuleViolation(f"同一网络地址24小时内最多在线提交{SUBMISSIONS_PER_DAY}件申请，请稍后再试或当面、邮寄提交")


# --- the request itself ----------------------------------------------------------------------------

@dataclass
class Applicant:
    """The fields 条例第二十九条 asks for. ``applicant_type`` is a codes.ApplicantType code."""

    applicant_type: str
    name: str
    id_document_type: str
    id_document_number: str
    phone: str = ""
    email: str = ""
    address: str = ""
    contact_person: str = ""


def _validate(applicant: Applicant, description: str, provision_form: str, delivery: str) -> None:
    if applicant.applicant_type not in ApplicantType.labels():
        raise RuleViolation("请选择申请人类型", field="applicant_type")
    if not applicant.name.strip():
        raise RuleViolation("请填写申请人姓名或名称", field="name")
    if applicant.id_document_type not in IdDocument.labels():
        raise RuleViolation("请选择身份证明类型", field="id_document_type")
    number = applicant.id_document_number.strip().upper()
    if not number:
        raise RuleViolation("请填写身份证明号码", field="id_document_number")
    if applicant.id_document_type == IdDocument.RESIDENT_ID and not valid_id_number(number):
        raise RuleViolation("居民身份证号码无效（请核对校验位）", field="id_document_number")
    if applicant.id_document_type == IdDocument.CREDIT_CODE and not valid_credit_code(number):
        raise RuleViolation("统一社会信用代码无效（请核对校验位）", field="id_document_number")
    organisation = applicant.applicant_type != ApplicantType.NATURAL
    if organisation != (applicant.id_document_type == IdDocument.CREDIT_CODE):
        raise RuleViolation("自然人请提供个人身份证件，法人或其他组织请提供统一社会信用代码",
                            field="id_document_type")
    if not (applicant.phone.strip() or applicant.email.strip() or applicant.address.strip()):
        raise RuleViolation("请至少填写一种联系方式（电话、电子邮箱或通信地址）", field="phone")
    if len(description.strip()) < 5:
        raise RuleViolation("请描述所需政府信息的名称、文号或便于查询的其他特征", field="description")
    if provision_form not in ProvisionForm.labels():
        raise RuleViolation("请选择信息的提供形式", field="provision_form")
    if delivery not in Delivery.labels():
        raise RuleViolation("请选择获取信息的方式", field="delivery")


def _create(agency: Agency, applicant: Applicant, description: str, provision_form: str, delivery: str,
            channel: str, submitted_on: date, received_on: date | None, actor: str) -> tuple[InfoRequest, str]:
    _validate(applicant, description, provision_form, delivery)
    code = new_query_code()
    req = InfoRequest(
        tracking_number=_tracking_number(submitted_on.year), query_code_hash=hash_code(code), agency_id=agency.id,
        applicant_type=applicant.applicant_type, applicant_name=applicant.name.strip()[:120],
        contact_person=applicant.contact_person.strip()[:60], id_document_type=applicant.id_document_type,
        id_document_number=applicant.id_document_number.strip().upper()[:40], phone=applicant.phone.strip()[:40],
        email=applicant.email.strip()[:120], address=applicant.address.strip()[:200],
        description=description.strip(), provision_form=provision_form, delivery=delivery, channel=channel,
        submitted_on=submitted_on, received_on=received_on,
        status=Status.PROCESSING if received_on else Status.AWAITING_RECEIPT, registered_by=actor)
    req.events.append(RequestEvent(kind=EventKind.SUBMITTED, on=submitted_on, actor=actor,
                                   note=Channel.labels()[channel]))
    if received_on:
        req.events.append(RequestEvent(kind=EventKind.RECEIVED, on=received_on, actor=actor))
    db.session.add(req)
    db.session.flush()
    from enforcement.requests.services import refresh

    refresh(req)
    audit_log.record("request.submit", "info_request", req.id, after={
        "tracking_number": req.tracking_number, "channel": channel, "received_on": received_on})
    return req, code


def submit_online(agency: Agency, applicant: Applicant, description: str, provision_form: str, delivery: str, *,
                  remote_addr: str, on: date, files: list[tuple[str, str, BinaryIO]] = ()) -> tuple[InfoRequest, str]:
    """A citizen's online request: (request, query code). Received when staff confirm it (art. 31(三)).

    Raises RuleViolation (with ``field``) for a missing or invalid field, an over-limit address or a bad
    attachment; nothing is written then (the caller rolls back).
    """
    check_rate_limit(remote_addr)
    req, code = _create(agency, applicant, description, provision_form, delivery, Channel.ONLINE, on, None,
                        "public")
    for file_name, content_type, stream in list(files)[:MAX_ATTACHMENTS + 1]:
        attach(req, file_name, content_type, stream)
    db.session.add(SubmissionAttempt(address_hash=_address_hash(remote_addr), at=utcnow()))
    db.session.flush()
    return req, code


def register(agency: Agency, applicant: Applicant, description: str, provision_form: str, delivery: str, *,
             channel: str, submitted_on: date, signed_or_confirmed_on: date | None, actor: str,
             ) -> tuple[InfoRequest, str]:
    """Staff register a request received in person, by post or fax: (request, query code to hand over).

    The receipt date follows the channel (``clock.receipt_date``); a date in the future is refused.
    """
    if channel not in Channel.labels():
        raise RuleViolation("请选择申请渠道", field="channel")
    if max(submitted_on, signed_or_confirmed_on or submitted_on) > clock.today():
        raise RuleViolation("日期不能晚于今天", field="submitted_on")
    try:
        received_on = clock.receipt_date(channel, submitted_on, signed_or_confirmed_on)
    except ValueError as e:
        raise RuleViolation(str(e), field="signed_or_confirmed_on") from None
    return _create(agency, applicant, description, provision_form, delivery, channel, submitted_on, received_on,
                   actor)


def attach(req: InfoRequest, file_name: str, content_type: str, stream: BinaryIO) -> RequestAttachment | None:
    """Store one applicant file privately (by SHA-256 under RECORDS_DIR); an empty field is skipped."""
    from enforcement.disclosure.records import _store  # the platform's one private file store

    file_name = os.path.basename((file_name or "").replace("\\", "/")).strip()
    if not file_name:
        return None
    if len(req.attachments) >= MAX_ATTACHMENTS:
        raise RuleViolation(f"最多上传{MAX_ATTACHMENTS}个附件", field="attachments")
    extension = os.path.splitext(file_name)[1].lower()
    if extension not in ATTACHMENT_EXTENSIONS:
        raise RuleViolation("附件只接受" + "、".join(sorted(ATTACHMENT_EXTENSIONS)) + "格式", field="attachments")
    sha, size = _store(stream, ATTACHMENT_LIMIT, extension)
    row = RequestAttachment(file_name=file_name[:255], content_type=(content_type or "application/octet-stream")[:100],
                            size=size, sha256=sha)
    req.attachments.append(row)
    db.session.flush()
    return row


def find(tracking_number: str, code: str) -> InfoRequest | None:
    """The request whose number and query code both match, else None (no hint which was wrong)."""
    req = db.session.scalar(select(InfoRequest).where(InfoRequest.tracking_number == (tracking_number or "").strip().upper()))
    if req is None or not code_matches(req.query_code_hash, code or ""):
        return None
    return req


def public_status(req: InfoRequest) -> dict:
    """What the applicant's status page shows: the state and its dates, nothing the applicant wrote."""
    state = clock.replay(req.received_on, req.events)
    return {
        "tracking_number": req.tracking_number,
        "status": req.status,
        "status_label": Status.labels()[req.status],
        "submitted_on": req.submitted_on,
        "received_on": req.received_on,
        "due_on": req.due_on,
        "provisional": req.due_provisional,
        "correction_due_on": req.correction_due_on if req.status == Status.CORRECTION else None,
        "extended_days": state.extended_days,
        "answered_on": req.reply.answered_on if req.reply else None,
        "closed_on": req.closed_on,
        "steps": [(e.on, EventKind.labels()[e.kind]) for e in req.events],
    }
