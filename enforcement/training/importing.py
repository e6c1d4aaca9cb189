"""Sign-in sheets in, attendance out: one row per attendance, the export re-importable as it is.

Columns: 执法人员, 执法证号, 课程编号, 课程名称, 科目, 形式, 组织方式, 日期, 学时.
A row names its session by course code and date (and 形式 when a course has an
online and an offline session on the same day). The officer is found by
credential number; the name must match it. Every row is checked first, against
the same rules as a sign-in on the page (hours within the session's, no future
dates, capacity); a file with any bad row writes nothing. A row for an
attendance already on record updates its hours; the same hours leave it unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from enforcement.core import audit_log
from enforcement.core.enums import AttendanceSource, SessionFormat, SessionMode, TrainingSubject
from enforcement.core.errors import RuleViolation
from enforcement.core.exporting import Hours
from enforcement.core.numbers import credential_key, same_name
from enforcement.core.records import Field, ImportRejected, RecordSpec, RowError, validate_rows
from enforcement.core.sheets import Table
from enforcement.core.sheets import read_rows as read_sheet
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.training.courses import check_attendance, parse_hours
from enforcement.training.models import Attendance, Course, TrainingSession


def _check_hours(record: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        record["hours"] = parse_hours(record["hours"])
    except RuleViolation as e:
        return [("hours", e.message)]
    return []


SPEC = RecordSpec(
    kind="training-attendance",
    label="培训签到记录",
    key=("credential_number", "course_code", "date", "mode"),
    fields=[
        Field("officer_name", "执法人员", required=True, max_length=40, aliases=("姓名", "执法人员姓名"), clean="name"),
        Field("credential_number", "执法证号", required=True, max_length=40, aliases=("执法证件号", "证件号码"),
              clean="code"),
        Field("course_code", "课程编号", required=True, max_length=40, aliases=("课程代码",), clean="code"),
        Field("course_title", "课程名称", max_length=200, description="仅供阅读，导入时不使用"),
        Field("subject", "科目", type="enum", enum=TrainingSubject, description="如填写，须与课程一致"),
        Field("mode", "形式", type="enum", enum=SessionMode, description="线上或线下；同日有两个场次时用于区分"),
        Field("format", "组织方式", type="enum", enum=SessionFormat, description="仅供阅读"),
        Field("date", "日期", type="date", required=True, aliases=("签到时间", "签到日期", "培训日期", "培训时间")),
        Field("hours", "学时", required=True, max_length=20, aliases=("学时数", "培训学时", "获得学时"),
              description="以0.5为最小单位，不超过场次学时；可写“4学时”"),
    ],
    check=_check_hours,
    ignore=("单位", "所在单位", "工作单位", "执法主体", "签到", "备注", "联系电话"),
    key_normaliser=credential_key,
)
COLUMNS = [(f.name, f.label) for f in SPEC.fields]


@dataclass
class AttendanceImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = dc_field(default_factory=list)

    def __str__(self) -> str:
        text = f"签到记录：新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"
        return text + "".join(f"；{n}" for n in self.notes)


def read_rows(path: Path) -> Table:
    """A sign-in sheet (CSV/XLSX, title rows and 序号/单位/签名 columns allowed) or a JSONL export."""
    return read_sheet(path, SPEC)


def import_file(path: Path, *, today: date, recorded_by: str) -> AttendanceImport:
    return import_rows(read_rows(path), today=today, recorded_by=recorded_by, source_name=path.name)


def import_rows(rows: Iterable[tuple[int, dict[str, Any]]], *, today: date, recorded_by: str,
                source_name: str = "") -> AttendanceImport:
    """Validate every row, then write all of them (the caller commits) or raise ImportRejected."""
    records, errors = validate_rows(SPEC, rows)
    officers = {o.credential_key: o for o in db.session.scalars(select(Officer))}
    sessions: dict[str, list[TrainingSession]] = {}
    for s in db.session.scalars(select(TrainingSession).options(selectinload(TrainingSession.course))):
        sessions.setdefault(s.course.code, []).append(s)
    existing = {(a.session_id, a.officer_id): a for a in db.session.scalars(select(Attendance))}
    planned, pending = [], Counter()
    for r in records:
        def error(name: str, message: str, r=r) -> None:
            errors.append(RowError(r["_line"], name, SPEC.field_for(name).label, message))

        officer = officers.get(credential_key(r["credential_number"]))
        if officer is None:
            error("credential_number", "执法证号不存在")
            continue
        if not same_name(officer.name, r["officer_name"]):
            error("officer_name", f"与执法证号登记的姓名（{officer.name}）不符")
            continue
        session = _find_session(sessions.get(r["course_code"], []), r["date"], r["mode"])
        if isinstance(session, tuple):
            error(*session)
            continue
        if r["subject"] and r["subject"] != session.course.subject:
            error("subject", f"与课程科目（{TrainingSubject(session.course.subject).label}）不符")
            continue
        current = existing.get((session.id, officer.id))
        try:
            check_attendance(session, officer, r["hours"], r["date"], today,
                             pending=pending[session.id] if current is None else -1)
        except RuleViolation as e:
            error(e.field or "hours", e.message)
            continue
        if current is None:
            pending[session.id] += 1
        planned.append((r, officer, session, current))
    if errors:
        errors.sort(key=lambda e: e.line)
        raise ImportRejected(errors)
    result = _write(planned, recorded_by, source_name)
    result.notes = list(getattr(rows, "notes", []))
    return result


def _find_session(candidates: list[TrainingSession], day: date, mode: str | None) -> TrainingSession | tuple[str, str]:
    """The session a row means, or (field, message) saying why there is none."""
    if not candidates:
        return "course_code", "课程编号不存在或该课程没有场次"
    matches = [s for s in candidates if s.held_on <= day <= (s.until or s.held_on)]
    if mode:
        matches = [s for s in matches if s.mode == mode]
    if not matches:
        return "date", "该日期没有此课程的培训场次"
    if len(matches) > 1:
        return "mode", "该日期有多个场次，请填写“形式”（线上/线下）加以区分"
    return matches[0]


def _write(planned: list, recorded_by: str, source_name: str) -> AttendanceImport:
    from enforcement.training.certificates import issue_if_complete

    result = AttendanceImport()
    for r, officer, session, current in planned:
        if current is not None:
            if current.hours == r["hours"]:
                result.unchanged += 1
                continue
            current.hours = r["hours"]
            result.updated += 1
        else:
            db.session.add(Attendance(session_id=session.id, officer_id=officer.id, attended_on=r["date"],
                                      hours=r["hours"], source=AttendanceSource.IMPORTED,
                                      evidence=f"签到表 {source_name}".strip(), recorded_by=recorded_by))
            result.created += 1
    db.session.flush()
    for _r, officer, session, _current in planned:
        issue_if_complete(officer.id, session.course, today=session.until or session.held_on)
    audit_log.record("training.attendance.import", "training_attendance", "",
                     after={"file": source_name, "created": result.created, "updated": result.updated})
    return result


def export_rows(year: int | None = None) -> Iterator[dict[str, Any]]:
    """One row per attendance, in the import format's fields, ordered by date and officer."""
    stmt = (select(Attendance, Officer, TrainingSession, Course)
            .join(Officer, Attendance.officer_id == Officer.id)
            .join(TrainingSession, Attendance.session_id == TrainingSession.id)
            .join(Course, TrainingSession.course_id == Course.id)
            .order_by(Attendance.attended_on, Officer.credential_number, Course.code))
    if year is not None:
        stmt = stmt.where(Attendance.attended_on >= date(year, 1, 1), Attendance.attended_on <= date(year, 12, 31))
    for attendance, officer, session, course in db.session.execute(stmt):
        yield {
            "officer_name": officer.name, "credential_number": officer.credential_number,
            "course_code": course.code, "course_title": course.title,
            "subject": TrainingSubject(course.subject).label, "mode": SessionMode(session.mode).label,
            "format": SessionFormat(session.format).label, "date": attendance.attended_on,
            "hours": Hours(attendance.hours),  # "1.5" in CSV/JSON, a number formatted 0.0 in XLSX
        }

