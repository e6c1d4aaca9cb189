"""Self-study: declared with an evidence file, pending until a supervisor approves, several entries a period."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from sqlalchemy import func, select

from enforcement.accounts.services import create_user
from enforcement.core.errors import RuleViolation
from enforcement.extensions import db
from enforcement.training import selfstudy
from enforcement.training.models import Attendance, SelfStudyClaim
from enforcement.training.services import officer_standing
from tests.conftest import login_as
from tests.training.helpers import make_world

PASSWORD = "a-long-test-password"
TODAY = date(2026, 11, 20)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n" + b"x" * 200


@pytest.fixture
def world(app):
    app.config["TODAY"] = TODAY
    w = make_world()
    create_user("li", PASSWORD, ["officer"], officer_id=w.officers[1].id)
    create_user("boss", PASSWORD, ["supervisor"])
    create_user("boss2", PASSWORD, ["supervisor"], officer_id=w.officers[2].id)
    create_user("root", PASSWORD, ["admin"])
    db.session.commit()
    yield w
    app.config.pop("TODAY", None)


def declare(client, world, *, hours="2", day="2026-11-02", file=("学习记录.png", PNG), note="学习平台记录 001"):
    data = {"self-attended_on": day, "self-hours": hours, "self-note": note}
    if file is not None:
        data["self-evidence_file"] = (BytesIO(file[1]), file[0])
    return client.post(f"/training/sessions/{world.self_study.id}/self-study", data=data,
                       content_type="multipart/form-data")


def claims() -> list[SelfStudyClaim]:
    db.session.expire_all()
    return list(db.session.scalars(select(SelfStudyClaim).order_by(SelfStudyClaim.id)))


def attendance_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Attendance))


def test_declared_hours_are_pending_and_count_only_once_approved(world, client):
    li = world.officers[1]
    login_as(client, "li")
    response = declare(client, world)
    assert response.status_code == 302
    [claim] = claims()
    assert claim.status == "pending" and claim.hours == Decimal("2")
    assert attendance_count() == 0
    assert officer_standing(li.id, TODAY).earned_hours == 0
    page = client.get("/training/").get_data(as_text=True)
    assert "待审核" in page and "网络自学" in page

    supervisor = client.application.test_client()
    login_as(supervisor, "boss")
    queue = supervisor.get("/training/self-study/pending").get_data(as_text=True)
    assert li.name in queue and "学习记录.png" in queue
    evidence = supervisor.get(f"/training/self-study/{claim.id}/evidence")
    assert evidence.status_code == 200 and evidence.data == PNG
    assert supervisor.post(f"/training/self-study/{claim.id}/approve").status_code == 302
    assert claims()[0].status == "approved"
    assert officer_standing(li.id, TODAY).earned_hours == Decimal("2")
    assert supervisor.post(f"/training/self-study/{claim.id}/approve").status_code == 302  # twice: refused, no row
    assert attendance_count() == 1


def test_only_a_supervisor_reviews_and_never_their_own(world, client):
    login_as(client, "li")
    declare(client, world)
    [claim] = claims()
    assert client.post(f"/training/self-study/{claim.id}/approve").status_code == 403
    assert client.get("/training/self-study/pending").status_code == 403
    admin = client.application.test_client()
    login_as(admin, "root")
    assert admin.post(f"/training/self-study/{claim.id}/approve").status_code == 403
    assert admin.get(f"/training/self-study/{claim.id}/evidence").status_code == 404
    assert claims()[0].status == "pending" and attendance_count() == 0

    own = client.application.test_client()
    login_as(own, "boss2")  # a supervisor who is also an officer declares, then tries to approve it
    declare(own, world, day="2026-11-03", hours="1")
    mine = claims()[1]
    own.post(f"/training/self-study/{mine.id}/approve")
    assert claims()[1].status == "pending"
    assert "须由其他监督人员审核" in own.get("/training/self-study/pending").get_data(as_text=True)


def test_a_rejection_needs_a_reason_the_officer_then_sees(world, client):
    login_as(client, "li")
    declare(client, world)
    [claim] = claims()
    supervisor = client.application.test_client()
    login_as(supervisor, "boss")
    page = supervisor.post(f"/training/self-study/{claim.id}/reject", data={f"r{claim.id}-reason": " "})
    assert page.status_code == 400 and "请填写退回理由" in page.get_data(as_text=True)
    assert claims()[0].status == "pending"
    supervisor.post(f"/training/self-study/{claim.id}/reject", data={f"r{claim.id}-reason": "截图看不清学习时长"})
    assert claims()[0].status == "rejected" and attendance_count() == 0
    assert "截图看不清学习时长" in client.get("/training/").get_data(as_text=True)


@pytest.mark.parametrize("file, message", [
    (None, "请上传学习凭证文件"),
    (("notes.exe", b"MZ" + b"\x00" * 100), "学习凭证只接受"),
    (("记录.png", PDF), "文件内容与扩展名.png不符"),
    (("empty.pdf", b""), "文件为空"),
])
def test_the_evidence_file_is_required_and_its_type_checked(world, client, file, message):
    login_as(client, "li")
    response = declare(client, world, file=file)
    assert response.status_code == 400
    assert message.split(".png")[0] in response.get_data(as_text=True)
    assert claims() == []


def test_several_entries_per_period_up_to_its_hours(world, client):
    login_as(client, "li")
    assert declare(client, world, hours="2", day="2026-11-02").status_code == 302
    page = client.get(f"/training/sessions/{world.self_study.id}").get_data(as_text=True)
    assert "提交自学学时" in page  # the form stays for the next day's study
    assert declare(client, world, hours="3", day="2026-11-05", file=("笔记.pdf", PDF)).status_code == 302
    over = declare(client, world, hours="2", day="2026-11-06")
    assert over.status_code == 400 and "最多还能登记1学时" in over.get_data(as_text=True)
    first, second = claims()
    supervisor = client.application.test_client()
    login_as(supervisor, "boss")
    supervisor.post(f"/training/self-study/{first.id}/approve")
    supervisor.post(f"/training/self-study/{second.id}/approve")
    assert attendance_count() == 2
    assert officer_standing(world.officers[1].id, TODAY).earned_hours == Decimal("5")


def test_service_refuses_centralised_sessions_and_dates_outside_the_period(world):
    li = world.officers[1]
    with pytest.raises(RuleViolation, match="集中培训"):
        selfstudy.submit_claim(world.penalty_session, li, 2, date(2026, 3, 12), "", file_name="a.png",
                               stream=BytesIO(PNG), today=TODAY, submitted_by="li")
    with pytest.raises(RuleViolation, match="未来"):
        selfstudy.submit_claim(world.self_study, li, 2, date(2026, 11, 25), "", file_name="a.png",
                               stream=BytesIO(PNG), today=TODAY, submitted_by="li")
    with pytest.raises(RuleViolation, match="自学日期应在"):
        selfstudy.submit_claim(world.self_study, li, 2, date(2026, 9, 30), "", file_name="a.png",
                               stream=BytesIO(PNG), today=TODAY, submitted_by="li")


@pytest.mark.parametrize("typed, hours", [("２", 2), ("２．５", 2.5), ("2.5学时", 2.5), (" 1.5 小时", 1.5)])
def test_hours_are_read_as_officers_type_them(world, client, typed, hours):
    login_as(client, "li")
    assert declare(client, world, hours=typed).status_code == 302
    assert [float(c.hours) for c in claims()] == [hours]


@pytest.mark.parametrize("typed, message", [
    ("1,5", "学时应为数字"), ("二", "学时应为数字"), ("1e1", "学时应为数字"), ("2.55", "学时应为数字"),
    ("0", "学时应在0.5到40之间"), ("", "请填写学时"),
])
def test_hours_that_are_not_a_number_are_refused_with_what_to_write(world, client, typed, message):
    login_as(client, "li")
    response = declare(client, world, hours=typed)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert claims() == []
