"""Staff pages for decisions (/staff/decisions/): drafting, review, deciding, publishing, ending, records.

Views parse the form, call one lifecycle service, commit, and redirect; a
refusal re-renders the page with the message and the user's input.
"""

from __future__ import annotations

import hashlib

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from enforcement.accounts.access import ALL_STAFF, roles_required, staff_blueprint
from enforcement.core import audit_log, clock
from enforcement.core.enums import DecisionStatus
from enforcement.core.errors import RuleViolation
from enforcement.core.numbers import number_key
from enforcement.core.pagination import choice_param, paginate, param
from enforcement.disclosure import (
    assignments,
    lifecycle,
    pickers,
    policy,
    publish_check,
    records,
    services,
    workflow,
)
from enforcement.disclosure.forms import (
    AssignForm,
    DecideForm,
    EndForm,
    RecordForm,
    RecusalForm,
    WithdrawForm,
    decision_record,
    form_input,
    form_version,
    record_form,
)
from enforcement.disclosure.models import Decision, ProcessRecord
from enforcement.disclosure.staff_views import show_errors
from enforcement.extensions import db

bp = staff_blueprint("staff_decisions", __name__, roles=ALL_STAFF, url_prefix="/staff/decisions")


def _decision(decision_id: int, action: str = "decision.read") -> Decision:
    """The case, once ``policy`` allows the signed-in user ``action`` on it (else 403; unknown id 404)."""
    d = db.session.get(Decision, decision_id) or abort(404)
    reason = policy.problem(action, current_user, d)
    if reason:
        audit_log.record_refusal(action, "decision", d.id, reason)
        db.session.commit()
        abort(403, reason)
    return d


def _back(d: Decision, message: str, category: str = "success"):
    """Back to the case page with ``message`` flashed as ``category`` ("error" for a refusal)."""
    flash(message, category)
    return redirect(url_for(".show", decision_id=d.id))


def _stale(form, d: Decision) -> bool:
    """A step posted from a page showing an older version of the case: say so instead of acting on it."""
    version = form_version(form)
    if version is None:
        form.form_errors.append(services.MissingVersion().message)
        return True
    if version != d.version:
        form.form_errors.append(services.Conflict().message)
        return True
    return False


@bp.route("/")
def index():
    status = choice_param(request.args, "status", DecisionStatus.labels())
    q = param(request.args, "q")
    stmt = select(Decision).options(selectinload(Decision.agency)).order_by(Decision.id.desc())
    scope = policy.readable_cases(current_user)
    if scope is not None:
        stmt = stmt.where(scope)
    if status:
        stmt = stmt.where(Decision.status == status)
    if q:
        stmt = stmt.where(or_(Decision.number_key.contains(number_key(q)), Decision.party_name.contains(q),
                              Decision.title.contains(q)))
    page = paginate(stmt, request.args, per_page=50)
    return render_template("staff/decisions.html", page=page, status=status, q=q)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("officer")
def new():
    return _edit(None)


@bp.route("/<int:decision_id>/edit", methods=["GET", "POST"])
@roles_required("officer")
def edit(decision_id: int):
    return _edit(_decision(decision_id, "decision.update"))


def _edit(d: Decision | None):
    form = record_form("decisions", decision_record(d) if d is not None else None, d.version if d else None)
    if d is None and not form.is_submitted():
        _propose(form)
    if form.validate_on_submit():
        ineligible = pickers.ineligible_added(d, form.officers.data or [])
        if ineligible:
            form.officers.errors = [*form.officers.errors, *ineligible]
            audit_log.record_refusal("decision.update" if d else "decision.create", "decision",
                                     d.id if d else (form.number.data or "")[:40], "；".join(ineligible))
            db.session.commit()
        else:
            try:
                d = lifecycle.save_draft(d, form_input(form), form_version(form))
                db.session.commit()
            except RuleViolation as e:
                show_errors(form, e)
            else:
                return _back(d, "草稿已保存")
    return render_template("staff/decision_form.html", form=form, d=d, officer_options=pickers.officer_options(),
                           power_options=pickers.power_options())


def _propose(form) -> None:
    """A new draft starts with the agency the officer decides in the name of, and that agency's next 文号."""
    agency = pickers.default_agency(current_user)
    if agency is None:
        return
    form.agency_credit_code.data = agency.credit_code
    number = pickers.next_number(agency.id)
    if number:
        form.number.data = number
        form.number.description = "已按本机关文号顺序建议下一个文号，可修改"


@bp.route("/<int:decision_id>")
def show(decision_id: int):
    d = _decision(decision_id)
    recusal_form = RecusalForm()
    recusal_form.officer_id.choices = [(o.id, o.name) for o in d.officers]
    handle_problem = policy.problem("decision.update", current_user, d)
    record_form_ = RecordForm()
    record_form_.supersedes_id.choices = [("", "（新记录）")] + [
        (str(r.id), f"{r.title}（{r.sha256[:12]}…）") for r in records.current_records(d)]
    return render_template(
        "staff/decision.html", d=d, today=clock.today(), deadlines=lifecycle.case_deadlines(d),
        warnings=lifecycle.case_warnings(d), reasons=lifecycle.major_reasons(d), review=lifecycle.passing_review(d),
        decide_form=DecideForm(version=d.version), recusal_form=recusal_form, record_form=record_form_,
        current_records={r.id for r in records.current_records(d)}, limits=records.limits_text(),
        checklist=dict(lifecycle.REVIEW_CHECKLIST), loads=_loads, handle_problem=handle_problem,
        stage=workflow.stage(d), tasks=workflow.tasks(d), returned=workflow.returned_review(d),
        can_handle=not handle_problem, assign_form=AssignForm(), case_assignments=assignments.assignments_of(d))


def _loads(text: str) -> dict:
    import json

    return json.loads(text or "{}")


@bp.route("/<int:decision_id>/submit-review", methods=["POST"])
@roles_required("officer")
def submit_review(decision_id: int):
    d = _decision(decision_id, "decision.submit_review")
    try:
        lifecycle.submit_for_review(d)
        db.session.commit()
    except RuleViolation as e:
        return _back(d, e.message, "error")
    return _back(d, "已提交法制审核")


@bp.route("/<int:decision_id>/decide", methods=["POST"])
@roles_required("officer")
def decide(decision_id: int):
    d = _decision(decision_id, "decision.decide")
    form = DecideForm()
    if not form.validate_on_submit():
        return _back(d, "；".join(e for errors in form.errors.values() for e in errors), "error")
    if _stale(form, d):
        return _back(d, form.form_errors[0], "error")
    try:
        lifecycle.decide(d, form.decided_on.data)
        db.session.commit()
    except RuleViolation as e:
        return _back(d, e.message, "error")
    return _back(d, "已作出决定；请在公示期限内公示")


def _choice_key(s: publish_check.Suspect) -> str:
    """One radio group per finding (field and value): two rows showing the same value never share a group."""
    return "mask-" + hashlib.sha256(f"{s.field}\0{s.value}".encode()).hexdigest()[:16]


@bp.route("/<int:decision_id>/publish", methods=["GET", "POST"])
@roles_required("officer")
def publish(decision_id: int):
    """The exact public projection, every suspected private value with its choice, and the publish button.

    What must happen before publishing (legal review, the decision itself) is listed at the top; until
    then the form only saves the masking choices.
    """
    d = _decision(decision_id, "decision.publish")
    errors: list[str] = []
    submitted: dict[tuple[str, str], str] = {}
    blockers = workflow.publish_blockers(d)
    if request.method == "POST":
        suspects = publish_check.suspects(d)
        submitted = {(s.field, s.value): request.form.get(_choice_key(s), "") for s in suspects}
        chosen, conflicts = _value_choices(suspects, submitted)
        if conflicts:
            errors.append("同一内容在不同位置须作相同处理，请统一选择隐去或确认可以公开：" + "、".join(
                f"“{v}”" for v in conflicts))
        else:
            try:
                if chosen:
                    publish_check.record_choices(d, chosen)
                    db.session.commit()
                if not blockers:
                    lifecycle.publish(d)
                    db.session.commit()
            except RuleViolation as e:
                errors.append(e.message)
            else:
                if not blockers:
                    return _back(d, "已公示")
                flash("隐去设置已保存；" + "；".join(blockers) + "后方可公示", "warning")
                return redirect(url_for(".publish", decision_id=d.id))
    return render_template("staff/publish.html", d=d, preview=publish_check.preview(d),
                           suspects=publish_check.suspects(d), key=_choice_key, submitted=submitted, errors=errors,
                           blockers=blockers, MASK=publish_check.MASK, PUBLIC=publish_check.PUBLIC,
                           NEVER_PUBLIC=publish_check.NEVER_CONFIRMABLE)


def _value_choices(suspects, submitted: dict[tuple[str, str], str]) -> tuple[dict[str, str], list[str]]:
    """The choices per value (how ``publish_check`` stores them), and the values given different choices."""
    chosen: dict[str, str] = {}
    conflicts: list[str] = []
    for s in suspects:
        choice = submitted.get((s.field, s.value), "")
        if not choice:
            continue
        if chosen.get(s.value, choice) != choice and s.value not in conflicts:
            conflicts.append(s.value)
        chosen[s.value] = choice
    return chosen, conflicts


@bp.route("/<int:decision_id>/end", methods=["GET", "POST"])
@roles_required("officer")
def end(decision_id: int):
    d = _decision(decision_id, "decision.end")
    form = EndForm(version=d.version)
    if form.validate_on_submit() and not _stale(form, d):
        try:
            lifecycle.end_decision(d, form.how.data, form.ended_on.data, form.reason.data)
            db.session.commit()
        except RuleViolation as e:
            show_errors(form, e)
        else:
            return _back(d, f"已登记{lifecycle.ENDINGS[d.status]}；请在撤回期限内撤回公示")
    return render_template("staff/step_form.html", d=d, form=form, title="变更、撤销或确认违法、无效",
                           intro="登记后须在3个工作日内撤回原公示信息（行政处罚法第四十八条）。")


@bp.route("/<int:decision_id>/withdraw", methods=["GET", "POST"])
@roles_required("officer")
def withdraw(decision_id: int):
    d = _decision(decision_id, "decision.withdraw")
    form = WithdrawForm(version=d.version)
    if form.validate_on_submit() and not _stale(form, d):
        try:
            lifecycle.withdraw(d, form.reason.data)
            db.session.commit()
        except RuleViolation as e:
            show_errors(form, e)
        else:
            return _back(d, "已撤回公示；公众页面仅显示撤回说明")
    return render_template("staff/step_form.html", d=d, form=form, title="撤回公示",
                           intro="撤回后，公众只能看到决定文号、日期和撤回理由，决定正文不再公开。")


@bp.route("/<int:decision_id>/recusals", methods=["POST"])
@roles_required("officer")
def recuse(decision_id: int):
    d = _decision(decision_id, "decision.recuse")
    form = RecusalForm()
    if not form.validate_on_submit():
        return _back(d, "；".join(e for errors in form.errors.values() for e in errors), "error")
    try:
        lifecycle.recuse(d, form.officer_id.data, form.reason.data, current_user.username)
        db.session.commit()
    except RuleViolation as e:
        return _back(d, e.message, "error")
    return _back(d, "已登记回避")


@bp.route("/<int:decision_id>/records", methods=["POST"])
@roles_required("officer")
def upload_record(decision_id: int):
    d = _decision(decision_id, "record.file")
    form = RecordForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None:
        return _back(d, "请选择记录类型和文件", "error")
    try:
        record = records.file_record(d, kind=form.kind.data, title=form.title.data or "", file_name=upload.filename or "",
                                     content_type=upload.mimetype, stream=upload.stream, filed_by=current_user.username,
                                     supersedes_id=form.supersedes_id.data)
        db.session.commit()
    except RuleViolation as e:
        return _back(d, e.message, "error")
    return _back(d, f"已归档：{record.file_name}，SHA-256 {record.sha256}")


@bp.route("/<int:decision_id>/assignments", methods=["POST"])
@roles_required("officer")
def assign(decision_id: int):
    d = _decision(decision_id, "decision.assign")
    form = AssignForm()
    if not form.validate_on_submit():
        return _back(d, "；".join(e for errors in form.errors.values() for e in errors), "error")
    try:
        assignment = assignments.assign(d, form.username.data, form.reason.data)
        db.session.commit()
    except RuleViolation as e:
        return _back(d, e.message, "error")
    return _back(d, f"已指派 {assignment.user.display_name or form.username.data} 参与办理本案")


@bp.route("/<int:decision_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@roles_required("officer")
def unassign(decision_id: int, assignment_id: int):
    d = _decision(decision_id, "decision.assign")
    try:
        assignments.unassign(d, assignment_id)
        db.session.commit()
    except RuleViolation as e:
        return _back(d, e.message, "error")
    return _back(d, "已取消指派")


@bp.route("/records/<string:public_id>")
def download_record(public_id: str):
    """A filed record, by its random public id, to whoever may read its case (``policy.record_download``)."""
    record = db.session.scalar(select(ProcessRecord).where(ProcessRecord.public_id == public_id[:32])) or abort(404)
    reason = policy.problem("record.download", current_user, record)
    if reason:
        audit_log.record_refusal("record.download", "decision", record.decision_id, reason)
        db.session.commit()
        abort(403, reason)
    try:
        path = records.open_verified(record)
    except RuleViolation as e:
        return _back(record.decision, e.message, "error")
    return send_file(path, mimetype=records.content_type_for(record.file_name), as_attachment=True,
                     download_name=records.safe_file_name(record.file_name) or record.sha256)


from enforcement.disclosure import staff_review  # noqa: E402,F401  (the review routes on this blueprint)
