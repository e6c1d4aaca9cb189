"""Masking hides people, not the public record: what the law makes public is shown exactly as written.

On the demo town, every public decision's projection keeps its officers' names and 执法证号, its
decision number, every article number its basis cites, every amount, its dates and an organisation's
name and credit code; the agencies' published phones and addresses are unchanged on their pages.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from enforcement.core.enums import PartyType
from enforcement.disclosure.models import Agency, Decision
from enforcement.disclosure.projection import public_agency, public_decision
from enforcement.extensions import db

DEMO_TODAY = date(2026, 11, 28)
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条(?:第[一二三四五六七八九十]+款)?")
AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?元")
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def test_public_values_of_every_demo_decision_are_unchanged(demo):
    checked = 0
    for d in db.session.scalars(select(Decision)):
        p = public_decision(d, DEMO_TODAY)
        if p is None or p["state"] != "public":
            continue
        checked += 1
        assert p["number"] == d.number
        assert [(o["name"], o["credential_number"]) for o in p["officers"]] == [
            (o.name, o.credential_number) for o in d.officers]
        for field in ("basis", "result", "facts"):
            raw = getattr(d, field)
            for pattern in (ARTICLE, AMOUNT, DATE):
                assert pattern.findall(p[field]) == pattern.findall(raw), (d.number, field, p[field])
        assert p["fine_amount"] == d.fine_amount
        if d.party_type == PartyType.ORGANISATION:
            assert (p["party"], p["party_credit_code"], p["party_legal_rep"]) == (
                d.party_name, d.party_credit_code, d.party_legal_rep)
    assert checked > 500


def test_agencies_publish_their_contacts_as_written(demo, demo_client):
    for a in db.session.scalars(select(Agency)):
        p = public_agency(a)
        assert (p["address"], p["phone"], p["supervision_phone"], p["credit_code"]) == (
            a.address, a.phone, a.supervision_phone, a.credit_code)
        page = demo_client.get(f"/agencies/{a.id}").get_data(as_text=True)
        assert a.phone in page and a.supervision_phone in page and a.address in page
        assert "已隐去" not in p["duties"] + p["supervision_channels"]
