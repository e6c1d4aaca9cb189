"""Remedy channels (救济渠道) as the laws in force on a day make them.

A decision tells the party how to challenge it: 行政复议 (which body, within how
many days) and 行政诉讼 (which court, within how long). Those rules are the
行政复议法 and 行政诉讼法 versions in force on the decision date (a decision of
2023-12-31 falls under the 2017 复议法, one of 2024-01-02 under the 2023
revision, in force 2024-01-01). The figures and the articles that set them are
data (``data/laws/remedies.json``, one entry per law version); the agency
supplies only the names of its reconsideration body and court. Standing
information (an agency's page) uses the laws in force today.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from enforcement.core.numbers import article_label
from enforcement.disclosure.laws import BUNDLED_LAWS_DIR, CitationRef, resolve_ref, version_in_force
from enforcement.disclosure.models import Agency, Law

REMEDIES_FILE = BUNDLED_LAWS_DIR / "remedies.json"


@lru_cache(maxsize=1)
def remedy_rules() -> dict[str, Any]:
    """The parsed remedies.json: {"reconsideration"|"litigation": {"law": title, "versions": {date: rule}}}."""
    return json.loads(REMEDIES_FILE.read_text(encoding="utf-8"))


@dataclass
class Basis:
    """One article a remedy figure rests on, pinned to the version it was read from."""

    citation: str
    law_id: int
    number: int
    version_date: date


@dataclass
class Channel:
    """One channel (reconsideration or litigation) under the law version in force on ``on``."""

    kind: str
    law_title: str
    version_date: date | None  # None: no version of the law in force on that day in the library
    figures: dict[str, Any] = field(default_factory=dict)
    basis: dict[str, Basis | None] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.version_date is not None


def _basis(law: Law, number: int) -> Basis | None:
    try:
        article = resolve_ref(CitationRef(law.title, law.version_date, number, ""))
    except ValueError:
        return None
    return Basis(f"《{law.title}》({law.version_date.isoformat()}){article.label}", law.id, number, law.version_date)


def respondent(agency: Agency) -> tuple[str, str]:
    """(name, 'government'|'department') of the body answerable for the agency's acts.

    An entrusted organisation acts in the entrusting agency's name (《行政处罚法》第二十条), so
    the entrusting agency is the respondent. A 人民政府 is a government; any other body a department.
    """
    name = agency.entrusted_by if agency.legal_status == "entrusted" and agency.entrusted_by else agency.name
    return name, "government" if name.endswith("人民政府") else "department"


def _channel(kind: str, on: date) -> tuple[Channel, dict[str, Any] | None, Law | None]:
    spec = remedy_rules()[kind]
    law = version_in_force(spec["law"], on)
    rule = spec["versions"].get(law.version_date.isoformat()) if law is not None else None
    if law is None or rule is None:
        return Channel(kind, spec["law"], None), None, None
    return Channel(kind, law.title, law.version_date), rule, law


def remedy_channels(agency: Agency, on: date, procedure: str = "") -> dict[str, Channel]:
    """{'reconsideration': Channel, 'litigation': Channel} for acts of ``agency`` on ``on``.

    ``procedure`` is the decision's CaseProcedure code: under the 2023 复议法 第二十三条 an
    on-the-spot (simple-procedure) penalty must go to reconsideration before court. A channel
    whose law has no version in force on ``on`` in the library (or no rule for that version)
    comes back with ``known`` False; the page then says so instead of guessing.
    """
    name, respondent_kind = respondent(agency)
    recon, rule, law = _channel("reconsideration", on)
    first_required = False
    if rule is not None and law is not None:
        body = rule["body"][respondent_kind]
        first = rule.get("first")
        first_required = bool(first and procedure in first["procedures"])
        recon.figures = {"respondent": name, "body": agency.reconsideration_body, "body_rule": body["rule"],
                         "apply_days": rule["apply"]["days"], "apply_from": rule["apply"]["from"], "decide_days": rule["decide"]["days"],
                         "simple_decide_days": rule["decide"].get("simple_days"), "first_required": first_required}
        recon.basis = {"body": _basis(law, body["article"]), "apply": _basis(law, rule["apply"]["article"]),
                       "decide": _basis(law, rule["decide"]["article"]),
                       "first": _basis(law, first["article"]) if first_required else None}
    lit, rule, law = _channel("litigation", on)
    if rule is not None and law is not None:
        lit.figures = {"court": agency.litigation_court, "direct_months": rule["direct"]["months"],
                       "after_days": rule["after_reconsideration"]["days"], "direct_allowed": not first_required}
        lit.basis = {"court": _basis(law, rule["court"]["article"]), "direct": _basis(law, rule["direct"]["article"]),
                     "after": _basis(law, rule["after_reconsideration"]["article"])}
    return {"reconsideration": recon, "litigation": lit}


def rule_citations() -> list[tuple[str, str]]:
    """Every (pinned citation, keyword) the remedy rules rest on, for the citation check."""
    out = []
    for spec in remedy_rules().values():
        for version, rule in spec["versions"].items():
            for part in rule.values():
                items = part.values() if all(isinstance(v, dict) for v in part.values()) else [part]
                for item in items:
                    prefix = f"《{spec['law']}》({version})"
                    out.append((f"{prefix}{article_label(item['article'])}", item["keyword"]))
                    if "simple_keyword" in item:
                        out.append((f"{prefix}{article_label(item['article'])}", item["simple_keyword"]))
    return out


def channels_as_data(channels: dict[str, Channel]) -> dict[str, Any]:
    """The channels as plain JSON-ready data (API): per channel the law version, figures and pinned articles."""
    out: dict[str, Any] = {}
    for kind, channel in channels.items():
        out[kind] = {
            "law": channel.law_title,
            "version_date": channel.version_date.isoformat() if channel.version_date else None,
            "figures": channel.figures,
            "basis": {k: ({"citation": b.citation, "url": f"/laws/{b.law_id}#a{b.number}"} if b else None)
                      for k, b in channel.basis.items()},
        }
    return out
