"""What ``export --include-private`` writes, ``import`` reads back unchanged: every kind, every format.

The records carry what breaks naive files: text that looks like a formula (escaped on the way out,
unescaped on the way in), a name with a middle dot, money with cents, line breaks, lists, booleans.
"""

import pytest
from openpyxl import load_workbook

from enforcement.disclosure.importing import import_rows
from enforcement.extensions import db
from tests.disclosure.helpers import AGENCY, decision, load_minimal_town

KINDS = ["agencies", "officers", "laws", "powers", "procedures", "inspection-items", "decisions"]
FORMATS = [("jsonl", "utf-8"), ("csv", "utf-8"), ("csv", "gbk"), ("xlsx", "utf-8")]


def load_tricky_town() -> None:
    load_minimal_town()
    import_rows("officers", [(1, {"name": "买买提·艾力", "agency_credit_code": AGENCY["credit_code"],
                                  "credential_number": "110115020190", "credential_issued_on": "2021-03-01",
                                  "credential_expires_on": "2027-03-01", "has_legal_qualification": True,
                                  "phone": "+8613800000003"})])
    import_rows("procedures", [(1, {"code": "LC-01", "item": "=一般程序行政处罚", "agency_credit_code": AGENCY["credit_code"],
                                    "steps": ["立案：填写立案审批表", "-调查取证", "决定"]})])
    import_rows("inspection-items", [(1, {"code": "SJ-1", "seq": 1, "item": "燃气安全检查", "sub_item": "@报警装置",
                                          "agency_credit_code": AGENCY["credit_code"], "content": "第一行\n第二行"})])
    import_rows("decisions", enumerate([
        decision("京兴西罚字〔2025〕第0016号", facts='=HYPERLINK("http://example.invalid","点击")', fine_amount="1234.50"),
        decision("京兴西罚字〔2025〕第0017号", party_type="organisation", party_name="+北京京南餐饮有限公司",
                 party_credit_code="91110115MA01ABCD3Q", result="'=已经转义过的文字", fine_amount="999999999.99",
                 penalty_kinds=["fine", "warning"], is_major=True, other_names=[]),
    ], 1))
    db.session.commit()


@pytest.mark.parametrize(("fmt", "encoding"), FORMATS)
def test_a_private_export_of_every_kind_imports_back_unchanged(app, runner, tmp_path, fmt, encoding):
    load_tricky_town()
    files = {}
    for kind in KINDS:
        out = tmp_path / f"{kind}.{fmt}"
        args = ["export", kind, "--format", fmt, "--include-private", "-o", str(out)]
        result = runner.invoke(args=args + (["--encoding", encoding] if fmt == "csv" else []))
        assert result.exit_code == 0, result.output
        files[kind] = out
    for kind in KINDS:
        again = runner.invoke(args=["import", kind, str(files[kind])])
        assert again.exit_code == 0, (kind, again.output)
        assert "新增 0，更新 0，未变" in again.output, (kind, again.output)


def test_exported_xlsx_has_no_formula_cells_and_numeric_money(app, runner, tmp_path):
    load_tricky_town()
    out = tmp_path / "decisions.xlsx"
    assert runner.invoke(args=["export", "decisions", "--format", "xlsx", "--include-private", "-o", str(out)]).exit_code == 0
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@", "\t", "\r")]
    fines = [row[header.index("罚款金额（元）")] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type, c.number_format) for c in fines] == [
        (1234.5, "n", "#,##0.00"), (999999999.99, "n", "#,##0.00")]


def test_exported_csv_neutralises_formulas_and_keeps_numbers(app, runner):
    load_tricky_town()
    text = runner.invoke(args=["export", "decisions", "--format", "csv", "--include-private"]).output
    assert "'=HYPERLINK" in text and ",'+北京京南餐饮有限公司," in text and "''=已经转义过的文字" in text
    assert ",1234.50," in text
