"""The staff side of disclosure: the workbench and the standing categories (/staff/).

Every staff may read; officers and admins edit standing information
(agencies, officers, powers, procedures, inspection items). Decisions have
their own blueprint (staff_decisions.py).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select

from enforcement.accounts.access import ALL_STAFF, roles_required, staff_blueprint
from enforcement.core import clock
from enforcement.core.enums import DecisionStatus
from enforcement.core.errors import RuleViolation
from enforcement.core.pagination import paginate, param
from enforcement.disclosure import lifecycle, policy, services
from enforcement.disclosure.exporting import full_record
from enforcement.disclosure.formats import SPECS
from enforcement.disclosure.forms import form_input, form_version, record_form
from enforcement.disclosure.models import Decision
from enforcement.extensions import db

bp = staff_blueprint("staff", __name__, roles=ALL_STAFF, url_prefix="/staff")
EDITORS = ("officer", "admin")
# kind -> (columns shown in the list, searchable columns)
CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "agencies": (("name", "credit_code", "legal_status"), ("name", "credit_code")),
    "officers": (("name", "credential_number", "category", "credential_expires_on", "status"),
                 ("name", "credential_number")),
    "powers": (("code", "name", "category"), ("code", "name")),
    "procedures": (("code", "item", "time_limit"), ("code", "item")),
    "inspection-items": (("seq", "item", "sub_item", "method"), ("code", "item", "sub_item")),
}
CATEGORY_CHOICES = [(k, SPECS[k].label) for k in CATEGORIES]


def _model(kind: str):
    if kind not in CATEGORIES:
        abort(404)
    return services.STANDING_MODELS[kind][0]


@bp.route("/")
def index():
    """The workbench: what is waiting, nearest deadline first."""
    today = clock.today()
    scope = policy.readable_cases(current_user)  # only the cases this account may read
    scoped = (lambda stmt: stmt.where(scope)) if scope is not None else (lambda stmt: stmt)
    waiting = {}
    for status in (DecisionStatus.DRAFT, DecisionStatus.IN_REVIEW, DecisionStatus.DECIDED):
        stmt = select(Decision).where(Decision.status == status).order_by(Decision.publish_due_on, Decision.id)
        waiting[status] = db.session.scalars(scoped(stmt).limit(20)).all()
    ended = db.session.scalars(scoped(select(Decision).where(
        Decision.status.in_(list(lifecycle.ENDINGS)), Decision.published_on.is_not(None))).order_by(Decision.ended_on)
        .limit(20)).all()
    counts = dict(db.session.execute(scoped(select(Decision.status, func.count())).group_by(Decision.status)).all())
    return render_template("staff/index.html", waiting=waiting, ended=ended, counts=counts, today=today,
                           deadlines=lifecycle.case_deadlines, training=_my_training(today))


def _my_training(today):
    """An officer's training hours this year for the workbench (their home page), or None for other accounts."""
    if not current_user.has_role("officer") or not current_user.officer_id:
        return None
    from enforcement.training.services import officer_standing

    return officer_standing(current_user.officer_id, today)


@bp.route("/<kind>/")
def category_list(kind: str):
    model = _model(kind)
    columns, searchable = CATEGORIES[kind]
    q = param(request.args, "q")
    stmt = select(model).order_by(model.id)
    if q:
        stmt = stmt.where(or_(*[getattr(model, c).contains(q) for c in searchable]))
    page = paginate(stmt, request.args, per_page=50)
    spec = SPECS[kind]
    headers = [(c, spec.field_for(c).label, _labels(spec.field_for(c))) for c in columns]
    return render_template("staff/category_list.html", kind=kind, label=spec.label, page=page, headers=headers, q=q)


def _labels(field) -> dict[str, str] | None:
    """Chinese labels of an enum column (a list shows 法定机关, not ``statutory``)."""
    enum = getattr(field, "enum", None)
    return enum.labels() if enum is not None else None


@bp.route("/<kind>/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def category_new(kind: str):
    _model(kind)
    return _edit(kind, None)


@bp.route("/<kind>/<int:record_id>", methods=["GET", "POST"])
def category_edit(kind: str, record_id: int):
    obj = db.session.get(_model(kind), record_id) or abort(404)
    if request.method == "POST" and not current_user.has_role(*EDITORS):
        abort(403)
    return _edit(kind, obj)


def _edit(kind: str, obj):
    form = record_form(kind, full_record(kind, obj) if obj is not None else None,
                       obj.version if obj is not None else None)
    if form.validate_on_submit():
        try:
            saved = services.save_standing(kind, obj, form_input(form), form_version(form))
            db.session.commit()
        except RuleViolation as e:
            show_errors(form, e)
        else:
            flash(f"已保存{SPECS[kind].label}", "success")
            return redirect(url_for(".category_edit", kind=kind, record_id=saved.id))
    readonly = not current_user.has_role(*EDITORS)
    return render_template("staff/category_form.html", kind=kind, label=SPECS[kind].label, form=form, obj=obj,
                           readonly=readonly)


def show_errors(form, e: RuleViolation) -> None:
    """Put each refusal next to its field (or above the form); the user's input stays in the form."""
    for name, message in getattr(e, "errors", None) or [(e.field, e.message)]:
        field = form._fields.get(name) if name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def init_app(app) -> None:
    """Template helpers the staff layout needs, whichever domain renders it."""
    from enforcement.core.enums import Role

    app.add_template_filter(lambda code: Role.labels().get(code, code), "role_label")

    @app.context_processor
    def _staff_navigation():
        from flask import current_app

        from enforcement.accounts.access import nav_links

        return {"staff_categories": CATEGORY_CHOICES,
                "staff_nav": lambda: nav_links(current_app, current_user, request.path)}

    _register_links()


def _register_links() -> None:
    """The disclosure back office in the staff navigation: the workbench, decisions, standing information."""
    from enforcement.accounts.access import ALL_STAFF, add_staff_link

    add_staff_link("staff_decisions.review_queue", "法制审核", {"reviewer"}, order=1)
    add_staff_link("staff.index", "工作台", ALL_STAFF, order=10)
    add_staff_link("staff_decisions.index", "执法决定", ALL_STAFF, order=20)
    short = {"inspection-items": "抽查事项"}  # the menu's room: the page itself keeps the full name
    for i, (kind, label) in enumerate(CATEGORY_CHOICES):
        add_staff_link("staff.category_list", short.get(kind, label), ALL_STAFF, order=30 + i, kind=kind)
