"""Forms for plans, results, conflicts and the target-pool upload."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class PlanForm(FlaskForm):
    number = StringField("计划编号", validators=[DataRequired(), Length(max=80)])
    title = StringField("计划名称", validators=[DataRequired(), Length(max=200)])
    item_id = SelectField("抽查事项", coerce=int, validators=[DataRequired()])
    target_category = StringField("检查对象类别（留空为全部）", validators=[Optional(), Length(max=60)])
    ratio_percent = StringField("抽查比例（%）", default="5", validators=[DataRequired(), Length(max=10)])
    inspectors_per_target = IntegerField("每个对象的执法检查人员数", default=2,
                                         validators=[DataRequired(), NumberRange(min=1, max=10)])
    period_start = DateField("检查期间开始", validators=[DataRequired()])
    period_end = DateField("检查期间结束", validators=[DataRequired()])
    draw_on = DateField("抽取日期", validators=[DataRequired()])


class ResultForm(FlaskForm):
    inspected_on = DateField("检查日期", validators=[DataRequired()])
    outcome = TextAreaField("检查结果", validators=[DataRequired(), Length(max=2000)])
    problems_found = BooleanField("发现问题")


class ConflictForm(FlaskForm):
    """A conflict of interest (回避) declared by picking an officer and a target from the two pools;
    the views fill the choices (``conflict_choices``)."""

    officer_id = SelectField("执法人员", coerce=int, validators=[DataRequired(message="请选择执法人员")])
    target_id = SelectField("检查对象", coerce=int, validators=[DataRequired(message="请选择检查对象")])
    reason = TextAreaField("利害关系说明", validators=[DataRequired(message="请说明利害关系"), Length(max=500, message="不超过500字")])


class TargetUploadForm(FlaskForm):
    file = FileField("名录库文件（XLSX 或 CSV）", validators=[FileRequired()])
