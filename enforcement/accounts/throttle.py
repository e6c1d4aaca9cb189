"""Login throttling with counters the database updates atomically.

Each attempt first reserves a slot: ``UPDATE … SET failures = failures + 1
WHERE key = … AND failures < limit``. The database serialises those updates
(SQLite's write lock, PostgreSQL's row lock with the condition re-checked), so
however many guesses arrive at once, at most ``limit`` passwords are checked
per window; a success gives its slot back. Keys:

- ``account:NAME``: 5 failures in 15 minutes lock the account name (known or
  not, so the answer tells nothing about which names exist).
- ``address:ADDR``: 20 failures in 15 minutes from one client address lock
  that address out of *other* accounts only: an account that has logged in
  successfully from this address before (within 90 days) is not locked by
  someone else's failures there (OWASP Authentication cheat sheet, "known
  devices"), so one guesser behind an office's address cannot lock the office
  out. The address is ``request.remote_addr``, which the proxy configuration
  makes the real client's.

ASVS 4.0 V2.2.1 (anti-automation), V2.2.2.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from enforcement.accounts.models import LoginAttempt, LoginThrottle
from enforcement.extensions import db

KNOWN_ADDRESS_DAYS = 90


def figures() -> tuple[timedelta, int, int]:
    """(window, failures allowed per account, per address), from the app config."""
    config = current_app.config
    return (timedelta(seconds=config.get("LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60)),
            config.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
            config.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20))


def reserve(key: str, limit: int, window: timedelta, now: datetime) -> datetime | None:
    """Count one attempt against ``key``, committed at once. None when allowed; otherwise when the key frees.

    The caller's session must hold no pending writes (they would be committed here)."""
    t = LoginThrottle.__table__
    for _ in range(3):
        db.session.execute(update(t).where(t.c.key == key, t.c.window_started <= now - window)
                           .values(failures=0, window_started=now))
        taken = db.session.execute(update(t).where(t.c.key == key, t.c.failures < limit)
                                   .values(failures=t.c.failures + 1)).rowcount
        if taken:
            db.session.commit()
            return None
        started = db.session.scalar(select(t.c.window_started).where(t.c.key == key))
        if started is not None:
            db.session.commit()
            return started + window
        try:
            db.session.execute(t.insert().values(key=key, failures=1, window_started=now))
            db.session.commit()
            return None
        except IntegrityError:  # another request created the row first: take a slot in it
            db.session.rollback()
    return now + window


def give_back(key: str, *, success: bool) -> None:
    """Return a reserved slot. A successful login also forgets the account's earlier failures."""
    t = LoginThrottle.__table__
    if success and key.startswith("account:"):
        db.session.execute(delete(t).where(t.c.key == key))
    else:
        db.session.execute(update(t).where(t.c.key == key, t.c.failures > 0).values(failures=t.c.failures - 1))


def known_address(username: str, remote_addr: str, now: datetime) -> bool:
    """Has this account logged in successfully from this address recently?"""
    return db.session.scalar(select(LoginAttempt.id).where(
        LoginAttempt.username == username, LoginAttempt.remote_addr == remote_addr,
        LoginAttempt.success.is_(True), LoginAttempt.at >= now - timedelta(days=KNOWN_ADDRESS_DAYS)).limit(1)) is not None


def minutes_until(freed_at: datetime, now: datetime) -> int:
    return max(1, math.ceil((freed_at - now).total_seconds() / 60))
