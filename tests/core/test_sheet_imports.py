"""Every kind of file town offices send imports, or is refused naming line, column as written and reason."""

import json

import pytest
from sqlalchemy import func, select

from enforcement.core.records import ImportRejected
from enforcement.disclosure.importing import import_file
from enforcement.disclosure.models import Agency, Decision, InspectionItem, Officer, Power
from enforcement.extensions import db
from enforcement.inspections.models import InspectionTarget
from enforcement.inspections.pools import import_targets_file
from enforcement.training import importing as training_import
from enforcement.training.models import Attendance
from tests import sheet_fixtures as fx
from tests.disclosure.helpers import load_minimal_town


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def messages(excinfo) -> list[str]:
    return [str(e) for e in excinfo.value.errors]


def test_an_inspection_list_with_a_title_row_and_merged_cells_imports_and_says_what_was_filled(app, tmp_path):
    load_minimal_town()
    result = import_file("inspection-items", fx.inspection_list_xlsx(tmp_path))
    items = {i.code: i for i in db.session.scalars(select(InspectionItem))}
    assert result.created == 4
    assert [items[f"XHM-SJ-00{n}"].item for n in (1, 2, 3)] == ["燃气安全检查"] * 3
    assert items["XHM-SJ-004"].seq == 4 and items["XHM-SJ-003"].remark == "抽查比例5%"
    report = str(result)
    assert "“检查 项目”列的合并单元格已向下填充（第4–6行）" in report
    assert "执法主体统一社会信用代码" in report  # taken from the line above the header


def test_a_power_list_with_header_variants_and_blank_rows_imports(app, tmp_path):
    load_minimal_town()
    result = import_file("powers", fx.power_list_xlsx(tmp_path))
    assert (result.created, result.updated + result.unchanged) == (1, 1)
    power = db.session.scalar(select(Power).where(Power.code == "P-RQ-JC"))
    assert power.category == "inspection" and power.basis[0].article.label == "第五十九条"


def test_a_gb18030_csv_with_its_own_bom_imports_names_and_credential_numbers_cleaned(app, tmp_path):
    load_minimal_town()
    result = import_file("officers", fx.officers_gb18030_bom_csv(tmp_path))
    assert result.created == 2
    names = dict(db.session.execute(select(Officer.credential_number, Officer.name)).all())
    assert names["110115020338"] == "田霞"  # the float's .0 and the print padding are gone
    assert names["110115020190"] == "买买提·艾力"  # full-width digits folded


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_and_wps_save(app, tmp_path, encoding):
    load_minimal_town()
    assert import_file("officers", fx.officers_csv(tmp_path, encoding)).created == 1


def test_a_sign_in_sheet_as_sent_credits_everyone_on_it(app, tmp_path):
    from tests.training.helpers import TODAY, make_world

    make_world()
    result = training_import.import_file(fx.sign_in_sheet_xlsx(tmp_path), today=TODAY, recorded_by="supervisor")
    assert (result.created, result.updated) == (2, 0)
    assert sorted(a.hours for a in db.session.scalars(select(Attendance))) == [4, 4]
    assert "课程编号" in str(result) and "学时" in str(result)


def test_a_gbk_sign_in_sheet_with_excel_floats_and_hours_with_their_unit(app, tmp_path):
    from tests.training.helpers import TODAY, make_world

    make_world()
    result = training_import.import_file(fx.sign_in_sheet_csv(tmp_path), today=TODAY, recorded_by="supervisor")
    assert result.created == 1
    assert db.session.scalar(select(Attendance)).officer.credential_number == "11011500001"


def test_a_target_list_with_a_title_row_imports(app, tmp_path):
    counts = import_targets_file(fx.targets_xlsx(tmp_path))
    assert counts["created"] == 2
    assert db.session.scalar(select(InspectionTarget.name).where(InspectionTarget.code == "91110115MA01ABCD3Q"))


def test_one_decision_number_in_three_bracket_styles_is_one_decision(app, tmp_path):
    load_minimal_town()
    db.session.commit()
    path = fx.decisions_csv(tmp_path, [fx.decision_row(1, "京兴西罚字〔2026〕第0001号"),
                                       fx.decision_row(2, "京兴西罚字[2026]第1号"),
                                       fx.decision_row(3, "京兴西罚字（２０２６）1号")])
    with pytest.raises(ImportRejected) as e:
        import_file("decisions", path)
    assert messages(e) == ["第3行 字段 number（决定文号）：与第2行重复", "第4行 字段 number（决定文号）：与第2行重复"]
    db.session.rollback()
    import_file("decisions", fx.decisions_csv(tmp_path, [fx.decision_row(1, "京兴西罚字〔2026〕第0001号")]))
    again = import_file("decisions", fx.decisions_csv(tmp_path, [fx.decision_row(1, "京兴西罚字[２０２６]1号", "3000")]))
    assert (again.created, again.updated) == (0, 1)
    assert count(Decision) == 1


@pytest.mark.parametrize(("fine", "reason"), [
    ("1234.567", "金额最多两位小数（不会自动四舍五入）"),
    ("1e3", "应为金额数字，如 1234.50"),
    ("-5", "金额不能为负数"),
    # a comma that does not group by threes: one yuan written European-style, the Indian lakh grouping
    ("1,00", "千位分隔符应每三位一组，如 1,234.50（“1,00”“12,34,567”这类写法无法确定金额）"),
    ("12,34,567", "千位分隔符应每三位一组，如 1,234.50（“1,00”“12,34,567”这类写法无法确定金额）"),
    ("1,000,00", "千位分隔符应每三位一组，如 1,234.50（“1,00”“12,34,567”这类写法无法确定金额）"),
])
def test_fines_are_never_rounded_or_guessed(app, tmp_path, fine, reason):
    load_minimal_town()
    path = fx.decisions_csv(tmp_path, [fx.decision_row(1, "京兴西罚字〔2026〕第0001号", fine)])
    with pytest.raises(ImportRejected) as e:
        import_file("decisions", path)
    assert messages(e) == [f"第2行 列“罚款金额(元)”（fine_amount）：{reason}"]
    db.session.rollback()
    assert count(Decision) == 0


@pytest.mark.parametrize(("written", "stored"), [
    ("20,000.00", "20000.00"), ("１，０００", "1000.00"), ("¥ 1,234,567.5", "1234567.50"), ("1 000 元", "1000.00"),
])
def test_fines_grouped_by_thousands_as_people_write_them_import_exactly(app, tmp_path, written, stored):
    load_minimal_town()
    import_file("decisions", fx.decisions_csv(tmp_path, [fx.decision_row(1, "京兴西罚字〔2026〕第0001号", written)]))
    assert str(db.session.scalar(select(Decision.fine_amount))) == stored


def test_a_column_in_another_unit_is_refused_by_its_header_as_written(app, tmp_path):
    load_minimal_town()
    header = [h if h != "罚款金额(元)" else "罚款金额（万元）" for h in fx.DECISION_HEADER]
    path = fx.decisions_csv(tmp_path, [fx.decision_row(1, "京兴西罚字〔2026〕第0001号", "0.2")], header=header)
    with pytest.raises(ImportRejected) as e:
        import_file("decisions", path)
    assert messages(e)[0].startswith("第1行 列“罚款金额（万元）”：未知字段（可用的列：")


def test_a_credential_number_excel_turned_into_scientific_notation_is_refused_with_the_fix(app, tmp_path):
    load_minimal_town()
    path = tmp_path / "officers.csv"
    path.write_text("姓名,执法主体统一社会信用代码,执法证号,发证日期,有效期至\n"
                    "赵敏,11110115MB1C435893,1.10115E+11,2021-03-01,2027-03-01\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as e:
        import_file("officers", path)
    assert messages(e) == ["第2行 列“执法证号”（credential_number）：已被表格软件转成科学计数法，数字已丢失；"
                           "请把该列设为“文本”后重新录入"]


def test_malformed_json_values_are_named_line_by_line_and_nothing_is_written(app, tmp_path):
    with pytest.raises(ImportRejected) as e:
        import_file("agencies", fx.malformed_jsonl(tmp_path))
    got = messages(e)
    assert got == [
        "第2行：不是有效的 JSON：数字位数过多",
        "第3行：JSON 嵌套层数过多",
        "第4行 字段 reconsideration_days（行政复议申请期限（日））：应在1到3650之间",
        "第5行 字段 name（名称）：含有无效字符（控制字符或不成对的代理码位）",
        "第6行 字段 name（名称）：应为文本，不能是对象",
        "第7行 字段 address（办公地址）：应为文本，不能是列表",
        "第8行：不是有效的 JSON：NaN 不是有效的 JSON 数值",
    ]
    db.session.rollback()
    assert count(Agency) == 0


def test_dates_past_9999_and_fines_in_binary_fractions_are_refused_in_jsonl(app, tmp_path):
    from tests.disclosure.helpers import decision, write_jsonl

    load_minimal_town()
    path = write_jsonl(tmp_path / "d.jsonl", [decision("A-1", decided_on="10000-01-01"),
                                              decision("A-2", fine_amount=1234.5),
                                              decision("A-3", fine_amount=1e3)])
    with pytest.raises(ImportRejected) as e:
        import_file("decisions", path)
    assert messages(e) == [
        "第1行 字段 decided_on（决定日期）：日期格式应为 YYYY-MM-DD",
        "第2行 字段 fine_amount（罚款金额（元））：金额有小数时请写成文本，如 \"1234.50\"（避免二进制小数误差）",
    ]  # 1e3 is the whole number 1000 in JSON, as the schema says


def test_a_statute_file_with_an_absurd_article_number_is_refused_with_its_line(app, runner, tmp_path):
    path = tmp_path / "某条例(2020-01-01).md"
    path.write_text("# 某条例\n\n## 第一章 总则\n\n第一条 为了规范。\n\n第100000条 不存在。\n", encoding="utf-8")
    result = runner.invoke(args=["import", "laws", str(path)])
    assert result.exit_code == 1
    assert "第7行：条文序号“第100000条”无法识别或超出范围" in result.output
    assert "Traceback" not in result.output


def test_a_json_line_that_is_not_an_object_and_a_bad_encoding(app, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(json.dumps([1]).encode() + b"\n" + "{\"name\": \"甲\"}".encode("gbk") + b"\n")
    with pytest.raises(ImportRejected) as e:
        import_file("agencies", path)
    assert messages(e) == ["第1行：每行应为一个 JSON 对象", "第2行：不是 UTF-8 编码的文本"]
