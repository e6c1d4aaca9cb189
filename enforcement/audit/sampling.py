"""A random sample of published decisions for manual review, reproducible from its seed.

It uses the same published PRNG as the 双随机 draws (HMAC-SHA256 in counter
mode) over the decisions ordered by id, so anyone with the seed and the same
data gets the same sample.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import extract, select

from enforcement.disclosure.models import Decision
from enforcement.extensions import db
from enforcement.inspections.drawing import SAMPLE_LABEL, HmacStream, pick


@dataclass
class Sample:
    seed: str
    population: int
    decisions: list[Decision]


def suggest_seed() -> str:
    return secrets.token_hex(8)


def sample_decisions(seed: str, size: int, *, year: int | None = None) -> Sample:
    """Every decision ever published (withdrawn and expired ones too), so a sample never drifts with time."""
    stmt = select(Decision.id).where(Decision.published_on.is_not(None))
    if year is not None:
        stmt = stmt.where(extract("year", Decision.decided_on) == year)
    ids = list(db.session.scalars(stmt.order_by(Decision.id)))
    chosen = pick(HmacStream(seed, SAMPLE_LABEL), ids, size)
    found = {d.id: d for d in db.session.scalars(select(Decision).where(Decision.id.in_(chosen)))} if chosen else {}
    return Sample(seed, len(ids), [found[i] for i in chosen])
