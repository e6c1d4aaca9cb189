"""Forms for findings and their rectification."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class FindingForm(FlaskForm):
    subject = StringField("问题摘要", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("问题描述和整改要求", validators=[DataRequired(), Length(max=5000)])
    agency_id = SelectField("整改责任主体", coerce=int, validators=[DataRequired()])
    due_on = DateField("整改期限", validators=[DataRequired()])
    check_code = HiddenField()
    entity = HiddenField()
    entity_id = HiddenField()


class ResponseForm(FlaskForm):
    response = TextAreaField("整改情况", validators=[DataRequired(), Length(max=5000)])


class ReopenForm(FlaskForm):
    reason = TextAreaField("退回或重新打开的理由", validators=[DataRequired(), Length(max=2000)])
    due_on = DateField("新的整改期限", validators=[DataRequired()])


class CloseForm(FlaskForm):
    note = TextAreaField("销号意见", validators=[DataRequired(message="请填写销号意见"), Length(max=2000)])
    confirm = BooleanField("我已核实整改情况，确认销号", validators=[DataRequired(message="请勾选确认后再销号")])
