"""Rule figures that vary by place: defaults from DOMAIN.md, overridable as data.

Supervisors see every figure with its source; nothing in the rules hard-codes them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from enforcement.extensions import db


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    label: str
    source: str


SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("publish_days_penalty_licensing", 7, "行政处罚、行政许可决定公示时限（工作日）", "国办发〔2018〕118号"),
    SettingSpec("publish_days_other", 20, "其他执法决定公示时限（工作日）", "国办发〔2018〕118号"),
    SettingSpec("withdraw_days", 3, "撤回公示时限（工作日）", "行政处罚法第四十八条；国办发〔2018〕118号"),
    SettingSpec("display_months_minor", 3, "通报批评或较小数额罚款的公示期（月）", "市场监管总局令第45号第十三条"),
    SettingSpec("display_months_other", 36, "其他决定的公示期（月）", "市场监管总局令第45号第十三条"),
    SettingSpec("minor_fine_limit_person", 3000, "“较小数额罚款”上限：自然人（元）", "参照京政办发〔2021〕17号，可本地设置"),
    SettingSpec("minor_fine_limit_org", 30000, "“较小数额罚款”上限：法人或其他组织（元）", "参照京政办发〔2021〕17号，可本地设置"),
    SettingSpec("major_fine_person", 5000, "重大执法决定罚款标准：个人（元，超过即须法制审核）", "北京市乡镇街道实践"),
    SettingSpec("major_fine_org", 50000, "重大执法决定罚款标准：单位（元，超过即须法制审核）", "北京市乡镇街道实践"),
    SettingSpec("major_when_discretion_adjusted", True, "从重或从轻、减轻处罚须法制审核", "北京市乡镇街道实践"),
    SettingSpec("simple_fine_limit_person", 200, "简易程序罚款上限：自然人（元）", "行政处罚法第五十一条"),
    SettingSpec("simple_fine_limit_org", 3000, "简易程序罚款上限：法人或其他组织（元）", "行政处罚法第五十一条"),
    SettingSpec("decision_limit_days", 90, "立案之日起作出决定期限（日）", "行政处罚法第六十条"),
    SettingSpec("publish_simple_warnings", False, "简易程序警告决定是否公示", "国办发〔2018〕118号"),
    SettingSpec("training_hours_per_year", 60, "执法人员年度培训学时要求", "法治政府建设实施纲要(2021-2025)"),
    SettingSpec("inspection_result_days", 20, "双随机抽查结果公示时限（工作日）", "优化营商环境条例第五十四条"),
    SettingSpec("credential_warning_days", 60, "执法证到期提醒提前天数", "本地设置"),
    SettingSpec("inspection_ratio_floor_percent", 5, "双随机抽查比例下限（%）", "优化营商环境条例第五十四条；各地抽查工作指引"),
    SettingSpec("inspection_min_inspectors", 2, "双随机每个检查对象的最少执法检查人员数", "行政处罚法第四十二条；优化营商环境条例第五十四条"),
    SettingSpec("training_min_hours_penalty_law", 16, "年度培训分科目最低学时：2021行政处罚法", "本地设置（默认值，可调整）"),
    SettingSpec("training_min_hours_gas", 8, "年度培训分科目最低学时：燃气专项执法", "本地设置（默认值，可调整）"),
    SettingSpec("training_min_hours_three_systems", 8, "年度培训分科目最低学时：行政执法三项制度", "本地设置（默认值，可调整）"),
    SettingSpec("training_min_hours_local_rules", 4, "年度培训分科目最低学时：地方性法规", "本地设置（默认值，可调整）"),
)

_BY_KEY = {s.key: s for s in SPECS}


_CACHE_SECONDS = 5.0  # other workers see a changed figure within this time
_cache: dict[str, Any] = {}
_cache_loaded_at = 0.0


def _values() -> dict[str, Any]:
    """All stored figures, read at most every few seconds (rules run per record in bulk paths)."""
    global _cache, _cache_loaded_at
    from enforcement.core.models import Setting

    now = time.monotonic()
    if now - _cache_loaded_at > _CACHE_SECONDS:
        _cache = {row.key: json.loads(row.value) for row in db.session.scalars(select(Setting))}
        _cache_loaded_at = now
    return _cache


def invalidate() -> None:
    global _cache_loaded_at
    _cache_loaded_at = 0.0


def get(key: str) -> Any:
    spec = _BY_KEY[key]
    return _values().get(key, spec.default)


def set_value(key: str, value: Any) -> None:
    from enforcement.core.models import Setting

    spec = _BY_KEY[key]
    if type(value) is not type(spec.default) and not (isinstance(spec.default, int) and isinstance(value, int)):
        raise ValueError(f"{spec.label}：类型应为 {type(spec.default).__name__}")
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    db.session.flush()
    invalidate()


def all_settings() -> list[tuple[SettingSpec, Any]]:
    return [(spec, get(spec.key)) for spec in SPECS]
