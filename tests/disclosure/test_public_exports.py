"""CSV and XLSX downloads of any filtered list, streamed in keyset batches."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from enforcement.disclosure import queries
from enforcement.extensions import db

CATEGORIES = ["agencies", "officers", "powers", "procedures", "inspection-items", "decisions"]


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("kind", CATEGORIES)
def test_every_category_exports_as_csv_and_xlsx_with_chinese_headers(demo_client, kind):
    total = demo_client.get(f"/api/v1/{kind}?per_page=1").get_json()["total"]
    r = demo_client.get(f"/{kind}/export.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv" and r.is_streamed
    assert "attachment" in r.headers["Content-Disposition"] and ".csv" in r.headers["Content-Disposition"]
    rows = read_csv(r)
    assert rows[0][-1] == "编号" and all("\u4e00" <= h[0] <= "\u9fff" for h in rows[0])
    assert len(rows) - 1 == total
    x = demo_client.get(f"/{kind}/export.xlsx")
    assert x.status_code == 200 and x.mimetype.endswith("spreadsheetml.sheet")
    sheet = read_xlsx(x)
    assert sheet[0] == rows[0] and len(sheet) - 1 == total


def test_an_export_follows_the_list_filters(demo_client):
    listed = demo_client.get("/api/v1/decisions?kind=inspection&year=2023&per_page=100").get_json()
    rows = read_csv(demo_client.get("/decisions/export.csv?kind=inspection&year=2023"))
    header, body = rows[0], rows[1:]
    assert len(body) == listed["total"] > 0
    kind_col, id_col = header.index("决定类型"), header.index("编号")
    assert {r[kind_col] for r in body} == {"行政检查"}
    assert [int(r[id_col]) for r in body] == [i["id"] for i in listed["items"]][: len(body)]
    xlsx = read_xlsx(demo_client.get("/decisions/export.xlsx?kind=inspection&year=2023"))
    assert len(xlsx) - 1 == listed["total"]


def test_withdrawn_decisions_export_as_notices_without_their_body(demo_client):
    rows = read_csv(demo_client.get("/decisions/export.csv?state=withdrawn"))
    header, body = rows[0], rows[1:]
    assert body
    for row in body:
        record = dict(zip(header, row, strict=True))
        assert record["公示状态"] == "已撤回公示" and record["撤回理由"]
        assert record["违法事实"] == "" and record["当事人"] == ""


def test_a_bad_filter_refuses_the_export_with_a_message(demo_client):
    r = demo_client.get("/decisions/export.csv?year=abc")
    assert r.status_code == 400 and "年度" not in r.headers.get("Content-Disposition", "")
    assert "应为整数" in r.get_json()["error"]["message"]  # JSON, as the OpenAPI document says


def test_exports_read_in_keyset_batches_so_memory_stays_bounded(demo):
    """However many rows match, the session never holds more than one batch of them."""
    seen, peak = [], 0
    for row in queries.iter_rows(queries.DECISIONS, {}, batch=50):
        seen.append(row["id"])
        peak = max(peak, len(db.session.identity_map))
    assert len(seen) == len(set(seen)) == queries.count(queries.DECISIONS, {}, queries.today()) > 500
    assert peak < 50 * 8  # one batch of decisions with their agency, officers, powers and records
    listed = [r["id"] for r in queries.iter_rows(queries.DECISIONS, {})]
    assert listed == seen  # the batch size changes nothing in the output
