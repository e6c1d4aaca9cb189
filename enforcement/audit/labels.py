"""What the supervisor's pages call things: records by their 文号 and 案由, people by their names.

Internal codes (entity names, ids, usernames, field names) never reach a page; these helpers turn them
into the terms the supervisor uses, with a link to the record where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from enforcement.extensions import db

ENTITY_LABELS = {"decision": "执法决定", "agency": "执法主体", "officer": "执法人员", "power": "职权事项",
                 "procedure": "执法流程", "inspection_item": "随机抽查事项", "inspection_task": "双随机抽查任务",
                 "month": "月份", "info_request": "政府信息公开申请", "info_annual_report": "政府信息公开年度报告"}
# Fields of a decision as the public page names them (the masking audit says where a value was found).
DECISION_FIELD_LABELS = {"title": "案由", "party": "当事人", "party_legal_rep": "法定代表人（负责人）",
                         "facts": "违法事实", "basis": "处罚依据", "result": "处理结果", "ended_reason": "失效原因",
                         "masking_confirmed": "办案人员确认可公开的内容"}
CHECK_TITLES = {"publication": "公示及时性", "withdrawal": "撤回公示及时性", "expired": "公示期满仍公开",
                "officers": "执法人员资格", "training": "执法人员培训学时", "legal_review": "重大执法决定法制审核",
                "zero_months": "零报告（无案件月份）", "completeness": "公示内容完整性", "masking": "个人信息隐去",
                "laws": "职权依据现行有效", "inspection_results": "双随机抽查结果公示",
                "requests_overdue": "依申请公开答复期限", "requests_extension": "延长答复期限审批",
                "requests_basis": "答复的法律依据", "requests_remedies": "答复告知书的救济渠道",
                "requests_report": "政府信息公开工作年度报告按时公布"}
SOURCES = {"cli": "系统命令（服务器管理员）", "anonymous": "未登录用户", "system": "系统自动处理"}


@dataclass
class Subject:
    """A record as the supervisor reads it: kind, name (文号 and 案由 for a decision) and where to open it."""

    kind: str
    name: str
    url: str | None

    def __str__(self) -> str:
        return f"{self.kind} {self.name}".strip()


def subject(entity: str, entity_id: str | int) -> Subject:
    """The record behind an audit item or a finding; an unknown or deleted one is named as such, never by id."""
    from enforcement.disclosure.models import Agency, Decision, InspectionItem, Officer, Power, ProcedureGuide

    kind = ENTITY_LABELS.get(entity, "记录")
    key = int(entity_id) if str(entity_id).isdigit() else None
    models = {"decision": Decision, "agency": Agency, "officer": Officer, "power": Power,
              "procedure": ProcedureGuide, "inspection_item": InspectionItem}
    if entity in models and key is not None:
        record = db.session.get(models[entity], key)
        if record is None:
            return Subject(kind, "（已删除）", None)
        if entity == "decision":
            name = f"{record.number}（{record.title}）" if record.title else record.number
        elif entity == "power":
            name = f"{record.code} {record.name}"
        elif entity == "procedure":
            name = record.item
        elif entity == "inspection_item":
            name = record.item
        else:
            name = record.name
        return Subject(kind, name, url_for("audit.item", entity=entity, entity_id=key))
    if entity == "month":
        year, _, month = str(entity_id).partition("-")
        return Subject(kind, f"{year}年{int(month)}月" if month.isdigit() else str(entity_id), None)
    if entity == "info_request" and key is not None:
        from enforcement.requests.models import InfoRequest

        record = db.session.get(InfoRequest, key)
        return Subject(kind, record.tracking_number if record else "（已删除）", f"/staff/requests/{key}" if record else None)
    return Subject(kind, "", None)


def people(usernames: set[str]) -> dict[str, str]:
    """{username: display name} for staff accounts; sources such as the command line get a Chinese label."""
    from enforcement.accounts.models import User

    names = dict(SOURCES)
    wanted = [u for u in usernames if u and u not in names]
    if wanted:
        for username, display in db.session.execute(select(User.username, User.display_name)
                                                     .where(User.username.in_(wanted))):
            names[username] = display or "（未填写姓名的账号）"
    return {u: names.get(u, "（已停用的账号）") for u in usernames}


def person(username: str) -> str:
    return people({username})[username] if username else ""
