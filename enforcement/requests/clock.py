"""The statutory clock of a request, on the official working-day calendar (政府信息公开条例 arts. 30–34).

All periods are working days (``enforcement.core.calendar``: statutory
holidays and make-up working days), and "within N working days of X" means the
N-th working day after X (X itself does not count), as the calendar counts it.

- answer within ``ANSWER_DAYS`` (20) of receipt (art. 33), or of receipt of the
  correction when one was asked for (art. 30);
- one extension of at most ``MAX_EXTENSION_DAYS`` (20), approved by the head of
  the disclosure office (art. 33);
- the correction notice goes out within ``CORRECTION_NOTICE_DAYS`` (7) of receipt
  (art. 30);
- a third party (art. 32) or co-producing body (art. 34) has
  ``CONSULTATION_DAYS`` (15) to answer; that time is not counted (art. 33).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from enforcement.core import calendar
from enforcement.requests.codes import Channel, EventKind

ANSWER_DAYS = 20
MAX_EXTENSION_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
CONSULTATION_DAYS = 15
DEFAULT_CORRECTION_PERIOD = 15  # the "reasonable period" offered to the applicant, working days (a default)
WARN_DAYS = 5  # staff see a warning this many working days before a due date
TIMEZONE = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Today in China (the rules' time zone), never the server's."""
    return datetime.now(TIMEZONE).date()


def receipt_date(channel: str, submitted_on: date, signed_or_confirmed_on: date | None) -> date | None:
    """The day a request counts as received (条例第三十一条), or None while it is not yet.

    ``in_person``: the day submitted; ``registered_post``: the day the office signed for it
    (``signed_or_confirmed_on``, the submission day if not given); ``ordinary_post``, ``online`` and
    ``fax``: the day the office and the applicant confirm it (None until then). A confirmation before
    submission is refused with ValueError.
    """
    if signed_or_confirmed_on is not None and signed_or_confirmed_on < submitted_on:
        raise ValueError("确认或签收日期不能早于提交日期")
    if channel == Channel.IN_PERSON:
        return submitted_on
    if channel == Channel.REGISTERED_POST:
        return signed_or_confirmed_on or submitted_on
    if channel in (Channel.ORDINARY_POST, Channel.ONLINE, Channel.FAX):
        return signed_or_confirmed_on
    raise ValueError(f"未知的申请渠道：{channel}")


def working_days(start: date, n: int) -> date:
    """The n-th working day after ``start``. Across a year the calendar does not know yet, Mon–Fri is
    assumed for that year (see ``is_provisional``), as ``calendar.deadline`` does."""
    return calendar.deadline(start, n).due


def is_provisional(start: date, n: int) -> bool:
    """Whether the n-th working day after ``start`` crosses a year whose official calendar is not entered."""
    return calendar.deadline(start, n).provisional


def between(start: date, end: date) -> int:
    """Working days d with start < d <= end (Mon–Fri for a year the calendar does not know)."""
    try:
        return calendar.working_days_between(start, end)
    except calendar.UnknownYear:
        return calendar.MondayToFriday().working_days_between(start, end)


def correction_notice_due(received_on: date) -> date:
    """The last day to send the one correction notice (art. 30: 7 working days of receipt)."""
    return working_days(received_on, CORRECTION_NOTICE_DAYS)


def consultation_due(sent_on: date) -> date:
    """The last day for the third party's views (art. 32/34: 15 working days of the letter)."""
    return working_days(sent_on, CONSULTATION_DAYS)


def paused_days(sent_on: date, ended_on: date) -> int:
    """Working days a consultation stopped the clock: those after ``sent_on`` up to ``ended_on``,
    at most ``CONSULTATION_DAYS`` (time past the third party's period is the office's own)."""
    return min(max(between(sent_on, ended_on), 0), CONSULTATION_DAYS)


@dataclass(frozen=True)
class ClockState:
    """What the events say: when the clock started, what it owes, and the open pauses."""

    clock_start: date | None
    due_on: date | None
    correction_due_on: date | None
    extended_days: int
    paused_days: int
    open_consultation: date | None  # the day an unanswered consultation was sent
    provisional: bool = False  # the due date crosses a year whose official calendar is not entered yet


def replay(received_on: date | None, events) -> ClockState:
    """Recompute the clock from the request's events (each with ``kind``, ``on``, ``until``, ``days``).

    A correction received restarts the clock from its receipt (art. 30); extensions add their days
    (art. 33); a consultation adds the working days it lasted, and while one is open the full 15 days
    are reserved (art. 33 third paragraph). While a correction is awaited there is no answer due date.
    """
    start, extended, paused = received_on, 0, 0
    correction_due, consulting, awaiting_correction = None, None, False
    for e in events:
        if e.kind == EventKind.CORRECTION_REQUESTED:
            correction_due, awaiting_correction = e.until, True
        elif e.kind == EventKind.CORRECTED:
            start, paused, extended, awaiting_correction = e.on, 0, 0, False
        elif e.kind == EventKind.EXTENDED:
            extended += e.days
        elif e.kind == EventKind.CONSULTATION_STARTED:
            consulting = e.on
        elif e.kind == EventKind.CONSULTATION_ENDED:
            paused += e.days
            consulting = None
    if start is None or awaiting_correction:
        return ClockState(start, None, correction_due, extended, paused, consulting)
    reserve = CONSULTATION_DAYS if consulting else 0
    deadline = calendar.deadline(start, ANSWER_DAYS + extended + paused + reserve)
    return ClockState(start, deadline.due, correction_due, extended, paused, consulting, deadline.provisional)


def warning(due_on: date | None, on: date) -> str:
    """'overdue', 'soon' (within WARN_DAYS working days) or '' for a due date seen on ``on``."""
    if due_on is None:
        return ""
    if due_on < on:
        return "overdue"
    if between(on, due_on) <= WARN_DAYS:
        return "soon"
    return ""
