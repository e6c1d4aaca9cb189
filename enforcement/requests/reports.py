"""The 政府信息公开工作年度报告 (条例 arts. 49–50) in the national format (国办公开办函〔2021〕30号).

One ``YearReport`` feeds the HTML page, the XLSX workbook and the PDF, so they
never disagree:

- table 二 (主动公开): 行政许可, 行政处罚 and 行政强制 decisions of the year from
  this platform's decisions (the agency's own and those of agencies acting in
  its name); rules, normative documents and fees as entered figures;
- table 三: requests by applicant type (columns) and outcome (rows): 新收 =
  received in the year; 上年结转 = received before and not closed by 1 January;
  each outcome row = closed in the year with that outcome; 总计 = their sum;
  结转下年度继续办理 = received by 31 December and not closed by then. So
  新收 + 上年结转 = 总计 + 结转下年度 in every column;
- table 四: reconsiderations and lawsuits about requests filed in the year, by
  result as recorded now.

Narrative sections are staff text; when rendered they pass through the masking
engine (``enforcement.core.masking``), so a name or number quoted in them is hidden.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import and_, extract, func, or_, select

from enforcement.core import audit_log, masking
from enforcement.core.errors import RuleViolation
from enforcement.disclosure.models import Agency, Decision
from enforcement.extensions import db
from enforcement.requests.codes import OUTCOMES, AppealKind, AppealResult, ApplicantType
from enforcement.requests.models import AnnualReport, InfoRequest, RequestAppeal

COLUMNS = [t.value for t in ApplicantType] + ["total"]
COLUMN_LABELS = [*(t.label for t in ApplicantType), "总计"]
# Table 二's entered rows: key -> (label, kind) where kind is 'int' or 'money' (万元).
ENTERED = {
    "rules_made": ("规章：本年制发件数", "int"), "rules_repealed": ("规章：本年废止件数", "int"),
    "rules_in_force": ("规章：现行有效件数", "int"),
    "normative_made": ("行政规范性文件：本年制发件数", "int"),
    "normative_repealed": ("行政规范性文件：本年废止件数", "int"),
    "normative_in_force": ("行政规范性文件：现行有效件数", "int"),
    "fees": ("行政事业性收费：本年收费金额（万元）", "money"),
}
DECISION_ROWS = (("licensing", "行政许可"), ("penalty", "行政处罚"), ("coercion", "行政强制"))


@dataclass
class TableThree:
    """Cells keyed (row, column); rows: 'new', 'carried_in', every outcome code, 'total', 'carried_out'."""

    cells: dict[tuple[str, str], int] = field(default_factory=dict)

    def get(self, row: str, column: str) -> int:
        return self.cells.get((row, column), 0)

    @staticmethod
    def rows() -> list[tuple[str, str, str]]:
        """(row key, group label, row label) in the national order."""
        out = [("new", "一、本年新收政府信息公开申请数量", ""), ("carried_in", "二、上年结转政府信息公开申请数量", "")]
        out += [(o.code, f"三、本年度办理结果 · {o.group_label}", o.label if o.group not in ("granted", "partial") else "")
                for o in OUTCOMES]
        out += [("total", "三、本年度办理结果 · 总计", ""),
                ("carried_out", "四、结转下年度继续办理", "")]
        return out

    def as_rows(self) -> list[list]:
        return [[group, label, *[self.get(key, c) for c in COLUMNS]] for key, group, label in self.rows()]

    def as_text(self) -> str:
        width = max(len(f"{g} {lab}".strip()) for _k, g, lab in self.rows())
        lines = ["\t".join(["项目".ljust(width), *COLUMN_LABELS])]
        for key, group, label in self.rows():
            lines.append("\t".join([f"{group} {label}".strip().ljust(width), *[str(self.get(key, c)) for c in COLUMNS]]))
        return "\n".join(lines)


def default_agency(agency_id: int | None = None) -> Agency | None:
    """The agency asked for, else the one receiving most requests, else the first statutory agency."""
    if agency_id is not None:
        return db.session.get(Agency, agency_id)
    busiest = db.session.scalar(select(InfoRequest.agency_id).group_by(InfoRequest.agency_id)
                                .order_by(func.count(InfoRequest.id).desc(), InfoRequest.agency_id).limit(1))
    if busiest is not None:
        return db.session.get(Agency, busiest)
    return db.session.scalar(select(Agency).order_by((Agency.legal_status != "statutory"), Agency.id).limit(1))


def table_three(year: int, agency_id: int) -> TableThree:
    """Table 三 of ``year`` for ``agency_id`` (see the module docstring for each row's rule)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    base = select(InfoRequest.applicant_type, func.count(InfoRequest.id)).where(
        InfoRequest.agency_id == agency_id, InfoRequest.received_on.is_not(None)).group_by(InfoRequest.applicant_type)
    table = TableThree()

    def put(row: str, stmt) -> None:
        for applicant_type, count in db.session.execute(stmt):
            table.cells[(row, applicant_type)] = table.cells.get((row, applicant_type), 0) + count

    put("new", base.where(InfoRequest.received_on.between(first, last)))
    put("carried_in", base.where(InfoRequest.received_on < first,
                                 or_(InfoRequest.closed_on.is_(None), InfoRequest.closed_on >= first)))
    put("carried_out", base.where(InfoRequest.received_on <= last,
                                  or_(InfoRequest.closed_on.is_(None), InfoRequest.closed_on > last)))
    closed = (select(InfoRequest.outcome, InfoRequest.applicant_type, func.count(InfoRequest.id))
              .where(InfoRequest.agency_id == agency_id, InfoRequest.closed_on.between(first, last),
                     InfoRequest.outcome != "").group_by(InfoRequest.outcome, InfoRequest.applicant_type))
    for outcome, applicant_type, count in db.session.execute(closed):
        table.cells[(outcome, applicant_type)] = count
        table.cells[("total", applicant_type)] = table.cells.get(("total", applicant_type), 0) + count
    for key, _g, _l in table.rows():
        table.cells[(key, "total")] = sum(table.get(key, t.value) for t in ApplicantType)
    return table


def table_four(year: int, agency_id: int) -> dict[tuple[str, str], int]:
    """{(appeal kind, result | 'total'): count} for appeals about the agency's requests filed in ``year``."""
    rows = db.session.execute(
        select(RequestAppeal.kind, RequestAppeal.result, func.count(RequestAppeal.id))
        .join(InfoRequest, InfoRequest.id == RequestAppeal.request_id)
        .where(InfoRequest.agency_id == agency_id, extract("year", RequestAppeal.filed_on) == year)
        .group_by(RequestAppeal.kind, RequestAppeal.result))
    cells: dict[tuple[str, str], int] = {}
    for kind, result, count in rows:
        cells[(kind, result)] = count
        cells[(kind, "total")] = cells.get((kind, "total"), 0) + count
    return cells


def decision_counts(year: int, agency: Agency) -> dict[str, int]:
    """Decisions made in ``year`` by kind, for the agency and the agencies acting in its name."""
    names = select(Agency.id).where(or_(Agency.id == agency.id, Agency.entrusted_by == agency.name))
    rows = db.session.execute(select(Decision.kind, func.count(Decision.id)).where(
        Decision.agency_id.in_(names), extract("year", Decision.decided_on) == year,
        and_(Decision.decided_on.is_not(None), Decision.status.not_in(("draft", "in_review"))),
    ).group_by(Decision.kind))
    return {kind: count for kind, count in rows}


def find_report(year: int, agency: Agency) -> AnnualReport | None:
    """The stored report row of ``agency`` for ``year``, if staff have saved one."""
    return db.session.scalar(select(AnnualReport).where(AnnualReport.agency_id == agency.id, AnnualReport.year == year))


def get_or_create(year: int, agency: Agency) -> AnnualReport:
    row = find_report(year, agency)
    if row is None:
        row = AnnualReport(agency_id=agency.id, year=year)
        db.session.add(row)
        db.session.flush()
    return row


def entered_figures(row: AnnualReport | None) -> dict[str, object]:
    try:
        data = json.loads(row.entered) if row else {}
    except ValueError:
        data = {}
    out: dict[str, object] = {}
    for key, (_label, kind) in ENTERED.items():
        value = data.get(key)
        out[key] = (Decimal(str(value)) if value not in (None, "") else Decimal("0")) if kind == "money" else int(value or 0)
    return out


def save(row: AnnualReport, *, overview: str, problems: str, other_matters: str, figures: dict[str, str],
         actor: str) -> list[str]:
    """Store narrative and entered figures; return warnings for private data found in the narrative.

    Raises RuleViolation for a figure that is not a non-negative number (nothing is written then).
    """
    clean: dict[str, object] = {}
    for key, (label, kind) in ENTERED.items():
        raw = str(figures.get(key, "") or "0").strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise RuleViolation(f"{label}应为数字", field=key) from None
        if not value.is_finite() or value < 0 or value >= 10**9 or (kind == "int" and value != value.to_integral()):
            raise RuleViolation(f"{label}应为不小于0的{'整数' if kind == 'int' else '金额'}", field=key)
        clean[key] = int(value) if kind == "int" else str(value.quantize(Decimal("0.0001")))
    row.overview, row.problems, row.other_matters = overview.strip(), problems.strip(), other_matters.strip()
    row.entered = json.dumps(clean, ensure_ascii=False, sort_keys=True)
    audit_log.record("request_report.save", "info_annual_report", row.id, after={"year": row.year})
    return [f"{f.label}：{f.value}" for text in (row.overview, row.problems, row.other_matters)
            for f in masking.scan(text)]


def publish(row: AnnualReport, on: date, actor: str) -> None:
    """Mark the report published on ``on`` (it is due by 31 January of the next year, art. 49)."""
    if on.year <= row.year:
        raise RuleViolation("年度报告应在该年度结束后公布", field="on")
    row.published_on, row.published_by = on, actor
    audit_log.record("request_report.publish", "info_annual_report", row.id, after={"on": on})


@dataclass
class YearReport:
    year: int
    agency: str
    agency_id: int
    overview: str
    problems: str
    other_matters: str
    table2: list[list]  # [label, value]
    table3: TableThree
    table4: dict[tuple[str, str], int]
    published_on: date | None
    proactive: list[tuple[str, int]]

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    @property
    def publish_by(self) -> date:
        return date(self.year + 1, 1, 31)

    def table4_rows(self) -> list[list]:
        """One row per appeal kind: [label, 维持, 纠正, 其他, 尚未审结, 总计]."""
        return [[k.label, *[self.table4.get((k.value, r), 0) for r in [*AppealResult, "total"]]] for k in AppealKind]


def build(year: int, agency: Agency) -> YearReport:
    """The whole report for ``year`` and ``agency``, narrative masked for publication."""
    row = db.session.scalar(select(AnnualReport).where(AnnualReport.agency_id == agency.id, AnnualReport.year == year))
    figures = entered_figures(row)
    counts = decision_counts(year, agency)
    table2 = [[label, figures[key]] for key, (label, _k) in ENTERED.items() if key.startswith("rules")]
    table2 += [[label, figures[key]] for key, (label, _k) in ENTERED.items() if key.startswith("normative")]
    table2 += [[f"{label}：本年处理决定数量", counts.get(kind, 0)] for kind, label in DECISION_ROWS]
    table2 += [[ENTERED["fees"][0], figures["fees"]]]
    from enforcement.requests.services import proactive_candidates

    return YearReport(
        year=year, agency=agency.name, agency_id=agency.id,
        overview=masking.mask_text(row.overview if row else ""), problems=masking.mask_text(row.problems if row else ""),
        other_matters=masking.mask_text(row.other_matters if row else ""), table2=table2,
        table3=table_three(year, agency.id), table4=table_four(year, agency.id),
        published_on=row.published_on if row else None, proactive=proactive_candidates(agency.id))
