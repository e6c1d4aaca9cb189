"""Findings: supervisors record, close and reopen under /audit/findings; agencies respond under /audit/rectification."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from enforcement.accounts.access import roles_required, staff_blueprint
from enforcement.audit import findings as service
from enforcement.audit.forms import CloseForm, FindingForm, ReopenForm, ResponseForm
from enforcement.audit.models import FINDING_STATUS, Finding
from enforcement.audit.services import agencies
from enforcement.audit.views import bp, today
from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.core.pagination import choice_param, paginate
from enforcement.extensions import db

rectification = staff_blueprint("audit_rectification", __name__, roles={"officer"}, url_prefix="/audit/rectification")


def _finding(finding_id: int) -> Finding:
    return db.session.get(Finding, finding_id) or abort(404)


def _refuse(e: RuleViolation, action: str, finding_id) -> None:
    audit_log.record_refusal(action, "finding", finding_id, e.message)
    flash(e.message, "error")


@bp.get("/findings/")
def findings():
    status = choice_param(request.args, "status", FINDING_STATUS)
    stmt = select(Finding).order_by(Finding.due_on, Finding.id)
    if status:
        stmt = stmt.where(Finding.status == status)
    return render_template("audit/findings.html", page=paginate(stmt, request.args), status=status,
                           statuses=FINDING_STATUS, today=today())


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
    return render_template("audit/finding_new.html", form=form), 200 if request.method == "GET" else 400


@bp.get("/findings/<int:finding_id>")
def finding(finding_id: int):
    f = _finding(finding_id)
    return render_template("audit/finding.html", finding=f, history=service.history(f), today=today(),
                           close_form=CloseForm(), reopen_form=ReopenForm(formdata=None, due_on=today() + timedelta(days=15)))


@bp.post("/findings/<int:finding_id>/close")
@roles_required("supervisor")
def close_finding(finding_id: int):
    f = _finding(finding_id)
    form = CloseForm()
    try:
        service.close(f, current_user, form.note.data or "")
        db.session.commit()
        flash("已销号", "success")
    except RuleViolation as e:
        _refuse(e, "finding.close", finding_id)
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
    return render_template("audit/respond.html", finding=f, form=form, history=service.history(f), today=today())


