"""Account services: password hashing (Argon2id) and user management."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from enforcement.accounts.models import User, UserRole
from enforcement.core import audit_log
from enforcement.core.enums import Role
from enforcement.core.errors import RuleViolation
from enforcement.extensions import db

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_roles(roles: list[str]) -> list[str]:
    unknown = [r for r in roles if r not in Role.labels()]
    if unknown:
        raise RuleViolation("未知角色：" + "、".join(unknown) + "；可选：" + "、".join(Role.labels()))
    return sorted(set(roles))


def create_user(username: str, password: str, roles: list[str], *, display_name: str = "",
                officer_id: int | None = None, agency_id: int | None = None,
                has_legal_qualification: bool = False) -> User:
    username = username.strip()
    if not username:
        raise RuleViolation("用户名不能为空", field="username")
    if db.session.scalar(select(User).where(User.username == username)):
        raise RuleViolation(f"用户名 {username} 已存在", field="username")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(f"密码至少{MIN_PASSWORD_LENGTH}位", field="password")
    user = User(username=username, display_name=display_name or username, password_hash=hash_password(password),
                officer_id=officer_id, agency_id=agency_id, has_legal_qualification=has_legal_qualification)
    user.role_rows = [UserRole(role=r) for r in _check_roles(roles)]
    db.session.add(user)
    db.session.flush()
    audit_log.record("user.create", "user", user.id, after={"username": username, "roles": sorted(user.roles)})
    return user


def set_roles(user: User, roles: list[str]) -> None:
    before = sorted(user.roles)
    wanted = _check_roles(roles)
    user.role_rows = [r for r in user.role_rows if r.role in wanted] + [
        UserRole(role=r) for r in wanted if r not in user.roles
    ]
    db.session.flush()
    audit_log.record("user.set_roles", "user", user.id, before={"roles": before}, after={"roles": wanted})


def disable_user(user: User) -> None:
    user.enabled = False
    db.session.flush()
    audit_log.record("user.disable", "user", user.id, after={"enabled": False})
