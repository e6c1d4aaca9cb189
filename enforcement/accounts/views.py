"""Login and logout (public blueprint "accounts")."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from enforcement.accounts import services
from enforcement.accounts.access import home_endpoint
from enforcement.accounts.forms import LoginForm
from enforcement.core import audit_log
from enforcement.core.urls import safe_next
from enforcement.extensions import db

bp = Blueprint("accounts", __name__)




@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data, request.remote_addr or "")
        except services.LoginThrottled as e:
            form.form_errors.append(e.message)
            status = 429
        except services.RuleViolation as e:
            form.form_errors.append(e.message)
        else:
            session.clear()  # no session fixation: a fresh session for the new identity
            login_user(user)
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for(home_endpoint(current_app, user)))
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)  # this cookie, and any copy of it, names no one any more
        audit_log.record("user.logout", "user", current_user.id)
        db.session.commit()
    logout_user()
    session.clear()
    return redirect("/")
