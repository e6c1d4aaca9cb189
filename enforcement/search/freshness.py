"""Apply new changes to the index after each committing request, without delaying the response.

A commit inside a request marks it; when the response has been sent
(``call_on_close``) the process's one background thread is woken and runs a
sync in its own app context. Wake-ups coalesce: a burst of requests costs one
sync. The cross-process writer lock keeps several gunicorn workers from
writing at once; each worker's thread simply waits its turn.

The same thread also wakes every ``SEARCH_SYNC_INTERVAL_SECONDS`` (default an
hour) with nothing to wake it: a safety net for a change committed outside any
request (an import, a crashed sync) and for expiry, which is a date, not a
change. It starts with a process's first request (or from gunicorn's
``post_worker_init`` hook, see the deployment guide); the daily command is the
primary schedule.
"""

from __future__ import annotations

import os
import threading

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

_installed = False


def _mark_commit(_session) -> None:
    if has_request_context():
        g.search_dirty = True


class _Syncer:
    def __init__(self, app: Flask):
        self.app = app
        self.wake = threading.Event()
        self.pid = 0
        self.thread: threading.Thread | None = None
        self.stopped = False

    def ensure_started(self) -> None:
        """Start this process's sync thread if it is not running (after a fork it is not)."""
        if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
            self.pid = os.getpid()  # after a fork the parent's thread does not exist here
            self.thread = threading.Thread(target=self._run, name="search-sync", daemon=True)
            self.thread.start()

    def kick(self) -> None:
        self.ensure_started()
        self.wake.set()

    def stop(self) -> None:
        """End the thread after its current sync (tests; a process that exits needs nothing)."""
        self.stopped = True
        self.wake.set()

    def _run(self) -> None:
        from enforcement.search.services import sync

        while not self.stopped:
            interval = float(self.app.config.get("SEARCH_SYNC_INTERVAL_SECONDS") or 0)
            self.wake.wait(interval if interval > 0 else None)  # a timeout is the periodic safety net
            self.wake.clear()
            if self.stopped:
                break
            with self.app.app_context():
                try:
                    sync()
                except Exception:  # the next commit retries; the change log keeps everything
                    self.app.logger.exception("search sync after request failed")


def init_app(app: Flask) -> None:
    global _installed
    if not _installed:
        event.listen(Session, "after_commit", _mark_commit)
        _installed = True
    syncer = _Syncer(app)
    app.extensions["search_syncer"] = syncer

    @app.before_request
    def _start_safety_net():
        if not app.testing and float(app.config.get("SEARCH_SYNC_INTERVAL_SECONDS") or 0) > 0:
            syncer.ensure_started()

    @app.after_request
    def _sync_after_commit(response):
        if g.pop("search_dirty", False) and app.config.get("SEARCH_SYNC_AFTER_REQUEST"):
            response.call_on_close(syncer.kick)
        return response
