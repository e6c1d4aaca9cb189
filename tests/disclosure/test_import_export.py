"""Imports: validate everything first, write nothing on any error, upsert on natural keys."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from enforcement.core.models import ChangeLog
from enforcement.core.records import ImportRejected
from enforcement.disclosure.importing import import_file, import_rows
from enforcement.disclosure.models import Decision, Officer, Power
from enforcement.extensions import db
from tests.disclosure.helpers import AGENCY, decision, load_minimal_town, write_jsonl


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_file_with_one_bad_record_imports_nothing_and_names_every_error(app, tmp_path):
    load_minimal_town()
    db.session.commit()
    records = [
        decision("京兴西罚字〔2021〕第0001号"),
        decision("京兴西罚字〔2021〕第0002号", decided_on="2021-13-01", kind="处分"),
        decision("京兴西罚字〔2021〕第0003号", officers=["NOPE"]),
        decision("京兴西罚字〔2021〕第0001号"),
    ]
    path = write_jsonl(tmp_path / "decisions.jsonl", records)
    with pytest.raises(ImportRejected) as e:
        import_file("decisions", path)
    messages = [str(err) for err in e.value.errors]
    assert any("第2行" in m and "decided_on" in m and "日期格式" in m for m in messages)
    assert any("第2行" in m and "kind" in m and "取值无效" in m for m in messages)
    assert any("第3行" in m and "执法证号不存在：NOPE" in m for m in messages)
    assert any("第4行" in m and "与第1行重复" in m for m in messages)
    db.session.rollback()
    assert count(Decision) == 0


def test_reimporting_the_same_file_is_idempotent(app, tmp_path):
    load_minimal_town()
    path = write_jsonl(tmp_path / "d.jsonl", [decision(f"京兴西罚字〔2021〕第{i:04d}号") for i in range(1, 6)])
    first = import_file("decisions", path)
    db.session.commit()
    changes = count(ChangeLog)
    second = import_file("decisions", path)
    db.session.commit()
    assert (first.created, first.updated) == (5, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 5)
    assert count(Decision) == 5
    assert count(ChangeLog) == changes  # nothing changed, nothing to re-index


def test_a_case_still_in_legal_review_needs_no_decision_date_but_a_decided_one_does(app):
    load_minimal_town()
    review = decision("京兴西罚字〔2026〕第9002号", status="in_review", decided_on=None, published_on=None)
    assert import_rows("decisions", [(1, review)]).created == 1
    with pytest.raises(ImportRejected) as e:
        import_rows("decisions", [(1, {**review, "number": "京兴西罚字〔2026〕第9003号", "status": "decided"})])
    assert "已作出的决定须填写决定日期" in str(e.value.errors)


def test_import_updates_in_place_and_never_deletes_what_a_file_omits(app, tmp_path):
    load_minimal_town()
    import_rows("decisions", enumerate([decision("A-1"), decision("A-2")], 1))
    result = import_rows("decisions", [(1, decision("A-1", result="罚款3000元", fine_amount="3000"))])
    db.session.commit()
    assert (result.created, result.updated) == (0, 1)
    d = db.session.scalar(select(Decision).where(Decision.number == "A-1"))
    assert d.result == "罚款3000元" and d.version == 2
    assert count(Decision) == 2


def _officer_csv(tmp_path, number: str = "11011500009", issued: str = "2020-01-01", expires: str = "2027-01-01",
                 encoding: str = "utf-8"):
    """An officers CSV with the Chinese headers a town's spreadsheet has, one officer (赵敏)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["姓名", "执法主体统一社会信用代码", "执法证号", "发证日期", "有效期至", "证件状态"])
    writer.writerow(["赵敏", AGENCY["credit_code"], number, issued, expires, "有效"])
    path = tmp_path / "officers.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_csv_with_chinese_headers_and_gbk_encoding(app, tmp_path):
    load_minimal_town()
    path = _officer_csv(tmp_path, issued="2021/3/1", expires="2027年3月1日", encoding="gb18030")
    assert import_file("officers", path).created == 1
    assert db.session.scalar(select(Officer).where(Officer.name == "赵敏")).credential_expires_on.year == 2027


def test_dates_in_chinese_numerals_import_as_a_decision_writes_them(app, tmp_path):
    """二〇二一年三月一日 (○ for zero in many offices' templates) is a date, like 2021/3/1; 二〇二一年二月三十日 is not."""
    load_minimal_town()
    assert import_file("officers", _officer_csv(tmp_path, issued="二〇二一年三月一日", expires="二○二七年二月二十八日")).created == 1
    officer = db.session.scalar(select(Officer).where(Officer.name == "赵敏"))
    assert (officer.credential_issued_on, officer.credential_expires_on) == (date(2021, 3, 1), date(2027, 2, 28))
    with pytest.raises(ImportRejected) as e:
        import_file("officers", _officer_csv(tmp_path, issued="二〇二一年三月一日", expires="二○二七年二月三十日"))
    assert "有效期至" in str(e.value.errors[0]) and "日期" in str(e.value.errors[0])


def test_an_invisible_character_pasted_into_a_credential_number_is_not_part_of_it(app, tmp_path):
    """11011500009 followed by a zero-width space (copied from a web page) was stored as typed: the credential
    check did not find it and importing the clean number made a second officer."""
    load_minimal_town()
    import_file("officers", _officer_csv(tmp_path, "\ufeff11011500009\u200b"))
    again = import_file("officers", _officer_csv(tmp_path, "11011500009"))
    db.session.commit()
    assert again.created == 0
    assert db.session.scalars(select(Officer.credential_number).where(Officer.name == "赵敏")).all() == ["11011500009"]


@pytest.mark.parametrize("cell", ["二〇二一年九月卅日", "2021年9月30日（星期四）", "“2021-09-30”", "2021–09–30",
                                  "2021-09-30\u200b", "\ufeff2021-09-30", "2021年9月30日止"])
def test_an_expiry_day_is_read_as_the_sheet_writes_it(app, tmp_path, cell):
    load_minimal_town()
    import_file("officers", _officer_csv(tmp_path, expires=cell))
    officer = db.session.scalar(select(Officer).where(Officer.name == "赵敏"))
    assert officer.credential_expires_on == date(2021, 9, 30)


def test_xlsx_import_reports_the_spreadsheet_row(app, tmp_path):
    load_minimal_town()
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name", "category", "agency_credit_code", "basis"])
    ws.append(["P-1", "对某行为的处罚", "行政处罚", AGENCY["credit_code"], "《北京市燃气管理条例》第六十条"])
    ws.append(["P-2", "对某行为的处罚", "行政处罚", AGENCY["credit_code"], "《北京市燃气管理条例》第九百条"])
    path = tmp_path / "powers.xlsx"
    wb.save(path)
    with pytest.raises(ImportRejected) as e:
        import_file("powers", path)
    assert [str(x) for x in e.value.errors] == ["第3行 字段 basis（法律依据）：《北京市燃气管理条例》(2020-09-25)没有第九百条"]


def test_unknown_columns_and_file_types_are_rejected(app, tmp_path):
    with pytest.raises(ImportRejected, match="1 处错误"):
        import_rows("agencies", [(1, {**AGENCY, "colour": "red"})])
    with pytest.raises(ImportRejected) as e:
        import_file("agencies", tmp_path.joinpath("a.txt"))
    assert "不支持的文件类型" in str(e.value.errors[0])


def test_power_basis_links_to_the_article_of_the_cited_version(app):
    load_minimal_town()
    power = db.session.scalar(select(Power))
    assert power.basis[0].article.label == "第五十九条"
    assert power.basis[0].article.law.version_date.isoformat() == "2020-09-25"
    assert "燃气泄漏报警装置" in power.basis[0].article.text


def test_derived_fields_follow_the_rules(app):
    load_minimal_town()
    import_rows("decisions", [(1, decision("X-1", party_type="organisation", party_name="北京京南餐饮有限公司",
                                            party_credit_code="91110115MA01ABCD3Q", fine_amount="60000",
                                            decided_on="2021-09-30", published_on="2021-10-15"))])
    d = db.session.scalar(select(Decision))
    assert d.is_major and "罚款超过50,000元" in d.major_reasons
    assert d.publish_due_on.isoformat() == "2021-10-15"  # 7 working days across National Day
    assert d.expires_on.isoformat() == "2024-10-15"  # 3 years: not a small fine


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "xlsx"])
def test_full_export_round_trips_through_import(app, runner, tmp_path, fmt):
    load_minimal_town()
    import_rows("decisions", enumerate([decision("R-1"), decision("R-2", party_type="sole_trader",
                                                                   party_name="西红门川味小吃店",
                                                                   party_legal_rep="孙丽")], 1))
    db.session.commit()
    out = tmp_path / f"decisions.{fmt}"
    result = runner.invoke(args=["export", "decisions", "--format", fmt, "--include-private", "-o", str(out)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["import", "decisions", str(out)])
    assert again.exit_code == 0, again.output
    assert "新增 0，更新 0，未变 2" in again.output


def test_public_export_carries_no_private_data(app, runner):
    load_minimal_town()
    recent = (date.today() - timedelta(days=20)).isoformat()
    import_rows("decisions", [(1, decision("P-1", decided_on=recent, published_on=recent))])
    db.session.commit()
    for fmt in ("jsonl", "csv"):
        out = runner.invoke(args=["export", "decisions", "--format", fmt]).output
        assert "张某" in out
        for private in ("张三", "11010519491231002X", "13912345678", "金星小区", "李四"):
            assert private not in out


def test_cli_import_prints_every_error_and_exits_nonzero(app, runner, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [{**AGENCY, "credit_code": "bad"}, {"name": ""}])
    result = runner.invoke(args=["import", "agencies", str(path)])
    assert result.exit_code == 1
    assert "第1行 字段 credit_code" in result.output
    assert "第2行 字段 name（名称）：必填" in result.output
    assert "未导入任何记录" in result.output


def test_laws_import_from_statute_markdown(app, runner):
    from enforcement.disclosure.laws import BUNDLED_LAWS_DIR

    path = next(BUNDLED_LAWS_DIR.glob("行政处罚法*.md"))
    result = runner.invoke(args=["import", "laws", str(path)])
    assert result.exit_code == 0, result.output
    exported = runner.invoke(args=["export", "laws"]).output.splitlines()
    assert len(exported) == 86
    assert json.loads(exported[50])["title"] == "中华人民共和国行政处罚法"
