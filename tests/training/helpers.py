"""A small training world: one agency, three officers, courses of several subjects, a few questions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from enforcement.disclosure.models import Agency, Law, LawArticle, Officer
from enforcement.extensions import db
from enforcement.training import courses
from enforcement.training.models import Assessment, Course, Question, TrainingSession

TODAY = date(2026, 11, 28)


@dataclass
class World:
    officers: list[Officer]
    penalty: Course
    gas: Course
    penalty_session: TrainingSession  # 4 h, centralised, 2026-03-12
    gas_session: TrainingSession  # 8 h, centralised, 2026-04-09, capacity 2
    self_study: TrainingSession  # 6 h, online self-study 2026-10-01..12-31 (other subject)
    december: TrainingSession  # 3 h, centralised, 2025-12-31 (penalty law)
    article: LawArticle


def officer(name: str, number: str, agency: Agency, *, expires: date = date(2030, 1, 1), status: str = "valid") -> Officer:
    o = Officer(name=name, agency=agency, credential_number=number, credential_issued_on=date(2020, 1, 1),
                credential_expires_on=expires, status=status)
    db.session.add(o)
    return o


def make_world() -> World:
    agency = Agency(name="北京市大兴区西红门镇人民政府", credit_code="11110115MB1C435893", legal_status="statutory")
    db.session.add(agency)
    officers = [officer("王强", "11011500001", agency), officer("李娜", "11011500002", agency),
                officer("赵敏", "11011500003", agency, expires=date(2026, 12, 20))]
    law = Law(title="中华人民共和国行政处罚法", version_date=date(2021, 1, 22))
    article = LawArticle(number=51, label="第五十一条", text="……对公民处以二百元以下……")
    law.articles.append(article)
    db.session.add(law)
    db.session.flush()
    penalty = courses.create_course("T-01", "行政处罚法专题", "penalty_law", 4)
    gas = courses.create_course("T-02", "燃气专项执法", "gas", 8)
    other = courses.create_course("T-03", "网络自学", "other", 6)
    return World(
        officers=officers, penalty=penalty, gas=gas,
        penalty_session=courses.create_session(penalty, mode="offline", format="centralised",
                                               held_on=date(2026, 3, 12), hours=4, place="镇政府会议室"),
        gas_session=courses.create_session(gas, mode="offline", format="centralised", held_on=date(2026, 4, 9),
                                           hours=8, place="执法队培训室", capacity=2),
        self_study=courses.create_session(other, mode="online", format="self_study", held_on=date(2026, 10, 1),
                                          until=date(2026, 12, 31), hours=6),
        december=courses.create_session(penalty, mode="online", format="centralised", held_on=date(2025, 12, 31),
                                        hours=3, place="线上"),
        article=article,
    )


def add_questions(article: LawArticle, subject: str = "penalty_law") -> list[Question]:
    """Three questions, one per kind: single (answer B), multiple (answer AC), true/false (answer A=正确)."""
    questions = [
        Question(code="Q1", subject=subject, kind="single", stem="简易程序对公民罚款上限？",
                 options_json=json.dumps(["五十元", "二百元", "五百元"]), answer="B", explanation="第五十一条", article=article),
        Question(code="Q2", subject=subject, kind="multiple", stem="哪些正确？",
                 options_json=json.dumps(["甲", "乙", "丙"]), answer="AC", explanation="第五十一条", article=article),
        Question(code="Q3", subject=subject, kind="true_false", stem="可以当场处罚。",
                 options_json=json.dumps(["正确", "错误"]), answer="A", explanation="第五十一条", article=article),
    ]
    db.session.add_all(questions)
    db.session.flush()
    return questions


def add_assessment(course: Course, *, max_attempts: int = 2, pass_mark: int = 60) -> Assessment:
    assessment = Assessment(course=course, title=f"{course.title}考试", subject=course.subject, question_count=3,
                            time_limit_minutes=20, pass_mark=pass_mark, max_attempts=max_attempts)
    db.session.add(assessment)
    db.session.flush()
    return assessment
