"""Account forms: login, and the admin's user pages (Chinese labels and messages)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from enforcement.accounts.services import MIN_PASSWORD_LENGTH
from enforcement.core.enums import Role


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of check boxes (roles, penalty kinds, officers)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=80)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200)])


class UserForm(FlaskForm):
    """Create (password required) or edit (password optional: set only when given) a user."""

    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=80, message="不超过80个字符")])
    display_name = StringField("姓名", validators=[Optional(), Length(max=80, message="不超过80个字符")])
    password = PasswordField(f"密码（至少{MIN_PASSWORD_LENGTH}位）", validators=[Optional(), Length(max=200)])
    roles = MultiCheckboxField("角色", choices=Role.choices(), validators=[DataRequired("请至少选择一个角色")])
    officer_id = SelectField("关联执法人员", coerce=lambda v: int(v) if v else None, validate_choice=False)
    has_legal_qualification = BooleanField("持有法律职业资格（可担任法制审核人员）")
    enabled = BooleanField("账号启用", default=True)
