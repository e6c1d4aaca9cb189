"""Exported files are safe to open: no text becomes a live formula, numbers stay numbers (OWASP CSV injection)."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from enforcement.core.exporting import Money, Ratio, csv_chunks, safe_text, write_xlsx
from enforcement.core.values import unescape_text

COLUMNS = [("text", "说明"), ("fine", "罚款金额（元）"), ("rate", "按时公示率"), ("count", "件数")]
ATTACKS = ['=HYPERLINK("http://example.invalid","点击")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "'=1", "''+1"]


@pytest.mark.parametrize("text", ATTACKS + ["正常文字", "1-2", "a=b"])
def test_neutralising_is_undone_exactly_on_import(text):
    assert unescape_text(safe_text(text)) == text
    assert safe_text(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_csv_cells_that_look_like_formulas_are_text_and_numbers_are_untouched():
    rows = [{"text": t, "fine": Decimal("-5.00"), "rate": Ratio(0.5), "count": -3} for t in ATTACKS]
    parsed = list(csv.reader(io.StringIO("".join(csv_chunks(rows, COLUMNS, bom=False)))))
    assert [r[0] for r in parsed[1:]] == ["'" + t for t in ATTACKS]
    assert {(r[1], r[2], r[3]) for r in parsed[1:]} == {("-5.00", "50.0%", "-3")}


def test_xlsx_has_no_formula_cells_and_money_and_rates_are_formatted_numbers():
    out = io.BytesIO()
    write_xlsx([{"text": t, "fine": Money("1234.5"), "rate": Ratio(0.953), "count": 7} for t in ATTACKS],
               COLUMNS, out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for _text, fine, rate, count in sheet.iter_rows(min_row=2):
        assert (fine.value, fine.data_type, fine.number_format) == (1234.5, "n", "#,##0.00")
        assert (rate.value, rate.data_type, rate.number_format) == (0.953, "n", "0.0%")
        assert (count.value, count.data_type) == (7, "n")


def test_the_public_decision_export_opens_without_formulas(app, client):
    from datetime import date

    from enforcement.disclosure.importing import import_rows
    from enforcement.extensions import db
    from tests.disclosure.helpers import decision, load_minimal_town

    app.config["TODAY"] = date(2026, 11, 30)
    load_minimal_town()
    import_rows("decisions", [(1, decision("京兴西罚字〔2026〕第0001号", title="=cmd|' /C calc'!A0", fine_amount="1234.56",
                                           decided_on="2026-09-30", published_on="2026-10-12"))])
    db.session.commit()
    sheet = load_workbook(io.BytesIO(client.get("/decisions/export.xlsx").data)).active
    header = [c.value for c in sheet[1]]
    row = sheet[2]
    assert not [c for c in row if c.data_type == "f"]
    assert row[header.index("案由")].value.startswith("'=")
    fine = row[header.index("罚款金额（元）")]
    assert (fine.value, fine.data_type, fine.number_format) == (1234.56, "n", "#,##0.00")
    text = client.get("/decisions/export.csv").get_data(as_text=True)
    assert "'=cmd" in text and ",=cmd" not in text


def test_xlsx_takes_numbers_no_spreadsheet_can_hold_long_text_and_line_breaks_without_failing():
    from enforcement.core.exporting import TRUNCATED, XLSX_CELL_CHARS, Hours

    odd = [Decimal("NaN"), Money("Infinity"), Decimal("sNaN"), 10**400, float("inf"), Hours("NaN")]
    rows = [{"text": "第一行\r\n第二行\r第三行", "long": "长" * 40_000, **{f"n{i}": v for i, v in enumerate(odd)}}]
    columns = [("text", "文本"), ("long", "长文本"), *((f"n{i}", f"数{i}") for i in range(len(odd)))]
    out = io.BytesIO()
    write_xlsx(rows, columns, out, title="决定[2024]:\x00History?")
    book = load_workbook(io.BytesIO(out.getvalue()))
    sheet = book.active
    text, long, *numbers = next(sheet.iter_rows(min_row=2))
    assert text.value == "第一行\n第二行\n第三行"  # re-imports as written (a CR came back as _x000D_)
    assert len(long.value) == XLSX_CELL_CHARS and long.value.endswith(TRUNCATED)
    rare = io.BytesIO()  # Excel counts UTF-16 units: 20,000 characters of Extension B are 40,000 of them
    write_xlsx([{"text": "𠀀" * 20_000}], [("text", "文本")], rare)
    (cut,), = load_workbook(io.BytesIO(rare.getvalue())).active.iter_rows(min_row=2, values_only=True)
    assert cut.endswith(TRUNCATED) and len(cut.encode("utf-16-le")) // 2 <= XLSX_CELL_CHARS
    assert cut.removesuffix(TRUNCATED) == "𠀀" * len(cut.removesuffix(TRUNCATED))
    assert [c.value for c in numbers] == ["NaN", "Infinity", "sNaN", str(10**400), "inf", "NaN"]
    assert sheet.title == "决定_2024__History_" and sheet.freeze_panes == "A2"


def test_xlsx_text_that_looks_like_spreadsheet_markup_is_written_as_text():
    """XlsxWriter writes ``<r>…</r>`` unescaped as rich-string XML in constant_memory mode."""
    values = ["<r>&不是标记</r>", "<r><t>插入</t></r>", "<r></r>", "<r>", "</r>"]
    out = io.BytesIO()
    write_xlsx([{"text": v} for v in values], [("text", "文本")], out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for (c,) in sheet.iter_rows(min_row=2)] == values


@pytest.mark.parametrize("text, expected", [
    ("普通文字 with tab\tand\nLF", "普通文字 with tab\tand\nLF"),  # nothing to fix: written as is
    ("垂直制表\x0b换页\x0c退格\x08", "垂直制表换页退格"),  # characters XML 1.0 forbids are dropped
    ("回车\r\n换行\r结束", "回车\n换行\n结束"),
    ("非字符\ufffe\uffff结束", "非字符结束"),
    ("<r>开头但未闭合", "<r>开头但未闭合"),
    ("长" * 16_383, "长" * 16_383),  # at half the limit: cannot be over it
    ("𠀀" * 16_383, None),  # 32,766 UTF-16 units: fits
    ("𠀀" * 16_384, "cut"),  # 32,768 units: cut
])
def test_each_kind_of_text_is_written_as_excel_reads_it_back(text, expected):
    from enforcement.core.exporting import TRUNCATED

    out = io.BytesIO()
    write_xlsx([{"text": text}], [("text", "文本")], out)
    (value,), = load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(min_row=2, values_only=True)
    if expected == "cut":
        assert value.endswith(TRUNCATED)
    else:
        assert value == (text if expected is None else expected)


def test_numbers_excel_cannot_hold_unchanged_are_written_as_their_text():
    """Excel's range is ±9.99999999999999E+307, and it stores anything nearer zero than 2.2E-308 as 0."""
    from enforcement.core.exporting import Hours

    values = [1.7976931348623157e308, 1e308, -1e308, 5e-324, Decimal("1E-400"), Hours("sNaN"), 9.9e307, 0.0, 2.5]
    out = io.BytesIO()
    write_xlsx([{f"v{i}": v for i, v in enumerate(values)}], [(f"v{i}", f"数{i}") for i in range(len(values))], out)
    (row,) = load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(min_row=2, values_only=True)
    assert list(row) == ["1.7976931348623157e+308", "1e+308", "-1e+308", "5e-324", "1E-400", "sNaN", 9.9e307, 0, 2.5]


@pytest.mark.parametrize("text", ["\x00=1+1", "\x0b-2+3", "\ud800@SUM(A1)", "\x01\x02+1"])
def test_text_that_becomes_formula_like_once_cleaned_is_neutralised_too(text):
    out = io.BytesIO()
    write_xlsx([{"text": text}], [("text", "文本")], out)
    (value,), = load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(min_row=2, values_only=True)
    assert value.startswith("'") and unescape_text(value) == text.lstrip("\x00\x01\x02\x0b\ud800")


@pytest.mark.parametrize("title, expected", [("' 'abc", "abc"), ("😀" * 31, "😀" * 15), ("'决定'", "决定")])
def test_sheet_titles_excel_would_refuse_are_made_acceptable(title, expected):
    out = io.BytesIO()
    write_xlsx([{"text": "x"}], [("text", "文本")], out, title=title)
    assert load_workbook(io.BytesIO(out.getvalue())).active.title == expected
