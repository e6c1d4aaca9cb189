"""Training forms: they parse input; the rules live in courses/assessments services."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation

from enforcement.core.enums import SessionFormat, SessionMode, TrainingSubject
from enforcement.core.masking.normalise import normalise

_HOURS = re.compile(r"\d{1,3}(?:\.\d)?")


class HoursField(DecimalField):
    """学时 as people type them: full-width digits and point (２．５), a trailing 学时/小时/课时, one
    decimal place at most. Anything else ("1,5", "二", "1e1") is refused with what to write instead,
    never read as some other number; "0" reaches the range check and its message."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = re.sub(r"\s*(?:学时|小时|课时)$", "", normalise(str(valuelist[0])).strip())
        self.data = None
        if text and not _HOURS.fullmatch(text):
            raise ValueError("学时应为数字，最多一位小数，如 2.5")
        if text:
            self.data = Decimal(text)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the parsing message says it all; no range message about nothing


class CourseForm(FlaskForm):
    code = StringField("课程编号", validators=[DataRequired("请填写课程编号"), Length(max=40)])
    title = StringField("课程名称", validators=[DataRequired("请填写课程名称"), Length(max=200)])
    subject = SelectField("科目", choices=TrainingSubject.choices())
    hours = HoursField("课程学时", places=1, validators=[InputRequired("请填写学时"), NumberRange(0.5, 200)])
    description = TextAreaField("课程简介", validators=[Optional(), Length(max=4000)])
    materials = TextAreaField("学习资料（每行一项：名称 | 链接）", validators=[Optional(), Length(max=4000)])
    citations = TextAreaField("讲授的法条（每行一条，如《北京市燃气管理条例》第二十七条）",
                              validators=[Optional(), Length(max=4000)])


class SessionForm(FlaskForm):
    mode = SelectField("培训形式", choices=SessionMode.choices())
    format = SelectField("组织方式", choices=SessionFormat.choices())
    held_on = DateField("日期（自学：开始日期）", validators=[DataRequired("请填写日期")])
    until = DateField("自学截止日期", validators=[Optional()])
    hours = HoursField("本场次学时", places=1, validators=[InputRequired("请填写学时"), NumberRange(0.5, 40)])
    place = StringField("地点或平台", validators=[Optional(), Length(max=200)])
    instructor = StringField("授课人", validators=[Optional(), Length(max=80)])
    capacity = IntegerField("容纳人数（不限可不填）", validators=[Optional(), NumberRange(1, 10000)])


class SignInForm(FlaskForm):
    officer_id = SelectField("执法人员", coerce=int)
    hours = HoursField("实到学时（部分参加可少于场次学时）", places=1,
                         validators=[InputRequired("请填写学时"), NumberRange(0.5, 40, "学时应在0.5到40之间")])


class SelfStudyForm(FlaskForm):
    attended_on = DateField("学习日期", validators=[DataRequired("请填写学习日期")])
    hours = HoursField("学时", places=1, validators=[InputRequired("请填写学时"), NumberRange(0.5, 40, "学时应在0.5到40之间")])
    evidence_file = FileField("学习凭证文件（学习平台记录截图或导出、笔记扫描件）")
    note = TextAreaField("说明（可选：学习内容、学习平台记录编号）", validators=[Optional(), Length(max=2000)])


class ApproveForm(FlaskForm):
    """Approve one pending self-study declaration (the CSRF token is the whole form)."""


class RejectForm(FlaskForm):
    reason = TextAreaField("退回理由", validators=[DataRequired("请填写退回理由"), Length(max=2000)])


class ImportForm(FlaskForm):
    file = FileField("签到表文件（XLSX 或 CSV）", validators=[FileRequired("请选择文件")])
