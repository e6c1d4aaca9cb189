"""Demo back office: a few drafts (one awaiting legal review) and whole-process records on recent cases.

Runs through the same services as the staff pages (so the audit log shows
them), deterministic and idempotent: a draft is keyed by its number, and a
decision that already has records gets no more.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from enforcement.core.numbers import number_key
from enforcement.demo.town import TODAY, TOWN_GOV
from enforcement.disclosure import lifecycle, records
from enforcement.disclosure.models import Decision, Officer, Power, ProcessRecord
from enforcement.extensions import db

# Private party data a natural person's case file holds (never public): ID number, home address, mobile.
PRIVATE = {
    "韩立军": ("110115198503120314", "北京市大兴区西红门镇金星小区3号楼2单元402室", "13910987654"),
    "欧阳明": ("110115199207150038", "北京市大兴区西红门镇宏福苑12号楼1单元603室", "13701234567"),
}
DRAFTS = [
    # number, party, fine, procedure, submit for review, facts
    ("京兴西罚字〔2026〕第9001号", ("person", "韩立军", ""), "1000", "ordinary", False,
     "当事人韩立军（身份证号：110115198503120314，手机13910987654）在西红门镇金星小区3号楼2单元楼道内堆放杂物，"
     "占用消防通道，经责令改正拒不改正。邻居孙丽娟作证。"),
    ("京兴西罚字〔2026〕第9002号", ("organisation", "北京顺和源餐饮管理有限公司", "91110115MA01K7XQ3D"), "80000",
     "ordinary", True,
     "当事人北京顺和源餐饮管理有限公司在西红门镇欣宁街21号经营的餐厅使用不合格燃气软管且未安装燃气泄漏报警装置，"
     "经责令限期改正逾期未改正。"),
    ("京兴西罚字〔2026〕第9003号", ("person", "欧阳明", ""), "100", "simple", False,
     "当事人欧阳明在宏福路公交站附近乱扔生活垃圾，执法人员当场予以纠正。"),
]
# A valid 1x1 PNG, built once: the demo's "photo" records.
_PNG = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
        + struct.pack(">I", zlib.crc32(b"IHDR" + struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)))
        + struct.pack(">I", 15) + b"IDAT" + zlib.compress(b"\x00\x9e\x1b\x1b")
        + struct.pack(">I", zlib.crc32(b"IDAT" + zlib.compress(b"\x00\x9e\x1b\x1b")))
        + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND")))


def load_back_office_demo(progress: Callable[[str], None]) -> str:
    drafts = _drafts()
    filed = _records()
    progress(f"草稿 {drafts} 件，全过程记录 {filed} 份")
    return f"草稿 {drafts} 件，全过程记录 {filed} 份"


def _drafts() -> int:
    officers = db.session.scalars(select(Officer.credential_number).where(
        Officer.status == "valid", Officer.credential_issued_on <= TODAY, Officer.credential_expires_on >= TODAY,
    ).order_by(Officer.id).limit(2)).all()
    power = db.session.scalar(select(Power.code).where(Power.category == "penalty").order_by(Power.code))
    created = 0
    for number, (party_type, name, credit_code), fine, procedure, review, facts in DRAFTS:
        if db.session.scalar(select(Decision.id).where(Decision.number_key == number_key(number))) is not None:
            continue  # already loaded, or a large generated town already uses the number (京兴西罚字〔2026〕9001号)
        d = lifecycle.save_draft(None, {
            "number": number, "kind": "penalty", "procedure": procedure, "agency_credit_code": TOWN_GOV,
            "title": facts[:facts.index("，")][-30:] if "，" in facts else "", "party_type": party_type,
            "party_name": name, "party_credit_code": credit_code, "facts": facts,
            **dict(zip(("party_id_number", "party_address", "party_phone"), PRIVATE.get(name, ("", "", "")), strict=True)),
            "basis": "依据相关法规的规定", "result": f"罚款人民币{int(fine):,}元。", "penalty_kinds": ["fine"],
            "fine_amount": fine, "filed_on": (TODAY - timedelta(days=20 + created * 7)).isoformat(),
            "officers": list(officers), "powers": [power], "other_names": "孙丽娟" if "孙丽娟" in facts else "",
        })
        if review:
            lifecycle.submit_for_review(d)
        created += 1
    return created


def _records() -> int:
    if db.session.scalar(select(ProcessRecord.id).limit(1)) is not None:
        return 0
    recent = db.session.scalars(select(Decision).where(Decision.status == "published", Decision.kind == "penalty")
                                .order_by(Decision.published_on.desc(), Decision.id).limit(4)).all()
    filed = 0
    for i, d in enumerate(recent):
        note = f"现场检查笔录\n决定文号：{d.number}\n执法人员出示执法证件，告知当事人陈述、申辩权利。\n".encode()
        records.file_record(d, kind="text", title="现场检查笔录", file_name=f"现场检查笔录-{d.id}.txt",
                            content_type="text/plain", stream=io.BytesIO(note), filed_by="officer")
        filed += 1
        if i % 2 == 0:
            records.file_record(d, kind="photo", title="现场照片", file_name=f"现场照片-{d.id}.png",
                                content_type="image/png", stream=io.BytesIO(_PNG), filed_by="officer")
            filed += 1
    return filed
