"""Bounded concurrency for expensive anonymous work (uncached exports), per client and in total.

Sixteen concurrent anonymous exports (0.76 s each, uncached) slowed a cached
page to ~11 s: each export holds a worker thread and the database for its
whole stream. ``Slots`` admits at most ``EXPORTS_PER_CLIENT`` streams per
client address and ``EXPORTS_TOTAL`` in all, per process; a request over the
limit gets 429 with ``Retry-After`` at once instead of queueing. A slot is
released when the stream ends, is closed by the server (the client left) or is dropped unread.
The client is ``request.remote_addr``, which the proxy configuration makes the
real client's. ASVS 4.0 V11.1.4 (anti-automation: limits on expensive functions).
"""

from __future__ import annotations

import threading
from collections import Counter

from flask import Flask, Response, current_app


class Slots:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_client: Counter[str] = Counter()
        self._total = 0

    def acquire(self, client: str, per_client: int, total: int) -> bool:
        with self._lock:
            if self._total >= total or self._by_client[client] >= per_client:
                return False
            self._by_client[client] += 1
            self._total += 1
            return True

    def release(self, client: str) -> None:
        with self._lock:
            if self._by_client[client] > 0:
                self._by_client[client] -= 1
                self._total -= 1
            if self._by_client[client] == 0:
                del self._by_client[client]


def export_slots(app: Flask | None = None) -> Slots:
    app = app or current_app._get_current_object()
    return app.extensions.setdefault("export_slots", Slots())


def limited_export(client: str, build) -> Response:
    """``build()``'s response if a slot is free for ``client`` (released when the response closes), else 429."""
    from enforcement.core.errors import error_response

    config = current_app.config
    slots = export_slots()
    if not slots.acquire(client, int(config.get("EXPORTS_PER_CLIENT", 2)), int(config.get("EXPORTS_TOTAL", 4))):
        body, status = error_response(429, "导出请求过多，请等当前导出完成后再试")
        response = current_app.make_response((body, status))
        response.headers["Retry-After"] = "5"
        return response
    released = threading.Event()

    def release() -> None:  # once, whichever comes first
        if not released.is_set():
            released.set()
            slots.release(client)

    try:
        response = build()
    except BaseException:
        release()
        raise
    body = response.response

    def stream():
        try:
            yield from body
        finally:  # exhausted, closed, or dropped unread (the generator is closed when collected)
            release()

    response.response = stream()
    response.call_on_close(release)
    return response
