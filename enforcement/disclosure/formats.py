"""The record format of each importable kind (published as JSON Schema in docs/schemas/)."""

from __future__ import annotations

from typing import Any

from enforcement.core import masking
from enforcement.core.enums import (
    CaseProcedure,
    CredentialStatus,
    DecisionKind,
    DecisionStatus,
    LegalStatus,
    PartyType,
    PenaltyKind,
    PowerCategory,
)
from enforcement.core.numbers import credential_key, number_key
from enforcement.core.records import Field, RecordSpec

CREDIT_CODE = r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}"
AGENCY_REF = Field("agency_credit_code", "执法主体统一社会信用代码", required=True, max_length=18, pattern=CREDIT_CODE,
                   clean="code", aliases=("执法主体信用代码", "主体信用代码"))


def credit_code_error(value: str) -> str | None:
    """Why ``value`` is not a usable 统一社会信用代码 (GB 32100-2015), or None; a resident ID in its place
    is refused by name, since the credit code is published and the ID must never be."""
    value = (value or "").strip().upper()
    if not value or masking.valid_credit_code(value):
        return None
    if masking.valid_id_number(value):
        return "填写的是居民身份证号码，不是统一社会信用代码（身份证号码不得公开）；个体工商户请填写营业执照上的统一社会信用代码"
    return "统一社会信用代码校验位不正确（GB 32100-2015）"


def _agency_check(r: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
    if r["legal_status"] == LegalStatus.ENTRUSTED and not r["entrusted_by"]:
        errors.append(("entrusted_by", "受委托组织须填写委托机关"))
    if credit_code_error(r["credit_code"]):
        errors.append(("credit_code", credit_code_error(r["credit_code"])))
    return errors


AGENCIES = RecordSpec(
    "agencies", "执法主体", ("credit_code",),
    [
        Field("name", "名称", required=True, max_length=120),
        Field("credit_code", "统一社会信用代码", required=True, max_length=18, pattern=CREDIT_CODE, clean="code"),
        Field("legal_status", "主体性质", "enum", required=True, enum=LegalStatus),
        Field("duties", "职责"),
        Field("address", "办公地址", max_length=200),
        Field("phone", "联系电话", max_length=40, clean="code"),
        Field("supervision_phone", "监督电话", max_length=40, clean="code"),
        Field("supervision_channels", "监督方式"),
        Field("reconsideration_body", "行政复议机关", max_length=200),
        Field("reconsideration_days", "行政复议申请期限（日）", "int", default=60, minimum=1, maximum=3650),
        Field("litigation_court", "行政诉讼管辖法院", max_length=200),
        Field("litigation_months", "行政诉讼起诉期限（月）", "int", default=6, minimum=1, maximum=240),
        Field("entrusted_by", "委托机关", max_length=120),
    ],
    check=_agency_check,
)


def _officer_check(r: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
    if r["credential_expires_on"] < r["credential_issued_on"]:
        errors.append(("credential_expires_on", "有效期截止日早于发证日"))
    if r["id_number"] and not masking.valid_id_number(r["id_number"]):
        errors.append(("id_number", "身份证号码校验位不正确"))
    return errors


OFFICERS = RecordSpec(
    "officers", "执法人员", ("credential_number",),
    [
        Field("name", "姓名", required=True, max_length=40, clean="name", aliases=("执法人员姓名",)),
        AGENCY_REF,
        Field("credential_number", "执法证号", required=True, max_length=40, clean="code",
              aliases=("执法证件号", "执法证件号码", "证件号码")),
        Field("category", "执法类别", max_length=60, default="综合执法"),
        Field("credential_issued_on", "发证日期", "date", required=True),
        Field("credential_expires_on", "有效期至", "date", required=True),
        Field("status", "证件状态", "enum", enum=CredentialStatus, default="valid"),
        Field("has_legal_qualification", "具有法律职业资格", "bool"),
        Field("phone", "手机号码（不公开）", max_length=40, clean="code", aliases=("手机号", "联系电话")),
        Field("id_number", "身份证号码（不公开）", max_length=18, clean="code", aliases=("身份证号",)),
    ],
    check=_officer_check,
    key_normaliser=credential_key,
)

LAWS = RecordSpec(
    "laws", "法律法规条文", ("title", "version_date", "number"),
    [
        Field("title", "法规名称", required=True, max_length=120),
        Field("version_date", "版本日期", "date", required=True),
        Field("number", "条序号", "int", required=True, minimum=1, maximum=9999),
        Field("chapter", "章节", max_length=120),
        Field("text", "条文", required=True),
    ],
)

POWERS = RecordSpec(
    "powers", "职权清单", ("code",),
    [
        Field("code", "职权编码", required=True, max_length=40, clean="code", aliases=("事项编码", "权力编码")),
        Field("name", "职权名称", required=True, max_length=300, aliases=("事项名称", "权力名称")),
        Field("category", "职权类别", "enum", required=True, enum=PowerCategory, aliases=("权力类别", "事项类别", "类别")),
        AGENCY_REF,
        Field("basis", "法律依据", "list", required=True, aliases=("设定依据", "实施依据", "依据"),
              description="法条引用列表，如《北京市燃气管理条例》(2020-09-25)第五十九条；不写版本则取现行版本"),
        Field("discretion", "裁量基准"),
        Field("source", "来源", max_length=120),
    ],
)

PROCEDURES = RecordSpec(
    "procedures", "执法流程", ("code",),
    [
        Field("code", "流程编码", required=True, max_length=40, clean="code"),
        Field("item", "事项名称", required=True, max_length=200),
        AGENCY_REF,
        Field("receiving_office", "受理机构", max_length=120),
        Field("approving_office", "决定机构", max_length=120),
        Field("conditions", "办理条件"),
        Field("time_limit", "办理时限", max_length=120),
        Field("steps", "流程步骤", "list", required=True, description="按顺序排列的步骤，“名称：说明”"),
    ],
)

INSPECTION_ITEMS = RecordSpec(
    "inspection-items", "随机抽查事项清单", ("code",),
    [
        Field("code", "事项编码", required=True, max_length=40, clean="code", aliases=("抽查事项编码",)),
        Field("seq", "序号", "int", required=True, minimum=1, maximum=99999),
        Field("item", "检查项目", required=True, max_length=200, aliases=("抽查项目", "检查事项")),
        Field("sub_item", "检查子项", max_length=200, aliases=("抽查子项",)),
        AGENCY_REF,
        Field("basis", "检查依据", aliases=("抽查依据",)),
        Field("method", "检查方式", max_length=120, aliases=("抽查方式",)),
        Field("content", "检查内容", aliases=("抽查内容",)),
        Field("remark", "备注"),
    ],
)


def _decision_check(r: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
    if r["party_type"] == PartyType.ORGANISATION and not r["party_credit_code"]:
        errors.append(("party_credit_code", "法人或其他组织须填写统一社会信用代码"))
    if r["party_id_number"] and not masking.valid_id_number(r["party_id_number"]):
        errors.append(("party_id_number", "身份证号码校验位不正确"))
    if credit_code_error(r["party_credit_code"]):
        errors.append(("party_credit_code", credit_code_error(r["party_credit_code"])))
    if r["withdrawal_reason"]:
        from types import SimpleNamespace

        from enforcement.disclosure.projection import notice_findings

        found = notice_findings(SimpleNamespace(**{"masking_confirmed": "", **r}), r["withdrawal_reason"])
        if found:
            errors.append(("withdrawal_reason", "撤回理由将向社会公开，不得包含个人信息：" + "、".join(
                f"{f.label}“{f.value}”" for f in found)))
    if r["status"] not in (DecisionStatus.DRAFT, DecisionStatus.IN_REVIEW) and not r["decided_on"]:
        # 法制审核 comes before the decision (行政处罚法 第五十八条): a case in review has no decision date yet
        errors.append(("decided_on", "已作出的决定须填写决定日期"))
    order = [("filed_on", "立案"), ("decided_on", "决定"), ("published_on", "公示"), ("withdrawn_on", "撤回")]
    dated = [(k, lbl, r[k]) for k, lbl in order if r[k]]
    for (_k1, l1, d1), (k2, l2, d2) in zip(dated, dated[1:], strict=False):
        if d2 < d1:
            errors.append((k2, f"{l2}日期早于{l1}日期"))
    if r["status"] == DecisionStatus.WITHDRAWN and not (r["withdrawn_on"] and r["withdrawal_reason"]):
        errors.append(("withdrawal_reason", "已撤回的决定须填写撤回日期和理由"))
    if r["status"] in (DecisionStatus.PUBLISHED, DecisionStatus.WITHDRAWN) and not r["published_on"]:
        errors.append(("published_on", "已公示的决定须填写公示日期"))
    if r["fine_amount"] is not None and PenaltyKind.FINE not in r["penalty_kinds"]:
        errors.append(("penalty_kinds", "有罚款金额时处罚种类须包含罚款"))
    return errors


DECISIONS = RecordSpec(
    "decisions", "执法决定", ("number",),
    [
        Field("number", "决定文号", required=True, max_length=80, aliases=("文号", "决定书文号", "处罚决定书文号")),
        Field("kind", "决定类型", "enum", required=True, enum=DecisionKind),
        Field("status", "状态", "enum", enum=DecisionStatus, default="published"),
        Field("procedure", "程序", "enum", enum=CaseProcedure, default="ordinary"),
        AGENCY_REF,
        Field("title", "案由", max_length=300),
        Field("party_type", "当事人类型", "enum", required=True, enum=PartyType),
        Field("party_name", "当事人名称或姓名", required=True, max_length=200, aliases=("当事人", "当事人名称")),
        Field("party_credit_code", "当事人统一社会信用代码", max_length=18, pattern=CREDIT_CODE, clean="code"),
        Field("party_legal_rep", "法定代表人或经营者", max_length=40),
        Field("party_id_number", "当事人身份证号码（不公开）", max_length=18, clean="code"),
        Field("party_address", "当事人住址（不公开）", max_length=300),
        Field("party_phone", "当事人电话（不公开）", max_length=40, clean="code"),
        Field("party_bank_account", "当事人银行账号（不公开）", max_length=40, clean="code"),
        Field("party_is_minor", "当事人为未成年人", "bool"),
        Field("other_names", "其他人员姓名（证人等，不公开）", "list"),
        Field("facts", "违法事实"),
        Field("basis", "处罚依据"),
        Field("result", "处理结果"),
        Field("penalty_kinds", "处罚种类", "enum_list", enum=PenaltyKind),
        Field("fine_amount", "罚款金额（元）", "decimal", aliases=("罚款", "罚款金额")),
        Field("confiscation_amount", "没收金额（元）", "decimal"),
        Field("discretion_adjusted", "从重或从轻、减轻处罚", "bool"),
        Field("is_major", "重大执法决定", "bool"),
        Field("filed_on", "立案日期", "date"),
        Field("decided_on", "决定日期", "date"),
        Field("published_on", "公示日期", "date"),
        Field("ended_on", "变更/撤销/确认违法或无效日期", "date"),
        Field("ended_reason", "变更/撤销/确认违法或无效原因"),
        Field("withdrawn_on", "撤回公示日期", "date"),
        Field("withdrawal_reason", "撤回公示理由"),
        Field("officers", "执法人员执法证号", "list", aliases=("执法人员",)),
        Field("powers", "行使的职权编码", "list"),
    ],
    check=_decision_check,
    key_normaliser=number_key,
)

SPECS: dict[str, RecordSpec] = {s.kind: s for s in (AGENCIES, OFFICERS, LAWS, POWERS, PROCEDURES, INSPECTION_ITEMS, DECISIONS)}
