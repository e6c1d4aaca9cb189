"""A minimal town with an inspection item, four officers (one expired) and a target pool."""

from __future__ import annotations

from datetime import date

from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import InspectionItem
from enforcement.extensions import db
from enforcement.inspections import pools, services
from tests.disclosure.helpers import AGENCY, load_minimal_town

ITEM = {"code": "XHM-SJ-001", "seq": 1, "item": "燃气安全检查", "sub_item": "非居民用户燃气泄漏报警装置",
        "agency_credit_code": AGENCY["credit_code"], "basis": "《北京市燃气管理条例》第二十七条", "method": "现场检查"}
MORE_OFFICERS = [
    {"name": "赵敏", "agency_credit_code": AGENCY["credit_code"], "credential_number": "11011500003",
     "credential_issued_on": "2020-01-01", "credential_expires_on": "2030-01-01"},
    {"name": "钱进", "agency_credit_code": AGENCY["credit_code"], "credential_number": "11011500004",
     "credential_issued_on": "2015-01-01", "credential_expires_on": "2021-01-01"},  # expired before the draw
]


def target_rows(n: int = 30) -> list[tuple[int, dict]]:
    return [(i + 2, {"统一社会信用代码或编号": f"91110115MA0{i:07d}", "名称": f"北京西红门餐饮店{i}号",
                     "类别": "餐饮", "经营地址": f"欣宁街{i}号"}) for i in range(n)]


def town_with_pools(n_targets: int = 30) -> int:
    """Returns the inspection item id; the caller commits if it needs to."""
    load_minimal_town()
    import_rows("officers", enumerate(MORE_OFFICERS, 1))
    import_rows("inspection-items", [(1, ITEM)])
    pools.import_targets(target_rows(n_targets))
    return db.session.query(InspectionItem.id).scalar()


def drawn_plan(on: date = date(2021, 10, 9)):
    item_id = town_with_pools()
    plan = services.create_plan(number="西红门双随机〔2021〕第3号", title="2021年第四季度燃气安全双随机抽查",
                                item_id=item_id, ratio_percent="10", period_start=on, period_end=date(2021, 12, 31),
                                draw_on=on)
    services.publish_plan(plan, on)
    services.perform_draw(plan, on)
    return plan
