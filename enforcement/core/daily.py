"""The daily job (``flask --app wsgi daily``): everything that must happen because a day passed.

1. Expire decisions whose display period ended (行政处罚法 art. 48 and the
   disclosure periods of DOMAIN.md): they leave the public site.
2. Sync the search index, so an expired decision's text stops being
   searchable the same morning even when no one saves anything.
   Bring the decisions' stored public export rows up to date the same way
   (``disclosure.public_rows``; the first run after an upgrade builds them),
   so that no visitor's download waits for a catch-up.
3. Verify the audit log's hash chain and the anchors written on earlier days;
   when both pass, append today's head to the anchor file outside the
   database (``core.anchor``). A chain that fails is never anchored.
4. Delete login attempts older than ``LOGIN_ATTEMPTS_KEEP_DAYS`` (the throttle
   looks back minutes; the rest is personal data kept for no purpose).
5. Warn when next year's official holiday calendar is not known from
   November on (the State Council publishes it in autumn; working-day
   deadlines after New Year would otherwise be provisional), and always when
   this year's is not.

Each step runs even when an earlier one failed; the report says what each did.
Run it once a day after midnight in the configured time zone (see the
deployment guide for the systemd timer and the cron line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete

from enforcement.core import anchor, audit_log, calendar, clock
from enforcement.core.models import utcnow
from enforcement.extensions import db

# From this month on, a missing calendar for next year is worth a warning.
CALENDAR_WARN_FROM_MONTH = 11


@dataclass
class DailyReport:
    """What the daily job did: ``lines`` for people, ``failed`` (exit 1) when the audit log is not intact."""

    expired: int = 0
    synced: int = 0
    audit_entries: int = 0
    anchored: bool = False
    pruned: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def expire(report: DailyReport, today: date) -> None:
    from enforcement.disclosure.lifecycle import expire_due

    report.expired = expire_due(today)
    db.session.commit()
    report.lines.append(f"公示期满：{report.expired} 件决定已停止公示")


def sync_search(report: DailyReport, today: date) -> None:
    from enforcement.search.services import sync

    report.synced = sync(today=today)
    report.lines.append(f"检索索引：应用变更 {report.synced} 条")


def refresh_export_rows(report: DailyReport, today: date) -> None:
    from enforcement.disclosure import public_rows

    count = public_rows.refresh(today)
    db.session.commit()
    report.lines.append(f"公开导出行：重新生成 {count} 条")


def verify_and_anchor(report: DailyReport) -> None:
    problems = audit_log.verify()
    anchors = anchor.read_anchors()
    problems += anchor.check(anchors)
    db.session.rollback()
    if problems:
        report.problems += [p.what for p in problems]
        report.lines.append(f"审计日志：发现 {len(problems)} 处问题，今日未锚定")
        return
    current = anchor.head()
    if current is None:
        report.lines.append("审计日志：暂无记录")
        return
    report.audit_entries = current.seq
    if not anchors or (anchors[-1].seq, anchors[-1].hash) != (current.seq, current.hash):
        anchor.write_anchor(current)
        report.anchored = True
    report.lines.append(f"审计日志：{current.seq} 条，哈希链完整；链头 {current.hash[:16]}… 已记入锚点文件")


def prune_login_attempts(report: DailyReport) -> None:
    from enforcement.accounts.models import LoginAttempt

    days = int(current_app.config.get("LOGIN_ATTEMPTS_KEEP_DAYS", 90))
    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(days=days)))
    db.session.commit()
    report.pruned = result.rowcount or 0
    report.lines.append(f"登录记录：删除 {days} 天前的 {report.pruned} 条")


def check_calendar(report: DailyReport, today: date) -> None:
    cal = calendar.current()
    for year, due in ((today.year, True), (today.year + 1, today.month >= CALENDAR_WARN_FROM_MONTH)):
        if due and not cal.knows(year):
            report.warnings.append(f"{year}年的节假日安排尚未录入：请用 calendar add-year {year} FILE 录入"
                                   "国务院办公厅的通知，否则按工作日计算的期限只能暂定")
    if not report.warnings:
        report.lines.append("节假日安排：已录入")


STEPS = ("expire", "sync", "exports", "audit", "logins", "calendar")


def run_daily(today: date | None = None) -> DailyReport:
    """Run every step for today (the configured zone's date unless given); never raises for one step."""
    today = today or clock.today()
    report = DailyReport()
    steps = {
        "expire": lambda: expire(report, today),
        "sync": lambda: sync_search(report, today),
        "exports": lambda: refresh_export_rows(report, today),
        "audit": lambda: verify_and_anchor(report),
        "logins": lambda: prune_login_attempts(report),
        "calendar": lambda: check_calendar(report, today),
    }
    for name in STEPS:
        try:
            steps[name]()
        except Exception as exc:  # one broken step must not stop the others; the log has the traceback
            db.session.rollback()
            current_app.logger.exception("daily job step %s failed", name)
            report.problems.append(f"{name} 步骤失败：{exc.__class__.__name__}")
    for warning in report.warnings:
        current_app.logger.warning(warning)
    return report
