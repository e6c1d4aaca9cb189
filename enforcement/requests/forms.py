"""Forms: the citizen's request, the status look-up and correction, and the staff's clock actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from enforcement.requests.codes import (
    OUTCOMES,
    AppealKind,
    AppealResult,
    ApplicantType,
    Channel,
    Delivery,
    IdDocument,
    ProvisionForm,
)


class ApplicantFields(FlaskForm):
    """条例第二十九条: who asks, how to reach them, what they want and in which form."""

    applicant_type = SelectField("申请人类型", choices=ApplicantType.choices(), validators=[DataRequired()])
    name = StringField("申请人姓名或名称", validators=[DataRequired(), Length(max=120)])
    contact_person = StringField("联系人（法人或其他组织填写）", validators=[Optional(), Length(max=60)])
    id_document_type = SelectField("身份证明类型", choices=IdDocument.choices(), validators=[DataRequired()])
    id_document_number = StringField("身份证明号码", validators=[DataRequired(), Length(max=40)])
    phone = StringField("联系电话", validators=[Optional(), Length(max=40)])
    email = StringField("电子邮箱", validators=[Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="电子邮箱格式不正确"), Length(max=120)])
    address = StringField("通信地址", validators=[Optional(), Length(max=200)])
    description = TextAreaField("所需政府信息的名称、文号或便于查询的其他特征性描述",
                                validators=[DataRequired(), Length(min=5, max=4000)])
    provision_form = SelectField("信息的提供形式", choices=ProvisionForm.choices(), validators=[DataRequired()])
    delivery = SelectField("获取信息的方式", choices=Delivery.choices(), validators=[DataRequired()])


class RequestForm(ApplicantFields):
    attachments = MultipleFileField("附件（可选，最多3个，每个不超过5MB：PDF、JPG、PNG、TXT、DOC、DOCX）")
    answer = StringField("验证题", validators=[DataRequired(message="请回答验证题"), Length(max=4)])
    token = HiddenField()
    privacy = BooleanField("我已阅读并同意上述个人信息处理说明", validators=[DataRequired(message="请阅读并同意个人信息处理说明")])


class RegisterForm(ApplicantFields):
    channel = SelectField("申请渠道", choices=[c for c in Channel.choices()], validators=[DataRequired()])
    submitted_on = DateField("提交（寄出、发送）日期", validators=[DataRequired()])
    signed_or_confirmed_on = DateField("签收或与申请人确认的日期（邮寄签收、平常信函、传真、网上申请）",
                                       validators=[Optional()])


class StatusForm(FlaskForm):
    tracking_number = StringField("申请编号", validators=[DataRequired(), Length(max=20)])
    code = StringField("查询码", validators=[DataRequired(), Length(max=20)])


class CitizenCorrectionForm(StatusForm):
    text = TextAreaField("补正内容", validators=[DataRequired(), Length(max=4000)])


class OnForm(FlaskForm):
    on = DateField("日期", validators=[DataRequired()])


class CorrectionForm(OnForm):
    what = TextAreaField("需要补正的事项", validators=[DataRequired(), Length(max=2000)])
    period_days = IntegerField("补正期限（工作日）", default=15, validators=[DataRequired(), NumberRange(min=1, max=60)])


class CorrectedForm(OnForm):
    text = TextAreaField("补正内容（当面、邮寄收到的补正）", validators=[DataRequired(), Length(max=4000)])


class ConsultForm(OnForm):
    party = StringField("被征求意见的第三方或机关", validators=[DataRequired(), Length(max=200)])
    approved_by = StringField("批准人", validators=[DataRequired(), Length(max=80)])


class ConsultEndForm(OnForm):
    views = TextAreaField("第三方意见（逾期未提出的留空）", validators=[Optional(), Length(max=2000)])


class ExtendForm(OnForm):
    days = IntegerField("延长工作日数", default=20, validators=[DataRequired(), NumberRange(min=1, max=20)])
    approved_by = StringField("批准人（政府信息公开工作机构负责人）", validators=[DataRequired(), Length(max=80)])
    reason = TextAreaField("延长理由", validators=[DataRequired(), Length(max=1000)])


class AnswerForm(FlaskForm):
    outcome = SelectField("答复结果", choices=[(o.code, f"{o.group_label} · {o.label}" if o.group not in ("granted", "partial")
                                                 else o.label) for o in OUTCOMES if o.code != "other.no_correction"],
                          validators=[DataRequired()])
    legal_basis = TextAreaField("法律依据", validators=[DataRequired(message="每一种答复都必须写明法律依据"), Length(max=1000)])
    reasons = TextAreaField("理由（部分公开、不予公开、不予处理必填）", validators=[Optional(), Length(max=4000)])
    provided = TextAreaField("提供的信息（随告知书附送的内容，或获取方式、途径）", validators=[Optional(), Length(max=4000)])
    public_url = StringField("已主动公开信息在本平台的地址（如 /decisions/12）", validators=[Optional(), Length(max=300)])
    information_key = StringField("所申请信息的简称（用于识别多人申请的相同信息）", validators=[Optional(), Length(max=120)])
    answered_on = DateField("答复日期", validators=[DataRequired()])


class AppealForm(FlaskForm):
    kind = SelectField("类型", choices=AppealKind.choices(), validators=[DataRequired()])
    filed_on = DateField("提起日期", validators=[DataRequired()])
    body = StringField("复议机关或法院", validators=[Optional(), Length(max=200)])


class AppealResultForm(FlaskForm):
    result = SelectField("结果", choices=AppealResult.choices(), validators=[DataRequired()])
    decided_on = DateField("审结日期", validators=[Optional()])
    note = TextAreaField("说明", validators=[Optional(), Length(max=1000)])


class ReportForm(FlaskForm):
    overview = TextAreaField("一、总体情况", validators=[Optional(), Length(max=20000)])
    problems = TextAreaField("五、存在的主要问题及改进情况", validators=[Optional(), Length(max=20000)])
    other_matters = TextAreaField("六、其他需要报告的事项", validators=[Optional(), Length(max=20000)])
    rules_made = StringField("规章：本年制发件数", default="0", validators=[Length(max=12)])
    rules_repealed = StringField("规章：本年废止件数", default="0", validators=[Length(max=12)])
    rules_in_force = StringField("规章：现行有效件数", default="0", validators=[Length(max=12)])
    normative_made = StringField("行政规范性文件：本年制发件数", default="0", validators=[Length(max=12)])
    normative_repealed = StringField("行政规范性文件：本年废止件数", default="0", validators=[Length(max=12)])
    normative_in_force = StringField("行政规范性文件：现行有效件数", default="0", validators=[Length(max=12)])
    fees = StringField("行政事业性收费：本年收费金额（万元）", default="0", validators=[Length(max=16)])
