"""The audit as one JSON document written piece by piece: ``flask audit check --format json``.

Items are read from the stored results in chunks and written as they come, so memory stays flat whatever
the number of findings; training findings are one item per officer (with the number of decisions and the
drill-down address), not one per officer and decision.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from enforcement.audit import results
from enforcement.audit.checks import Scope
from enforcement.audit.evaluate import STORED_CHECKS


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def iter_json(scope: Scope, codes: list[str] | None = None,
              summaries: list[results.Summary] | None = None) -> Iterator[str]:
    """Text chunks that concatenate to {"today", "year", "agency_id", "checks": [...]}.

    Each check carries code, title, rule, checked, failed, passed, informational, notes, table and items
    (each item: entity, entity_id, label, message, agency_id, date, url; training: per officer, with
    ``decisions``). Call ``incremental.refresh()`` first.
    """
    yield (f'{{"today": {_dump(scope.today.isoformat())}, "year": {_dump(scope.year)}, '
           f'"agency_id": {_dump(scope.agency_id)}, "checks": [')
    for n, s in enumerate(summaries if summaries is not None else results.summaries(scope, codes)):
        head = {"code": s.code, "title": s.title, "rule": s.rule, "checked": s.checked, "failed": s.failed,
                "passed": s.passed, "informational": s.informational, "notes": s.notes, "table": s.table}
        if s.code == "training":
            head["officers"] = s.officers
        yield ("," if n else "") + "\n" + _dump(head)[:-1] + ', "items": ['
        first = True
        for item in _items(scope, s):
            yield ("" if first else ",") + "\n  " + _dump(item)
            first = False
        yield "]}"
    yield "\n]}\n"


def _items(scope: Scope, s: results.Summary) -> Iterator[dict]:
    if s.code == "training":
        for officer in results.training_officers(scope):
            yield officer.as_item()
    elif s.code in STORED_CHECKS:
        for item in results.iter_stored_items(scope, s.code):
            yield item.as_dict()
    if s.live is not None:
        for item in s.live.items:
            yield item.as_dict()
