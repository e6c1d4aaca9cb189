"""The OpenAPI 3 document of /api/v1, built from the same category definitions the API runs on.

Filters, pagination and paths come from ``queries.CATEGORIES``, so the document
cannot drift from what the API accepts; the item schemas below are checked
against real responses by the test suite.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context

from enforcement.core.enums import DecisionKind
from enforcement.core.pagination import MAX_PAGE_SIZE
from enforcement.disclosure.categories import CATEGORIES, Category, Filter
from enforcement.disclosure.queries import MAX_DB_ID

S = {"type": "string"}
I = {"type": "integer"}  # noqa: E741
B = {"type": "boolean"}
D = {"type": "string", "format": "date"}
DT = {"type": "string", "format": "date-time"}
MONEY = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", "description": "金额（元），十进制字符串"}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _obj(props: dict[str, Any], description: str = "") -> dict:
    out: dict[str, Any] = {"type": "object", "properties": props, "required": list(props)}
    if description:
        out["description"] = description
    return out


def _arr(items: dict) -> dict:
    return {"type": "array", "items": items}


BASIS_IN_FORCE = _obj({
    "citation": S, "pinned_citation": {**S, "description": "引用的条款（含版本日期）"}, "law": S, "cited_version": D,
    "cited_law_id": I, "cited_number": I, "cited_text": S, "article": S,
    "match": {**S, "enum": ["same", "renumbered", "unmatched", "none"],
              "description": "same 引用版本现行有效；renumbered 经条文对照表对应到现行版本的条文；unmatched 现行版本中对应条文未经核对；none 无现行有效版本"},
    "in_force": B, "in_force_version": _nullable(D), "in_force_law_id": _nullable(I), "in_force_article": _nullable(S),
    "law_id": I, "number": I, "text": {**S, "description": "现行有效版本的条文内容"},
}, "法律依据：引用的条款及现行有效版本的条文")

ITEM_SCHEMAS: dict[str, dict] = {
    "agencies": _obj({
        "id": I, "name": S, "credit_code": S, "legal_status": S, "legal_status_label": S, "entrusted_by": S,
        "duties": S, "address": S, "phone": S, "supervision_phone": S, "supervision_channels": S,
        "reconsideration_body": S, "reconsideration_days": I, "litigation_court": S, "litigation_months": I,
    }, "执法主体，含监督方式和救济渠道"),
    "officers": _obj({
        "id": I, "name": S, "credential_number": S, "category": S, "agency_id": I, "agency": S,
        "credential_expires_on": D, "credential_state": {**S, "enum": ["valid", "expired", "suspended", "revoked"]},
        "credential_state_label": S,
    }, "执法人员（仅公开姓名、执法证号、执法类别、所属主体）"),
    "powers": _obj({
        "id": I, "code": S, "name": S, "category": S, "category_label": S, "agency_id": I, "agency": S,
        "discretion": S, "source": S, "basis": _arr(BASIS_IN_FORCE), "basis_text": S,
    }, "权责清单事项"),
    "procedures": _obj({
        "id": I, "code": S, "item": S, "agency_id": I, "agency": S, "receiving_office": S, "approving_office": S,
        "conditions": S, "time_limit": S, "steps_text": S,
        "steps": _arr(_obj({"position": I, "name": S, "description": S})),
    }, "执法流程（服务指南）"),
    "inspection-items": _obj({
        "id": I, "code": S, "seq": I, "item": S, "sub_item": S, "agency_id": I, "agency": S, "basis": S, "method": S,
        "content": S, "remark": S,
    }, "随机抽查事项清单"),
    "decisions": {
        "description": "执法决定：公示中的决定为脱敏后的公开内容；已撤回的决定仅含撤回公告（state=withdrawn）",
        "oneOf": [
            _obj({
                "id": I, "number": S, "kind": {**S, "enum": [k.value for k in DecisionKind]}, "kind_label": S,
                "agency_id": I, "agency": S, "decided_on": D, "published_on": D,
                "state": {**S, "enum": ["public"]}, "state_label": S,
                "status": S, "status_label": S, "procedure_label": S, "title": S, "party_type": S,
                "party_type_label": S, "party": {**S, "description": "当事人（自然人姓名已隐去）"},
                "party_credit_code": S, "party_legal_rep": S, "facts": S, "basis": S, "result": S,
                "penalty_kinds": _arr(S), "penalty_kind_labels": _arr(S), "fine_amount": _nullable(MONEY),
                "confiscation_amount": _nullable(MONEY), "is_major": B, "ended_on": _nullable(D), "ended_reason": S,
                "expires_on": _nullable(D),
                "officers": _arr(_obj({"name": S, "credential_number": S})),
                "powers": _arr(_obj({"code": S, "name": S})),
                "records": _arr(_obj({"kind": S, "sha256": S, "filed_at": DT})),
            }),
            _obj({
                "id": I, "number": S, "kind": S, "kind_label": S, "agency_id": I, "agency": S, "decided_on": D,
                "published_on": D, "state": {**S, "enum": ["withdrawn"]}, "state_label": S,
                "withdrawn_on": _nullable(D), "withdrawal_reason": S,
            }),
        ],
    },
    "laws": _obj({"id": I, "title": S, "version_date": D, "display_title": S, "in_force_from": D,
                  "in_force_until": _nullable(D), "status": S, "status_label": S}, "法律法规（某一版本：通过日期、施行期间、效力状态）"),
}

LAW_DETAIL = {"allOf": [{"$ref": "#/components/schemas/laws"}, _obj({
    "articles": _arr(_obj({"number": I, "label": S, "chapter": S, "text": S, "url": S}))})]}

STATS = _obj({
    "year": I, "total": I, "complete": {**B, "description": "年度是否已结束"},
    "by_kind": _arr(_obj({"code": S, "label": S, "count": I, "fines": MONEY})),
    "by_agency": _arr(_obj({"id": I, "name": S, "count": I, "fines": MONEY})),
    "by_month": _arr(_obj({"month": I, "label": S, "count": I})),
    "fines_total": MONEY, "fines_count": I,
    "publication": _obj({"due": I, "on_time": I, "on_time_rate": {"type": "number", "nullable": True}}),
}, "年度执法统计（按类型、主体、月份；无案件的月份为0）")

SEARCH_CATEGORIES = ["decision", "power", "officer", "agency", "procedure", "inspection_item", "article"]
SEARCH = _obj({
    "query": S, "total": I, "page": I, "per_page": I,
    "intent": {**S, "enum": ["", "number", "law"],
               "description": "number：文号、执法证号或信用代码，直达该记录；law：法规或条文，条文在前、引用它的决定随后；空：执法决定在前"},
    "related": {**_arr(_obj({"category": {**S, "enum": SEARCH_CATEGORIES}, "id": I, "title": S, "url": S,
                             "label": S})),
                "description": "相关职权与法条：与检索词最相关的职权事项、抽查事项、流程和法律条文（仅第一页、未选类别时）"},
    "results": _arr(_obj({
        "category": {**S, "enum": SEARCH_CATEGORIES}, "id": I, "title": S, "url": S,
        "snippet": {**S, "description": "已转义的文本，命中处以 <mark> 标出"},
        "date": _nullable(D), "number": _nullable(S),
    })),
    "facets": {"type": "object", "additionalProperties": _arr(_obj({"value": {"type": ["string", "integer"]}, "label": S, "count": I}))},
    "suggestions": _arr(S),
})

ERROR = _obj({"error": {"type": "object", "properties": {"status": I, "message": S, "parameter": S},
                        "required": ["status", "message"]}})


def _param(f: Filter) -> dict:
    schema: dict[str, Any] = {"type": "string"}
    if f.type == "choice":
        schema["enum"] = list(f.choices)
    elif f.type == "agency":
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_DB_ID}
    elif f.type == "year":
        schema = {"type": "integer", "minimum": 1949, "maximum": 2100}
    elif f.type == "date":
        schema = {"type": "string", "format": "date"}
    description = f.label + (f"：{f.description}" if f.description else "")
    if f.choices:
        description += "（" + "，".join(f"{k}={v}" for k, v in f.choices.items()) + "）"
    return {"name": f.name, "in": "query", "required": False, "description": description, "schema": schema}


PAGING = [
    {"name": "page", "in": "query", "description": "页码，从1开始（与 cursor 二选一）",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DB_ID}},
    {"name": "per_page", "in": "query", "description": f"每页条数，最多{MAX_PAGE_SIZE}",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 20}},
    {"name": "cursor", "in": "query", "description": "上一页响应中的 next_cursor；新增记录不影响翻页",
     "schema": {"type": "string"}},
]


def _responses(ok: dict, *, not_found: bool = False, gone: bool = False, bad: bool = True,
               content_type: str = "application/json") -> dict:
    err = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    out: dict[str, Any] = {"200": {"description": "成功", "content": {content_type: {"schema": ok}}},
                           "304": {"description": "未修改（If-None-Match / If-Modified-Since）"}}
    if bad:
        out["400"] = {"description": "参数有误", **err}
    if not_found:
        out["404"] = {"description": "不存在或不公开", **err}
    if gone:
        out["410"] = {"description": "公示期已满，不再公开", **err}
    return out


def _list_path(cat: Category) -> dict:
    ref = {"$ref": f"#/components/schemas/{cat.slug}"}
    envelope = _obj({
        "items": _arr(ref), "total": I, "page": _nullable(I), "per_page": I, "next_cursor": _nullable(S),
        "links": {"type": "object", "additionalProperties": _nullable(S)},
    })
    return {"get": {"summary": f"{cat.label}列表", "operationId": f"list_{cat.slug.replace('-', '_')}",
                    "tags": [cat.label], "parameters": [_param(f) for f in cat.filters] + PAGING,
                    "responses": _responses(envelope)}}


_CHANNEL = _obj({"law": S, "version_date": _nullable(D),
                 "figures": {"type": "object", "description": "期限（日、月）、复议机关、管辖法院、是否复议前置"},
                 "basis": {"type": "object", "additionalProperties": _nullable(_obj({"citation": S, "url": S}))}},
                "按决定作出之日施行的法律版本确定的救济渠道")
DECISION_DETAIL = {"allOf": [{"$ref": "#/components/schemas/decisions"}, {
    "type": "object", "description": "公示中的决定另含：引用条款在决定作出之日的版本、救济渠道",
    "properties": {
        "citations": _arr(_obj({"citation": S, "version_date": _nullable(D), "url": _nullable(S),
                                "in_force_on_decision_date": B, "error": _nullable(S)})),
        "remedy_channels": _obj({"reconsideration": _CHANNEL, "litigation": _CHANNEL}),
    }}]}


def _detail_path(cat: Category) -> dict:
    schema = {"laws": LAW_DETAIL, "decisions": DECISION_DETAIL}.get(cat.slug, {"$ref": f"#/components/schemas/{cat.slug}"})
    return {"get": {"summary": f"{cat.label}详情", "operationId": f"get_{cat.slug.replace('-', '_')}",
                    "tags": [cat.label],
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": _responses(schema, not_found=True, gone=cat.slug == "decisions", bad=False)}}


def _export_path(cat: Category, fmt: str) -> dict:
    mime = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return {"get": {"summary": f"导出{cat.label}（{fmt.upper()}，按筛选条件，流式输出）",
                    "operationId": f"export_{cat.slug.replace('-', '_')}_{fmt}", "tags": ["导出"],
                    "parameters": [_param(f) for f in cat.filters],
                    "responses": {**_responses({"type": "string", "format": "binary"}, content_type=mime),
                                  "429": {"description": "同一客户端的并发导出过多，请稍后再试（Retry-After）",
                                          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}}


def _empty_allowed(parameters: list[dict]) -> list[dict]:
    """An empty optional query parameter (what an HTML form sends for "any") means "not given"."""
    return [{**p, "allowEmptyValue": True} if p.get("in") == "query" and not p.get("required") else p
            for p in parameters]


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for slug, cat in CATEGORIES.items():
        paths[f"/api/v1/{slug}"] = _list_path(cat)
        paths[f"/api/v1/{slug}/{{id}}"] = _detail_path(cat)
    paths["/api/v1/stats/{year}"] = {"get": {
        "summary": "年度执法统计", "operationId": "year_stats", "tags": ["统计"],
        "parameters": [{"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": _responses({"$ref": "#/components/schemas/YearStats"}, not_found=True, bad=False)}}
    paths["/api/v1/search"] = {"get": {
        "summary": "全文检索（中文）", "operationId": "search", "tags": ["检索"],
        "parameters": [
            {"name": "q", "in": "query", "description": "检索词；无法解析的查询按普通文本处理", "schema": S},
            {"name": "category", "in": "query", "schema": {**S, "enum": SEARCH_CATEGORIES}},
            {"name": "kind", "in": "query", "description": "决定类型", "schema": {**S, "enum": [k.value for k in DecisionKind]}},
            {"name": "agency", "in": "query", "description": "执法主体 id",
             "schema": {"type": "integer", "minimum": 1, "maximum": 10**9}},
            {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 1949, "maximum": 2200}},
            {"name": "sort", "in": "query", "schema": {**S, "enum": ["relevance", "date"], "default": "relevance"}},
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10**9, "default": 1}},
            {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
        ],
        "responses": _responses({"$ref": "#/components/schemas/SearchResult"})}}
    paths["/api/v1/openapi.json"] = {"get": {
        "summary": "本文档（OpenAPI 3）", "operationId": "openapi", "tags": ["文档"],
        "responses": {"200": {"description": "OpenAPI 文档", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
    for slug, cat in CATEGORIES.items():
        if slug != "laws":
            for fmt in ("csv", "xlsx"):
                paths[f"/{slug}/export.{fmt}"] = _export_path(cat, fmt)
    for path in paths.values():
        for operation in path.values():
            operation["parameters"] = _empty_allowed(operation.get("parameters", []))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"{current_app.config['SITE_TITLE'] if has_app_context() else '行政执法信息公示平台'}开放数据接口",
            "version": "1.0.0",
            "description": "行政执法公示信息（执法主体、执法人员、权责清单、执法流程、随机抽查事项、执法决定、法律法规）的开放数据接口。"
                           "所有数据均为公开内容，个人信息已依法隐去。列表支持 page 或 cursor 翻页；"
                           "响应带 ETag 和 Last-Modified，可用条件请求获得 304。",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": {**ITEM_SCHEMAS, "YearStats": STATS, "SearchResult": SEARCH, "Error": ERROR}},
    }
