"""Small, valid records of every kind, for tests that need a minimal town."""

from __future__ import annotations

import json
from pathlib import Path

AGENCY = {
    "name": "北京市大兴区西红门镇人民政府", "credit_code": "11110115MB1C435893", "legal_status": "法定",
    "duties": "综合行政执法", "address": "北京市大兴区西红门镇宏福路1号", "phone": "010-60251234",
    "supervision_phone": "010-60259876", "reconsideration_body": "北京市大兴区人民政府",
    "litigation_court": "北京市大兴区人民法院",
}
OFFICERS = [
    {"name": "王强", "agency_credit_code": AGENCY["credit_code"], "credential_number": "11011500001",
     "credential_issued_on": "2020-01-01", "credential_expires_on": "2030-01-01", "phone": "13800000001"},
    {"name": "李娜", "agency_credit_code": AGENCY["credit_code"], "credential_number": "11011500002",
     "credential_issued_on": "2020-01-01", "credential_expires_on": "2030-01-01"},
]
POWER = {"code": "P-RQ-59", "name": "对未安装燃气泄漏报警装置的行政处罚", "category": "行政处罚",
         "agency_credit_code": AGENCY["credit_code"], "basis": ["《北京市燃气管理条例》(2020-09-25)第五十九条"]}


def decision(number: str = "京兴西罚字〔2021〕第0001号", **overrides) -> dict:
    record = {
        "number": number, "kind": "penalty", "agency_credit_code": AGENCY["credit_code"],
        "party_type": "person", "party_name": "张三", "party_id_number": "11010519491231002X",
        "party_address": "北京市大兴区西红门镇金星小区3号楼2单元501室", "party_phone": "13912345678",
        "facts": "当事人张三未安装燃气泄漏报警装置，证人李四在场。", "basis": "《北京市燃气管理条例》第五十九条",
        "result": "罚款2000元", "penalty_kinds": ["fine"], "fine_amount": "2000",
        "decided_on": "2021-09-30", "published_on": "2021-10-12",
        "officers": ["11011500001", "11011500002"], "powers": ["P-RQ-59"], "other_names": ["李四"],
    }
    record.update(overrides)
    return record


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def load_minimal_town() -> None:
    """Gas regulation, one agency, two officers, one power; the caller commits."""
    from enforcement.disclosure.importing import import_rows
    from enforcement.disclosure.laws import BUNDLED_LAWS_DIR, load_statute_file

    load_statute_file(next(BUNDLED_LAWS_DIR.glob("北京市燃气管理条例*.md")))
    import_rows("agencies", [(1, AGENCY)])
    import_rows("officers", enumerate(OFFICERS, 1))
    import_rows("powers", [(1, POWER)])


def keep_trained(credential_numbers: list[str]) -> None:
    """Credit these officers with the year's training hours (held on 1 January of this year), so the decision
    form's officer picker offers them (an officer behind on training cannot be named on a case)."""
    from datetime import date
    from decimal import Decimal

    from sqlalchemy import select

    from enforcement.core import clock
    from enforcement.disclosure.models import Officer
    from enforcement.extensions import db
    from enforcement.training.models import Attendance, Course, TrainingSession

    held = date(clock.today().year, 1, 1)
    course = Course(code="T-FIXTURE", title="年度执法培训", subject="penalty_law", hours=Decimal(60))
    session = TrainingSession(course=course, mode="offline", format="centralised", held_on=held, place="镇政府",
                              hours=Decimal(60))
    db.session.add_all([course, session])
    for officer in db.session.scalars(select(Officer).where(Officer.credential_number.in_(credential_numbers))):
        db.session.add(Attendance(session=session, officer_id=officer.id, attended_on=held, hours=Decimal(60),
                                  source="sign_in", recorded_by="fixture"))
    db.session.flush()
