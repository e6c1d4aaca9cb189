"""JSON for supervisors' tools: the same checks and findings as the dashboard, under /api/audit/."""

from __future__ import annotations

from flask import Response, jsonify, request, stream_with_context
from sqlalchemy import select

from enforcement.accounts.access import staff_blueprint
from enforcement.audit import incremental, results, streaming
from enforcement.audit.checks import check_codes
from enforcement.audit.models import FINDING_STATUS, Finding
from enforcement.audit.services import scope_from_args
from enforcement.audit.views import today
from enforcement.core.errors import BadParameter
from enforcement.core.pagination import choice_param, paginate
from enforcement.extensions import db

bp = staff_blueprint("audit_api", __name__, roles={"supervisor", "admin"}, url_prefix="/api/audit")


@bp.get("/checks")
def checks():
    """The stored audit for a scope, streamed as the JSON of ``flask audit check`` (training: per officer)."""
    scope = scope_from_args(request.args, today())
    codes = request.args.getlist("check") or None
    unknown = [c for c in codes or [] if c not in check_codes()]
    if unknown:
        raise BadParameter("check", "未知检查：" + "、".join(unknown) + "；可选：" + "、".join(check_codes()))
    if incremental.refresh():
        db.session.commit()
    summaries = results.summaries(scope, codes)  # before the response starts: a bad scope is still a 400
    return Response(stream_with_context(streaming.iter_json(scope, codes, summaries)), mimetype="application/json")


@bp.get("/findings")
def findings():
    status = choice_param(request.args, "status", FINDING_STATUS)
    stmt = select(Finding).order_by(Finding.id)
    if status:
        stmt = stmt.where(Finding.status == status)
    page = paginate(stmt, request.args)
    return jsonify({"total": page.total, "page": page.page, "per_page": page.per_page, "results": [
        {"id": f.id, "subject": f.subject, "status": f.status, "status_label": f.status_label,
         "agency_id": f.agency_id, "due_on": f.due_on.isoformat(), "check": f.check_code, "entity": f.entity,
         "entity_id": f.entity_id, "overdue": f.overdue_on(today())} for f in page.items]})
