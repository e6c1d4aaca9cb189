"""One 文号, 执法证号 or name however it is typed: imports, forms, the check page, lists, search and exports."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from enforcement.core.numbers import credential_key, number_key
from enforcement.disclosure import lifecycle
from enforcement.disclosure.importing import import_rows
from enforcement.disclosure.models import Decision, Officer
from enforcement.disclosure.services import FormRejected
from enforcement.extensions import db
from tests.disclosure.helpers import AGENCY, decision, load_minimal_town

TODAY = date(2026, 11, 30)
UYGHUR = {"name": "买买提·艾力", "agency_credit_code": AGENCY["credit_code"], "credential_number": "110115020190",
          "credential_issued_on": "2021-03-01", "credential_expires_on": "2030-03-01"}


@pytest.mark.parametrize("spelling", ["京兴西罚字〔2025〕第16号", "京兴西罚字[2025]第0016号", "京兴西罚字（２０２５）16号",
                                      "京兴西罚字 (2025) 第00016号", "京兴西罚字【2025】0016号"])
def test_every_spelling_of_a_decision_number_has_one_key(spelling):
    assert number_key(spelling) == number_key("京兴西罚字〔2025〕第0016号") == "京兴西罚字(2025)16号"


def test_serials_that_differ_stay_different_and_credential_numbers_keep_their_zeros():
    assert number_key("京兴西罚字〔2025〕第16号") != number_key("京兴西罚字〔2025〕第160号")
    assert credential_key("０１１０１１５ ０２０１９０") == "0110115020190"


def test_the_staff_form_refuses_a_number_already_used_in_another_spelling(app):
    load_minimal_town()
    import_rows("decisions", [(1, decision("京兴西罚字〔2025〕第0016号"))])
    with pytest.raises(FormRejected) as e:
        lifecycle.save_draft(None, {**decision("京兴西罚字[2025]16号"), "status": "draft"})
    assert ("number", "决定文号 京兴西罚字[2025]16号 已存在") in e.value.errors


def test_an_officer_reimported_with_full_width_digits_is_updated_not_duplicated(app):
    load_minimal_town()
    import_rows("officers", [(1, UYGHUR)])
    result = import_rows("officers", [(1, {**UYGHUR, "credential_number": "１１０１１５０２０１９０", "category": "城管"})])
    assert (result.created, result.updated) == (0, 1)
    assert db.session.scalar(select(func.count()).select_from(Officer).where(Officer.name == "买买提·艾力")) == 1


def test_a_decision_naming_its_officers_in_full_width_digits_links_them(app):
    load_minimal_town()
    import_rows("decisions", [(1, decision("X-1", officers=["１１０１１５００００１", "11011500002"]))])
    assert len(db.session.scalar(select(Decision)).officers) == 2


def test_the_credential_check_finds_a_number_typed_in_full_width(app, client):
    load_minimal_town()
    import_rows("officers", [(1, UYGHUR)])
    db.session.commit()
    page = client.get("/officers/check?number=１１０１１５０２０１９０").get_data(as_text=True)
    assert "买买提·艾力" in page


@pytest.mark.parametrize("typed", ["买买提·艾力", "买买提艾力", "买买提•艾力", "买买提・艾力"])
def test_the_officer_directory_finds_a_name_with_or_without_its_middle_dot(app, client, typed):
    load_minimal_town()
    import_rows("officers", [(1, UYGHUR)])
    db.session.commit()
    page = client.get("/officers", query_string={"q": typed}).get_data(as_text=True)
    assert "买买提·艾力" in page and "王强" not in page
    exported = client.get("/officers/export.csv", query_string={"q": typed}).get_data(as_text=True)
    assert "买买提·艾力" in exported and "王强" not in exported


def test_search_finds_names_with_or_without_the_dot_and_numbers_without_第_or_zeros(app):
    from enforcement.search import services

    load_minimal_town()
    import_rows("officers", [(1, UYGHUR)])
    import_rows("decisions", enumerate([decision(f"京兴西罚字〔2025〕第{i:04d}号", decided_on="2026-09-30",
                                                 published_on="2026-10-12") for i in (15, 16, 160)], 1))
    db.session.commit()
    app.config["TODAY"] = TODAY
    services.rebuild()
    for typed in ("买买提艾力", "买买提·艾力", "买买提•艾力"):
        assert [r["title"] for r in services.search(typed, category="officer").results] == ["买买提·艾力"], typed
    for typed in ("京兴西罚字〔2025〕第16号", "京兴西罚字[2025]16号", "京兴西罚字（2025）第0016号"):
        results = services.search(typed).results
        assert results and results[0]["number"] == "京兴西罚字〔2025〕第0016号", typed


def _public_decisions() -> None:
    load_minimal_town()
    import_rows("decisions", enumerate([
        decision("京兴西罚字〔2026〕第0001号", decided_on="2026-09-30", published_on="2026-10-12"),
        decision("京兴西罚字〔2026〕第0002号", party_type="organisation", party_name="北京京南餐饮有限公司",
                 party_credit_code="91110115MA01ABCD3Q", decided_on="2026-10-30", published_on="2026-11-05"),
        decision("京兴西罚字〔2025〕第0003号", decided_on="2025-11-20", published_on="2025-11-28"),
    ], 1))
    db.session.commit()


def test_decisions_export_as_filtered_by_keyword_year_and_party(app, client):
    app.config["TODAY"] = TODAY
    _public_decisions()
    rows = list(csv.reader(io.StringIO(client.get("/decisions/export.csv?q=燃气&year=2026").get_data(as_text=True))))
    assert sorted(r[0] for r in rows[1:]) == ["京兴西罚字〔2026〕第0001号", "京兴西罚字〔2026〕第0002号"]
    by_number = client.get("/decisions/export.csv", query_string={"q": "京兴西罚字[2026]1号"}).get_data(as_text=True)
    assert "第0001号" in by_number and "第0002号" not in by_number
    xlsx = client.get("/decisions/export.xlsx", query_string={"party": "京南餐饮"})
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["京兴西罚字〔2026〕第0002号"]


def test_a_natural_persons_name_is_never_a_filter(app, client):
    """张三 is published as 张某: filtering by 张三 must not tell anyone which decisions are his."""
    app.config["TODAY"] = TODAY
    _public_decisions()
    for args in ({"party": "张三"}, {"q": "张三"}, {"q": "11010519491231002X"}):
        rows = list(csv.reader(io.StringIO(client.get("/decisions/export.csv", query_string=args).get_data(as_text=True))))
        assert rows[1:] == [], args


def test_search_results_export_and_a_clear_refusal_above_the_cap(app, client, monkeypatch):
    from enforcement.search import exporting, services

    app.config["TODAY"] = TODAY
    _public_decisions()
    services.rebuild()
    rows = list(csv.reader(io.StringIO(client.get("/search/export.csv?q=燃气").data.decode("utf-8-sig"))))
    assert rows[0] == ["类别", "标题", "文号或编号", "日期", "摘要", "链接"]
    assert {r[2] for r in rows[1:]} >= {"京兴西罚字〔2026〕第0001号", "京兴西罚字〔2026〕第0002号"}
    assert all(r[5].startswith("http://localhost/") for r in rows[1:])
    xlsx = client.get("/search/export.xlsx?q=燃气&category=decision")
    assert load_workbook(io.BytesIO(xlsx.data)).active.max_row == 3  # the header and the two public decisions
    monkeypatch.setattr(exporting, "EXPORT_CAP", 1)
    refused = client.get("/search/export.csv?q=燃气")
    assert refused.status_code == 400 and "超过导出上限 1 条" in refused.get_data(as_text=True)
