"""Shared helpers of the audit views, API and CLI: scope parsing, agency lookup, an item's record."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from enforcement.core.errors import BadParameter
from enforcement.core.pagination import int_param
from enforcement.disclosure.models import Agency
from enforcement.extensions import db


def resolve_agency(value: str) -> int | None:
    """An agency by id or unified social credit code."""
    value = (value or "").strip()
    if value.isdigit() and db.session.get(Agency, int(value)) is not None:
        return int(value)
    return db.session.scalar(select(Agency.id).where(Agency.credit_code == value))


def scope_from_args(args, today: date):
    """``year`` and ``agency`` query parameters → a Scope; bad values are a 400 with a message."""
    from enforcement.audit.checks import Scope

    year = int_param(args, "year", None, lo=2000, hi=2100)
    agency_id = None
    if args.get("agency"):
        agency_id = resolve_agency(args.get("agency", ""))
        if agency_id is None:
            raise BadParameter("agency", "执法主体不存在")
    return Scope(today, year, agency_id)


def agencies() -> list[Agency]:
    return list(db.session.scalars(select(Agency).order_by(Agency.id)))
