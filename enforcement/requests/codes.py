"""The national classification of requests (国办公开办函〔2021〕30号), as stable codes with Chinese labels.

Table 三 of the 政府信息公开工作年度报告 counts requests by applicant type (columns)
and by outcome (rows); the codes below are exactly those columns and rows, in the
order the national format prints them, so the report and the forms cannot drift.
Each outcome carries the articles of the 政府信息公开条例 (2019) usually cited for
it: the officer's reply starts from them and must state a legal basis.
"""

from __future__ import annotations

from dataclasses import dataclass

from enforcement.core.enums import LabelledEnum


class ApplicantType(LabelledEnum):
    """Table 三's columns: 自然人, then 法人或其他组织 in its five national sub-types."""

    NATURAL = "natural", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


ORGANISATION_TYPES = tuple(t for t in ApplicantType if t is not ApplicantType.NATURAL)


class Channel(LabelledEnum):
    """How the request arrived; the receipt date depends on it (条例第三十一条)."""

    ONLINE = "online", "互联网在线申请"
    IN_PERSON = "in_person", "当面提交"
    REGISTERED_POST = "registered_post", "邮寄（需签收）"
    ORDINARY_POST = "ordinary_post", "平常信函"
    FAX = "fax", "传真"


# Channels whose receipt date is the day of submission or of signing, known when staff register it;
# the others are received on the day the office and the applicant confirm (art. 31(二)(三)).
CONFIRMED_CHANNELS = frozenset({Channel.ONLINE, Channel.ORDINARY_POST, Channel.FAX})


class IdDocument(LabelledEnum):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    OTHER_PERSON = "other_person", "其他有效身份证件"
    CREDIT_CODE = "credit_code", "统一社会信用代码证明"


class ProvisionForm(LabelledEnum):
    """条例第二十九条第（三）项 and 第四十条: the form asked for."""

    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文本"
    INSPECT = "inspect", "当场查阅、抄录"


class Delivery(LabelledEnum):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上获取"


class Status(LabelledEnum):
    AWAITING_RECEIPT = "awaiting_receipt", "待确认收到"
    PROCESSING = "processing", "办理中"
    CORRECTION = "correction", "待申请人补正"
    CONSULTING = "consulting", "征求第三方意见中"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已终止办理"


OPEN_STATUSES = frozenset({Status.PROCESSING, Status.CORRECTION, Status.CONSULTING})


@dataclass(frozen=True)
class Outcome:
    code: str
    group: str
    group_label: str
    label: str
    basis: str  # the articles usually cited; the officer confirms or replaces them


_R = "《中华人民共和国政府信息公开条例》"
OUTCOMES: tuple[Outcome, ...] = (
    Outcome("granted", "granted", "予以公开", "予以公开", f"{_R}第三十六条第（一）项、第（二）项"),
    Outcome("partial", "partial", "部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", f"{_R}第三十七条"),
    Outcome("withheld.state_secret", "withheld", "不予公开", "属于国家秘密", f"{_R}第十四条"),
    Outcome("withheld.other_law", "withheld", "不予公开", "其他法律行政法规禁止公开", f"{_R}第十四条"),
    Outcome("withheld.three_safety", "withheld", "不予公开", "危及“三安全一稳定”", f"{_R}第十四条"),
    Outcome("withheld.third_party", "withheld", "不予公开", "保护第三方合法权益", f"{_R}第十五条、第三十二条"),
    Outcome("withheld.internal", "withheld", "不予公开", "属于三类内部事务信息", f"{_R}第十六条第一款"),
    Outcome("withheld.process", "withheld", "不予公开", "属于四类过程性信息", f"{_R}第十六条第二款"),
    Outcome("withheld.enforcement_file", "withheld", "不予公开", "属于行政执法案卷", f"{_R}第十六条第二款"),
    Outcome("withheld.query", "withheld", "不予公开", "属于行政查询事项", f"{_R}第三十六条第（七）项"),
    Outcome("unable.not_held", "unable", "无法提供", "本机关不掌握相关政府信息", f"{_R}第三十六条第（四）项、第（五）项"),
    Outcome("unable.needs_creation", "unable", "无法提供", "没有现成信息需要另行制作", f"{_R}第三十八条"),
    Outcome("unable.still_unclear", "unable", "无法提供", "补正后申请内容仍不明确", f"{_R}第三十条"),
    Outcome("not_handled.petition", "not_handled", "不予处理", "信访举报投诉类申请", f"{_R}第三十九条第一款"),
    Outcome("not_handled.duplicate", "not_handled", "不予处理", "重复申请", f"{_R}第三十六条第（六）项"),
    Outcome("not_handled.publication", "not_handled", "不予处理", "要求提供公开出版物", f"{_R}第三十九条第二款"),
    Outcome("not_handled.excessive", "not_handled", "不予处理", "无正当理由大量反复申请", f"{_R}第三十五条"),
    Outcome("not_handled.confirm", "not_handled", "不予处理", "要求行政机关确认或重新出具已获取信息",
            f"{_R}第三十八条"),
    Outcome("other.no_correction", "other", "其他处理", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            f"{_R}第三十条"),
    Outcome("other.no_fee", "other", "其他处理", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            f"{_R}第四十二条"),
    Outcome("other.other", "other", "其他处理", "其他", ""),
)
OUTCOME_BY_CODE = {o.code: o for o in OUTCOMES}
# Outcomes whose information may be published: several applicants asking for it flags art. 44.
DISCLOSABLE = frozenset({"granted", "partial"})


class AppealKind(LabelledEnum):
    """Table 四's three groups."""

    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER = "litigation_after", "行政诉讼（复议后起诉）"


class AppealResult(LabelledEnum):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class EventKind(LabelledEnum):
    """What can happen on a request's clock (each recorded with who did or approved it)."""

    SUBMITTED = "submitted", "提交申请"
    RECEIVED = "received", "确认收到申请"
    CORRECTION_REQUESTED = "correction_requested", "告知补正"
    CORRECTED = "corrected", "收到补正"
    CONSULTATION_STARTED = "consultation_started", "书面征求第三方意见"
    CONSULTATION_ENDED = "consultation_ended", "收到第三方意见"
    EXTENDED = "extended", "延长答复期限"
    ANSWERED = "answered", "作出答复"
    CLOSED = "closed", "终止办理"
