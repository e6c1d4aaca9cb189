"""The supervisor's checks on requests: overdue, unapproved extensions, no legal basis, no remedies, late report."""

from __future__ import annotations

from datetime import date

from enforcement.audit.checks import Scope, check_codes, run_checks
from enforcement.extensions import db
from enforcement.requests import replies, reports
from enforcement.requests.models import RequestEvent
from tests.requests.helpers import agency, registered

TODAY = date(2022, 3, 1)


def _run(code: str, year: int | None = 2021, today: date = TODAY):
    return run_checks(Scope(today, year), [code])[0]


def _answered(a, received: date, on: date):
    req, _ = registered(a, received)
    replies.answer(req, outcome="granted", legal_basis="条例第三十六条", answered_on=on, actor="officer", provided="计划")
    return req


def test_the_checks_are_on_the_dashboard(app):
    assert {"requests_overdue", "requests_extension", "requests_basis", "requests_remedies",
            "requests_report"} <= set(check_codes())


def test_overdue_open_request_and_late_answer_are_found(app):
    a = agency()
    open_req, _ = registered(a, date(2021, 9, 28))  # due 2021-11-01, never answered
    late = _answered(a, date(2021, 9, 28), date(2021, 11, 2))
    on_time = _answered(a, date(2021, 9, 28), date(2021, 11, 1))
    result = _run("requests_overdue")
    flagged = {i.entity_id: i.message for i in result.items}
    assert "逾期未答复" in flagged[open_req.id]
    assert "逾期答复" in flagged[late.id]
    assert on_time.id not in flagged
    assert result.items[0].url == f"/staff/requests/{open_req.id}"


def test_extension_without_approver_is_found(app):
    a = agency()
    req, _ = registered(a, date(2021, 9, 28))
    req.events.append(RequestEvent(kind="extended", on=date(2021, 10, 20), days=10, approved_by=""))  # legacy data
    db.session.flush()
    result = _run("requests_extension")
    assert [i.entity_id for i in result.items] == [req.id]


def test_answer_without_basis_or_remedies_is_found(app):
    a = agency()
    good = _answered(a, date(2021, 9, 28), date(2021, 10, 20))
    bad = _answered(a, date(2021, 9, 28), date(2021, 10, 20))
    bad.reply.legal_basis = ""
    bad.reply.remedies = "如不服，可以申请行政复议。"
    db.session.flush()
    assert [i.entity_id for i in _run("requests_basis").items] == [bad.id]
    remedies = _run("requests_remedies")
    assert [i.entity_id for i in remedies.items] == [bad.id] and "行政诉讼" in remedies.items[0].message
    assert good.id not in [i.entity_id for i in remedies.items]


def test_annual_report_must_be_published_by_31_january(app):
    a = agency()
    registered(a, date(2021, 9, 28))
    assert _run("requests_report", 2021, date(2022, 1, 31)).passed  # not due yet
    missing = _run("requests_report", 2021)
    assert len(missing.items) == 1 and "至今未公布" in missing.items[0].message
    row = reports.get_or_create(2021, a)
    reports.publish(row, date(2022, 2, 3), "officer")
    assert "实际2022-02-03公布" in _run("requests_report", 2022).items[0].message
    row.published_on = date(2022, 1, 20)
    db.session.flush()
    assert _run("requests_report", 2022).passed


def test_the_demo_year_passes_every_request_check(demo):
    results = run_checks(Scope(date(2026, 11, 30), 2025), ["requests_overdue", "requests_extension", "requests_basis",
                                                            "requests_remedies", "requests_report"])
    assert all(r.passed for r in results), [(r.code, [i.message for i in r.items]) for r in results if not r.passed]
    assert all(r.checked > 0 for r in results)
