"""Demo 双随机: a target pool, a declared conflict, and three drawn plans with results.

Deterministic and idempotent: targets are upserted, plans are made only once.
The demo seeds are derived from the plan number so the demo is reproducible;
a real plan's seed comes from ``secrets`` (see ``drawing.new_seed``).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from enforcement.demo.names import BRAND_WORDS, ROADS
from enforcement.demo.town import ENFORCEMENT_TEAM
from enforcement.disclosure.models import Agency, InspectionItem, Officer
from enforcement.extensions import db
from enforcement.inspections import pools, services
from enforcement.inspections.models import InspectionPlan, InspectionTarget, InspectorConflict

CATEGORIES = [("餐饮", 0.6), ("燃气供应", 0.1), ("商超", 0.2), ("物业", 0.1)]
# number, title, item seq, category, ratio, draw day, period end, result days (inspected → published) per task
PLANS = [
    ("西红门双随机〔2021〕第2号", "2021年第三季度非居民用户燃气安全“双随机”抽查", 1, "餐饮", "5",
     date(2021, 9, 15), date(2021, 10, 31)),
    ("西红门双随机〔2021〕第3号", "2021年第四季度生活垃圾分类“双随机”抽查", 4, "", "5",
     date(2021, 11, 1), date(2021, 12, 31)),
    ("西红门双随机〔2026〕第4号", "2026年第四季度燃气安全“双随机”抽查", 2, "餐饮", "6",
     date(2026, 11, 2), date(2026, 12, 31)),
]


def _targets(rng: random.Random) -> list[tuple[int, dict]]:
    rows = []
    for i in range(160):
        category = rng.choices([c for c, _w in CATEGORIES], [w for _c, w in CATEGORIES])[0]
        brand = rng.choice(BRAND_WORDS)
        rows.append((i + 2, {"code": f"91110115MA0{i + 1:03d}XH{rng.randint(100, 999)}",
                             "name": f"北京{brand}{category if category != '餐饮' else '餐饮'}有限公司西红门{i + 1}号店",
                             "category": category, "address": f"北京市大兴区西红门镇{rng.choice(ROADS)}{rng.randint(1, 300)}号"}))
    return rows


def load_inspections_demo(progress: Callable[[str], None]) -> str:
    rng = random.Random(54)
    pools.import_targets(_targets(rng), "演示名录库")
    team = db.session.scalar(select(Agency.id).where(Agency.credit_code == ENFORCEMENT_TEAM))
    officer = db.session.scalar(select(Officer).where(Officer.agency_id == team).order_by(Officer.id).offset(2).limit(1))
    target = db.session.scalar(select(InspectionTarget).where(InspectionTarget.category == "餐饮").order_by(InspectionTarget.code))
    if officer and target and db.session.scalar(select(InspectorConflict.id)) is None:
        pools.declare_conflict(officer.id, target.id, "该执法人员的配偶在该单位任职", date(2021, 9, 1))
    made = 0
    for number, title, seq, category, ratio, draw_on, period_end in PLANS:
        if db.session.scalar(select(InspectionPlan.id).where(InspectionPlan.number == number)):
            continue
        item_id = db.session.scalar(select(InspectionItem.id).where(InspectionItem.seq == seq))
        plan = services.create_plan(number=number, title=title, item_id=item_id, ratio_percent=ratio,
                                    period_start=draw_on, period_end=period_end, draw_on=draw_on,
                                    target_category=category)
        seed = hashlib.sha256(f"演示种子 {number}".encode()).hexdigest()
        services.publish_plan(plan, draw_on, seed=seed)
        for i, task in enumerate(services.perform_draw(plan, draw_on)):
            _result(plan, task, i, rng)
        made += 1
    progress(f"双随机抽查计划 {len(PLANS)} 个（新增 {made}）")
    return f"双随机抽查计划 {len(PLANS)} 个"


def _result(plan: InspectionPlan, task, i: int, rng: random.Random) -> None:
    """Most results public in time; one late, one never published, one never inspected (for the audit)."""
    from enforcement.core import calendar
    from enforcement.demo.town import TODAY

    inspected = calendar.add_working_days(plan.draw_on, 3 + i % 5)
    if i == 3 or inspected > TODAY:
        return  # not inspected: overdue once the period ends
    problems = rng.random() < 0.3
    outcome = "发现燃气泄漏报警装置未正常工作，已责令限期改正。" if problems else "未发现问题。"
    services.record_result(task, inspected, outcome, problems)
    if i == 1:
        return  # inspected, result never published
    delay = 25 if i == 2 else 5 + i % 10
    published = calendar.add_working_days(inspected, delay)
    if published <= TODAY:
        services.publish_result(task, published)
