"""The public form, the status page and the staff pages, through the test client."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from enforcement.accounts.services import create_user
from enforcement.extensions import db
from enforcement.requests import clock, intake
from enforcement.requests.models import InfoRequest, RequestAttachment
from tests.conftest import login_as
from tests.requests.helpers import PERSON_ID, agency, registered

PASSWORD = "password-123456"


@pytest.fixture
def town(app):
    a = agency()
    create_user("officer", PASSWORD, ["officer"])
    create_user("supervisor", PASSWORD, ["supervisor"])
    create_user("reviewer", PASSWORD, ["reviewer"])
    db.session.commit()
    return a


def _challenge(client) -> dict:
    page = client.get("/requests/").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page) or re.search(
        r'id="token" name="token" type="hidden" value="([^"]+)"', page)
    assert token, "the form carries a signed challenge"
    question = re.search(r"([一二三四五六七八九])加([一二三四五六七八九])等于几", page)
    digits = "零一二三四五六七八九"
    return {"token": token.group(1), "answer": str(digits.index(question.group(1)) + digits.index(question.group(2)))}


def _form(client, **overrides) -> dict:
    data = {"applicant_type": "natural", "name": "郑晓东", "id_document_type": "resident_id",
            "id_document_number": PERSON_ID, "phone": "13522223333", "description": "2021年燃气安全检查计划",
            "provision_form": "electronic", "delivery": "email", "privacy": "y", **_challenge(client)}
    data.update(overrides)
    return data


def test_citizen_submits_without_account_and_checks_status(client, town):
    data = _form(client)
    data["attachments"] = [(io.BytesIO(b"%PDF-1.4 test"), "身份证明.pdf")]
    response = client.post("/requests/", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    number = re.search(r'class="tracking-number">([^<]+)<', page).group(1)
    code = re.search(r'class="query-code">([^<]+)<', page).group(1)
    req = db.session.scalar(select(InfoRequest))
    assert req.tracking_number == number and code not in req.query_code_hash
    assert len(req.attachments) == 1
    from enforcement.disclosure.records import stored_path

    path = stored_path(req.attachments[0].sha256)
    assert path.is_file() and str(client.application.static_folder) not in str(path)
    status = client.post("/requests/status", data={"tracking_number": number, "code": code}).get_data(as_text=True)
    assert "待确认收到" in status
    assert "郑晓东" not in status and PERSON_ID not in status and "燃气安全检查计划" not in status
    wrong = client.post("/requests/status", data={"tracking_number": number, "code": "AAAAAAAAAA"}).get_data(as_text=True)
    assert "不正确" in wrong and "待确认收到" not in wrong


def test_wrong_challenge_answer_writes_nothing(client, town):
    data = _form(client)
    data["answer"] = str(int(data["answer"]) + 1)
    response = client.post("/requests/", data=data)
    assert response.status_code == 200 and "验证题回答错误" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(InfoRequest.id))) == 0


def test_invalid_id_number_is_a_field_error_not_a_500(client, town):
    response = client.post("/requests/", data=_form(client, id_document_number="110105194912310021"))
    assert response.status_code == 200 and "校验位" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(InfoRequest.id))) == 0


def test_too_large_or_wrong_attachment_writes_nothing(client, town):
    data = _form(client)
    data["attachments"] = [(io.BytesIO(b"MZ..."), "run.exe")]
    response = client.post("/requests/", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "附件只接受" in response.get_data(as_text=True)
    data = _form(client)
    data["attachments"] = [(io.BytesIO(b"%PDF" + b"0" * intake.ATTACHMENT_LIMIT), "big.pdf")]
    response = client.post("/requests/", data=data, content_type="multipart/form-data")
    assert "大小限制" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(InfoRequest.id))) == 0
    assert db.session.scalar(select(func.count(RequestAttachment.id))) == 0


def test_submissions_per_address_are_limited(client, town):
    for _ in range(intake.SUBMISSIONS_PER_DAY):
        assert client.post("/requests/", data=_form(client)).status_code == 302
    response = client.post("/requests/", data=_form(client))
    assert response.status_code == 200 and "24小时内最多" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(InfoRequest.id))) == intake.SUBMISSIONS_PER_DAY


def test_citizen_corrects_through_the_status_page(client, town):
    today = clock.today()
    req, code = registered(town, today)
    from enforcement.requests import services

    services.request_correction(req, today, "officer", "请说明所需计划的年份")
    db.session.commit()
    page = client.post("/requests/status", data={"tracking_number": req.tracking_number, "code": code}).get_data(as_text=True)
    assert "请说明所需计划的年份" in page and "提交补正" in page
    done = client.post("/requests/status/correction", data={"tracking_number": req.tracking_number, "code": code,
                                                            "text": "2021年"})
    assert "补正已收到" in done.get_data(as_text=True)
    db.session.refresh(req)
    assert req.status == "processing" and req.clock_start == today


def test_staff_register_correct_extend_answer_and_download_letter(client, town):
    login_as(client, "officer")
    today = clock.today()
    response = client.post("/staff/requests/new", data={
        "channel": "in_person", "submitted_on": today.isoformat(), "applicant_type": "natural", "name": "郑晓东",
        "id_document_type": "resident_id", "id_document_number": PERSON_ID, "phone": "13522223333",
        "description": "燃气安全检查计划", "provision_form": "paper", "delivery": "post"})
    assert response.status_code == 302
    req = db.session.scalar(select(InfoRequest))
    assert req.received_on == today
    url = f"/staff/requests/{req.id}"
    refused = client.post(f"{url}/extend", data={"extend-on": today.isoformat(), "extend-days": "10",
                                                 "extend-approved_by": "", "extend-reason": "检索"})
    assert refused.status_code == 400
    ok = client.post(f"{url}/extend", data={"extend-on": today.isoformat(), "extend-days": "10",
                                            "extend-approved_by": "刘主任", "extend-reason": "检索"})
    assert ok.status_code == 302
    answered = client.post(f"{url}/answer", data={
        "answer-outcome": "partial", "answer-legal_basis": "《中华人民共和国政府信息公开条例》第三十七条",
        "answer-reasons": "涉及第三方商业秘密", "answer-provided": "检查计划（删除商户信息）",
        "answer-answered_on": today.isoformat()})
    assert answered.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "部分公开" in page and "行政复议" in page and "刘主任" in page
    pdf = client.get(f"{url}/letter.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_supervisors_read_but_cannot_act(client, town):
    req, _ = registered(town, date(2021, 9, 28))
    db.session.commit()
    login_as(client, "supervisor")
    assert client.get(f"/staff/requests/{req.id}").status_code == 200
    assert client.get("/staff/requests/").status_code == 200
    assert client.post(f"/staff/requests/{req.id}/extend", data={}).status_code == 403
    assert client.get("/staff/requests/new").status_code == 403
    login_as(client, "reviewer")
    assert client.get(f"/staff/requests/{req.id}").status_code == 403


def test_anonymous_is_sent_to_login(client, town):
    req, _ = registered(town, date(2021, 9, 28))
    db.session.commit()
    response = client.get(f"/staff/requests/{req.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_action_and_request_are_404(client, town):
    login_as(client, "officer")
    assert client.post("/staff/requests/999/answer", data={}).status_code == 404
    req, _ = registered(town, date(2021, 9, 28))
    db.session.commit()
    assert client.post(f"/staff/requests/{req.id}/explode", data={}).status_code == 404
