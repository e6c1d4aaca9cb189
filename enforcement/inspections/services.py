"""Plans, the committed draw and results: 抽查计划 → 承诺值公示 → 抽取（公布种子）→ 结果公示.

The seed is generated and committed to (with both pools) when the plan notice
is published; the draw later reveals it. Everything the public needs to re-run
the draw is in ``published_document``, the very JSON offered for download.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from enforcement.core import audit_log, calendar, settings
from enforcement.core.errors import RuleViolation
from enforcement.core.models import utcnow
from enforcement.disclosure.models import InspectionItem, Officer
from enforcement.extensions import db
from enforcement.inspections import drawing
from enforcement.inspections.models import (
    InspectionDraw,
    InspectionPlan,
    InspectionTarget,
    InspectionTask,
    InspectorConflict,
)
from enforcement.inspections.pools import inspector_pool, target_pool

_RATIO_RE = re.compile(r"\d{1,3}(\.\d{1,2})?")


def normalise_ratio(raw: str) -> str:
    """A percentage as published: up to two decimals, between the floor setting and 100."""
    text = (raw or "").strip().rstrip("%％")
    if not _RATIO_RE.fullmatch(text):
        raise RuleViolation("抽查比例应为百分数，最多两位小数，如 5 或 12.5", field="ratio_percent")
    value = float(text)
    floor = settings.get("inspection_ratio_floor_percent")
    if not floor <= value <= 100:
        raise RuleViolation(f"抽查比例应在{floor}%到100%之间", field="ratio_percent")
    return text.rstrip("0").rstrip(".") if "." in text else text


def create_plan(*, number: str, title: str, item_id: int, ratio_percent: str, period_start: date,
                period_end: date, draw_on: date, inspectors_per_target: int | None = None,
                target_category: str = "") -> InspectionPlan:
    number, title = (number or "").strip(), (title or "").strip()
    if not number or not title:
        raise RuleViolation("计划编号和名称不能为空", field="number" if not number else "title")
    if db.session.scalar(select(InspectionPlan.id).where(InspectionPlan.number == number)):
        raise RuleViolation(f"计划编号 {number} 已存在", field="number")
    item = db.session.get(InspectionItem, item_id)
    if item is None:
        raise RuleViolation("抽查事项不存在", field="item_id")
    minimum = settings.get("inspection_min_inspectors")
    per_target = inspectors_per_target or minimum
    if per_target < minimum:
        raise RuleViolation(f"每个检查对象至少须抽取{minimum}名执法检查人员", field="inspectors_per_target")
    if period_end < period_start:
        raise RuleViolation("检查期间结束日早于开始日", field="period_end")
    if draw_on > period_end:
        raise RuleViolation("抽取日期应在检查期间结束之前", field="draw_on")
    plan = InspectionPlan(number=number, title=title, item_id=item.id, agency_id=item.agency_id,
                          ratio_percent=normalise_ratio(ratio_percent), inspectors_per_target=per_target,
                          period_start=period_start, period_end=period_end, draw_on=draw_on,
                          target_category=(target_category or "").strip())
    db.session.add(plan)
    db.session.flush()
    audit_log.record("inspections.plan_create", "inspection_plan", plan.id,
                     after={"number": number, "item": item.code, "ratio_percent": plan.ratio_percent})
    return plan


def build_pools(plan: InspectionPlan) -> dict[str, Any]:
    """The committed document: the plan's figures, both pools and the declared conflicts, canonically ordered."""
    targets = target_pool(plan.target_category)
    inspectors = inspector_pool(plan.agency_id, plan.draw_on)
    target_ids = {t.id: t.code for t in targets}
    numbers = {o.id: o.credential_number for o in inspectors}
    conflicts = db.session.execute(select(InspectorConflict.officer_id, InspectorConflict.target_id)).all()
    return {
        "algorithm": drawing.ALGORITHM,
        "plan": {"number": plan.number, "item_code": plan.item.code, "ratio_percent": plan.ratio_percent,
                 "inspectors_per_target": plan.inspectors_per_target, "draw_on": plan.draw_on.isoformat()},
        "targets": [{"code": t.code, "name": t.name} for t in targets],
        "inspectors": [{"credential_number": o.credential_number, "name": o.name} for o in inspectors],
        "conflicts": sorted(
            ({"credential_number": numbers[o], "target_code": target_ids[t]}
             for o, t in conflicts if o in numbers and t in target_ids),
            key=lambda c: (c["credential_number"], c["target_code"]),
        ),
    }


def publish_plan(plan: InspectionPlan, on: date, seed: str | None = None) -> InspectionDraw:
    """Publish the plan notice with the commitment to both pools and a fresh secret seed."""
    if plan.status != "planned":
        raise RuleViolation("该计划已公示")
    pools = build_pools(plan)
    if not pools["targets"]:
        raise RuleViolation("检查对象名录库为空，无法公示计划")
    if len(pools["inspectors"]) < plan.inspectors_per_target:
        raise RuleViolation(f"执法检查人员名录库不足{plan.inspectors_per_target}名持有效执法证的人员")
    seed = seed or drawing.new_seed()
    draw = InspectionDraw(plan=plan, pools_json=drawing.canonical_json(pools).decode("utf-8"),
                          commitment=drawing.commitment(pools, seed), seed=seed)
    db.session.add(draw)
    plan.status, plan.published_on = "committed", on
    db.session.flush()
    audit_log.record("inspections.plan_publish", "inspection_plan", plan.id,
                     after={"commitment": draw.commitment, "targets": len(pools["targets"]),
                            "inspectors": len(pools["inspectors"])})
    return draw


def perform_draw(plan: InspectionPlan, on: date) -> list[InspectionTask]:
    """Run the published algorithm over the committed pools and reveal the seed."""
    draw = plan.draw
    if plan.status != "committed" or draw is None:
        raise RuleViolation("计划须先公示（公布承诺值）才能抽取" if plan.status == "planned" else "该计划已抽取")
    if on < plan.draw_on:
        raise RuleViolation(f"未到计划抽取日期（{plan.draw_on.isoformat()}）")
    pools = json.loads(draw.pools_json)
    try:
        drawn = drawing.run_draw(pools, draw.seed)
    except drawing.DrawError as e:
        raise RuleViolation(str(e)) from None
    targets = dict(db.session.execute(select(InspectionTarget.code, InspectionTarget.id)).all())
    tasks = [InspectionTask(draw=draw, position=i, target_id=targets[t.code], inspector_numbers=",".join(t.inspectors),
                            recused_numbers=",".join(t.recused)) for i, t in enumerate(drawn, 1)]
    db.session.add_all(tasks)
    draw.result_json = drawing.canonical_json([t.as_dict() for t in drawn]).decode("utf-8")
    draw.drawn_at, draw.drawn_on = utcnow(), on
    plan.status = "drawn"
    db.session.flush()
    audit_log.record("inspections.draw", "inspection_plan", plan.id,
                     after={"seed": draw.seed, "targets": [t.code for t in drawn]})
    return tasks


def record_result(task: InspectionTask, inspected_on: date, outcome: str, problems_found: bool) -> None:
    outcome = (outcome or "").strip()
    if not outcome:
        raise RuleViolation("请填写检查结果", field="outcome")
    if task.result_published_on is not None:
        raise RuleViolation("检查结果已公示，不能修改")
    if task.draw.drawn_on and inspected_on < task.draw.drawn_on:
        raise RuleViolation("检查日期早于抽取日期", field="inspected_on")
    before = {"inspected_on": task.inspected_on, "outcome": task.outcome}
    task.inspected_on, task.outcome, task.problems_found = inspected_on, outcome, problems_found
    db.session.flush()
    audit_log.record("inspections.result", "inspection_task", task.id, before=before,
                     after={"inspected_on": inspected_on, "outcome": outcome, "problems_found": problems_found})


def publish_result(task: InspectionTask, on: date) -> None:
    if task.inspected_on is None:
        raise RuleViolation("尚未记录检查结果")
    if task.result_published_on is not None:
        raise RuleViolation("检查结果已公示")
    if on < task.inspected_on:
        raise RuleViolation("公示日期早于检查日期")
    task.result_published_on = on
    db.session.flush()
    audit_log.record("inspections.result_publish", "inspection_task", task.id, after={"published_on": on})


def result_deadline(task: InspectionTask) -> calendar.Deadline | None:
    """Results are public within 20 working days of the inspection (a setting)."""
    if task.inspected_on is None:
        return None
    return calendar.deadline(task.inspected_on, settings.get("inspection_result_days"))


def published_document(plan: InspectionPlan) -> dict[str, Any] | None:
    """What the public sees of a draw: the committed pools and commitment, then the seed and result."""
    draw = plan.draw
    if draw is None or plan.published_on is None:
        return None
    document: dict[str, Any] = {**json.loads(draw.pools_json), "commitment": draw.commitment,
                                "seed": None, "result": None, "drawn_on": None}
    if draw.drawn_at is not None:
        document.update(seed=draw.seed, result=json.loads(draw.result_json), drawn_on=draw.drawn_on.isoformat())
    return document


def officer_names(numbers: list[str]) -> dict[str, str]:
    if not numbers:
        return {}
    return dict(db.session.execute(
        select(Officer.credential_number, Officer.name).where(Officer.credential_number.in_(numbers))).all())


@dataclass
class DrawCheck:
    """A published draw re-run from its public document, in the terms the public page speaks.

    ``commitment_ok``: the pools and random code published after the draw give the check code published
    before it (nothing was changed after the fact); ``result_ok``: re-running the published algorithm on
    them gives exactly the published targets and inspectors. ``rerun`` is what the re-run drew.
    """

    commitment_ok: bool
    result_ok: bool
    rerun: list[drawing.DrawnTarget]
    published: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return self.commitment_ok and self.result_ok


def check_draw(plan: InspectionPlan) -> DrawCheck | None:
    """Re-run a plan's published draw from ``published_document`` alone (what anyone can download).

    None when the plan has not been drawn yet (the random code is not public). The same rules as
    ``drawing.verify`` (the published specification), split into its two questions.
    """
    document = published_document(plan)
    if document is None or not document.get("seed"):
        return None
    pools = drawing.pools_of(document)
    commitment_ok = drawing.commitment(pools, document["seed"]) == document.get("commitment")
    try:
        rerun = drawing.run_draw(pools, document["seed"])
    except drawing.DrawError:
        rerun = []
    published = document.get("result") or []
    result_ok = document.get("algorithm") == drawing.ALGORITHM and [t.as_dict() for t in rerun] == published
    return DrawCheck(commitment_ok, result_ok, rerun, published)
