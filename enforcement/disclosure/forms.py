"""Staff forms. The category forms are built from the import record formats (``formats.SPECS``):
the same labels, and the services validate them with the same parser, so a field means one thing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from enforcement.accounts.forms import MultiCheckboxField
from enforcement.core.enums import RecordKind
from enforcement.core.records import Field as SpecField
from enforcement.disclosure.formats import SPECS
from enforcement.disclosure.lifecycle import ENDINGS, OFFICER_FLAG, REVIEW_CHECKLIST
from enforcement.disclosure.models import Agency, Officer, Power
from enforcement.extensions import db

# Lifecycle fields a draft form never edits (each changes through its own step).
DECISION_LIFECYCLE_FIELDS = ("status", "decided_on", "published_on", "ended_on", "ended_reason", "withdrawn_on",
                             "withdrawal_reason")
LABEL_OVERRIDES = {
    "decisions": {"is_major": "其他重大情形（涉及重大公共利益、重大权益须听证、案情复杂涉及多个法律关系等），须经法制审核",
                  "officers": "承办执法人员（至少2名，执法证在决定日有效）", "powers": "行使的职权"},
}
DATE_INPUT = {"type": "date"}


def _wtf_field(f: SpecField, label: str) -> Field:
    label = f"{label}（必填）" if f.required else label
    if f.type == "bool":
        return BooleanField(label)
    if f.type == "enum":
        choices = ([] if f.required else [("", "（未填）")]) + f.enum.choices()
        return SelectField(label, choices=choices, validate_choice=False)
    if f.type == "enum_list":
        return MultiCheckboxField(label, choices=f.enum.choices(), validate_choice=False)
    if f.name == "agency_credit_code":
        return SelectField("执法主体（必填）", validate_choice=False)
    if f.name == "officers":
        return MultiCheckboxField(label, validate_choice=False)
    if f.name == "powers":
        return SelectMultipleField(label, validate_choice=False, render_kw={"size": 8})
    if f.type == "list":
        return TextAreaField(label, description="每行一项")
    if f.type == "date":
        return StringField(label, render_kw=DATE_INPUT)
    if f.type in ("int", "decimal"):
        return StringField(label, render_kw={"inputmode": "decimal" if f.type == "decimal" else "numeric"})
    if f.type == "str" and f.max_length and f.max_length <= 300:
        return StringField(label, render_kw={"maxlength": f.max_length})
    return TextAreaField(label)


_FORM_CLASSES: dict[str, type[FlaskForm]] = {}


def record_form_class(kind: str) -> type[FlaskForm]:
    """The form for one category, its fields in the record format's order."""
    if kind not in _FORM_CLASSES:
        exclude = DECISION_LIFECYCLE_FIELDS if kind == "decisions" else ()
        labels = LABEL_OVERRIDES.get(kind, {})
        attrs: dict[str, Any] = {f.name: _wtf_field(f, labels.get(f.name, f.label))
                                 for f in SPECS[kind].fields if f.name not in exclude}
        attrs["version"] = HiddenField()
        _FORM_CLASSES[kind] = type(f"{kind.title().replace('-', '')}Form", (FlaskForm,), attrs)
    return _FORM_CLASSES[kind]


def _as_input(value: Any, list_as_text: bool) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, list) and list_as_text:
        return "\n".join(value)
    return "" if value is None else value


def record_form(kind: str, record: dict[str, Any] | None = None, version: int | None = None) -> FlaskForm:
    """A bound form: the submitted input, or else the stored record (``exporting.full_record``)."""
    cls = record_form_class(kind)
    form = cls()
    if not form.is_submitted() and record is not None:
        for name, field in form._fields.items():
            if name in record:
                field.data = _as_input(record[name], isinstance(field, TextAreaField))
        form.version.data = version
    _fill_choices(form)
    return form


def _fill_choices(form: FlaskForm) -> None:
    if "agency_credit_code" in form:
        agencies = db.session.execute(select(Agency.credit_code, Agency.name).order_by(Agency.id)).all()
        form.agency_credit_code.choices = [("", "请选择")] + [(c, n) for c, n in agencies]
    if "officers" in form:
        officers = db.session.execute(select(Officer.credential_number, Officer.name, Officer.credential_expires_on)
                                      .order_by(Officer.name)).all()
        form.officers.choices = [(c, f"{n}（{c}，有效期至{e.isoformat()}）") for c, n, e in officers]
    if "powers" in form:
        powers = db.session.execute(select(Power.code, Power.name).order_by(Power.code)).all()
        form.powers.choices = [(c, f"{c} {n}") for c, n in powers]


def form_input(form: FlaskForm) -> dict[str, Any]:
    """The raw values the services validate (everything but the CSRF token and the version)."""
    return {name: f.data for name, f in form._fields.items() if name not in ("csrf_token", "version")}


def form_version(form: FlaskForm) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


def decision_record(d) -> dict[str, Any]:
    from enforcement.disclosure.exporting import full_record

    record = full_record("decisions", d)
    record["is_major"] = OFFICER_FLAG in (d.major_reasons or "")
    return record


class ReviewForm(FlaskForm):
    passed = RadioField("审核结论", choices=[("1", "通过"), ("0", "不通过，退回修改")],
                        validators=[InputRequired("请选择审核结论")])
    opinion = TextAreaField("书面审核意见", validators=[DataRequired("请填写书面审核意见")])
    reviewed_on = DateField("审核日期", validators=[InputRequired("请填写审核日期")], render_kw=DATE_INPUT,
                            default=date.today)
    checklist = MultiCheckboxField("审核要点（审核通过须逐项确认）", choices=list(REVIEW_CHECKLIST))


class DecideForm(FlaskForm):
    decided_on = DateField("决定日期", validators=[InputRequired("请填写决定日期")], render_kw=DATE_INPUT,
                           default=date.today)
    version = HiddenField()


class EndForm(FlaskForm):
    how = RadioField("结果", choices=[(k.value, v) for k, v in ENDINGS.items()], validators=[InputRequired("请选择")])
    ended_on = DateField("日期", validators=[InputRequired("请填写日期")], render_kw=DATE_INPUT, default=date.today)
    reason = TextAreaField("原因（公示期间将随决定公开，个人信息自动隐去）", validators=[DataRequired("请填写原因")])
    version = HiddenField()


class WithdrawForm(FlaskForm):
    reason = TextAreaField("撤回理由（将向社会公开，不得包含个人信息）",
                           validators=[DataRequired("请填写撤回理由"), Length(max=2000, message="不超过2000字")])
    version = HiddenField()


class RecusalForm(FlaskForm):
    officer_id = SelectField("申请回避的执法人员", coerce=int, validate_choice=False)
    reason = TextAreaField("回避理由", validators=[DataRequired("请填写回避理由")])


class RecordForm(FlaskForm):
    kind = SelectField("记录类型", choices=RecordKind.choices(), validators=[DataRequired("请选择记录类型")])
    title = StringField("标题", validators=[Optional(), Length(max=200, message="不超过200字")])
    file = FileField("文件")
    supersedes_id = SelectField("更正的记录（如为更正，选择被更正的原记录）", coerce=lambda v: int(v) if v else None,
                                validate_choice=False)


class AssignForm(FlaskForm):
    username = StringField("被指派的执法人员账号", validators=[DataRequired("请填写账号"), Length(max=80)])
    reason = TextAreaField("指派理由（联合执法的依据）",
                           validators=[DataRequired("请填写指派理由"), Length(max=2000, message="不超过2000字")])
