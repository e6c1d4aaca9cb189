"""Public notices under /inspections/ and the staff pages that make them, under /inspections/manage/."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from enforcement.accounts.access import staff_blueprint
from enforcement.core import audit_log, clock
from enforcement.core.errors import RuleViolation
from enforcement.core.masking import mask_text
from enforcement.core.records import ImportRejected
from enforcement.disclosure.models import InspectionItem
from enforcement.extensions import db
from enforcement.inspections import drawing, pools, services
from enforcement.inspections.forms import ConflictForm, PlanForm, ResultForm, TargetUploadForm
from enforcement.inspections.models import InspectionPlan, InspectionTarget, InspectionTask

public = Blueprint("inspections", __name__, url_prefix="/inspections")
staff = staff_blueprint("inspections_staff", __name__, roles={"officer", "supervisor", "admin"},
                        url_prefix="/inspections/manage")


def _published_plan(plan_id: int) -> InspectionPlan:
    plan = db.session.get(InspectionPlan, plan_id)
    if plan is None or plan.published_on is None:
        abort(404)
    return plan


def _plan_context(plan: InspectionPlan) -> dict:
    tasks = plan.draw.tasks if plan.draw else []
    numbers = sorted({n for t in tasks for n in t.inspector_list + t.recused_list})
    return {"plan": plan, "tasks": tasks, "names": services.officer_names(numbers),
            "deadlines": {t.id: services.result_deadline(t) for t in tasks}}


@public.get("/")
def index():
    plans = db.session.scalars(select(InspectionPlan).where(InspectionPlan.published_on.is_not(None))
                               .order_by(InspectionPlan.published_on.desc(), InspectionPlan.id.desc()))
    return render_template("inspections/index.html", plans=list(plans))


@public.get("/plans/<int:plan_id>")
def plan_notice(plan_id: int):
    return render_template("inspections/plan.html", **_plan_context(_published_plan(plan_id)))


@public.get("/plans/<int:plan_id>/draw.json")
def plan_document(plan_id: int):
    document = services.published_document(_published_plan(plan_id))
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=draw-{plan_id}.json"})


@public.get("/plans/<int:plan_id>/check")
def plan_check(plan_id: int):
    """核对抽取结果: the platform re-runs the published draw from its public data and says whether it matches."""
    plan = _published_plan(plan_id)
    check = services.check_draw(plan)
    numbers = sorted({n for t in (check.rerun if check else []) for n in t.inspectors + t.recused})
    targets = dict(db.session.execute(select(InspectionTarget.code, InspectionTarget.name)).all()) if check else {}
    return render_template("inspections/check.html", plan=plan, check=check, names=services.officer_names(numbers),
                           target_names=targets)


@public.get("/algorithm")
def algorithm():
    """技术说明: the algorithm and the commitment scheme, for those who want to re-run a draw themselves."""
    return render_template("inspections/algorithm.html", algorithm=drawing.ALGORITHM)


@staff.get("/")
def manage(import_errors: list | None = None, status: int = 200):
    """The draw workbench; a refused target import is shown here directly (its error list can be long:
    it is rendered from the request, never carried in the cookie session)."""
    plans = list(db.session.scalars(select(InspectionPlan).order_by(InspectionPlan.id.desc())))
    target_count = db.session.scalar(select(func.count(InspectionTarget.id)).where(InspectionTarget.active.is_(True)))
    return render_template("inspections/manage.html", plans=plans, target_count=target_count,
                           form=_plan_form(), upload=TargetUploadForm(), conflict=_conflict_form(),
                           conflicts=_conflict_rows(), import_errors=import_errors or []), status


def _conflict_rows() -> list[dict]:
    """Declared conflicts for the staff list; the free-text reason masked like any staff list text
    (a phone or ID number typed into it never reaches a list page)."""
    return [{"officer": c.officer, "target": c.target, "reason": mask_text(c.reason), "declared_on": c.declared_on}
            for c in pools.declared_conflicts()]


def _conflict_form() -> ConflictForm:
    form = ConflictForm()
    people, targets = pools.conflict_choices(clock.today())
    form.officer_id.choices = [(0, "请选择执法人员")] + people
    form.target_id.choices = [(0, "请选择检查对象")] + targets
    return form


def _plan_form() -> PlanForm:
    form = PlanForm()
    form.item_id.choices = [(i.id, f"{i.seq}. {i.item}（{i.sub_item}）") for i in
                            db.session.scalars(select(InspectionItem).order_by(InspectionItem.seq))]
    return form


def _refused(e: RuleViolation, action: str, entity: str, entity_id) -> None:
    audit_log.record_refusal(action, entity, entity_id, e.message)
    flash(e.message, "error")


@staff.post("/plans")
def create_plan():
    form = _plan_form()
    if form.validate_on_submit():
        try:
            plan = services.create_plan(
                number=form.number.data, title=form.title.data, item_id=form.item_id.data,
                ratio_percent=form.ratio_percent.data, period_start=form.period_start.data,
                period_end=form.period_end.data, draw_on=form.draw_on.data,
                inspectors_per_target=form.inspectors_per_target.data, target_category=form.target_category.data)
            db.session.commit()
            flash(f"已创建抽查计划 {plan.number}", "success")
            return redirect(url_for(".plan", plan_id=plan.id))
        except RuleViolation as e:
            _refused(e, "inspections.plan_create", "inspection_plan", "")
            if e.field and e.field in form:
                form[e.field].errors = [*form[e.field].errors, e.message]
    target_count = db.session.scalar(select(func.count(InspectionTarget.id)))
    plans = list(db.session.scalars(select(InspectionPlan).order_by(InspectionPlan.id.desc())))
    return render_template("inspections/manage.html", plans=plans, target_count=target_count, form=form,
                           upload=TargetUploadForm(), conflict=_conflict_form(), conflicts=_conflict_rows()), 400


@staff.get("/plans/<int:plan_id>")
def plan(plan_id: int):
    plan = db.session.get(InspectionPlan, plan_id) or abort(404)
    return render_template("inspections/manage_plan.html", result_form=ResultForm(), **_plan_context(plan))


def _plan_action(plan_id: int, action: str, run):
    plan = db.session.get(InspectionPlan, plan_id) or abort(404)
    try:
        run(plan)
        db.session.commit()
        flash("操作成功", "success")
    except RuleViolation as e:
        _refused(e, action, "inspection_plan", plan_id)
    return redirect(url_for(".plan", plan_id=plan_id))


@staff.post("/plans/<int:plan_id>/publish")
def publish(plan_id: int):
    return _plan_action(plan_id, "inspections.plan_publish", lambda p: services.publish_plan(p, clock.today()))


@staff.post("/plans/<int:plan_id>/draw")
def draw(plan_id: int):
    return _plan_action(plan_id, "inspections.draw", lambda p: services.perform_draw(p, clock.today()))


@staff.post("/tasks/<int:task_id>/result")
def task_result(task_id: int):
    task = db.session.get(InspectionTask, task_id) or abort(404)
    form = ResultForm()
    if not form.validate_on_submit():
        flash("请填写检查日期和检查结果", "error")
    else:
        try:
            services.record_result(task, form.inspected_on.data, form.outcome.data, form.problems_found.data)
            if request.form.get("publish"):
                services.publish_result(task, clock.today())
            db.session.commit()
            flash("检查结果已保存" + ("并公示" if request.form.get("publish") else ""), "success")
        except RuleViolation as e:
            _refused(e, "inspections.result", "inspection_task", task_id)
    return redirect(url_for(".plan", plan_id=task.draw.plan_id))


@staff.post("/tasks/<int:task_id>/publish")
def task_publish(task_id: int):
    task = db.session.get(InspectionTask, task_id) or abort(404)
    try:
        services.publish_result(task, clock.today())
        db.session.commit()
        flash("检查结果已公示", "success")
    except RuleViolation as e:
        _refused(e, "inspections.result_publish", "inspection_task", task_id)
    return redirect(url_for(".plan", plan_id=task.draw.plan_id))


@staff.post("/targets")
def upload_targets():
    form = TargetUploadForm()
    if not form.validate_on_submit():
        flash("请选择 XLSX 或 CSV 文件", "error")
        return redirect(url_for(".manage"))
    upload = form.file.data
    suffix = Path(upload.filename or "").suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"targets{suffix}"
        upload.save(path)
        try:
            counts = pools.import_targets_file(path)
            db.session.commit()
            flash(f"检查对象：新增 {counts['created']}，更新 {counts['updated']}，未变 {counts['unchanged']}", "success")
            for note in counts["notes"]:
                flash(f"说明：{note}", "info")
        except ImportRejected as e:
            db.session.rollback()
            return manage(import_errors=[f"导入失败：{e}", *map(str, e.errors)], status=400)
    return redirect(url_for(".manage"))


@staff.post("/conflicts")
def declare_conflict():
    """回避: an officer and a target picked from the pools, with the reason; refused (and nothing
    recorded) when either is missing or the pair is already declared."""
    form = _conflict_form()
    if not form.validate_on_submit():
        # Fixed Chinese messages: a forged or stale choice gets the library's English text otherwise.
        errors = [text for f, text in ((form.officer_id, "请从名录中选择执法人员"), (form.target_id, "请从名录中选择检查对象"),
                                       (form.reason, "请说明利害关系（不超过500字）")) if f.errors]
        message = "；".join(errors) or "请选择执法人员和检查对象并说明利害关系"
        audit_log.record_refusal("inspections.declare_conflict", "inspector_conflict", "", message)
        flash(message, "error")
        return redirect(url_for(".manage"))
    try:
        conflict = pools.declare_conflict(form.officer_id.data, form.target_id.data, form.reason.data, clock.today())
        db.session.commit()
        flash(f"已申报回避：{conflict.officer.name}不参加对{conflict.target.name}的检查，抽取时自动回避", "success")
    except RuleViolation as e:
        _refused(e, "inspections.declare_conflict", "inspector_conflict", "")
    return redirect(url_for(".manage"))
