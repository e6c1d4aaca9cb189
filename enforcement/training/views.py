"""Staff training pages under /training/: my training, courses, sessions and sign-in, assessments.

Who may do what: every staff member sees the catalogue; a user linked to an
officer (User.officer_id) sees their own hours, records their own self-study and
takes assessments; the training organisers (supervisor, admin) create courses
and sessions and record centralised sign-in. Compliance, import and export are
in views_compliance.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from enforcement.accounts.access import roles_required, staff_blueprint
from enforcement.core import audit_log, clock
from enforcement.core.errors import RuleViolation
from enforcement.core.models import utcnow
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.training import assessments, courses, selfstudy
from enforcement.training.certificates import display_code
from enforcement.training.forms import CourseForm, SelfStudyForm, SessionForm, SignInForm
from enforcement.training.models import (
    ATTEMPT_STATUS,
    Assessment,
    Attempt,
    Attendance,
    Certificate,
    Course,
    TrainingSession,
)
from enforcement.training.services import officer_standing, subject_minimums

bp = staff_blueprint("training", __name__, url_prefix="/training")
ORGANISERS = ("supervisor", "admin")


@bp.app_template_filter("hours")
def hours_filter(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""


@bp.app_template_global()
def certificate_code(code: str) -> str:
    return display_code(code)


def _is_organiser() -> bool:
    return current_user.has_role(*ORGANISERS)


def _my_officer() -> Officer | None:
    return db.session.get(Officer, current_user.officer_id) if current_user.officer_id else None


def _get(model, ident: int):
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def _refused(action: str, entity: str, entity_id, e: RuleViolation) -> None:
    audit_log.record_refusal(action, entity, entity_id, e.message)
    flash(e.message, "error")


@bp.get("/")
def index():
    """My training: what I owe this year, my sessions, assessments and certificates."""
    officer = _my_officer()
    if officer is None:
        if _is_organiser():
            return redirect(url_for("training_compliance.table"))
        return render_template("training/no_officer.html")
    today = clock.today()
    attendance = list(db.session.scalars(
        select(Attendance).where(Attendance.officer_id == officer.id,
                                 Attendance.attended_on >= date(today.year, 1, 1))
        .order_by(Attendance.attended_on.desc())))
    upcoming = list(db.session.scalars(select(TrainingSession).where(
        TrainingSession.held_on > today, TrainingSession.format == "centralised").order_by(TrainingSession.held_on)))
    return render_template(
        "training/my.html", officer=officer, standing=officer_standing(officer.id, today), today=today,
        attendance=attendance, upcoming=upcoming, self_study=courses.open_self_study(today),
        claims=selfstudy.claims_of(officer.id, today.year),
        assessments=list(db.session.scalars(select(Assessment).order_by(Assessment.id))),
        best=assessments.best_attempts(officer.id), status_labels=ATTEMPT_STATUS,
        certificates=list(db.session.scalars(select(Certificate).where(Certificate.officer_id == officer.id)
                                             .order_by(Certificate.issued_on.desc()))),
        minimums=subject_minimums())


@bp.get("/courses")
def course_list():
    return render_template("training/courses.html",
                           courses=list(db.session.scalars(select(Course).order_by(Course.code.desc()))),
                           organiser=_is_organiser())


@bp.route("/courses/new", methods=["GET", "POST"])
@roles_required(*ORGANISERS)
def course_new():
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = courses.create_course(
                form.code.data, form.title.data, form.subject.data, form.hours.data,
                description=form.description.data or "", materials=form.materials.data or "",
                citations=(form.citations.data or "").splitlines())
            db.session.commit()
            flash(f"已创建课程 {course.title}", "success")
            return redirect(url_for(".course_detail", course_id=course.id))
        except RuleViolation as e:
            _refused("training.course.create", "training_course", "", e)
    return render_template("training/course_form.html", form=form)


@bp.route("/courses/<int:course_id>", methods=["GET", "POST"])
def course_detail(course_id: int):
    course = _get(Course, course_id)
    form = SessionForm()
    if request.method == "POST":
        if not _is_organiser():
            abort(403)
        if form.validate_on_submit():
            try:
                session = courses.create_session(
                    course, mode=form.mode.data, format=form.format.data, held_on=form.held_on.data,
                    until=form.until.data, hours=form.hours.data, place=form.place.data or "",
                    instructor=form.instructor.data or "", capacity=form.capacity.data)
                db.session.commit()
                flash("已新增培训场次", "success")
                return redirect(url_for(".session_detail", session_id=session.id))
            except RuleViolation as e:
                _refused("training.session.create", "training_course", course.id, e)
    return render_template("training/course.html", course=course, form=form, organiser=_is_organiser())


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
def session_detail(session_id: int):
    """The session, its sign-in sheet, and (for organisers) the sign-in form; officers record self-study here."""
    session = _get(TrainingSession, session_id)
    organiser = _is_organiser()
    signed = {a.officer_id for a in session.attendances}
    form = SignInForm()
    form.officer_id.choices = [(o.id, f"{o.name}（{o.credential_number}）") for o in
                               db.session.scalars(select(Officer).order_by(Officer.id)) if o.id not in signed]
    if request.method == "GET":
        form.hours.data = session.hours
    if request.method == "POST":
        if not organiser:
            abort(403)
        if form.validate_on_submit():
            officer = _get(Officer, form.officer_id.data)
            try:
                courses.record_sign_in(session, officer, form.hours.data, today=clock.today(),
                                       recorded_by=current_user.username)
                db.session.commit()
                flash(f"已登记 {officer.name} {hours_filter(form.hours.data)} 学时", "success")
                return redirect(url_for(".session_detail", session_id=session.id))
            except RuleViolation as e:
                _refused("training.attendance.record", "training_session", session.id, e)
    me = _my_officer()
    self_form = None
    if session.is_self_study and me and _open(session):
        self_form = SelfStudyForm(prefix="self")
        self_form.attended_on.data = min(clock.today(), session.until or session.held_on)
        self_form.hours.data = min(session.hours, max(session.hours - selfstudy.claimed_hours(session, me.id), 0)) \
            or session.hours
    return _session_page(session, form, self_form, me)


def _open(session: TrainingSession) -> bool:
    return session.held_on <= clock.today() <= (session.until or session.held_on) + timedelta(days=31)


def _session_page(session: TrainingSession, form, self_form, me: Officer | None, status: int = 200):
    claims = [c for c in selfstudy.claims_of(me.id, session.held_on.year) if c.session_id == session.id] if me else []
    return render_template("training/session.html", session=session, form=form, organiser=_is_organiser(),
                           self_form=self_form, me=me, claims=claims, evidence_rule=selfstudy.evidence_rule_text(),
                           officers_signed=len({a.officer_id for a in session.attendances})), status


@bp.post("/sessions/<int:session_id>/self-study")
def self_study(session_id: int):
    """Declare self-study with an evidence file: pending until a supervisor approves (``selfstudy``)."""
    session = _get(TrainingSession, session_id)
    officer = _my_officer()
    if officer is None:
        abort(403)
    form = SelfStudyForm(prefix="self")
    if form.validate_on_submit():
        upload = form.evidence_file.data
        try:
            selfstudy.submit_claim(session, officer, form.hours.data, form.attended_on.data, form.note.data or "",
                                   file_name=getattr(upload, "filename", "") or "",
                                   stream=getattr(upload, "stream", None), today=clock.today(),
                                   submitted_by=current_user.username)
            db.session.commit()
            flash("已提交自学学时，监督人员审核通过后计入学时；可继续登记其他日期的自学", "success")
            return redirect(url_for(".session_detail", session_id=session.id))
        except RuleViolation as e:
            _refused("training.self_study.submit", "training_session", session.id, e)
            target = getattr(form, e.field or "", None)
            if target is not None and hasattr(target, "errors"):
                target.errors = [*target.errors, e.message]
    return _session_page(session, None, form, officer, 400)


@bp.get("/assessments/<int:assessment_id>")
def assessment_detail(assessment_id: int):
    assessment = _get(Assessment, assessment_id)
    officer = _my_officer()
    attempts = assessments.attempts_of(assessment, officer.id) if officer else []
    return render_template("training/assessment.html", assessment=assessment, attempts=attempts, officer=officer,
                           status_labels=ATTEMPT_STATUS)


@bp.post("/assessments/<int:assessment_id>/start")
def assessment_start(assessment_id: int):
    assessment = _get(Assessment, assessment_id)
    officer = _my_officer()
    if officer is None:
        abort(403)
    try:
        attempt = assessments.start_attempt(assessment, officer.id)
        db.session.commit()
    except RuleViolation as e:
        _refused("training.attempt.start", "training_assessment", assessment.id, e)
        return redirect(url_for(".assessment_detail", assessment_id=assessment.id))
    return redirect(url_for(".attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
def attempt(attempt_id: int):
    attempt = _get(Attempt, attempt_id)
    if attempt.officer_id != current_user.officer_id and not _is_organiser():
        abort(404)
    if request.method == "POST":
        if attempt.officer_id != current_user.officer_id:
            abort(403)
        answers = {a.position: request.form.getlist(f"q{a.position}") for a in attempt.answers}
        unanswered = assessments.unanswered(attempt, answers)
        if unanswered and request.form.get("confirm") != "1" and utcnow() <= attempt.deadline_at:
            return _attempt_page(attempt, unanswered=unanswered, given=answers), 200
        try:
            assessments.submit_attempt(attempt, answers)
            db.session.commit()
        except RuleViolation as e:
            _refused("training.attempt.submit", "training_attempt", attempt.id, e)
        if attempt.status == "expired":
            flash("已超过答题时限，本次考试不计分（计入考试次数）", "error")
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    return _attempt_page(attempt)


def _attempt_page(attempt: Attempt, *, unanswered: list[int] = (), given: dict[int, list[str]] | None = None) -> str:
    """The paper (or the result); after a 交卷 with questions left blank, the same paper with the answers
    kept and a confirmation listing the blank ones (the server's check, so it works without script)."""
    return render_template("training/attempt.html", attempt=attempt, status_labels=ATTEMPT_STATUS,
                           seconds_left=max(0, int((attempt.deadline_at - utcnow()).total_seconds())),
                           unanswered=list(unanswered), given=given or {})
