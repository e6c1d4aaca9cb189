"""Training pages per role: officers see and record their own, organisers sign in and supervise, the public verifies."""

from datetime import date
from io import BytesIO

import pytest
from sqlalchemy import select

from enforcement.accounts.services import create_user
from enforcement.extensions import db
from enforcement.training import courses
from enforcement.training.models import Attempt, Attendance, Certificate
from tests.conftest import login_as
from tests.training.helpers import add_assessment, add_questions, make_world

PASSWORD = "a-long-test-password"


@pytest.fixture
def world(app):
    w = make_world()
    add_questions(w.article)
    w.exam = add_assessment(w.penalty, max_attempts=3)
    create_user("wang", PASSWORD, ["officer"], officer_id=w.officers[0].id)
    create_user("li", PASSWORD, ["officer"], officer_id=w.officers[1].id)
    create_user("boss", PASSWORD, ["supervisor"])
    create_user("root", PASSWORD, ["admin"])
    create_user("legal", PASSWORD, ["reviewer"])
    db.session.commit()
    return w


def as_user(client, username):
    login_as(client, username)
    return client


def app_client(client):
    """A second browser on the same app (another user's session)."""
    return client.application.test_client()


def test_anonymous_visitors_are_sent_to_login_and_officers_kept_out_of_supervision(world, client):
    assert client.get("/training/").status_code == 302
    assert client.get("/training/compliance").status_code == 302
    as_user(client, "wang")
    for path in ("/training/compliance", "/training/compliance/1", "/training/import", "/training/export",
                 "/training/api/compliance", "/training/courses/new"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/training/sessions/{world.penalty_session.id}",
                       data={"officer_id": world.officers[0].id, "hours": "4"}).status_code == 403
    assert db.session.scalars(select(Attendance)).first() is None


def test_an_officer_sees_what_they_owe_this_year(world, client):
    courses.record_sign_in(world.penalty_session, world.officers[0], 3, today=date.today(), recorded_by="boss")
    db.session.commit()
    page = as_user(client, "wang").get("/training/").get_data(as_text=True)
    assert "王强" in page and "年度要求" in page and "60 学时" in page
    assert "行政处罚法专题" in page and "（部分，共4）" in page
    assert world.exam.title in page
    api = client.get("/training/api/standing").get_json()
    assert api["earned_hours"] == 3.0 and api["required_hours"] == 60.0


def test_a_user_without_an_officer_gets_an_explanation_and_organisers_the_compliance_table(world, client):
    assert "没有关联执法人员" in as_user(client, "legal").get("/training/").get_data(as_text=True)
    response = as_user(app_client(client), "boss").get("/training/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/training/compliance")


def test_the_organiser_records_sign_in_and_a_refusal_keeps_the_input(world, client):
    as_user(client, "boss")
    url = f"/training/sessions/{world.penalty_session.id}"
    response = client.post(url, data={"officer_id": world.officers[1].id, "hours": "3.5"})
    assert response.status_code == 302
    [attendance] = db.session.scalars(select(Attendance)).all()
    assert (attendance.officer_id, float(attendance.hours), attendance.recorded_by) == (world.officers[1].id, 3.5, "boss")
    page = client.post(url, data={"officer_id": world.officers[0].id, "hours": "6"}).get_data(as_text=True)
    assert "不能超过本场次学时" in page and 'value="6"' in page
    assert len(db.session.scalars(select(Attendance)).all()) == 1


def test_an_officer_takes_an_assessment_and_sees_the_score_with_explanations(world, client):
    as_user(client, "wang")
    response = client.post(f"/training/assessments/{world.exam.id}/start")
    attempt = db.session.scalars(select(Attempt)).one()
    assert response.headers["Location"].endswith(f"/training/attempts/{attempt.id}")
    page = client.get(f"/training/attempts/{attempt.id}").get_data(as_text=True)
    assert "交卷" in page and "简易程序对公民罚款上限" in page
    right = {"Q1": ["B"], "Q2": ["A", "C"], "Q3": ["A"]}
    client.post(f"/training/attempts/{attempt.id}",
                data={f"q{a.position}": right[a.question.code] for a in attempt.answers})
    page = client.get(f"/training/attempts/{attempt.id}").get_data(as_text=True)
    assert "100" in page and "通过" in page and "解析" in page
    assert as_user(app_client(client), "li").get(f"/training/attempts/{attempt.id}").status_code == 404


def test_the_supervisor_drills_down_from_the_compliance_table(world, client):
    as_user(client, "boss")
    page = client.get("/training/compliance").get_data(as_text=True)
    assert all(o.name in page for o in world.officers) and "即将到期" in page
    assert "王强" in client.get("/training/compliance?show=behind").get_data(as_text=True)
    detail = client.get(f"/training/compliance/{world.officers[0].id}").get_data(as_text=True)
    assert "王强的培训" in detail and "分科目学时" in detail
    assert client.get("/training/compliance?year=abc").status_code == 400
    assert client.get("/training/compliance?show=everyone").status_code == 400
    assert client.get("/training/compliance/999").status_code == 404


def test_the_admin_exports_attendance_and_imports_a_sheet_with_errors_reported(world, client):
    courses.record_sign_in(world.gas_session, world.officers[0], 8, today=date.today(), recorded_by="boss")
    db.session.commit()
    as_user(client, "root")
    csv_text = client.get("/training/export?format=csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].lstrip("\ufeff").startswith("执法人员,执法证号,课程编号")
    assert "王强,11011500001,T-02" in csv_text
    assert client.get("/training/export?format=xlsx").mimetype.endswith("spreadsheetml.sheet")
    bad = "执法人员,执法证号,课程编号,日期,学时\n李娜,11011500002,T-01,2026-03-12,99\n".encode()
    page = client.post("/training/import", data={"file": (BytesIO(bad), "sheet.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "第2行" in page and "未导入任何记录" in page
    good = "执法人员,执法证号,课程编号,日期,学时\n李娜,11011500002,T-01,2026-03-12,4\n".encode()
    client.post("/training/import", data={"file": (BytesIO(good), "sheet.csv")}, content_type="multipart/form-data")
    assert len(db.session.scalars(select(Attendance)).all()) == 2


def test_the_public_certificate_check_shows_name_course_date_and_hours_only(world, client):
    wang = world.officers[0]
    wang.phone, wang.id_number = "13800000001", "110115199001011234"
    db.session.add(Certificate(code="ABCDEFGHJKLM", officer_id=wang.id, course_id=world.gas.id,
                               issued_on=date(2026, 4, 9), hours=8))
    db.session.commit()
    page = client.get("/certificates/verify?code=abcd-efgh-jklm").get_data(as_text=True)
    assert "证书有效" in page and "王强" in page and "燃气专项执法" in page and "2026年4月9日" in page
    assert "11011500001" not in page and "13800000001" not in page and "110115199001011234" not in page
    assert "未找到" in client.get("/certificates/verify?code=ZZZZ").get_data(as_text=True)
    assert client.get("/certificates/verify?code=" + "x" * 500).status_code == 400


def test_handing_in_with_blank_questions_asks_for_confirmation_first(world, client):
    as_user(client, "wang")
    client.post(f"/training/assessments/{world.exam.id}/start")
    attempt = db.session.scalars(select(Attempt)).one()
    first, *rest = attempt.answers
    data = {f"q{first.position}": ["B"]}
    page = client.post(f"/training/attempts/{attempt.id}", data=data)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f"还有 {len(rest)} 题未作答" in text
    assert all(f'href="#q{a.position}">第{a.position}题</a>' in text for a in rest)
    assert 'value="B" checked' in text  # the answers given so far are kept
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "in_progress"
    client.post(f"/training/attempts/{attempt.id}", data={**data, "confirm": "1"})
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status in ("passed", "failed")
