"""A minimal town and decisions for the audit checks; every decision goes through the real importer."""

from __future__ import annotations

from datetime import date

from enforcement.audit.checks import Scope, run_checks
from enforcement.disclosure.importing import import_rows
from enforcement.extensions import db
from tests.disclosure.helpers import decision, load_minimal_town

__all__ = ["decision", "add_decisions", "load_minimal_town", "run", "town"]


def town() -> None:
    load_minimal_town()


def add_decisions(*records: dict) -> None:
    import_rows("decisions", enumerate(records, 1))
    db.session.flush()


def run(code: str, today: date, year: int | None = None):
    """One check's result as of ``today``."""
    return run_checks(Scope(today, year), [code])[0]


def numbers(result) -> list[str]:
    return [i.label for i in result.items]
