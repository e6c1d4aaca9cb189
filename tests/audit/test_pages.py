"""The supervisor's pages read the stored audit: counts are links to their lists, training is summarised per
officer with a drill-down, and no internal code (ids, field names, user names) reaches a page."""

from __future__ import annotations

import re

from enforcement.audit import incremental, results
from enforcement.audit.checks import Scope, run_checks
from enforcement.demo.town import TODAY
from enforcement.extensions import db
from tests.conftest import login_as


def _cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row, re.S) for row in body.split("</tr>") if "<td>" in row]


def test_every_dashboard_count_is_a_link_to_its_list(demo, demo_client):
    login_as(demo_client, "supervisor")
    html = demo_client.get("/audit/?year=").get_data(as_text=True)
    rows = _cells(html)
    assert len(rows) >= 10
    for row in rows:
        assert row[2].startswith("<a ") and row[3].startswith("<a "), row[:1]
    assert 'href="/audit/findings/?status=unclosed"' in html
    assert demo_client.get("/audit/findings/?status=unclosed").status_code == 200
    assert demo_client.get("/audit/findings/?status=overdue").status_code == 200


def test_training_is_summarised_per_officer_with_their_decisions_behind(demo, demo_client):
    login_as(demo_client, "supervisor")
    html = demo_client.get(f"/audit/checks/training?year={TODAY.year}").get_data(as_text=True)
    assert "按执法人员汇总" in html
    officer = re.search(r'\?year=\d+&amp;officer=(\d+)"', html).group(1)
    listed = demo_client.get(f"/audit/checks/training?year={TODAY.year}&officer={officer}").get_data(as_text=True)
    assert "培训学时落后" in listed and "返回按执法人员汇总" in listed
    scope = Scope(demo.config.get("TODAY") or TODAY, TODAY.year)
    incremental.refresh()
    summary = {o.officer_id: o.decisions for o in results.training_officers(scope)}
    assert sum(summary.values()) == results.summaries(scope, ["training"])[0].failed
    db.session.rollback()


def test_masking_item_says_what_happened_without_internal_names(demo, demo_client):
    login_as(demo_client, "supervisor")
    scope = Scope(TODAY)
    wrong = [i for i in run_checks(scope, ["masking"])[0].items if "错误地" in i.message]
    assert wrong, "the demo has officers wrongly confirm a phone public"
    page = demo_client.get(wrong[0].url).get_data(as_text=True)
    assert "系统未采纳" in page and "公众看不到" in page
    assert "masking_confirmed" not in page and "decision #" not in page
    finding = demo_client.get("/audit/findings/1").get_data(as_text=True)
    assert "decision #" not in finding and ">supervisor<" not in finding
