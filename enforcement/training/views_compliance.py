"""Supervisors' training pages: the compliance table with drill-down, sign-in sheet import and export;
and the public certificate check at /certificates/verify (name, course, date, hours only)."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

from flask import Blueprint, Response, abort, flash, render_template, request, send_file
from flask_login import current_user
from sqlalchemy import select

from enforcement.accounts.access import staff_blueprint
from enforcement.core import audit_log, clock
from enforcement.core.exporting import attachment, csv_chunks, write_xlsx
from enforcement.core.pagination import choice_param, int_param, param
from enforcement.core.records import ImportRejected
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.training import assessments, importing
from enforcement.training.certificates import verify
from enforcement.training.forms import ImportForm
from enforcement.training.models import ATTEMPT_STATUS, Attendance, Certificate
from enforcement.training.services import (
    CREDENTIAL_STATES,
    credential_state,
    officer_standing,
    subject_minimums,
    team_compliance,
    training_lapses,
)

bp = staff_blueprint("training_compliance", __name__, roles={"supervisor", "admin"}, url_prefix="/training")
public_bp = Blueprint("certificates", __name__)
FILTERS = {"behind": "学时落后", "shortfall": "分科目未达标", "credential": "执法证异常", "lapse": "证件无效或培训落后时参与执法决定"}


def _as_of() -> date:
    """Today, or the last day of an earlier year the supervisor asks about."""
    today = clock.today()
    year = int_param(request.args, "year", today.year, lo=2000, hi=today.year)
    return today if year == today.year else date(year, 12, 31)


@bp.get("/compliance")
def table():
    on = _as_of()
    team = team_compliance(on)
    show = choice_param(request.args, "show", FILTERS)
    rows = team.rows
    if show == "behind":
        rows = team.behind
    elif show == "shortfall":
        rows = [r for r in rows if r.standing.subject_shortfalls]
    elif show == "credential":
        rows = team.credential_alerts
    elif show == "lapse":
        rows = [r for r in rows if r.lapses]
    return render_template("training/compliance.html", team=team, rows=rows, on=on, show=show, filters=FILTERS)


@bp.get("/compliance/<int:officer_id>")
def officer_detail(officer_id: int):
    officer = db.session.get(Officer, officer_id)
    if officer is None:
        abort(404)
    on = _as_of()
    attendance = list(db.session.scalars(
        select(Attendance).where(Attendance.officer_id == officer.id, Attendance.attended_on >= date(on.year, 1, 1),
                                 Attendance.attended_on <= on).order_by(Attendance.attended_on.desc())))
    return render_template(
        "training/compliance_officer.html", officer=officer, on=on, standing=officer_standing(officer.id, on),
        credential=CREDENTIAL_STATES[credential_state(officer, on)], attendance=attendance,
        attempts=sorted(assessments.best_attempts(officer.id).values(), key=lambda a: a.assessment_id),
        minimums=subject_minimums(), status_labels=ATTEMPT_STATUS, lapses=training_lapses(on, officer_id=officer.id),
        certificates=list(db.session.scalars(select(Certificate).where(Certificate.officer_id == officer.id))))


@bp.route("/import", methods=["GET", "POST"])
def import_sheet():
    form = ImportForm()
    errors, result = [], None
    if form.validate_on_submit():
        upload = form.file.data
        suffix = Path(upload.filename or "").suffix.lower()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"sheet{suffix}"
            upload.save(path)
            try:
                result = importing.import_rows(importing.read_rows(path), today=clock.today(),
                                               recorded_by=current_user.username, source_name=upload.filename or "")
                db.session.commit()
                flash(str(result), "success")
            except ImportRejected as e:
                db.session.rollback()
                errors = e.errors
                audit_log.record_refusal("training.attendance.import", "training_attendance", "",
                                         f"{len(e.errors)} 处错误：{upload.filename}")
    return render_template("training/import.html", form=form, errors=errors, result=result,
                           columns=importing.COLUMNS)


@bp.get("/export")
def export():
    """One row per attendance (officer, credential number, course, subject, mode, date, hours), re-importable."""
    fmt = choice_param(request.args, "format", ["csv", "xlsx"]) or "csv"
    year = int_param(request.args, "year", None, lo=2000, hi=9999)
    rows = importing.export_rows(year)
    name = f"培训签到记录_{year}年" if year else "培训签到记录_全部"
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(rows, importing.COLUMNS, buffer, importing.SPEC.label)
        buffer.seek(0)
        return send_file(buffer, download_name=f"{name}.xlsx", as_attachment=True,
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response("".join(csv_chunks(list(rows), importing.COLUMNS)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": attachment(f"{name}.csv")})


@public_bp.get("/certificates/verify")
def verify_certificate():
    code = param(request.args, "code")
    found = verify(code) if code else None
    return render_template("training/verify.html", code=code, found=found)
