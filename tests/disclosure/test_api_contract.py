"""The open-data API and exports keep to their own OpenAPI document, checked by schemathesis.

Every operation in ``/api/v1/openapi.json`` is called with schema-valid and
schema-violating inputs generated from the document (bounded and derandomised,
so the run is the same in CI; no network: the app is called through WSGI), and
every answer is checked: status codes and content types that are documented, bodies
that match their schemas, 405 with ``Allow``, no 500s, valid input accepted and
invalid input refused. ``cursor`` is fixed empty: it is an opaque token from a
previous response, which no schema can generate (its paging is tested in test_api).
A documented 410 (a decision whose display period ended) is an accepted answer.
"""

from __future__ import annotations

import json

import schemathesis
from hypothesis import HealthCheck, settings

from enforcement.disclosure.openapi import document

MAX_EXAMPLES = 25


# The document is built from the category definitions alone, so the operations are known at collection time.
schema = schemathesis.openapi.from_dict(document())
schema.config.checks.positive_data_acceptance.expected_statuses = ["2xx", "3xx", "404", "410"]
schema.config.parameters = {"query.cursor": ""}


def test_the_document_served_is_the_one_checked(demo_client):
    with demo_client.application.app_context():  # the title names the configured site
        checked = json.loads(json.dumps(document()))
    assert demo_client.get("/api/v1/openapi.json").get_json() == checked


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_to_the_openapi_document(demo_app, case):
    case.call_and_validate(app=demo_app)


def test_a_405_names_the_allowed_methods(demo_client):
    response = demo_client.delete("/api/v1/decisions")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_export_errors_are_json_like_the_api(demo_client):
    response = demo_client.get("/decisions/export.csv?year=abc")
    assert response.status_code == 400 and response.get_json()["error"]["parameter"] == "year"


def test_timestamps_carry_their_time_zone(demo_client):
    from enforcement.disclosure.api import plain

    assert plain(__import__("datetime").datetime(2026, 11, 30, 8, 0)) == "2026-11-30T08:00:00+00:00"
