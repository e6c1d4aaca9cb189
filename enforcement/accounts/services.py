"""Account services: password hashing (Argon2id), login with throttling, and user management."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from enforcement.accounts import throttle
from enforcement.accounts.models import LoginAttempt, User, UserRole
from enforcement.core import audit_log
from enforcement.core.enums import Role
from enforcement.core.errors import RuleViolation
from enforcement.core.models import utcnow
from enforcement.extensions import db

_hasher = PasswordHasher()  # Argon2id with the library's recommended cost
# A test suite hashes hundreds of passwords; under TESTING only, the cheapest valid Argon2id parameters.
_test_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _password_hasher() -> PasswordHasher:
    return _test_hasher if current_app and current_app.testing else _hasher
MIN_PASSWORD_LENGTH = 12  # ASVS 4.0 V2.1.1
MIN_PASSWORD_SCORE = 3  # zxcvbn 0..4: 3 is "safely unguessable: moderate protection from offline attacks"


def check_password_policy(password: str, user_inputs: list[str] | None = None) -> None:
    """Refuse a password shorter than MIN_PASSWORD_LENGTH, or one zxcvbn scores below MIN_PASSWORD_SCORE:
    common passwords, keyboard walks, dates, repeats, the user's own name (ASVS 4.0 V2.1.1, V2.1.7).

    Raises RuleViolation(field="password") with the reason in Chinese."""
    from zxcvbn import zxcvbn

    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(f"密码至少{MIN_PASSWORD_LENGTH}位", field="password")
    if len(password) > 200:
        raise RuleViolation("密码不超过200位", field="password")
    if zxcvbn(password[:100], user_inputs=[u for u in (user_inputs or []) if u])["score"] < MIN_PASSWORD_SCORE:
        raise RuleViolation("密码太容易被猜中（常用密码、连续数字或键盘序列、日期、重复字符或包含用户名），"
                            "请使用更长、更不规则的密码，例如几个不相关的词组合", field="password")


def hash_password(password: str) -> str:
    return _password_hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _password_hasher().verify(user.password_hash, password)
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
    check_password_policy(password, [username, display_name])
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
    if wanted != before:
        end_sessions(user)  # a session keeps no role the account no longer holds
    db.session.flush()
    audit_log.record("user.set_roles", "user", user.id, before={"roles": before}, after={"roles": wanted})


def disable_user(user: User) -> None:
    user.enabled = False
    end_sessions(user)
    db.session.flush()
    audit_log.record("user.disable", "user", user.id, after={"enabled": False})


def enable_user(user: User) -> None:
    user.enabled = True
    db.session.flush()
    audit_log.record("user.enable", "user", user.id, before={"enabled": False}, after={"enabled": True})


def set_password(user: User, password: str) -> None:
    """A new password (policy checked); every open session of the account ends."""
    check_password_policy(password, [user.username, user.display_name])
    user.password_hash = hash_password(password)
    end_sessions(user)
    db.session.flush()
    audit_log.record("user.set_password", "user", user.id)  # never the hash itself


def end_sessions(user: User) -> None:
    """Invalidate every session cookie of ``user`` at once (the cookie's id carries the old version)."""
    user.session_version = (user.session_version or 1) + 1


def update_profile(user: User, *, display_name: str, officer_id: int | None, agency_id: int | None,
                   has_legal_qualification: bool) -> None:
    fields = ("display_name", "officer_id", "agency_id", "has_legal_qualification")
    before = {f: getattr(user, f) for f in fields}
    if officer_id is not None and db.session.scalar(
            select(User.id).where(User.officer_id == officer_id, User.id != user.id)):
        raise RuleViolation("该执法人员已关联其他账号", field="officer_id")
    user.display_name = display_name.strip() or user.username
    user.officer_id, user.agency_id, user.has_legal_qualification = officer_id, agency_id, has_legal_qualification
    after = {f: getattr(user, f) for f in fields}
    if after != before:
        db.session.flush()
        audit_log.record("user.update", "user", user.id, before=before, after=after)


def ensure_an_admin_remains(user: User, roles: list[str] | None = None, enabled: bool = True) -> None:
    """Refuse the change that would leave nobody able to manage accounts."""
    keeps_admin = enabled and Role.ADMIN in (roles if roles is not None else user.roles)
    if keeps_admin or Role.ADMIN not in user.roles or not user.enabled:
        return
    others = db.session.scalar(
        select(func.count()).select_from(User).join(UserRole)
        .where(UserRole.role == Role.ADMIN, User.enabled.is_(True), User.id != user.id)
    )
    if not others:
        raise RuleViolation("不能停用或撤销最后一个系统管理员")


def find_user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise RuleViolation(f"用户 {username} 不存在", field="username")
    return user


# --- Login and throttling -------------------------------------------------------------------

class LoginThrottled(RuleViolation):
    """Too many failures for this account or address: the attempt is not even checked."""


def _refuse_login(username: str, remote_addr: str, message: str, *, count_failure: bool,
                  exc: type[RuleViolation] = RuleViolation) -> None:
    """Record the refused attempt in its own transaction, then raise."""
    db.session.rollback()
    if count_failure:
        db.session.add(LoginAttempt(username=username, remote_addr=remote_addr, at=utcnow(), success=False))
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            user.failed_logins += 1
    audit_log.record("user.login", "user", username, reason=message, outcome="refused",
                     actor=username or "anonymous", remote_addr=remote_addr)
    db.session.commit()
    raise exc(message)


def authenticate(username: str, password: str, remote_addr: str) -> User:
    """The user these credentials belong to, or a refusal (wrong, disabled, or throttled: ``LoginThrottled``).

    Throttling (``throttle``) reserves the attempt atomically before the password is checked."""
    username, remote_addr = username.strip()[:80], (remote_addr or "")[:64]
    window, per_account, per_address = throttle.figures()
    now = utcnow()
    db.session.commit()  # nothing pending: the reservations below commit on their own
    keys = [(f"account:{username}", per_account, "该账号")]
    if not throttle.known_address(username, remote_addr, now):
        keys.append((f"address:{remote_addr}", per_address, "您所在的网络地址"))
    reserved = []
    for key, limit, who in keys:
        freed_at = throttle.reserve(key, limit, window, now)
        if freed_at is not None:
            for taken in reserved:  # a refused attempt checks no password: it uses no slot
                throttle.give_back(taken, success=False)
            db.session.commit()
            _refuse_login(username, remote_addr,
                          f"{who}登录失败次数过多，为保护账号安全已暂停登录，请{throttle.minutes_until(freed_at, now)}分钟后再试。",
                          count_failure=False, exc=LoginThrottled)
        reserved.append(key)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        _password_hasher().hash(password)  # spend the same time as a real check: no user-name oracle
    if user is None or not verify_password(user, password) or not user.enabled:
        _refuse_login(username, remote_addr, "用户名或密码错误，或账号已停用", count_failure=True)
    for key in reserved:
        throttle.give_back(key, success=True)
    db.session.add(LoginAttempt(username=username, remote_addr=remote_addr, at=now, success=True))
    user.failed_logins, user.last_login_at = 0, now
    if _password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    audit_log.record("user.login", "user", user.id, actor=user.username, remote_addr=remote_addr)
    return user
