"""Courses, sessions and attendance: the rules for crediting training hours.

Who may record what (enforced by the views, documented here because it is a rule):
centralised sign-in is recorded by the training organiser (supervisor or admin),
never by the officer who attended; an officer records only their own self-study,
with evidence; imported sign-in sheets come from the organiser too.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from enforcement.core import audit_log
from enforcement.core.enums import AttendanceSource, SessionFormat, SessionMode, TrainingSubject
from enforcement.core.errors import RuleViolation
from enforcement.core.urls import safe_link
from enforcement.disclosure.laws import resolve_citation
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.training.models import Attendance, Course, TrainingSession

MAX_SESSION_HOURS = Decimal("40")
MIN_EVIDENCE_LENGTH = 4


def parse_hours(value: object, *, field: str = "hours") -> Decimal:
    """Hours in steps of 0.5 (half-hour sign-in granularity), positive; "4学时" and "4小时" read as 4."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for unit in ("学时", "小时", "课时", "h", "H"):
        text = text.removesuffix(unit).strip()
    if len(text) > 20:
        raise RuleViolation("学时应为数字，如 2 或 1.5", field=field)
    try:
        hours = Decimal(text)
    except (InvalidOperation, ValueError):
        raise RuleViolation("学时应为数字，如 2 或 1.5", field=field) from None
    if not hours.is_finite() or hours <= 0:
        raise RuleViolation("学时应大于0", field=field)
    if hours * 2 != (hours * 2).to_integral_value():
        raise RuleViolation("学时以0.5为最小单位", field=field)
    return hours.quantize(Decimal("0.1"))


def check_materials(materials: str) -> str:
    """Materials, one per line as "title | link": every link must be http(s) or a path on this site
    (``core.urls.safe_link``), since every staff user follows them. Raises RuleViolation(field="materials")."""
    for number, line in enumerate((materials or "").strip().splitlines(), 1):
        _title, _, link = line.partition("|")
        if link.strip() and not safe_link(link.strip()):
            raise RuleViolation(f"第{number}行的链接只能是 http(s) 网址或本站路径（如 /laws）", field="materials")
    return (materials or "").strip()


def create_course(code: str, title: str, subject: str, hours: object, *, description: str = "",
                  materials: str = "", citations: list[str] | None = None) -> Course:
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise RuleViolation("课程编号和名称均为必填", field="code" if not code else "title")
    if subject not in TrainingSubject.labels():
        raise RuleViolation("科目无效", field="subject")
    if db.session.scalar(select(Course.id).where(Course.code == code)):
        raise RuleViolation(f"课程编号 {code} 已存在", field="code")
    course = Course(code=code, title=title, subject=subject, hours=parse_hours(hours),
                    description=description.strip(), materials=check_materials(materials))
    course.articles = _articles(citations or [])
    db.session.add(course)
    db.session.flush()
    audit_log.record("training.course.create", "training_course", course.id,
                     after={"code": code, "title": title, "subject": subject, "hours": str(course.hours)})
    return course


def _articles(citations: list[str]) -> list:
    articles = []
    for citation in citations:
        if not citation.strip():
            continue
        try:
            article = resolve_citation(citation)
        except ValueError as e:
            raise RuleViolation(str(e), field="citations") from None
        if article not in articles:
            articles.append(article)
    return articles


def create_session(course: Course, *, mode: str, format: str, held_on: date, hours: object,
                   until: date | None = None, place: str = "", instructor: str = "",
                   capacity: int | None = None) -> TrainingSession:
    if mode not in SessionMode.labels():
        raise RuleViolation("培训形式（线上/线下）无效", field="mode")
    if format not in SessionFormat.labels():
        raise RuleViolation("组织方式（集中/自学）无效", field="format")
    hours = parse_hours(hours)
    if hours > MAX_SESSION_HOURS:
        raise RuleViolation(f"单个场次学时不能超过{MAX_SESSION_HOURS}", field="hours")
    if format == SessionFormat.SELF_STUDY:
        until = until or held_on
        if until < held_on:
            raise RuleViolation("自学截止日期不能早于开始日期", field="until")
        if until.year != held_on.year:
            raise RuleViolation("自学期限不能跨年度（学时按年度统计）", field="until")
    else:
        until = None
        if mode == SessionMode.OFFLINE and not place.strip():
            raise RuleViolation("线下集中培训须填写地点", field="place")
    if capacity is not None and capacity < 1:
        raise RuleViolation("容纳人数至少为1", field="capacity")
    session = TrainingSession(course=course, mode=mode, format=format, held_on=held_on, until=until,
                              hours=hours, place=place.strip(), instructor=instructor.strip(), capacity=capacity)
    db.session.add(session)
    db.session.flush()
    audit_log.record("training.session.create", "training_session", session.id,
                     after={"course": course.code, "held_on": held_on, "mode": mode, "format": format,
                            "hours": str(hours), "capacity": capacity})
    return session


def check_attendance(session: TrainingSession, officer: Officer, hours: Decimal, attended_on: date,
                     today: date, *, pending: int = 0) -> None:
    """Raise RuleViolation unless these hours may be credited; `pending` counts rows about to be added."""
    if hours > session.hours:
        raise RuleViolation(f"登记学时（{hours}）不能超过本场次学时（{session.hours}）", field="hours")
    if attended_on > today:
        raise RuleViolation("不能登记未来日期的培训", field="attended_on")
    if session.is_self_study:
        if not session.held_on <= attended_on <= (session.until or session.held_on):
            raise RuleViolation(
                f"自学日期应在 {session.held_on.isoformat()} 至 {(session.until or session.held_on).isoformat()} 之间",
                field="attended_on")
    elif attended_on != session.held_on:
        raise RuleViolation(f"集中培训的日期为 {session.held_on.isoformat()}", field="attended_on")
    if session.capacity is not None:
        taken = db.session.scalar(select(func.count(func.distinct(Attendance.officer_id))).where(
            Attendance.session_id == session.id, Attendance.officer_id != officer.id)) or 0
        if taken + pending >= session.capacity:
            raise RuleViolation(f"本场次已满员（{session.capacity}人）")


def existing_attendance(session: TrainingSession, officer: Officer) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                      Attendance.officer_id == officer.id))


def record_sign_in(session: TrainingSession, officer: Officer, hours: object, *, today: date,
                   recorded_by: str, source: str = AttendanceSource.SIGN_IN, evidence: str = "") -> Attendance:
    """The organiser credits an officer's (possibly partial) attendance at a session."""
    hours = parse_hours(hours)
    if existing_attendance(session, officer) is not None:
        raise RuleViolation(f"{officer.name} 已登记过本场次", field="officer_id")
    attended_on = session.held_on if not session.is_self_study else min(today, session.until or session.held_on)
    check_attendance(session, officer, hours, attended_on, today)
    return _add(session, officer, hours, attended_on, source, evidence, recorded_by)


def record_self_study(session: TrainingSession, officer: Officer, hours: object, attended_on: date,
                      evidence: str, *, today: date, recorded_by: str) -> Attendance:
    """Credit self-study at once, without review: for histories already checked elsewhere (demo data,
    imports). An officer's own declaration goes through ``selfstudy.submit_claim`` and a supervisor."""
    if not session.is_self_study:
        raise RuleViolation("集中培训的签到由培训组织者登记，本人不能自行登记")
    evidence = evidence.strip()
    if len(evidence) < MIN_EVIDENCE_LENGTH:
        raise RuleViolation("请填写学习凭证（如学习平台记录编号、笔记或截图说明）", field="evidence")
    hours = parse_hours(hours)
    if existing_attendance(session, officer) is not None:
        raise RuleViolation("您已登记过本次自学", field="session_id")
    check_attendance(session, officer, hours, attended_on, today)
    return _add(session, officer, hours, attended_on, AttendanceSource.SELF_RECORDED, evidence, recorded_by)


def _add(session: TrainingSession, officer: Officer, hours: Decimal, attended_on: date, source: str,
         evidence: str, recorded_by: str) -> Attendance:
    attendance = Attendance(session=session, officer_id=officer.id, hours=hours, attended_on=attended_on,
                            source=source, evidence=evidence, recorded_by=recorded_by)
    db.session.add(attendance)
    db.session.flush()
    audit_log.record("training.attendance.record", "training_attendance", attendance.id,
                     after={"session": session.id, "officer": officer.credential_number, "hours": str(hours),
                            "date": attended_on, "source": source})
    from enforcement.training.certificates import issue_if_complete

    issue_if_complete(officer.id, session.course, today=attended_on)
    return attendance


def open_self_study(today: date) -> list[TrainingSession]:
    return list(db.session.scalars(
        select(TrainingSession).where(TrainingSession.format == SessionFormat.SELF_STUDY,
                                      TrainingSession.held_on <= today, TrainingSession.until >= today)
        .order_by(TrainingSession.until)))
