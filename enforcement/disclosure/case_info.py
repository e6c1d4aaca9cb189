"""What a case page shows besides its steps: deadlines on the working-day calendar, warnings,
and whether its officers make the two credentialed officers the law requires (行政处罚法 art. 42)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from enforcement.core import calendar, clock, settings
from enforcement.core.enums import DecisionStatus
from enforcement.disclosure import rules
from enforcement.disclosure.models import Decision

MIN_OFFICERS = 2


def officer_problems(d: Decision, on: date) -> list[str]:
    """Why the case's officers do not make two credentialed, non-recused officers on ``on``."""
    recused = {r.officer_id for r in d.recusals}
    problems, valid = [], 0
    for o in d.officers:
        if o.id in recused:
            problems.append(f"{o.name}已回避")
        elif not o.credential_valid_on(on):
            problems.append(f"{o.name}（{o.credential_number}）的执法证在{on.isoformat()}不在有效状态")
        else:
            valid += 1
    if valid >= MIN_OFFICERS:
        return []
    return [f"执法人员不得少于{MIN_OFFICERS}人且须持有效执法证（行政处罚法第四十二条），本案有效承办人员{valid}人", *problems]



# --- What every draft and case page shows: deadlines on the working-day calendar, warnings ---

@dataclass(frozen=True)
class DeadlineInfo:
    label: str
    due: date
    provisional: bool  # a year the calendar does not know was assumed Mon–Fri
    state: str  # "open", "late", "done", "done_late"


def _deadline_info(label: str, deadline: calendar.Deadline, done_on: date | None, today: date) -> DeadlineInfo:
    if done_on is not None:
        state = "done_late" if done_on > deadline.due else "done"
    else:
        state = "late" if today > deadline.due else "open"
    return DeadlineInfo(label, deadline.due, deadline.provisional, state)


def case_deadlines(d: Decision, today: date | None = None) -> list[DeadlineInfo]:
    """Publication and withdrawal deadlines (working days), the 90-day decision limit and the display period."""
    today = today or clock.today()
    result = []
    if d.filed_on:
        limit = d.filed_on + timedelta(days=settings.get("decision_limit_days"))
        result.append(_deadline_info("作出决定期限（立案之日起）", calendar.Deadline(limit, False), d.decided_on, today))
    if d.decided_on is None:
        result.append(_deadline_info("公示期限（如今日作出决定）", rules.publish_deadline(d.kind, today), None, today))
    elif rules.needs_publication(d.kind, d.procedure, d.penalty_kind_list, d.party_is_minor):
        result.append(_deadline_info("公示期限", rules.publish_deadline(d.kind, d.decided_on), d.published_on, today))
    if d.ended_on and d.published_on:
        result.append(_deadline_info("撤回公示期限", rules.withdraw_deadline(d.ended_on), d.withdrawn_on, today))
    if d.expires_on and d.status != DecisionStatus.WITHDRAWN:
        result.append(_deadline_info("公示期满", calendar.Deadline(d.expires_on, False),
                                     d.expires_on if d.status == DecisionStatus.EXPIRED else None, today))
    return result


def case_warnings(d: Decision, today: date | None = None) -> list[str]:
    """Not refusals: facts the officer must see (the 90-day limit, deadlines passed, provisional figures)."""
    today = today or clock.today()
    warnings = []
    if d.filed_on and d.decided_on is None:
        limit_days = settings.get("decision_limit_days")
        elapsed = (today - d.filed_on).days
        if elapsed > limit_days:
            warnings.append(f"自立案之日起已{elapsed}日，超过{limit_days}日的办案期限（行政处罚法第六十条），"
                            "如需延长须经负责人批准")
        elif elapsed > limit_days - 15:
            warnings.append(f"自立案之日起已{elapsed}日，距{limit_days}日办案期限还剩{limit_days - elapsed}日")
    for info in case_deadlines(d, today):
        if info.state == "late" and info.label != "公示期满":
            warnings.append(f"{info.label}（{info.due.isoformat()}）已过")
        if info.provisional:
            warnings.append(f"{info.label}按周一至周五暂估：{info.due.year}年的节假日安排尚未录入")
    if d.decided_on is None:
        problems = officer_problems(d, today)
        if problems:
            warnings.append("；".join(problems))
    return warnings
