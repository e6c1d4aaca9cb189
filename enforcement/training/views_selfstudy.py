"""The supervisor's queue of self-study declarations: review the evidence, approve or reject with a reason.

Routes live on the training blueprint (``views.bp``, under /training/). Who may review is decided by
``selfstudy.may_review`` (a supervisor, never for their own declaration); the officer who declared may
download their own evidence file too.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from enforcement.accounts.access import roles_required
from enforcement.core.errors import RuleViolation
from enforcement.core.storage import record_store
from enforcement.disclosure.records import content_type_for
from enforcement.extensions import db
from enforcement.training import selfstudy
from enforcement.training.forms import ApproveForm, RejectForm
from enforcement.training.models import SelfStudyClaim
from enforcement.training.views import _get, _refused, bp


def _queue(reject_forms: dict[int, RejectForm] | None = None, status: int = 200):
    claims = selfstudy.pending_claims()
    forms = reject_forms or {}
    return render_template("training/self_study_queue.html", claims=claims, approve_form=ApproveForm(),
                           reject_forms={c.id: forms.get(c.id) or RejectForm(prefix=f"r{c.id}") for c in claims},
                           may_review=lambda c: selfstudy.may_review(current_user, c)), status


@bp.get("/self-study/pending")
@roles_required(selfstudy.REVIEWER_ROLE)
def self_study_queue():
    """Pending self-study declarations, oldest first, each with its evidence file and the review buttons."""
    return _queue()


@bp.post("/self-study/<int:claim_id>/approve")
@roles_required(selfstudy.REVIEWER_ROLE)
def self_study_approve(claim_id: int):
    claim = _get(SelfStudyClaim, claim_id)
    if not ApproveForm().validate_on_submit():
        flash("页面已过期，请刷新后重试", "error")
        return redirect(url_for(".self_study_queue"))
    try:
        selfstudy.approve(claim, current_user)
        db.session.commit()
        flash(f"已通过 {claim.officer.name} 的自学学时 {claim.hours.normalize():f} 学时，已计入", "success")
    except RuleViolation as e:
        _refused("training.self_study.approve", "training_self_study_claim", claim.id, e)
    return redirect(url_for(".self_study_queue"))


@bp.post("/self-study/<int:claim_id>/reject")
@roles_required(selfstudy.REVIEWER_ROLE)
def self_study_reject(claim_id: int):
    claim = _get(SelfStudyClaim, claim_id)
    form = RejectForm(prefix=f"r{claim.id}")
    if form.validate_on_submit():
        try:
            selfstudy.reject(claim, current_user, form.reason.data)
            db.session.commit()
            flash(f"已退回 {claim.officer.name} 的自学登记", "success")
            return redirect(url_for(".self_study_queue"))
        except RuleViolation as e:
            _refused("training.self_study.reject", "training_self_study_claim", claim.id, e)
            form.reason.errors = [*form.reason.errors, e.message]
    return _queue({claim.id: form}, 400)


@bp.get("/self-study/<int:claim_id>/evidence")
def self_study_evidence(claim_id: int):
    """The evidence file, as a download: for supervisors and the officer who declared it."""
    claim = _get(SelfStudyClaim, claim_id)
    if not (current_user.has_role(selfstudy.REVIEWER_ROLE) or current_user.officer_id == claim.officer_id):
        abort(404)
    path = record_store().local_path(claim.evidence_sha256)
    if path is None:
        abort(404)
    return send_file(path, mimetype=content_type_for(claim.evidence_file_name), as_attachment=True,
                     download_name=claim.evidence_file_name, max_age=0)
