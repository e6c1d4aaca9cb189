"""Errors: one set of handlers, HTML for pages and JSON for the API; never a bare 500."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError
from werkzeug.wrappers import Response


class RuleViolation(Exception):
    """A service refused an action because a rule forbids it; the message is for the user."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class BadParameter(Exception):
    """A query parameter that cannot be understood; rendered as 400 with a clear message."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


MESSAGES = {
    400: "请求参数有误",
    403: "您没有权限访问此页面",
    404: "未找到您要访问的页面或记录",
    405: "不支持该请求方式",
    410: "该信息已不再公开",
    413: "上传的文件过大",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误，请稍后再试",
    503: "系统繁忙，请稍后再试",
}


def wants_json() -> bool:
    """The API and the open-data exports answer errors in JSON (their OpenAPI document says so)."""
    return request.path.startswith("/api/") or "/export." in request.path


def error_response(status: int, message: str | None = None, **extra):
    message = message or MESSAGES.get(status, "请求出错")
    if wants_json():
        body = {"error": {"status": status, "message": message, **extra}}
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message, **extra), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        message = getattr(e, "description", None) if e.code in (400, 410) else None
        if message and message.startswith("The browser"):
            message = None
        response = error_response(e.code or 500, message)
        allowed = getattr(e, "valid_methods", None)
        if e.code == 405 and allowed:  # RFC 9110: a 405 lists the methods the resource supports
            body, status = response
            response = (body, status, {"Allow": ", ".join(sorted(allowed))})
        return response

    @app.errorhandler(SecurityError)
    def _untrusted_host(_e: SecurityError):
        """A Host header outside TRUSTED_HOSTS: no URL can be built for it, so plain text, no template."""
        return Response("400 Bad Request: unknown host\n", status=400, mimetype="text/plain")

    @app.errorhandler(BadParameter)
    def _bad_param(e: BadParameter):
        # "query" is the whole query string (too long, not UTF-8): its message says so without the name
        message = e.message if e.name == "query" else f"参数 {e.name} 有误：{e.message}"
        return error_response(400, message, parameter=e.name)

    @app.errorhandler(UnicodeDecodeError)
    def _bad_encoding(_e):
        return error_response(400, "请求参数不是有效的 UTF-8 编码")

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        app.logger.exception("unhandled error", exc_info=e)
        from enforcement.extensions import db

        db.session.rollback()
        return error_response(InternalServerError.code)
