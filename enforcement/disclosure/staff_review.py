"""The legal reviewer's pages on the decisions blueprint: the queue (/staff/decisions/review-queue) and
the review of one case, with the power, its 裁量基准 and the evidence the checklist asks about."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from enforcement.accounts.access import roles_required
from enforcement.core import clock
from enforcement.core.errors import RuleViolation
from enforcement.disclosure import lifecycle, records, workflow
from enforcement.disclosure.forms import ReviewForm
from enforcement.disclosure.staff_decisions import _back, _decision, bp
from enforcement.disclosure.staff_views import show_errors
from enforcement.extensions import db


@bp.route("/review-queue")
@roles_required("reviewer")
def review_queue():
    """Cases awaiting 法制审核, the longest waiting first, with the days waited."""
    return render_template("staff/review_queue.html", rows=workflow.review_queue(current_user), today=clock.today())


def evidence_warning(d) -> str:
    """The warning a reviewer sees when a major decision has no evidence on file ("" otherwise).

    DOMAIN.md (legal review): the review covers "facts and evidence sufficient"; a major decision
    (较大数额罚款, 吊销, 责令停产停业 …) with no whole-process record filed cannot show that.
    """
    reasons = lifecycle.major_reasons(d)
    if not reasons or records.current_records(d):
        return ""
    return (f"本案为重大执法决定（{'；'.join(reasons)}），但未归档任何证据材料（执法全过程记录）。"
            "“案件事实清楚，证据确实充分”一项无从核实，请退回补充证据或在意见中说明。")


@bp.route("/<int:decision_id>/review", methods=["GET", "POST"])
@roles_required("reviewer")
def review(decision_id: int):
    d = _decision(decision_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            lifecycle.record_review(d, current_user, passed=form.passed.data == "1", opinion=form.opinion.data,
                                   checklist={k: True for k in form.checklist.data or []},
                                   reviewed_on=form.reviewed_on.data)
            db.session.commit()
        except RuleViolation as e:
            show_errors(form, e)
        else:
            return _back(d, "审核通过，承办人员可以作出决定" if form.passed.data == "1" else "已退回承办人员修改")
    return render_template("staff/review.html", d=d, form=form, reasons=lifecycle.major_reasons(d),
                           problem=lifecycle.reviewer_problem(d, current_user), stage=workflow.stage(d),
                           evidence=records.current_records(d), evidence_warning=evidence_warning(d))
