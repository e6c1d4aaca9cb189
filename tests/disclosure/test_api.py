"""The open-data API: every public category, filters, stable ids, page and cursor pagination, OpenAPI."""

from __future__ import annotations

import re

import pytest

from tests.disclosure.test_public_pages import build_town

CATEGORIES = ["agencies", "officers", "powers", "procedures", "inspection-items", "decisions", "laws"]


@pytest.fixture
def town(app, monkeypatch):
    return build_town(app, monkeypatch)


@pytest.mark.parametrize("kind", CATEGORIES)
def test_every_category_lists_and_each_item_has_a_stable_detail(demo_client, kind):
    body = demo_client.get(f"/api/v1/{kind}?per_page=5").get_json()
    assert body["total"] > 0 and len(body["items"]) == min(5, body["total"])
    item = body["items"][0]
    detail = demo_client.get(f"/api/v1/{kind}/{item['id']}")
    assert detail.status_code == 200 and detail.get_json()["id"] == item["id"]
    assert demo_client.get(f"/api/v1/{kind}/{item['id']}").get_json() == detail.get_json()


def test_decisions_api_returns_the_masked_projection(client, town):
    body = client.get("/api/v1/decisions").get_json()
    assert body["total"] == 4
    public = next(i for i in body["items"] if i["id"] == town["public"])
    assert public["party"] == "张某" and "张三" not in str(body) and "13912345678" not in str(body)
    assert public["fine_amount"] == "2000.00" and public["decided_on"] == "2021-09-30"
    withdrawn = next(i for i in body["items"] if i["id"] == town["withdrawn"])
    assert withdrawn["state"] == "withdrawn" and "facts" not in withdrawn and withdrawn["withdrawal_reason"]


def test_decision_detail_states_match_the_pages(client, town):
    assert client.get(f"/api/v1/decisions/{town['public']}").status_code == 200
    gone = client.get(f"/api/v1/decisions/{town['expired']}")
    assert gone.status_code == 410 and gone.get_json()["error"]["status"] == 410
    for role in ("minor", "unpublished"):
        r = client.get(f"/api/v1/decisions/{town[role]}")
        assert r.status_code == 404 and r.get_json()["error"]["status"] == 404


def test_filters_are_the_same_as_on_the_pages(client, town):
    numbers = {i["number"] for i in client.get("/api/v1/decisions?kind=inspection").get_json()["items"]}
    assert numbers == {"京兴西检字〔2020〕第0001号"}
    assert client.get("/api/v1/decisions?year=2021&state=public").get_json()["total"] == 2
    assert client.get("/api/v1/decisions?date_from=2021-10-01").get_json()["total"] == 1
    assert client.get("/api/v1/powers?category=penalty").get_json()["total"] == 1
    assert client.get("/api/v1/officers?state=valid").get_json()["total"] == 2
    assert client.get("/api/v1/laws?title=燃气").get_json()["total"] == 1


def test_powers_api_carries_the_article_text_in_force(client, town):
    power = client.get("/api/v1/powers").get_json()["items"][0]
    basis = power["basis"][0]
    assert basis["in_force"] is True and basis["in_force_version"] == "2020-09-25"
    assert basis["number"] == 59 and "二万元以上十万元以下" in basis["text"]


def test_laws_api_has_every_article_with_its_anchor(client, town):
    law = client.get("/api/v1/laws").get_json()["items"][0]
    detail = client.get(f"/api/v1/laws/{law['id']}").get_json()
    assert detail["articles"][58]["number"] == 59 and detail["articles"][58]["url"] == f"/laws/{law['id']}#a59"


def test_page_pagination_walks_every_record_once(demo_client):
    first = demo_client.get("/api/v1/decisions?per_page=100").get_json()
    total, seen = first["total"], [i["id"] for i in first["items"]]
    for page in range(2, -(-total // 100) + 1):
        seen += [i["id"] for i in demo_client.get(f"/api/v1/decisions?per_page=100&page={page}").get_json()["items"]]
    assert len(seen) == len(set(seen)) == total


def test_cursor_pagination_walks_every_record_once_in_the_same_order(demo_client):
    by_page = [i["id"] for i in demo_client.get("/api/v1/decisions?per_page=100&page=1").get_json()["items"]]
    seen, url = [], "/api/v1/decisions?per_page=40&kind=penalty"
    body = demo_client.get(url).get_json()
    while True:
        seen += [i["id"] for i in body["items"]]
        if not body["next_cursor"]:
            break
        assert body["links"]["next"].startswith("/api/v1/decisions?")
        body = demo_client.get(body["links"]["next"]).get_json()
    assert len(seen) == len(set(seen)) == body["total"]
    everything = demo_client.get("/api/v1/decisions?per_page=100&kind=penalty").get_json()["items"]
    assert seen[:100] == [i["id"] for i in everything]
    assert by_page  # the unfiltered first page exists too


@pytest.mark.parametrize("query, parameter", [
    ("kind=nope", "kind"), ("year=twenty", "year"), ("date_to=2021-02-30", "date_to"), ("page=0", "page"),
    ("per_page=101", "per_page"), ("cursor=not-a-cursor", "cursor"),
    ("cursor=WzEsMiwzXQ", "cursor"), ("agency=abc", "agency"),
])
def test_bad_parameters_are_400_with_a_json_error(client, town, query, parameter):
    r = client.get(f"/api/v1/decisions?{query}")
    assert r.status_code == 400
    error = r.get_json()["error"]
    assert error["status"] == 400 and error["parameter"] == parameter and error["message"]


def test_undecodable_and_oversized_parameters_are_400_json(client, town):
    r = client.get("/api/v1/decisions", environ_overrides={"QUERY_STRING": "kind=%C3%28"})
    assert r.status_code == 400 and "UTF-8" in r.get_json()["error"]["message"]
    assert client.get("/api/v1/decisions?q=" + "x" * 5000).status_code == 400


@pytest.mark.parametrize("path", ["/api/v1/decisions/0", "/api/v1/decisions/99999999999999999999",
                                  "/api/v1/officers/31337", "/api/v1/nothing-here"])
def test_unknown_ids_are_404_json(client, town, path):
    r = client.get(path)
    assert r.status_code == 404 and r.get_json()["error"]["status"] == 404


# ---------------------------------------------------------------- the OpenAPI document


def _doc_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def test_every_api_route_is_documented(demo_client):
    doc = demo_client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    rules = {_doc_path(r.rule) for r in demo_client.application.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    assert rules - set(doc["paths"]) == set()
    assert "/api/v1/search" in doc["paths"]


def test_every_documented_path_answers(demo_client):
    doc = demo_client.get("/api/v1/openapi.json").get_json()
    for path, ops in doc["paths"].items():
        url = path.replace("{id}", "1").replace("{year}", "2024")
        if path == "/api/v1/search":
            url += "?q=燃气"
        r = demo_client.get(url)
        assert r.status_code == 200, (path, r.status_code)
        content = ops["get"]["responses"]["200"]["content"]
        assert r.mimetype in content, (path, r.mimetype)


def test_documented_filters_are_accepted_and_undocumented_values_refused(demo_client):
    doc = demo_client.get("/api/v1/openapi.json").get_json()
    for slug in CATEGORIES:
        params = doc["paths"][f"/api/v1/{slug}"]["get"]["parameters"]
        for p in params:
            values = p["schema"].get("enum") or []
            for value in values:
                assert demo_client.get(f"/api/v1/{slug}?{p['name']}={value}").status_code == 200, (slug, p["name"])
            if values:
                assert demo_client.get(f"/api/v1/{slug}?{p['name']}=undocumented").status_code == 400


def _check(schema: dict, value, doc: dict, where: str) -> None:
    """A small validator for the subset of JSON Schema the document uses."""
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "oneOf" in schema:
        errors = []
        for option in schema["oneOf"]:
            try:
                _check(option, value, doc, where)
                return
            except AssertionError as e:
                errors.append(str(e))
        raise AssertionError(f"{where}: matches no option: {errors}")
    if "allOf" in schema:
        for part in schema["allOf"]:
            _check({**part, "required": part.get("required", [])}, value, doc, where)
        return
    if value is None:
        assert schema.get("nullable"), f"{where}: null not allowed"
        return
    kind = schema.get("type")
    if kind == "object":
        assert isinstance(value, dict), where
        props = schema.get("properties")
        if props is not None and "allOf" not in schema:
            assert set(schema.get("required", [])) <= set(value), f"{where}: missing {set(schema['required']) - set(value)}"
        for key, sub in (props or {}).items():
            if key in value:
                _check(sub, value[key], doc, f"{where}.{key}")
        if "additionalProperties" in schema:
            for key, item in value.items():
                _check(schema["additionalProperties"], item, doc, f"{where}.{key}")
    elif kind == "array":
        assert isinstance(value, list), where
        for n, item in enumerate(value):
            _check(schema["items"], item, doc, f"{where}[{n}]")
    elif kind == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), where
    elif kind == "number":
        assert isinstance(value, (int, float)), where
    elif kind == "boolean":
        assert isinstance(value, bool), where
    elif kind == "string":
        assert isinstance(value, str), where
        if "enum" in schema:
            assert value in schema["enum"], f"{where}: {value} not in enum"
        if schema.get("format") == "date":
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), where


def test_responses_match_their_documented_schemas(demo_client):
    doc = demo_client.get("/api/v1/openapi.json").get_json()
    for slug in CATEGORIES:
        body = demo_client.get(f"/api/v1/{slug}?per_page=100").get_json()
        _check(doc["paths"][f"/api/v1/{slug}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
               body, doc, slug)
        item_id = body["items"][0]["id"]
        detail = demo_client.get(f"/api/v1/{slug}/{item_id}").get_json()
        _check(doc["paths"][f"/api/v1/{slug}/{{id}}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
               detail, doc, f"{slug}/{item_id}")
    withdrawn = demo_client.get("/api/v1/decisions?state=withdrawn&per_page=5").get_json()
    _check({"$ref": "#/components/schemas/decisions"}, withdrawn["items"][0], doc, "withdrawn")
    _check({"$ref": "#/components/schemas/YearStats"}, demo_client.get("/api/v1/stats/2024").get_json(), doc, "stats")


@pytest.mark.parametrize("query", ["page=100000", "agency=424242", "date_from=2021-03-01&date_to=2021-01-01"])
def test_well_formed_values_that_match_nothing_give_an_empty_list(client, town, query):
    """The OpenAPI document allows them, so the API answers them (an empty list), as the contract test demands."""
    response = client.get(f"/api/v1/decisions?{query}")
    assert response.status_code == 200 and response.get_json()["items"] == []
