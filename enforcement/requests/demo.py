"""A year of requests for the demo town (2025), entered through the services as staff and citizens would.

37 requests: 35 received in 2025 (every outcome of the national classification,
every applicant type and channel, three corrections of which one lapses, one
extension, one third-party consultation, one reconsideration, two answered in
January 2026 and so carried forward) and two received in December 2024 and
answered in 2025 (carried over). The reports for 2024 and 2025 are published
in January. Deterministic: fixed dates and a seeded random generator; loading
twice adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from stdnum.cn import ric, uscc

from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from enforcement.requests import clock, intake, replies, reports, services
from enforcement.requests.codes import OUTCOME_BY_CODE, Channel, Status
from enforcement.requests.models import InfoRequest

YEAR = 2025
OFFICER = "officer"
APPROVER = "镇政务公开办公室主任 何立群"
PEOPLE = ["韩若溪", "冯景行", "蒋知秋", "沈砚舟", "钱慕白", "卫听澜", "褚怀瑾", "尤念初", "施清越", "秦书宁",
          "许暮云", "何予安", "吕望舒", "孔南乔", "曹闻笛", "严栖迟", "华照临", "金知微", "魏青禾", "陶映雪"]
ORGANISATIONS = {
    "commercial": ["北京栖云餐饮有限公司", "北京澹远商贸有限公司"],
    "research": ["北京城市基层治理研究院"],
    "public_interest": ["北京市大兴区青禾公益服务中心"],
    "legal_service": ["北京澄明律师事务所", "北京衡平律师事务所"],
    "other_org": ["金星庄小区业主委员会"],
}
TOPICS = [
    "{y}年西红门镇燃气安全专项检查计划及检查结果", "{y}年西红门镇生活垃圾分类执法检查情况", "{y}年西红门镇行政处罚案件数量统计",
    "西红门镇违法建设拆除工作方案", "西红门镇物业管理投诉处理情况", "{y}年西红门镇随机抽查事项清单",
    "西红门镇文明行为促进工作考核办法", "欣宁街道路占道经营整治方案", "宏福路沿街商户燃气报警装置安装情况",
]
GAS_PLAN = "{y}年西红门镇燃气安全专项检查计划"
# (received, applicant type, channel, outcome or None while open at year end, extra step, answer after N working days)
PLAN: list[tuple[date, str, str, str, str, int]] = [
    (date(2024, 12, 16), "natural", "online", "granted", "", 16),
    (date(2024, 12, 23), "commercial", "in_person", "unable.not_held", "", 15),
    (date(2025, 1, 6), "natural", "online", "granted", "gas_plan", 12),
    (date(2025, 1, 13), "legal_service", "registered_post", "granted", "gas_plan", 14),
    (date(2025, 2, 10), "natural", "in_person", "partial", "", 10),
    (date(2025, 2, 17), "natural", "online", "withheld.state_secret", "", 15),
    (date(2025, 2, 24), "research", "online", "granted", "", 8),
    (date(2025, 3, 3), "natural", "ordinary_post", "withheld.other_law", "", 18),
    (date(2025, 3, 10), "commercial", "online", "withheld.three_safety", "", 17),
    (date(2025, 3, 17), "natural", "online", "withheld.third_party", "consult_appeal", 20),
    (date(2025, 3, 24), "public_interest", "online", "partial", "extend", 30),
    (date(2025, 4, 7), "natural", "fax", "withheld.internal", "", 10),
    (date(2025, 4, 14), "natural", "online", "withheld.process", "", 11),
    (date(2025, 4, 21), "legal_service", "online", "withheld.enforcement_file", "", 12),
    (date(2025, 5, 6), "natural", "in_person", "withheld.query", "", 5),
    (date(2025, 5, 12), "natural", "online", "unable.not_held", "", 9),
    (date(2025, 5, 19), "other_org", "registered_post", "unable.needs_creation", "", 16),
    (date(2025, 5, 26), "natural", "online", "unable.still_unclear", "correct", 14),
    (date(2025, 6, 9), "natural", "online", "not_handled.petition", "", 6),
    (date(2025, 6, 16), "natural", "online", "not_handled.duplicate", "", 4),
    (date(2025, 6, 23), "research", "in_person", "not_handled.publication", "", 3),
    (date(2025, 7, 7), "natural", "online", "not_handled.excessive", "", 15),
    (date(2025, 7, 14), "commercial", "online", "not_handled.confirm", "", 10),
    (date(2025, 7, 21), "natural", "online", "other.no_correction", "lapse", 0),
    (date(2025, 8, 4), "natural", "ordinary_post", "other.no_fee", "", 19),
    (date(2025, 8, 11), "public_interest", "online", "other.other", "", 12),
    (date(2025, 8, 25), "natural", "online", "granted", "correct", 10),
    (date(2025, 9, 8), "natural", "in_person", "granted", "", 1),
    (date(2025, 9, 22), "legal_service", "online", "partial", "", 14),
    (date(2025, 10, 13), "natural", "online", "granted", "", 9),
    (date(2025, 10, 27), "commercial", "fax", "partial", "", 13),
    (date(2025, 11, 10), "natural", "online", "granted", "", 11),
    (date(2025, 11, 24), "other_org", "in_person", "partial", "", 12),
    (date(2025, 12, 1), "natural", "online", "granted", "", 10),
    (date(2025, 12, 8), "research", "online", "granted", "", 9),
    (date(2025, 12, 22), "natural", "registered_post", "granted", "", 15),
    (date(2025, 12, 29), "legal_service", "online", "unable.not_held", "", 12),
]


def _applicant(rng: random.Random, kind: str, n: int) -> intake.Applicant:
    if kind == "natural":
        name = PEOPLE[n % len(PEOPLE)]
        born = date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
        body = f"110115{born:%Y%m%d}{rng.randrange(100, 999)}"
        return intake.Applicant("natural", name, "resident_id", body + ric.calc_check_digit(body + "0"),
                                phone=f"139{rng.randrange(10**7, 10**8)}", address=f"北京市大兴区黄村镇兴丰大街{n + 3}号院{n % 5 + 1}号楼")
    names = ORGANISATIONS[kind]
    name = names[n % len(names)]
    body = f"9111011{5 + (sum(map(ord, name)) % 4)}MA0{sum(map(ord, name)) % 10**6:06d}"[:17]
    body = body.ljust(17, "0")
    return intake.Applicant(kind, name, "credit_code", body + uscc.calc_check_digit(body),
                            phone=f"010-6{rng.randrange(10**6, 10**7)}", contact_person=PEOPLE[(n + 7) % len(PEOPLE)])


def _answer(req: InfoRequest, outcome: str, on: date, key: str) -> None:
    spec = OUTCOME_BY_CODE[outcome]
    granted = spec.group in ("granted", "partial")
    replies.answer(
        req, outcome=outcome, legal_basis=spec.basis or "《中华人民共和国政府信息公开条例》第三十六条", answered_on=on,
        actor=OFFICER, information_key=key if granted else "",
        reasons={"granted": "", "partial": "其中涉及第三方个人信息和商业秘密的内容不予公开（条例第十五条）。"}.get(
            spec.group, f"所申请信息{spec.label}。"),
        provided=f"《{key}》电子文本一份，随本告知书发送。" if granted else "",
        public_url="/inspection-items" if outcome == "granted" and "抽查" in key else "")


def load_requests_demo(progress: Callable[[str], None] = lambda _m: None) -> str:
    """Load the requests year once; returns a one-line summary for ``flask demo load``."""
    if db.session.scalar(select(func.count(InfoRequest.id))):
        return "依申请公开 已存在，未重复载入"
    agency = db.session.scalar(select(Agency).where(Agency.credit_code == "11110115MB1C435893"))
    if agency is None:
        return "依申请公开 未载入（没有镇人民政府）"
    rng = random.Random(20250101)
    for n, (received, kind, channel, outcome, extra, after) in enumerate(PLAN):
        topic = TOPICS[n % len(TOPICS)].format(y=received.year)
        key = GAS_PLAN.format(y=YEAR) if extra == "gas_plan" else topic
        applicant = _applicant(rng, kind, n)
        description = f"申请公开{key}。用于了解本小区周边安全情况。"
        if channel in (Channel.ONLINE, Channel.ORDINARY_POST, Channel.FAX):
            req, _code = intake.register(agency, applicant, description, "electronic", "email", channel=channel,
                                         submitted_on=received, signed_or_confirmed_on=received, actor=OFFICER)
        else:
            req, _code = intake.register(agency, applicant, description, "paper", "post", channel=channel,
                                         submitted_on=received, signed_or_confirmed_on=None, actor=OFFICER)
        if extra in ("correct", "lapse"):
            services.request_correction(req, clock.working_days(received, 3), OFFICER,
                                        "请明确所需信息的年份、地点和文件名称", period_days=10)
            if extra == "lapse":
                services.lapse_uncorrected(req, clock.working_days(req.correction_due_on, 1), OFFICER)
                continue
            services.receive_correction(req, clock.working_days(received, 6), f"所需信息为：{key}", "public")
        if extra == "consult_appeal":
            services.start_consultation(req, clock.working_days(received, 4), OFFICER, "北京栖云餐饮有限公司",
                                        approved_by=APPROVER)
            services.end_consultation(req, clock.working_days(received, 14), OFFICER, "第三方不同意公开，理由是涉及其商业秘密")
        if extra == "extend":
            services.extend(req, clock.working_days(received, 18), OFFICER, 15, approved_by=APPROVER,
                            reason="所需信息分散于多个科室，需要检索汇总")
        if outcome:
            start = req.clock_start or received
            _answer(req, outcome, clock.working_days(start, after), key)
        if extra == "consult_appeal":
            appeal = services.record_appeal(req, "reconsideration", date(2025, 5, 12), "北京市大兴区人民政府", OFFICER)
            services.record_appeal_result(appeal, "upheld", date(2025, 7, 4), "复议机关维持原答复", OFFICER)
    for year, on in ((2024, date(2025, 1, 20)), (YEAR, date(2026, 1, 22))):
        row = reports.get_or_create(year, agency)
        reports.save(row, overview=f"{year}年，本镇坚持以公开为常态、不公开为例外，依法办理政府信息公开申请，"
                     "严格执行答复期限，做好依申请公开与主动公开的衔接。",
                     problems="依申请公开答复文书的规范性有待提高；下一步将加强业务培训，统一答复模板。",
                     other_matters="本年度未收取信息处理费。",
                     figures={"normative_in_force": "3", "fees": "0"}, actor=OFFICER)
        reports.publish(row, on, OFFICER)
    db.session.flush()
    open_count = db.session.scalar(select(func.count(InfoRequest.id)).where(
        InfoRequest.status.in_([Status.PROCESSING, Status.CORRECTION, Status.CONSULTING]))) or 0
    progress(f"依申请公开 {len(PLAN)} 件")
    return f"依申请公开 {len(PLAN)} 件（办理中 {open_count} 件）"
