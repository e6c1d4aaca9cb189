"""What staff pages show of a case's party and facts: the same masking as the public projection.

A workbench or list is read over shoulders and on phones; only the case's own edit form holds the raw
values. Rules: 个人信息保护法 arts. 6 and 28 (minimum necessary, sensitive personal information), the
platform's masking engine (``enforcement.core.masking``) with the decision's context
(``projection.masking_context``), so a staff page and the public page mask the same values.
"""

from __future__ import annotations

from flask import g, has_app_context

from enforcement.core import masking
from enforcement.disclosure import projection


def _context(d) -> masking.Context:
    cache = g.setdefault("_staff_masking", {}) if has_app_context() else {}
    key = id(d)
    if key not in cache:
        cache[key] = (d, projection.masking_context(d))
    return cache[key][1]


def masked(d, text: str | None) -> str:
    """``text`` of decision ``d`` with private values masked (ID numbers, phones, bank accounts, persons'
    names, home addresses); '' for None. Raises nothing for ordinary text."""
    return masking.mask_text(text or "", _context(d))


def party(d) -> str:
    """The party as staff lists show it: an organisation by name, a person by surname (张某)."""
    return projection.party_display(d, _context(d))


def init_app(app) -> None:
    app.add_template_global(masked, "staff_masked")
    app.add_template_global(party, "staff_party")
