"""Staff JSON under /training/api: an officer's standing and the team's compliance, for dashboards and scripts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import jsonify
from flask_login import current_user

from enforcement.accounts.access import roles_required, staff_blueprint
from enforcement.core import clock
from enforcement.disclosure.models import Officer
from enforcement.extensions import db
from enforcement.training.services import Standing, officer_standing, team_compliance

bp = staff_blueprint("training_api", __name__, url_prefix="/training/api")


def standing_json(standing: Standing) -> dict[str, Any]:
    def num(value: Decimal) -> float:
        return float(value)

    return {
        "officer_id": standing.officer_id, "on": standing.on.isoformat(),
        "required_hours": num(standing.required_hours), "earned_hours": num(standing.earned_hours),
        "expected_hours_by_now": num(standing.expected_hours_by_now), "behind": standing.behind,
        "compliant": standing.compliant, "subject_hours": {k: num(v) for k, v in standing.subject_hours.items()},
        "subject_shortfalls": {k: num(v) for k, v in standing.subject_shortfalls.items()},
    }


def _not_found(message: str):
    return jsonify({"error": {"status": 404, "message": message}}), 404


@bp.get("/standing")
def my_standing():
    if not current_user.officer_id:
        return _not_found("当前账号未关联执法人员")
    return jsonify(standing_json(officer_standing(current_user.officer_id, clock.today())))


@bp.get("/standing/<int:officer_id>")
@roles_required("supervisor", "admin")
def standing(officer_id: int):
    if db.session.get(Officer, officer_id) is None:
        return _not_found("执法人员不存在")
    return jsonify(standing_json(officer_standing(officer_id, clock.today())))


@bp.get("/compliance")
@roles_required("supervisor", "admin")
def compliance():
    team = team_compliance(clock.today())
    return jsonify({
        "on": team.on.isoformat(), "officers": len(team.rows), "compliant": len(team.compliant),
        "behind": len(team.behind), "credential_alerts": len(team.credential_alerts),
        "rows": [{"officer_id": r.officer.id, "name": r.officer.name, "credential_number": r.officer.credential_number,
                  "credential": r.credential, "lapses": r.lapses, **standing_json(r.standing)} for r in team.rows],
    })
