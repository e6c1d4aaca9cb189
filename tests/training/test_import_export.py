"""Sign-in sheets: CSV and XLSX in, one row per attendance out, and the export reads back in unchanged."""

import csv
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, select

from enforcement.core.exporting import csv_chunks, write_xlsx
from enforcement.core.records import ImportRejected
from enforcement.extensions import db
from enforcement.training import courses, importing
from enforcement.training.models import Attendance
from tests.training.helpers import TODAY, make_world

HEADER = ["执法人员", "执法证号", "课程编号", "日期", "学时"]


@pytest.fixture
def world(app):
    return make_world()


def write_csv(path, rows, header=HEADER):
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def attendance_rows():
    return sorted((a.officer.credential_number, a.session_id, a.attended_on, a.hours)
                  for a in db.session.scalars(select(Attendance)))


def test_a_csv_sign_in_sheet_credits_each_row_including_partial_hours(world, tmp_path):
    sheet = write_csv(tmp_path / "sheet.csv", [
        ["王强", "11011500001", "T-01", "2026-03-12", "4"],
        ["李娜", "11011500002", "T-01", "2026/3/12", "2.5"],
    ])
    result = importing.import_file(sheet, today=TODAY, recorded_by="supervisor")
    assert (result.created, result.updated) == (2, 0)
    assert [(n, h) for n, _s, _d, h in attendance_rows()] == [("11011500001", 4), ("11011500002", 2.5)]
    assert {a.source for a in db.session.scalars(select(Attendance))} == {"imported"}


def test_an_xlsx_sheet_is_read_the_same_way(world, tmp_path):
    wb = Workbook()
    wb.active.append(HEADER + ["形式"])
    wb.active.append(["王强", "11011500001", "T-02", "2026-04-09", 8, "线下"])
    wb.save(tmp_path / "sheet.xlsx")
    result = importing.import_file(tmp_path / "sheet.xlsx", today=TODAY, recorded_by="supervisor")
    assert result.created == 1 and attendance_rows()[0][3] == 8


def test_a_sheet_with_any_bad_row_writes_nothing_and_names_every_problem(world, tmp_path):
    sheet = write_csv(tmp_path / "bad.csv", [
        ["王强", "11011500001", "T-01", "2026-03-12", "4"],
        ["李娜", "99999999999", "T-01", "2026-03-12", "4"],
        ["王强", "11011500002", "T-01", "2026-03-12", "4"],
        ["赵敏", "11011500003", "T-01", "2026-03-13", "4"],
        ["赵敏", "11011500003", "T-09", "2026-03-12", "4"],
        ["赵敏", "11011500003", "T-01", "2026-03-12", "9"],
        ["赵敏", "11011500003", "T-01", "三月", "abc"],
    ])
    with pytest.raises(ImportRejected) as rejected:
        importing.import_file(sheet, today=TODAY, recorded_by="supervisor")
    problems = [(e.line, e.field) for e in rejected.value.errors]
    assert problems == [(3, "credential_number"), (4, "officer_name"), (5, "date"), (6, "course_code"),
                        (7, "hours"), (8, "date")]
    assert "第8行" in str(rejected.value.errors[-1])
    assert attendance_rows() == []


def test_a_sheet_over_the_sessions_capacity_is_refused(world, tmp_path):
    sheet = write_csv(tmp_path / "full.csv", [[o.name, o.credential_number, "T-02", "2026-04-09", "8"]
                                              for o in world.officers])
    with pytest.raises(ImportRejected, match="1 处错误"):
        importing.import_file(sheet, today=TODAY, recorded_by="supervisor")


@pytest.mark.parametrize("fmt", ["csv", "csv-gbk", "xlsx"])
def test_the_export_has_one_row_per_attendance_and_imports_back_unchanged(world, tmp_path, fmt):
    wang, li, _ = world.officers
    courses.record_sign_in(world.penalty_session, wang, 4, today=TODAY, recorded_by="s")
    courses.record_sign_in(world.gas_session, li, "6.5", today=TODAY, recorded_by="s")
    courses.record_sign_in(world.december, wang, 3, today=TODAY, recorded_by="s")
    courses.record_self_study(world.self_study, li, 2, TODAY, "学习记录 7", today=TODAY, recorded_by="li")
    before = attendance_rows()
    rows = list(importing.export_rows())
    assert len(rows) == 4
    assert rows[0] == {"officer_name": "王强", "credential_number": "11011500001", "course_code": "T-01",
                       "course_title": "行政处罚法专题", "subject": "2021行政处罚法", "mode": "线上",
                       "format": "集中培训", "date": world.december.held_on, "hours": Decimal("3")}
    assert str(rows[0]["hours"]) == "3"  # as CSV and JSON write it
    path = tmp_path / f"export.{fmt[:3] if fmt.startswith('csv') else fmt}"
    if fmt == "csv":
        path.write_text("".join(csv_chunks(rows, importing.COLUMNS)), encoding="utf-8")
    elif fmt == "csv-gbk":
        path.write_text("".join(csv_chunks(rows, importing.COLUMNS, bom=False)), encoding="gbk")
    else:
        with path.open("wb") as fh:
            write_xlsx(rows, importing.COLUMNS, fh)
        sheet = load_workbook(path).active
        hours = sheet.cell(row=2, column=[c.value for c in sheet[1]].index("学时") + 1)
        assert (hours.value, hours.data_type, hours.number_format) == (3, "n", "0.0")  # a number, not text
        assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width >= 8
    assert str(importing.import_file(path, today=TODAY, recorded_by="s")) == "签到记录：新增 0，更新 0，未变 4"
    db.session.execute(delete(Attendance))
    result = importing.import_file(path, today=TODAY, recorded_by="s")
    assert result.created == 4 and attendance_rows() == before
    assert list(importing.export_rows(2025))[0]["date"].year == 2025 and len(list(importing.export_rows(2026))) == 3


def test_reimporting_a_corrected_sheet_updates_the_hours(world, tmp_path):
    courses.record_sign_in(world.penalty_session, world.officers[0], 4, today=TODAY, recorded_by="s")
    sheet = write_csv(tmp_path / "fix.csv", [["王强", "11011500001", "T-01", "2026-03-12", "3"]])
    assert importing.import_file(sheet, today=TODAY, recorded_by="s").updated == 1
    assert attendance_rows()[0][3] == 3


def test_a_day_with_an_online_and_an_offline_session_needs_the_mode(world):
    courses.create_session(world.penalty, mode="online", format="centralised", held_on=world.penalty_session.held_on,
                           hours=4, place="线上")
    rows = [(1, {"执法人员": "王强", "执法证号": "11011500001", "课程编号": "T-01", "日期": "2026-03-12", "学时": "4"})]
    with pytest.raises(ImportRejected) as rejected:
        importing.import_rows(rows, today=TODAY, recorded_by="s")
    assert "多个场次" in rejected.value.errors[0].message
    rows[0][1]["形式"] = "线上"
    assert importing.import_rows(rows, today=TODAY, recorded_by="s").created == 1
