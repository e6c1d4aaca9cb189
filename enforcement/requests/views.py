"""Public pages under /requests/: the request form, the status page, published annual reports."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("requests", __name__, url_prefix="/requests")
