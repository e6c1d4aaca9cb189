"""The demo town's training year: courses for every subject, sessions through 2026, every officer's record.

Deterministic (its own seeded random), idempotent (skipped when the courses exist),
and written through the same services a real town uses: the sign-in sheet import,
self-study records, timed attempts. Five officers are behind schedule, the demo
"officer" account owes hours and has an assessment still to take.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from enforcement.demo.town import TODAY
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.training import assessments, courses, importing, questionbank
from enforcement.training.models import Assessment, Course

PENALTY_LAW = "《中华人民共和国行政处罚法》(2021-01-22)"
GAS_RULES = "《北京市燃气管理条例》(2020-09-25)"
WASTE_RULES = "《北京市生活垃圾管理条例》(2020-09-25)"
TOWN_HALL = "西红门镇人民政府三层会议室（宏福路1号）"
TEAM_ROOM = "综合行政执法队培训室（欣宁街15号）"
ONLINE = "北京市行政执法信息服务平台（线上）"

# code, title, subject, hours, description, citations, sessions (mode, format, held_on, until, hours, place, instructor)
COURSES = [
    ("PX2025-12", "2025年度执法人员年终轮训", "other", 4, "年度执法案卷评查问题通报与整改。", [],
     [("offline", "centralised", date(2025, 12, 18), None, 4, TOWN_HALL, "镇法治办")]),
    ("PX2026-01", "2021年修订《行政处罚法》专题培训", "penalty_law", 16,
     "逐条讲解修订要点：处罚定义、新增处罚种类、首违不罚、追责时效、简易程序限额、听证范围、电子缴款。",
     [f"{PENALTY_LAW}第{n}条" for n in ("二", "九", "二十四", "三十三", "三十六", "五十一", "六十三", "六十七")],
     [("offline", "centralised", date(2026, 3, 12), None, 4, TOWN_HALL, "区司法局讲师"),
      ("offline", "centralised", date(2026, 4, 16), None, 4, TOWN_HALL, "区司法局讲师"),
      ("online", "centralised", date(2026, 5, 14), None, 4, ONLINE, "市城管执法局讲师"),
      ("offline", "centralised", date(2026, 6, 18), None, 4, TEAM_ROOM, "镇法治办"),
      ("online", "centralised", date(2026, 9, 24), None, 4, ONLINE, "镇法治办（补训）")]),
    ("PX2026-02", "燃气专项执法：《北京市燃气管理条例》实务", "gas", 8,
     "非居民用户检查要点、十二类禁止行为、责令改正与罚款的适用、与市场监管部门的移送衔接。",
     [f"{GAS_RULES}第{n}条" for n in ("二十七", "三十", "五十九", "六十", "七十")],
     [("offline", "centralised", date(2026, 2, 5), None, 4, TEAM_ROOM, "区城市管理委讲师"),
      ("online", "centralised", date(2026, 6, 25), None, 4, ONLINE, "燃气供应企业安全技术人员"),
      ("offline", "centralised", date(2026, 9, 10), None, 4, TEAM_ROOM, "区城市管理委讲师")]),
    ("PX2026-03", "行政执法三项制度实务", "three_systems", 8,
     "执法公示的内容与时限、全过程记录与归档、重大执法决定法制审核的范围与要点。",
     [f"{PENALTY_LAW}第{n}条" for n in ("三十九", "四十七", "四十八", "五十八")],
     [("offline", "centralised", date(2026, 1, 21), None, 4, TOWN_HALL, "镇法治办"),
      ("online", "centralised", date(2026, 7, 16), None, 4, ONLINE, "区司法局讲师"),
      ("offline", "centralised", date(2026, 10, 15), None, 4, TOWN_HALL, "镇法治办")]),
    ("PX2026-04", "地方性法规解读：生活垃圾、物业管理、文明行为", "local_rules", 8,
     "本镇执法最常用的三部地方性法规。",
     # 2020-09-25 numbering: art. 36 (the responsible party's duties) and art. 69 (its penalty) were arts. 35
     # and 68 of the 2019 text, before the amendment inserted art. 27.
     [f"{WASTE_RULES}第{n}条" for n in ("三十六", "六十九")],
     [("offline", "centralised", date(2026, 2, 26), None, 4, TOWN_HALL, "区城市管理委讲师"),
      ("offline", "centralised", date(2026, 10, 22), None, 4, TOWN_HALL, "区城市管理委讲师")]),
    ("PX2026-05", "执法文书制作与文明执法", "other", 8, "文书规范、执法礼仪、执法记录仪使用。", [],
     [("offline", "centralised", date(2026, 8, 13), None, 4, TEAM_ROOM, "执法队骨干"),
      ("offline", "centralised", date(2026, 11, 12), None, 4, TEAM_ROOM, "执法队骨干")]),
    ("PX2026-06", "执法业务网络自学", "other", 24, "按季度在线自学，凭学习平台记录登记学时。", [],
     [("online", "self_study", date(2026, 1, 5), date(2026, 3, 31), 6, ONLINE, ""),
      ("online", "self_study", date(2026, 4, 1), date(2026, 6, 30), 6, ONLINE, ""),
      ("online", "self_study", date(2026, 7, 1), date(2026, 9, 30), 6, ONLINE, ""),
      ("online", "self_study", date(2026, 10, 1), date(2026, 12, 31), 6, ONLINE, "")]),
]
# A phrase each course citation's article must contain (checked by the citation tests, so a renumbering or a
# wrong version cannot slip into what a course says it teaches).
CITATION_KEYWORDS = {
    f"{PENALTY_LAW}第二条": "以减损权益或者增加义务的方式予以惩戒",
    f"{PENALTY_LAW}第九条": "行政处罚的种类",
    f"{PENALTY_LAW}第二十四条": "交由能够有效承接的乡镇人民政府",
    f"{PENALTY_LAW}第三十三条": "初次违法且危害后果轻微并及时改正的",
    f"{PENALTY_LAW}第三十六条": "不再给予行政处罚",
    f"{PENALTY_LAW}第五十一条": "可以当场作出行政处罚决定",
    f"{PENALTY_LAW}第六十三条": "应当告知当事人有要求听证的权利",
    f"{PENALTY_LAW}第六十七条": "缴纳罚款",
    f"{PENALTY_LAW}第三十九条": "救济渠道",
    f"{PENALTY_LAW}第四十七条": "全过程记录",
    f"{PENALTY_LAW}第四十八条": "撤回行政处罚决定信息",
    f"{PENALTY_LAW}第五十八条": "法制审核",
    f"{GAS_RULES}第二十七条": "燃气泄漏报警装置",
    f"{GAS_RULES}第三十条": "禁止在燃气使用中有下列行为",
    f"{GAS_RULES}第五十九条": "燃气泄漏报警装置",
    f"{GAS_RULES}第六十条": "本条例第三十条规定情形",
    f"{GAS_RULES}第七十条": "相对集中行使行政处罚权",
    f"{WASTE_RULES}第三十六条": "生活垃圾分类管理责任人应当遵守下列规定",
    f"{WASTE_RULES}第六十九条": "生活垃圾分类管理责任人违反本条例第三十六条",
}
ASSESSED = {"PX2026-01": "2021年行政处罚法结业考试", "PX2026-02": "燃气专项执法结业考试",
            "PX2026-03": "行政执法三项制度结业考试"}
BEHIND = {5, 11, 19, 23, 27}  # officer positions that fall behind schedule
DEMO_OFFICER = 0  # the "officer" demo account: owes hours, three-systems exam still to take


def load_training_demo(progress: Callable[[str], None] = lambda _m: None) -> str:
    if db.session.scalar(select(Course.id).where(Course.code == "PX2026-01")) is not None:
        return "培训：已载入"
    rng = random.Random(2026)
    questionbank.load_bank()
    course_rows = _courses()
    officers = list(db.session.scalars(select(Officer).order_by(Officer.id)))
    rows, self_study = [], []
    for position, officer in enumerate(officers):
        keen = 0.35 if position in BEHIND else 0.92
        for course, sessions in course_rows:
            for session in sessions:
                if session.held_on > TODAY:
                    continue
                if position == DEMO_OFFICER and session.held_on >= date(2026, 9, 1):
                    continue  # the demo officer has trained nothing since September: behind, owes hours
                if rng.random() > keen:
                    continue
                hours = session.hours if rng.random() > 0.08 else session.hours - 1  # some leave early
                if session.is_self_study:  # the keen study early in the quarter, the others at its end
                    last = min(TODAY, session.until)
                    day = (min(last, session.held_on + timedelta(days=rng.randint(3, 25))) if keen > 0.5
                           else last - timedelta(days=rng.randint(0, 10)))
                    self_study.append((session, officer, hours if session.until < TODAY else 2, day))
                else:
                    rows.append({"officer_name": officer.name, "credential_number": officer.credential_number,
                                 "course_code": course.code, "date": session.held_on, "mode": session.mode,
                                 "hours": str(hours)})
    importing.import_rows(enumerate(rows, 2), today=TODAY, recorded_by="demo", source_name="演示签到表.xlsx")
    for session, officer, hours, day in self_study:
        courses.record_self_study(session, officer, hours, day, f"学习平台学习记录 {day:%Y%m%d}-{officer.id:03d}",
                                  today=TODAY, recorded_by="demo")
    attempts = _attempts(rng, officers)
    progress(f"培训：课程 {len(course_rows)} 门，签到 {len(rows) + len(self_study)} 条，考试 {attempts} 次")
    return f"培训记录 {len(rows) + len(self_study)} 条"


def _courses() -> list:
    result = []
    for code, title, subject, hours, description, citations, sessions in COURSES:
        course = courses.create_course(code, title, subject, hours, description=description, citations=citations,
                                       materials=f"课程讲义（{title}）|\n相关法条汇编|/laws")
        made = [courses.create_session(course, mode=m, format=f, held_on=d, until=u, hours=h, place=p,
                                       instructor=i, capacity=40 if f == "centralised" else None)
                for m, f, d, u, h, p, i in sessions]
        if code in ASSESSED:
            db.session.add(Assessment(course=course, title=ASSESSED[code], subject=subject, question_count=10,
                                      time_limit_minutes=20, pass_mark=60, max_attempts=3))
        result.append((course, made))
    db.session.flush()
    return result


def _attempts(rng: random.Random, officers: list[Officer]) -> int:
    count = 0
    for assessment in db.session.scalars(select(Assessment).order_by(Assessment.id)):
        last_session = max(s.held_on for s in assessment.course.sessions)
        for position, officer in enumerate(officers):
            if position == DEMO_OFFICER and assessment.subject == "three_systems":
                continue
            if last_session > TODAY or rng.random() < (0.5 if position in BEHIND else 0.1):
                continue
            skill = 0.45 if position in BEHIND else 0.8
            for number in range(rng.randint(1, assessment.max_attempts)):
                started = datetime.combine(last_session + timedelta(days=3 + 7 * number), time(9, 30))
                attempt = assessments.start_attempt(assessment, officer.id, now=started, rng=rng)
                answers = {a.position: a.question.answer if rng.random() < skill else "A" for a in attempt.answers}
                assessments.submit_attempt(attempt, answers, now=started + timedelta(minutes=rng.randint(8, 19)))
                count += 1
                if attempt.status == "passed":
                    break
    return count
