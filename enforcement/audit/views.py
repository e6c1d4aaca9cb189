"""The supervisor's dashboard under /audit/: checks with drill-down, sampling, the annual report.

Supervisors act; admins read (``roles_required`` narrows the writing views).
"""

from __future__ import annotations

from datetime import date

from flask import Response, abort, render_template, request
from sqlalchemy import func, select

from enforcement.accounts.access import staff_blueprint
from enforcement.audit import incremental, labels, reports, results, sampling
from enforcement.audit.checks import Scope, check_codes
from enforcement.audit.evaluate import STORED_CHECKS
from enforcement.audit.models import Finding
from enforcement.audit.services import agencies, scope_from_args
from enforcement.core import audit_log, clock
from enforcement.core.errors import BadParameter
from enforcement.core.pagination import int_param, param
from enforcement.disclosure import projection
from enforcement.disclosure.models import Agency, Decision, Officer
from enforcement.extensions import db

bp = staff_blueprint("audit", __name__, roles={"supervisor", "admin"}, url_prefix="/audit")


def today() -> date:
    return clock.today()


def _scope() -> Scope:
    scope = scope_from_args(request.args, today())
    if "year" not in request.args:  # the dashboard opens on the current year; ?year= (empty) means all years
        scope = Scope(scope.today, scope.today.year, scope.agency_id)
    return scope


def _current() -> None:
    """Bring the stored results up to date (usually nothing to do) and commit that, before reading them."""
    if incremental.refresh():
        db.session.commit()


@bp.get("/")
def dashboard():
    """Every check's counts for the scope, read from the stored results; every count links to its list."""
    scope = _scope()
    _current()
    summaries = results.summaries(scope)
    open_findings = db.session.scalar(select(func.count(Finding.id)).where(Finding.status != "closed")) or 0
    overdue = db.session.scalar(select(func.count(Finding.id)).where(
        Finding.status != "closed", Finding.due_on < scope.today)) or 0
    return render_template("audit/dashboard.html", scope=scope, results=summaries, agencies=agencies(),
                           open_findings=open_findings, overdue_findings=overdue)


PER_PAGE = 100


@bp.get("/checks/<code>")
def check_detail(code: str):
    """A check's findings, 100 a page; training: one line per officer, ``?officer=`` that officer's decisions."""
    if code not in check_codes():
        abort(404)
    scope = _scope()
    _current()
    summary = results.summaries(scope, [code])[0]
    officer_id = int_param(request.args, "officer", None, lo=1) if code == "training" else None
    page = int_param(request.args, "page", 1)
    offset = (page - 1) * PER_PAGE
    officers, items, officer = None, [], None
    if code == "training" and officer_id is None:
        everyone = results.training_officers(scope)
        total, officers = len(everyone), everyone[offset:offset + PER_PAGE]
    else:
        stored = results.count_items(scope, code, officer_id) if code in STORED_CHECKS else 0
        live = summary.live.items if summary.live is not None and officer_id is None else []
        total = stored + len(live)
        if offset < stored:
            items = results.stored_items(scope, code, offset, PER_PAGE, officer_id)
        skip = max(0, offset - stored)
        items += live[skip:skip + PER_PAGE - len(items)]
        if officer_id is not None:
            officer = db.session.get(Officer, officer_id) or abort(404)
    pages = max(1, -(-total // PER_PAGE))
    if page > pages:
        raise BadParameter("page", f"超出范围，共{pages}页")
    return render_template("audit/check.html", scope=scope, result=summary, agencies=agencies(), page=page,
                           pages=pages, items=items, officers=officers, officer=officer, total=total,
                           agency_names={a.id: a.name for a in agencies()})


@bp.get("/items/<entity>/<entity_id>")
def item(entity: str, entity_id: str):
    """Drill-down: the record behind a finding, as stored and as the public sees it."""
    findings = list(db.session.scalars(select(Finding).where(Finding.entity == entity, Finding.entity_id == entity_id)
                                       .order_by(Finding.id)))
    context = {"entity": entity, "entity_id": entity_id, "findings": findings,
               "subject": labels.subject(entity, entity_id), "field_labels": labels.DECISION_FIELD_LABELS}
    if entity == "decision" and entity_id.isdigit():
        from enforcement.audit.checks_public import decision_leaks

        d = db.session.get(Decision, int(entity_id)) or abort(404)
        context.update(decision=d, public=projection.public_decision(d, today()),
                       visibility=projection.decision_visibility(d, today()), leaks=decision_leaks(d, today()),
                       officer_states=[(o, o.credential_valid_on(d.decided_on) if d.decided_on else None)
                                       for o in d.officers])
    return render_template("audit/item.html", **context)


@bp.route("/sample", methods=["GET", "POST"])
def sample():
    """A reproducible random sample of published decisions for manual review."""
    year = int_param(request.values, "year", None, lo=2000, hi=2100)
    size = int_param(request.values, "size", 20, lo=1, hi=500)
    seed = param(request.values, "seed")
    drawn = None
    if seed:
        drawn = sampling.sample_decisions(seed, size, year=year)
        if request.method == "POST":
            audit_log.record("audit.sample", "sample", "", after={"seed": seed, "size": size, "year": year,
                                                                 "ids": [d.id for d in drawn.decisions]})
            db.session.commit()
    return render_template("audit/sample.html", seed=seed or sampling.suggest_seed(), size=size, year=year,
                           drawn=drawn)


@bp.get("/reports/")
def reports_index():
    return render_template("audit/reports_index.html", default_year=today().year - 1,
                           years=list(range(today().year - 1, 2018, -1)))


def _report(year: int) -> reports.AnnualReport:
    if not 2000 <= year <= today().year:
        abort(404)
    agency = request.args.get("agency")
    agency_id = None
    if agency:
        agency_id = db.session.scalar(select(Agency.id).where(Agency.id == int(agency))) if agency.isdigit() else None
        if agency_id is None:
            raise BadParameter("agency", "执法主体不存在")
    return reports.annual_report(year, today(), agency_id)


@bp.get("/reports/<int:year>")
def report(year: int):
    return render_template("audit/report.html", report=_report(year))


@bp.get("/reports/<int:year>.xlsx")
def report_xlsx(year: int):
    from enforcement.audit.report_files import report_xlsx as build
    from enforcement.core.exporting import attachment

    report = _report(year)
    return Response(build(report), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": attachment(f"行政执法年度统计_{year}年_{report.agency}.xlsx")})


@bp.get("/reports/<int:year>.pdf")
def report_pdf(year: int):
    from enforcement.audit.report_files import report_pdf as build
    from enforcement.core.exporting import attachment

    report = _report(year)
    return Response(build(report), mimetype="application/pdf",
                    headers={"Content-Disposition": attachment(f"行政执法年度统计_{year}年_{report.agency}.pdf", "inline")})
