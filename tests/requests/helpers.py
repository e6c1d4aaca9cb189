"""A town government that receives requests, and valid applicants of every type."""

from __future__ import annotations

from datetime import date

from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from enforcement.requests import intake

PERSON_ID = "11010519491231002X"  # valid check character
COMPANY_CODE = "91110115MA01ABCD1X"


def agency() -> Agency:
    row = Agency(name="北京市大兴区西红门镇人民政府", credit_code="11110115MB1C435893", legal_status="statutory",
                 reconsideration_body="北京市大兴区人民政府", litigation_court="北京市大兴区人民法院")
    db.session.add(row)
    db.session.flush()
    return row


def person(**kw) -> intake.Applicant:
    values = {"applicant_type": "natural", "name": "郑晓东", "id_document_type": "resident_id",
              "id_document_number": PERSON_ID, "phone": "13522223333", "address": "北京市大兴区欣宁街8号院"}
    values.update(kw)
    return intake.Applicant(**values)


def company(kind: str = "commercial", **kw) -> intake.Applicant:
    from stdnum.cn import uscc

    code = "91110115MA01ABCD1"
    values = {"applicant_type": kind, "name": "北京某某餐饮管理有限公司", "id_document_type": "credit_code",
              "id_document_number": code + uscc.calc_check_digit(code), "phone": "010-61234567",
              "contact_person": "陈经理"}
    values.update(kw)
    return intake.Applicant(**values)


def registered(a: Agency, received: date, channel: str = "in_person", applicant: intake.Applicant | None = None,
               description: str = "2021年西红门镇燃气安全专项检查的检查计划"):
    """A request received on ``received`` (in person unless said), and its query code."""
    return intake.register(a, applicant or person(), description, "electronic", "email", channel=channel,
                           submitted_on=received, signed_or_confirmed_on=None, actor="officer")
