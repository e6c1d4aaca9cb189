"""The admin's pages for accounts and roles (/staff/users/, admins only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from enforcement.accounts import services
from enforcement.accounts.access import staff_blueprint
from enforcement.accounts.forms import UserForm
from enforcement.accounts.models import User
from enforcement.core import audit_log
from enforcement.core.errors import RuleViolation
from enforcement.disclosure.models import Officer
from enforcement.extensions import db

bp = staff_blueprint("staff_users", __name__, roles={"admin"}, url_prefix="/staff/users")


def _officer_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Officer.id, Officer.name, Officer.credential_number).order_by(Officer.name))
    return [("", "（无）")] + [(str(i), f"{n}（{c}）") for i, n, c in rows]


def _form(user: User | None) -> UserForm:
    form = UserForm(obj=user) if user is not None else UserForm()
    if user is not None and not form.is_submitted():
        form.roles.data = sorted(user.roles)
        form.officer_id.data = user.officer_id
    form.officer_id.choices = _officer_choices()
    return form


def _officer_agency(officer_id: int | None) -> int | None:
    officer = db.session.get(Officer, officer_id) if officer_id else None
    return officer.agency_id if officer else None


@bp.route("/")
def index():
    users = db.session.scalars(select(User).order_by(User.username)).all()
    return render_template("accounts/users.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _form(None)
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.username.data, form.password.data or "", form.roles.data,
                display_name=form.display_name.data or "", officer_id=form.officer_id.data,
                agency_id=_officer_agency(form.officer_id.data),
                has_legal_qualification=form.has_legal_qualification.data)
            if not form.enabled.data:
                services.disable_user(user)
            db.session.commit()
        except RuleViolation as e:
            audit_log.record_refusal("user.create", "user", form.username.data, e.message)
            _show_error(form, e)
        else:
            flash(f"已创建用户 {user.display_name or user.username}", "success")
            return redirect(url_for(".index"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = _form(user)
    if form.validate_on_submit():
        try:
            services.ensure_an_admin_remains(user, form.roles.data, form.enabled.data)
            if sorted(form.roles.data) != sorted(user.roles):
                services.set_roles(user, form.roles.data)
            services.update_profile(user, display_name=form.display_name.data or "", officer_id=form.officer_id.data,
                                    agency_id=_officer_agency(form.officer_id.data) or user.agency_id,
                                    has_legal_qualification=form.has_legal_qualification.data)
            if form.enabled.data != user.enabled:
                (services.enable_user if form.enabled.data else services.disable_user)(user)
            if form.password.data:
                services.set_password(user, form.password.data)
            db.session.commit()
        except RuleViolation as e:
            audit_log.record_refusal("user.update", "user", user_id, e.message)
            _show_error(form, e)
        else:
            flash(f"已保存用户 {user.display_name or user.username}", "success")
            return redirect(url_for(".index"))
    return render_template("accounts/user_form.html", form=form, user=user)


def _show_error(form: UserForm, e: RuleViolation) -> None:
    field = getattr(form, e.field, None) if e.field else None
    if field is not None:
        field.errors = [*field.errors, e.message]
    else:
        form.form_errors.append(e.message)
