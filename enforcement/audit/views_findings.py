"""Findings: supervisors record, close and reopen under /audit/findings; agencies respond under /audit/rectification."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from enforcement.accounts.access import roles_required, staff_blueprint
from enforcement.audit import findings as service
from enforcement.audit import labels
from enforcement.audit.forms import CloseForm, FindingForm, ReopenForm, ResponseForm
from enforcement.audit.models import FINDING_STATUS, Finding
from enforcement.audit.services import agencies
from enforcement.audit.views import bp, today
from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.core.pagination import choice_param, paginate
from enforcement.extensions import db

LIST_FILTERS = {"unclosed": "未销号", "overdue": "逾期未整改"}
rectification = staff_blueprint("audit_rectification", __name__, roles={"officer"}, url_prefix="/audit/rectification")


def _finding(finding_id: int) -> Finding:
    return db.session.get(Finding, finding_id) or abort(404)


def _history(f: Finding) -> dict:
    """The finding's audit-log steps with their reasons, and the display names of everyone involved."""
    events = service.history(f)
    history = [(e, str(json.loads(e.detail or "{}").get("reason", ""))) for e in events]
    names = labels.people({e.actor for e in events} | {f.created_by, f.responded_by})
    return {"history": history, "names": names}


def _refuse(e: RuleViolation, action: str, finding_id) -> None:
    audit_log.record_refusal(action, "finding", finding_id, e.message)
    flash(e.message, "error")


@bp.get("/findings/")
def findings():
    """Findings, filtered by status, or 未销号 (``unclosed``) and 逾期未整改 (``overdue``) as the dashboard counts them."""
    status = choice_param(request.args, "status", {**FINDING_STATUS, **LIST_FILTERS})
    stmt = select(Finding).order_by(Finding.due_on, Finding.id)
    if status == "unclosed":
        stmt = stmt.where(Finding.status != "closed")
    elif status == "overdue":
        stmt = stmt.where(Finding.status != "closed", Finding.due_on < today())
    elif status:
        stmt = stmt.where(Finding.status == status)
    return render_template("audit/findings.html", page=paginate(stmt, request.args), status=status,
                           statuses={**FINDING_STATUS, **LIST_FILTERS}, today=today())


@bp.route("/findings/new", methods=["GET", "POST"])
@roles_required("supervisor")
def new_finding():
    form = FindingForm()
    form.agency_id.choices = [(a.id, a.name) for a in agencies()]
    if request.method == "GET":
        form.subject.data = request.args.get("subject", "")[:300]
        form.description.data = request.args.get("message", "")
        form.check_code.data = request.args.get("check", "")
        form.entity.data = request.args.get("entity", "")
        form.entity_id.data = request.args.get("entity_id", "")
        form.due_on.data = today() + timedelta(days=30)
        if request.args.get("agency_id", "").isdigit():
            form.agency_id.data = int(request.args["agency_id"])
    elif form.validate_on_submit():
        try:
            finding = service.record_finding(
                current_user, subject=form.subject.data, description=form.description.data,
                agency_id=form.agency_id.data, due_on=form.due_on.data, today=today(),
                check_code=form.check_code.data or "", entity=form.entity.data or "",
                entity_id=form.entity_id.data or "")
            db.session.commit()
            flash("监督意见已提出", "success")
            return redirect(url_for("audit.finding", finding_id=finding.id))
        except RuleViolation as e:
            _refuse(e, "finding.create", "")
            if e.field and e.field in form:
                form[e.field].errors = [*form[e.field].errors, e.message]
    subject = labels.subject(form.entity.data, form.entity_id.data or "") if form.entity.data else None
    return render_template("audit/finding_new.html", form=form, subject=subject), 200 if request.method == "GET" else 400


@bp.get("/findings/<int:finding_id>")
def finding(finding_id: int):
    f = _finding(finding_id)
    return _finding_page(f, CloseForm(formdata=None))


def _finding_page(f: Finding, close_form: CloseForm, status: int = 200):
    subject = labels.subject(f.entity, f.entity_id) if f.entity else None
    return render_template("audit/finding.html", finding=f, today=today(), subject=subject,
                           check_title=labels.CHECK_TITLES.get(f.check_code, "其他检查项"), close_form=close_form,
                           reopen_form=ReopenForm(formdata=None, due_on=today() + timedelta(days=15)),
                           **_history(f)), status


@bp.post("/findings/<int:finding_id>/close")
@roles_required("supervisor")
def close_finding(finding_id: int):
    """销号: needs the supervisor's opinion and the confirmation box; otherwise the page again with the errors."""
    f = _finding(finding_id)
    form = CloseForm()
    try:
        if not form.validate_on_submit():
            raise RuleViolation("销号须填写销号意见并勾选确认", field="note" if form.note.errors else "confirm")
        service.close(f, current_user, form.note.data or "")
        db.session.commit()
        flash("已销号", "success")
    except RuleViolation as e:
        _refuse(e, "finding.close", finding_id)
        if e.field == "note" and not form.note.errors:
            form.note.errors = [e.message]
        return _finding_page(_finding(finding_id), form, 400)
    return redirect(url_for("audit.finding", finding_id=finding_id))


@bp.post("/findings/<int:finding_id>/reopen")
@roles_required("supervisor")
def reopen_finding(finding_id: int):
    f = _finding(finding_id)
    form = ReopenForm()
    try:
        if not form.validate_on_submit():
            raise RuleViolation("请填写理由和新的整改期限")
        service.reopen(f, current_user, form.reason.data, form.due_on.data, today())
        db.session.commit()
        flash("已退回整改", "success")
    except RuleViolation as e:
        _refuse(e, "finding.reopen", finding_id)
    return redirect(url_for("audit.finding", finding_id=finding_id))


@rectification.get("/")
def assigned():
    agency_id = service.user_agency_id(current_user)
    stmt = select(Finding).where(Finding.agency_id == (agency_id or -1)).order_by(Finding.status != "open", Finding.due_on)
    return render_template("audit/rectification.html", findings=list(db.session.scalars(stmt)), today=today())


@rectification.route("/<int:finding_id>", methods=["GET", "POST"])
def respond(finding_id: int):
    f = _finding(finding_id)
    if f.agency_id != service.user_agency_id(current_user):
        abort(403)
    form = ResponseForm()
    if request.method == "POST":
        try:
            if not form.validate_on_submit():
                raise RuleViolation("请填写整改情况", field="response")
            service.respond(f, current_user, form.response.data)
            db.session.commit()
            flash("整改情况已反馈", "success")
            return redirect(url_for("audit_rectification.assigned"))
        except RuleViolation as e:
            _refuse(e, "finding.respond", finding_id)
    return render_template("audit/respond.html", finding=f, form=form, today=today(), **_history(f))


