"""A town seeded with every kind of private value, in every spelling, leaks nothing anywhere public.

The facts of 400 decisions are the labelled corpus's sentences (``tests/core/pii_corpus``: written by a
tester who never saw the engine, and generated); where a sentence comes with the party's own values,
those become the decision's party. The sweep walks every public page, the API, both exports, the feed
and the search index, and looks for each high-confidence value (digits compared in any spelling) and
each party value of the record.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from enforcement.core.masking import digits, squash
from enforcement.disclosure.importing import import_rows
from enforcement.extensions import db
from enforcement.search.services import rebuild, search
from tests.core.pii_corpus import evaluate
from tests.disclosure.helpers import decision, load_minimal_town

TODAY = date.today()
RECENT = {"decided_on": (TODAY - timedelta(days=20)).isoformat(), "published_on": (TODAY - timedelta(days=15)).isoformat()}


def _cases() -> list[dict]:
    pos = evaluate.positives()
    return pos[:250] + pos[-150:]  # the hand-written ones first, then generated ones


def _record(i: int, case: dict) -> dict:
    party = (case.get("context") or {}).get("party") or {}
    values = {"other_names": []}
    name = party.get("name") or ""
    if name and not re.search(r"(?:公司|中心|店|厂|站|部|社|馆|所|院|队|会|处)$", name):
        values |= {"party_type": "person", "party_name": "".join(name.split())[:40]}
    for key, field in (("id_number", "party_id_number"), ("phone", "party_phone"), ("address", "party_address"),
                       ("account", "party_bank_account")):
        if party.get(key):
            values[field] = party[key]
    if "party_id_number" in values and len(digits(values["party_id_number"])) != 18:
        values["party_id_number"] = ""
    elif "party_id_number" in values:
        values["party_id_number"] = digits(values["party_id_number"])
    return decision(f"京兴西罚字〔{TODAY.year}〕第{i:04d}号", facts=case["text"], **values, **RECENT)


@pytest.fixture(scope="module")
def town(_empty_app, tmp_path_factory):
    from tests.conftest import truncate_all

    app = _empty_app
    previous = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path_factory.mktemp("sweep_index"))
    with app.app_context():
        load_minimal_town()
        records, cases = [], _cases()
        for i, case in enumerate(cases, 1):
            records.append((i, _record(i, case)))
        import_rows("decisions", records)
        db.session.commit()
        rebuild()
        yield app, cases
        db.session.rollback()
        truncate_all()
    app.config["SEARCH_INDEX_DIR"] = previous


def _secrets(cases: list[dict]) -> list[str]:
    values = []
    for case in cases:
        values += [s["value"] for s in case["spans"] if s["kind"] in evaluate.HIGH_CONFIDENCE_KINDS]
        party = (case.get("context") or {}).get("party") or {}
        values += [party[k] for k in ("id_number", "phone", "account", "address") if party.get(k)]
    return sorted(set(values))


def _leaks(secrets: list[str], text: str) -> list[str]:
    flat_digits, flat = digits(text), squash(text)
    found = []
    for value in secrets:
        d = digits(value)
        numeric = len(d) >= 7 and len(d) >= len(squash(value)) - 4
        if (numeric and d in flat_digits) or (not numeric and squash(value) in flat):
            found.append(value)
    return found


def test_nothing_private_reaches_any_public_surface(town):
    app, cases = town
    client = app.test_client()
    secrets = _secrets(cases)
    assert len(secrets) > 300
    docs = {}
    with app.app_context():
        page = 1
        while True:
            body = client.get(f"/api/v1/decisions?per_page=100&page={page}").get_data(as_text=True)
            docs[f"api {page}"] = body
            for item in json.loads(body)["items"]:
                docs[f"page {item['id']}"] = client.get(f"/decisions/{item['id']}").get_data(as_text=True)
            if not json.loads(body)["links"]["next_page"]:
                break
            page += 1
        docs["csv"] = client.get("/decisions/export.csv").get_data(as_text=True)
        sheet = load_workbook(io.BytesIO(client.get("/decisions/export.xlsx").data), read_only=True).active
        docs["xlsx"] = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
        docs["feed"] = client.get("/feeds/decisions.atom").get_data(as_text=True)
        for value in secrets[::7]:
            docs[f"search {value}"] = repr(search(value).results)
    assert len([k for k in docs if k.startswith("page")]) == len(cases)
    leaks = {where: found for where, body in docs.items() if (found := _leaks(secrets, body))}
    assert leaks == {}
