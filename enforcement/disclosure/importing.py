"""Import records of every disclosure kind: validate all, resolve references, then upsert.

A file with any bad record writes nothing and reports every bad line and field.
Records are matched on their natural key and updated in place; records a file
omits are never deleted. Decisions take a bulk path (100,000 in well under a
minute on SQLite) that writes change-log rows itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from enforcement.core import audit_log
from enforcement.core.changelog import record_changes
from enforcement.core.models import utcnow
from enforcement.core.numbers import article_label, credential_key, number_key
from enforcement.core.records import ImportRejected, RecordSpec, RowError, validate_rows
from enforcement.core.sheets import read_rows
from enforcement.disclosure import laws as law_library
from enforcement.disclosure import rules
from enforcement.disclosure.formats import SPECS
from enforcement.disclosure.models import (
    Agency,
    Decision,
    InspectionItem,
    Law,
    LawArticle,
    Officer,
    Power,
    PowerBasis,
    ProcedureGuide,
    ProcedureStep,
    decision_officers,
    decision_powers,
)
from enforcement.extensions import db


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)  # what the sheet reader did (merged cells filled down…)

    def __str__(self) -> str:
        text = f"{self.kind}: 新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"
        return text + "".join(f"\n说明：{n}" for n in self.notes)


def import_file(kind: str, path: Path) -> ImportResult:
    """Import a JSONL/CSV/XLSX file (or, for laws, a statute .md file). The caller commits."""
    if kind == "laws" and path.suffix.lower() == ".md":
        try:
            law, changed = law_library.load_statute_file(path)
        except ValueError as e:
            raise ImportRejected([RowError(0, "", "", str(e))]) from None
        result = ImportResult(kind, created=int(changed), unchanged=int(not changed))
    else:
        spec = SPECS.get(kind)
        if spec is None:
            raise ImportRejected([RowError(0, "", "", f"未知的数据类别 {kind}，可选：{'、'.join(SPECS)}")])
        table = read_rows(path, spec)
        result = import_rows(kind, table)
        result.notes = table.notes
    audit_log.record("import", kind, "", after={"file": path.name, "created": result.created, "updated": result.updated})
    return result


def import_rows(kind: str, rows: Iterable[tuple[int, dict[str, Any]]]) -> ImportResult:
    spec = SPECS.get(kind)
    if spec is None:
        raise ImportRejected([RowError(0, "", "", f"未知的数据类别 {kind}，可选：{'、'.join(SPECS)}")])
    records, errors = validate_rows(spec, rows)
    resolver = _Resolver(spec)
    for record in records:
        errors.extend(resolver.resolve(record))
    if errors:
        errors.sort(key=lambda e: e.line)
        raise ImportRejected(errors)
    writer = _WRITERS[kind]
    with db.session.no_autoflush:
        return writer(records)


class _Resolver:
    """Turns references in records (agency code, credential numbers, citations) into ids."""

    def __init__(self, spec: RecordSpec):
        self.spec = spec
        self.agencies = dict(db.session.execute(select(Agency.credit_code, Agency.id)).all())
        self.officers: dict[str, int] | None = None
        self.powers: dict[str, int] | None = None
        self.citations: dict[str, int] = {}

    def _error(self, record: dict, name: str, message: str) -> RowError:
        return RowError(record["_line"], name, self.spec.field_for(name).label, message)

    def resolve(self, record: dict[str, Any]) -> list[RowError]:
        errors = []
        if "agency_credit_code" in record:
            agency_id = self.agencies.get(record["agency_credit_code"])
            if agency_id is None:
                errors.append(self._error(record, "agency_credit_code", "执法主体不存在，请先导入执法主体"))
            record["agency_id"] = agency_id
        if self.spec.kind == "powers":
            record["article_ids"] = []
            for citation in record["basis"]:
                if citation not in self.citations:
                    try:
                        self.citations[citation] = law_library.resolve_citation(citation).id
                    except ValueError as e:
                        errors.append(self._error(record, "basis", str(e)))
                        continue
                record["article_ids"].append(self.citations[citation])
        if self.spec.kind == "decisions":
            if self.officers is None:
                self.officers = dict(db.session.execute(select(Officer.credential_key, Officer.id)).all())
                self.powers = dict(db.session.execute(select(Power.code, Power.id)).all())
            missing = [c for c in record["officers"] if credential_key(c) not in self.officers]
            if missing:
                errors.append(self._error(record, "officers", "执法证号不存在：" + "、".join(missing)))
            record["officer_ids"] = sorted({self.officers[credential_key(c)] for c in record["officers"]
                                            if credential_key(c) in self.officers})
            missing = [c for c in record["powers"] if c not in self.powers]
            if missing:
                errors.append(self._error(record, "powers", "职权编码不存在：" + "、".join(missing)))
            record["power_ids"] = sorted({self.powers[c] for c in record["powers"] if c in self.powers})
        return errors


def _upsert_simple(model, key: str, columns: list[str], records: list[dict], kind: str,
                   children=None, normalise=None) -> ImportResult:
    """ORM upsert for the small kinds; the flush hook writes their change-log rows.

    ``children(obj, record) -> bool`` replaces child rows (basis, steps) and says whether they changed;
    ``normalise`` maps the natural key to the key records are matched on (credential_key).
    """
    result = ImportResult(kind)
    norm = normalise or (lambda v: v)
    existing = {norm(getattr(o, key)): o for o in db.session.scalars(select(model))}
    for r in records:
        obj = existing.get(norm(r[key]))
        values = {c: r[c] for c in columns}
        if obj is None:
            obj = model(**values)
            db.session.add(obj)
            result.created += 1
            if children:
                children(obj, r)
            continue
        changed = any(getattr(obj, c) != v for c, v in values.items())
        for c, v in values.items():
            setattr(obj, c, v)
        if children and children(obj, r):
            changed = True
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    return result


def _write_agencies(records: list[dict]) -> ImportResult:
    cols = [f.name for f in SPECS["agencies"].fields]
    return _upsert_simple(Agency, "credit_code", cols, records, "agencies")


def _write_officers(records: list[dict]) -> ImportResult:
    cols = [f.name for f in SPECS["officers"].fields if f.name != "agency_credit_code"] + ["agency_id"]
    return _upsert_simple(Officer, "credential_number", cols, records, "officers", normalise=credential_key)


def _write_inspection_items(records: list[dict]) -> ImportResult:
    cols = [f.name for f in SPECS["inspection-items"].fields if f.name != "agency_credit_code"] + ["agency_id"]
    return _upsert_simple(InspectionItem, "code", cols, records, "inspection-items")


def _write_powers(records: list[dict]) -> ImportResult:
    cols = ["code", "name", "category", "agency_id", "discretion", "source"]

    def replace_basis(power: Power, r: dict) -> bool:
        if [b.article_id for b in power.basis] == r["article_ids"]:
            return False
        if power.basis:
            power.basis.clear()
            db.session.flush()
        power.basis.extend(PowerBasis(article_id=a, position=i) for i, a in enumerate(r["article_ids"]))
        return True

    return _upsert_simple(Power, "code", cols, records, "powers", replace_basis)


def _split_step(text: str) -> tuple[str, str]:
    for sep in ("：", ":"):
        if sep in text:
            name, description = text.split(sep, 1)
            return name.strip()[:120], description.strip()
    return text.strip()[:120], ""


def _write_procedures(records: list[dict]) -> ImportResult:
    cols = ["code", "item", "agency_id", "receiving_office", "approving_office", "conditions", "time_limit"]

    def replace_steps(proc: ProcedureGuide, r: dict) -> bool:
        steps = [_split_step(s) for s in r["steps"]]
        if [(s.name, s.description) for s in proc.steps] == steps:
            return False
        if proc.steps:
            proc.steps.clear()
            db.session.flush()
        proc.steps.extend(ProcedureStep(position=i + 1, name=n, description=d) for i, (n, d) in enumerate(steps))
        return True

    return _upsert_simple(ProcedureGuide, "code", cols, records, "procedures", replace_steps)


def _write_laws(records: list[dict]) -> ImportResult:
    result = ImportResult("laws")
    laws = {(law.title, law.version_date): law for law in db.session.scalars(select(Law))}
    for r in records:
        law = laws.get((r["title"], r["version_date"]))
        if law is None:
            law = laws[(r["title"], r["version_date"])] = Law(title=r["title"], version_date=r["version_date"])
            db.session.add(law)
        article = next((a for a in law.articles if a.number == r["number"]), None)
        label = article_label(r["number"])
        if article is None:
            law.articles.append(LawArticle(number=r["number"], label=label, chapter=r["chapter"], text=r["text"]))
            result.created += 1
        elif (article.text, article.chapter) != (r["text"], r["chapter"]):
            article.text, article.chapter = r["text"], r["chapter"]
            result.updated += 1
        else:
            result.unchanged += 1
    db.session.flush()
    for title in sorted({r["title"] for r in records}):  # a new version ends the previous one's interval
        law_library.refresh_intervals(title)
    return result


DECISION_COLUMNS = [
    "number", "kind", "status", "procedure", "agency_id", "title", "party_type", "party_name", "party_credit_code",
    "party_legal_rep", "party_id_number", "party_address", "party_phone", "party_bank_account", "party_is_minor",
    "other_names", "facts", "basis", "result", "penalty_kinds", "fine_amount", "confiscation_amount",
    "discretion_adjusted", "is_major", "major_reasons", "filed_on", "decided_on", "published_on", "publish_due_on",
    "ended_on", "ended_reason", "withdrawn_on", "withdrawal_reason", "expires_on", "number_key",
    "masking_confirmed",  # not in the import format; the demo generator sets it
]


def decision_row(r: dict[str, Any]) -> dict[str, Any]:
    """The stored columns of an imported decision, with the derived ones computed by the rules."""
    kinds = r["penalty_kinds"]
    reasons = rules.major_reasons(r["kind"], kinds, r["fine_amount"], r["party_type"], r["discretion_adjusted"])
    due: date | None = rules.publish_deadline(r["kind"], r["decided_on"]).due if r["decided_on"] else None
    return {
        **{c: r[c] for c in DECISION_COLUMNS if c in r},
        "other_names": "\n".join(r["other_names"]),
        "penalty_kinds": ",".join(kinds),
        "is_major": r["is_major"] or bool(reasons),
        "major_reasons": "；".join(reasons),
        "number_key": number_key(r["number"]),
        "publish_due_on": due,
        "expires_on": rules.expiry_date(r["kind"], kinds, r["fine_amount"], r["party_type"], r["published_on"]),
    }


def write_decisions(records: list[dict], chunk: int = 2000) -> ImportResult:
    """Bulk upsert of validated, resolved decision records (also used by the demo generator)."""
    result = ImportResult("decisions")
    conn = db.session.connection()
    table = Decision.__table__
    for start in range(0, len(records), chunk):
        batch = records[start : start + chunk]
        # Matched on number_key: 〔2025〕第16号 updates the decision stored as [2025]第0016号.
        rows = {number_key(r["number"]): decision_row(r) for r in batch}
        links = {number_key(r["number"]): (r["officer_ids"], r["power_ids"]) for r in batch}
        existing = {
            row.number_key: row
            for row in conn.execute(select(table).where(table.c.number_key.in_(list(rows))))
        }
        old_links = _links(conn, [row.id for row in existing.values()])
        now = utcnow()
        new_rows = [{**row, "created_at": now, "updated_at": now, "version": 1}
                    for n, row in rows.items() if n not in existing]
        changed = []
        for n, row in rows.items():
            old = existing.get(n)
            if old is None:
                continue
            if any(getattr(old, c) != v for c, v in row.items()) or old_links.get(old.id, ([], [])) != links[n]:
                changed.append({**row, "_id": old.id, "updated_at": now, "version": old.version + 1})
            else:
                result.unchanged += 1
        if new_rows:
            conn.execute(insert(table), new_rows)
            ids = dict(conn.execute(select(table.c.number_key, table.c.id).where(
                table.c.number_key.in_([r["number_key"] for r in new_rows]))).all())
        else:
            ids = {}
        if changed:
            conn.execute(
                update(table).where(table.c.id == bindparam("_id")),
                changed,
            )
            changed_ids = [c["_id"] for c in changed]
            conn.execute(delete(decision_officers).where(decision_officers.c.decision_id.in_(changed_ids)))
            conn.execute(delete(decision_powers).where(decision_powers.c.decision_id.in_(changed_ids)))
            ids.update({c["number_key"]: c["_id"] for c in changed})
        officer_rows = [{"decision_id": ids[n], "officer_id": o} for n in ids for o in links[n][0]]
        power_rows = [{"decision_id": ids[n], "power_id": p} for n in ids for p in links[n][1]]
        if officer_rows:
            conn.execute(insert(decision_officers), officer_rows)
        if power_rows:
            conn.execute(insert(decision_powers), power_rows)
        record_changes(conn, "decision", sorted(ids.values()))
        result.created += len(new_rows)
        result.updated += len(changed)
    return result


def _links(conn, decision_ids: list[int]) -> dict[int, tuple[list[int], list[int]]]:
    links: dict[int, tuple[list[int], list[int]]] = {i: ([], []) for i in decision_ids}
    if decision_ids:
        for d, o in conn.execute(select(decision_officers).where(decision_officers.c.decision_id.in_(decision_ids))):
            links[d][0].append(o)
        for d, p in conn.execute(select(decision_powers).where(decision_powers.c.decision_id.in_(decision_ids))):
            links[d][1].append(p)
    return {i: (sorted(a), sorted(b)) for i, (a, b) in links.items()}


_WRITERS = {
    "agencies": _write_agencies,
    "officers": _write_officers,
    "laws": _write_laws,
    "powers": _write_powers,
    "procedures": _write_procedures,
    "inspection-items": _write_inspection_items,
    "decisions": write_decisions,
}
