"""Links and redirects lead only to http(s) or this site; PDF markup is escaped; the Host header reaches no
cached page or feed (OWASP Unvalidated Redirects and Forwards cheat sheet; ASVS 4.0 V5.1.5, V5.3.1)."""

from __future__ import annotations

from datetime import date

import pytest

from enforcement.core.urls import safe_link, safe_next

# The cheat sheet's bypasses, and what browsers normalise: each must be refused as a redirect target.
OFF_SITE = ["//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/%09/evil.example",
            "/%2F%2Fevil.example", "/%5Cevil.example", "/\t/evil.example", "/\n/evil.example", "https://evil.example",
            "http:evil.example", "javascript:alert(1)", "//evil.example/%2e%2e", " //evil.example", "/ /evil.example",
            "evil.example", "", "/\x00", "/\r\nSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"]
ON_SITE = ["/", "/decisions?page=2", "/laws/3#a59", "/staff/decisions/12", "/search?q=%E7%87%83%E6%B0%94"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_refuses_every_off_site_form(target):
    assert safe_next(target) is None
    assert safe_next(target, "/") == "/"


@pytest.mark.parametrize("target", ON_SITE)
def test_next_keeps_a_path_on_this_site(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", OFF_SITE)
def test_the_text_size_switch_never_redirects_off_site_nor_fails(client, target):
    response = client.get("/preferences/text-size", query_string={"size": "large", "next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(client, target):
    from enforcement.accounts.services import create_user
    from enforcement.extensions import db

    create_user("wangqiang", "Xihongmen-gas-2026!", ["officer"])
    db.session.commit()
    response = client.post("/login", query_string={"next": target},
                           data={"username": "wangqiang", "password": "Xihongmen-gas-2026!"})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"


@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)", " javascript:x",
                                  "java\tscript:alert(1)", "data:text/html,<script>x</script>", "vbscript:x",
                                  "//evil.example/x", "file:///etc/passwd", "http://", "/\\evil"])
def test_a_link_must_be_http_or_on_this_site(link):
    assert not safe_link(link)


@pytest.mark.parametrize("link", ["https://www.moj.gov.cn/", "http://example.com/a?b=1", "/laws", "/laws/1#a2"])
def test_http_and_site_links_are_accepted(link):
    assert safe_link(link)


def test_course_materials_refuse_a_script_link_and_the_page_never_shows_one(app):
    from enforcement.core.errors import RuleViolation
    from enforcement.extensions import db
    from enforcement.training.courses import create_course
    from enforcement.training.models import Course

    with pytest.raises(RuleViolation, match="第2行的链接"):
        create_course("C-1", "燃气执法", "gas", 2, materials="讲义|/laws\n恶意|javascript:alert(1)")
    course = create_course("C-2", "燃气执法", "gas", 2, materials="讲义|/laws")
    course.materials = "旧数据|javascript:alert(1)\n讲义|https://www.moj.gov.cn/"  # written before the check
    db.session.commit()
    rendered = app.jinja_env.from_string(
        "{% for t, l in c.material_list %}{% if l|safe_href %}<a href='{{ l|safe_href }}'>{{ t }}</a>"
        "{% else %}{{ t }}{% endif %}{% endfor %}").render(c=db.session.get(Course, course.id))
    assert "javascript" not in rendered and "<a href='https://www.moj.gov.cn/'>" in rendered


@pytest.mark.parametrize("name", ["<img src='/etc/passwd' width=9 height=9/>", "<a href='javascript:x'>镇</a>",
                                  "<b>未闭合", "西红门镇 & <font color=red>"])
def test_the_annual_report_pdf_prints_markup_in_names_as_text(name):
    from enforcement.audit.report_files import report_pdf
    from enforcement.audit.reports import AnnualReport, Section

    report = AnnualReport(2025, date(2026, 1, 10), name, [Section("一、" + name, ["项目", "数量"], [], note=name)],
                          notes=[name])
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF") and b"/URI" not in pdf and b"/Subtype /Image" not in pdf


def test_a_host_header_does_not_reach_the_feed_others_are_served(app, client):
    poisoned = client.get("/feeds/decisions.atom", headers={"Host": "evil.example"})
    assert poisoned.status_code == 200
    honest = client.get("/feeds/decisions.atom").get_data(as_text=True)
    assert "evil.example" not in honest


def test_trusted_hosts_refuse_any_other_host(tmp_path):
    from tests.conftest import make_app

    app, _url = make_app(tmp_path, "hosts", TRUSTED_HOSTS=["gov.example"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "gov.example"}).status_code == 200
