"""Public records → index documents, built only from ``enforcement.disclosure.projection``.

A withdrawn decision becomes its withdrawal notice (number, kind, reason: no
body); an expired or never-public one becomes nothing, so it leaves the index.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from enforcement.core import clock
from enforcement.core.numbers import loose_number_key
from enforcement.disclosure import projection
from enforcement.disclosure.categories import CREDENTIAL_STATES
from enforcement.disclosure.models import (
    Agency,
    Decision,
    InspectionItem,
    LawArticle,
    Officer,
    Power,
    PowerBasis,
    ProcedureGuide,
)
from enforcement.extensions import db
from enforcement.search.engine import Doc

CATEGORY_LABELS = {
    "decision": "执法决定",
    "power": "职权事项",
    "officer": "执法人员",
    "agency": "执法主体",
    "procedure": "执法流程",
    "inspection_item": "随机抽查事项",
    "article": "法律条文",
}


def _text(*parts: object) -> str:
    """One searchable, display-safe text: NFKC (full-width digits become half-width), blank parts dropped."""
    return unicodedata.normalize("NFKC", "\n".join(str(p) for p in parts if p not in (None, "")))


def _keys(*values: str) -> list[str]:
    return [loose_number_key(v) for v in values if v]


def decision_doc(d: Decision, today: date | None = None) -> Doc | None:
    p = projection.public_decision(d, today)
    if p is None:
        return None
    common = {"key": f"decision:{d.id}", "category": "decision", "entity_id": d.id, "url": f"/decisions/{d.id}",
              "date": p["decided_on"] or p["published_on"], "kind": p["kind"], "agency_id": p["agency_id"],
              "number": p["number"], "numbers": _keys(p["number"])}
    if p["state"] == "withdrawn":
        return Doc(**common, title=_text(f"撤回公示：{p['number']}"),
                   body=_text(p["kind_label"], p["number"], "已撤回公示", p["withdrawal_reason"]))
    body = _text(p["number"], p["kind_label"], p.get("agency"), p["party"], p["party_credit_code"], p["facts"], p["basis"],
                 p["result"], "、".join(p["penalty_kind_labels"]),
                 p["status_label"] if p["status"] != "published" else "", p["ended_reason"])
    common["numbers"] += _keys(p["party_credit_code"])
    # BM25F: the party, the facts and the 案由 say what the case is about; the statute quoted in the basis
    # repeats every word of its chapter and counts once (SECTION_WEIGHTS; the title counts TITLE_WEIGHT).
    sections = [(_text(p["party"]), SECTION_WEIGHTS["party"]), (_text(p["facts"]), SECTION_WEIGHTS["facts"]),
                (_text(p["result"]), SECTION_WEIGHTS["result"])]
    return Doc(**common, title=_text(p["title"] or p["number"]), body=body, sections=sections)


def power_doc(p: Power, today: date | None = None) -> Doc:
    v = projection.public_power(p)
    basis = [f"{b['citation']} {b['text']}" for b in v["basis"]]
    return Doc(key=f"power:{p.id}", category="power", entity_id=p.id, url=f"/powers/{p.id}", title=_text(v["name"]),
               body=_text(v["code"], v["category_label"], v["agency"], v["discretion"], v["source"], *basis),
               agency_id=v["agency_id"], number=v["code"], numbers=_keys(v["code"]))


def officer_doc(o: Officer, today: date | None = None) -> Doc:
    v = projection.public_officer(o, today)
    state = CREDENTIAL_STATES.get(v["credential_state"], v["credential_state"])
    return Doc(key=f"officer:{o.id}", category="officer", entity_id=o.id, url=f"/officers/{o.id}",
               title=_text(v["name"]), body=_text(f"执法证号 {v['credential_number']}", v["category"], v["agency"],
                                                  f"执法证{state}"),
               agency_id=v["agency_id"], number=v["credential_number"], numbers=_keys(v["credential_number"]))


def agency_doc(a: Agency, today: date | None = None) -> Doc:
    v = projection.public_agency(a)
    return Doc(key=f"agency:{a.id}", category="agency", entity_id=a.id, url=f"/agencies/{a.id}",
               title=_text(v["name"]),
               body=_text(v["legal_status_label"], v["credit_code"], v["entrusted_by"], v["duties"], v["address"],
                          v["supervision_channels"], v["reconsideration_body"], v["litigation_court"]),
               agency_id=a.id, number=v["credit_code"], numbers=_keys(v["credit_code"]))


def procedure_doc(p: ProcedureGuide, today: date | None = None) -> Doc:
    v = projection.public_procedure(p)
    steps = [f"{s['name']} {s['description']}" for s in v["steps"]]
    return Doc(key=f"procedure:{p.id}", category="procedure", entity_id=p.id, url=f"/procedures/{p.id}",
               title=_text(v["item"]),
               body=_text(v["code"], v["agency"], v["receiving_office"], v["approving_office"], v["conditions"],
                          v["time_limit"], *steps),
               agency_id=v["agency_id"], number=v["code"], numbers=_keys(v["code"]))


def inspection_item_doc(i: InspectionItem, today: date | None = None) -> Doc:
    v = projection.public_inspection_item(i)
    return Doc(key=f"inspection_item:{i.id}", category="inspection_item", entity_id=i.id,
               url=f"/inspection-items/{i.id}", title=_text(" ".join(x for x in (v["item"], v["sub_item"]) if x)),
               body=_text(v["code"], v["agency"], v["basis"], v["method"], v["content"], v["remark"]),
               agency_id=v["agency_id"], number=v["code"], numbers=_keys(v["code"]))


def article_doc(a: LawArticle, today: date | None = None) -> Doc:
    return Doc(key=f"article:{a.id}", category="article", entity_id=a.id, url=f"/laws/{a.law_id}#a{a.number}",
               title=_text(f"{a.law.display_title}{a.label}"), body=_text(a.chapter, a.text),
               date=a.law.version_date)


# Extra weight of a decision's sections in the ranking field: the section's text counts this many times in
# all (once as part of the body). Fields not listed (number, basis, kind, status) count once.
SECTION_WEIGHTS = {"party": 3, "facts": 2, "result": 1}

CATEGORIES = ("decision", "power", "officer", "agency", "procedure", "inspection_item", "article")


@cache
def _loaders() -> dict:
    """Each category: model, eager loads, builder (None for a record the public may not see).

    Built on first use: eager-load options configure the mappers, which needs every domain's models imported.
    """
    return {
        "decision": (Decision, (selectinload(Decision.agency), selectinload(Decision.officers),
                                selectinload(Decision.powers), selectinload(Decision.records)), decision_doc),
        "power": (Power, (selectinload(Power.agency),
                          selectinload(Power.basis).selectinload(PowerBasis.article).selectinload(LawArticle.law)),
                  power_doc),
        "officer": (Officer, (selectinload(Officer.agency),), officer_doc),
        "agency": (Agency, (), agency_doc),
        "procedure": (ProcedureGuide, (selectinload(ProcedureGuide.agency), selectinload(ProcedureGuide.steps)),
                      procedure_doc),
        "inspection_item": (InspectionItem, (selectinload(InspectionItem.agency),), inspection_item_doc),
        "article": (LawArticle, (selectinload(LawArticle.law),), article_doc),
    }


def load_docs(category: str, ids: Iterable[int], today: date | None = None) -> dict[int, Doc | None]:
    """Documents for ids of one category as of today (default: the town's today); None for ids that are gone
    or not public."""
    today = today or clock.today()
    model, options, build = _loaders()[category]
    ids = list(ids)
    found: dict[int, Doc | None] = dict.fromkeys(ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for record in db.session.scalars(select(model).where(model.id.in_(chunk)).options(*options)):
            found[record.id] = build(record, today)
    return found


def count_records() -> int:
    """How many records all_docs reads (public or not): the length of a rebuild's progress bar."""
    return sum(db.session.scalar(select(func.count()).select_from(model)) or 0 for model, _, _ in _loaders().values())


def all_docs(chunk: int = 1000, today: date | None = None,
             progress: Callable[[int], None] | None = None) -> Iterator[Doc]:
    """Every public document, streamed in id order so a rebuild never holds the database in memory.

    progress, if given, is called with the number of records read after each chunk. today defaults to the
    town's today (``core.clock``), never the server's date.
    """
    today = today or clock.today()
    for model, options, build in _loaders().values():
        last = 0
        while True:
            records = list(db.session.scalars(
                select(model).where(model.id > last).order_by(model.id).limit(chunk).options(*options)))
            if not records:
                break
            for record in records:
                doc = build(record, today)
                if doc is not None:
                    yield doc
            last = records[-1].id
            db.session.expunge_all()
            if progress:
                progress(len(records))


def dependants(category: str, ids: list[int]) -> dict[str, list[int]]:
    """Documents whose text embeds this record: an agency's name, an article's text in a power's basis."""
    if not ids:
        return {}
    if category == "agency":
        return {name: list(db.session.scalars(select(model.id).where(model.agency_id.in_(ids))))
                for name, model in (("officer", Officer), ("power", Power), ("procedure", ProcedureGuide),
                                    ("inspection_item", InspectionItem))}
    if category == "article":
        return {"power": list(db.session.scalars(select(PowerBasis.power_id).where(PowerBasis.article_id.in_(ids))))}
    return {}
