"""Stable English codes with their Chinese labels, in one place."""

from __future__ import annotations

from enum import StrEnum
from functools import cache


@cache
def _label_table(cls) -> dict[str, str]:
    return {m.value: m.label for m in cls}


class LabelledEnum(StrEnum):
    """A code stored in the database, with the Chinese label users see."""

    label: str

    def __new__(cls, code: str, label: str):
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.label = label
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def labels(cls) -> dict[str, str]:
        """{code: Chinese label}, a fresh copy of a table built once (projections call this per row)."""
        return dict(_label_table(cls))

    @classmethod
    def from_any(cls, value: str) -> LabelledEnum:
        """Accept the code or the Chinese label (imports use either)."""
        value = (value or "").strip()
        for m in cls:
            if value in (m.value, m.label):
                return m
        raise ValueError(value)


class LegalStatus(LabelledEnum):
    STATUTORY = "statutory", "法定"
    AUTHORISED = "authorised", "授权"
    ENTRUSTED = "entrusted", "委托"


class PowerCategory(LabelledEnum):
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LICENSING = "licensing", "行政许可"
    LEVY = "levy", "行政征收"
    CONFIRMATION = "confirmation", "行政确认"
    OTHER = "other", "其他"


class DecisionKind(LabelledEnum):
    PENALTY = "penalty", "行政处罚"
    LICENSING = "licensing", "行政许可"
    INSPECTION = "inspection", "行政检查"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    OTHER = "other", "其他"


class DecisionStatus(LabelledEnum):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "法制审核中"
    DECIDED = "decided", "已决定"
    PUBLISHED = "published", "已公示"
    CHANGED = "changed", "已变更"
    REVOKED = "revoked", "已撤销"
    ILLEGAL = "illegal", "被确认违法"
    VOID = "void", "被确认无效"
    WITHDRAWN = "withdrawn", "已撤回公示"
    EXPIRED = "expired", "公示期满"


class PartyType(LabelledEnum):
    PERSON = "person", "自然人"
    SOLE_TRADER = "sole_trader", "个体工商户"
    ORGANISATION = "organisation", "法人或其他组织"


class CaseProcedure(LabelledEnum):
    SIMPLE = "simple", "简易程序"
    ORDINARY = "ordinary", "普通程序"


class PenaltyKind(LabelledEnum):
    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATION = "confiscation", "没收违法所得、没收非法财物"
    DOWNGRADE = "downgrade", "降低资质等级"
    LICENCE_REVOCATION = "licence_revocation", "吊销许可证件"
    RESTRICTION = "restriction", "限制开展生产经营活动"
    SUSPENSION = "suspension", "责令停产停业"
    CLOSURE = "closure", "责令关闭"
    EMPLOYMENT_BAN = "employment_ban", "限制从业"
    DETENTION = "detention", "行政拘留"


class CredentialStatus(LabelledEnum):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


class RecordKind(LabelledEnum):
    TEXT = "text", "文字记录"
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "音像记录"


class Role(LabelledEnum):
    OFFICER = "officer", "执法人员"
    REVIEWER = "reviewer", "法制审核人员"
    SUPERVISOR = "supervisor", "监督人员"
    ADMIN = "admin", "系统管理员"


class TrainingSubject(LabelledEnum):
    PENALTY_LAW = "penalty_law", "2021行政处罚法"
    GAS = "gas", "燃气专项执法"
    THREE_SYSTEMS = "three_systems", "行政执法三项制度"
    LOCAL_RULES = "local_rules", "地方性法规"
    OTHER = "other", "其他"


class SessionMode(LabelledEnum):
    ONLINE = "online", "线上"
    OFFLINE = "offline", "线下"


class SessionFormat(LabelledEnum):
    CENTRALISED = "centralised", "集中培训"
    SELF_STUDY = "self_study", "自学"


class AttendanceSource(LabelledEnum):
    SIGN_IN = "sign_in", "签到登记"
    SELF_RECORDED = "self_recorded", "本人自学登记"
    IMPORTED = "imported", "签到表导入"


class QuestionKind(LabelledEnum):
    SINGLE = "single", "单选题"
    MULTIPLE = "multiple", "多选题"
    TRUE_FALSE = "true_false", "判断题"
