"""The one clock: "today" and displayed times in the town's time zone, never the server's.

Deadlines, display periods and expiry are counted in days of the configured
``TIMEZONE`` (default ``Asia/Shanghai``): on a UTC host, ``date.today()`` would
flip expiry at 08:00 Beijing time and show audit histories 8 hours off.
Timestamps are stored as naive UTC (``core.models.utcnow``) and converted only
for display. Tests may pin the day with the ``TODAY`` setting (a ``date``).
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"


@lru_cache(maxsize=8)
def zone(name: str) -> ZoneInfo:
    """The IANA zone called name; raises ValueError for an unknown name (a configuration error)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown TIMEZONE {name!r}: give an IANA name such as Asia/Shanghai") from exc


def local_zone() -> ZoneInfo:
    """The configured zone: the app's ``TIMEZONE`` setting, else the environment's, else Asia/Shanghai."""
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return zone(name or os.environ.get("TIMEZONE") or DEFAULT_TIMEZONE)


def now() -> datetime:
    """The current time in the configured zone (timezone-aware)."""
    return datetime.now(local_zone())


def today() -> date:
    """The date in the configured zone, or the ``TODAY`` setting when one is pinned (tests, drills)."""
    pinned = current_app.config.get("TODAY") if has_app_context() else None
    if pinned:
        return pinned if isinstance(pinned, date) else date.fromisoformat(str(pinned))
    return now().date()


def to_local(value: datetime | None) -> datetime | None:
    """A stored naive-UTC (or aware) timestamp as an aware time in the configured zone; None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(local_zone())


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored timestamp formatted in the configured zone (the ``localtime`` template filter)."""
    local = to_local(value)
    return local.strftime(fmt) if local else ""
