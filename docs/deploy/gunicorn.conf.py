"""gunicorn settings for the enforcement platform: copy to /etc/enforcement/gunicorn.conf.py.

Run: gunicorn -c /etc/enforcement/gunicorn.conf.py wsgi:app   (from the checkout), or
     gunicorn -c /etc/enforcement/gunicorn.conf.py 'enforcement:create_app()'   (an installed wheel).
Every value can be overridden with the environment variable named beside it.
"""

import os

# nginx on the same host talks to this address; never expose it on a public interface.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads wait on the database and on uploads; processes use the cores. 2 workers x 4 threads serve a town.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Load the app (and jieba's ~90 MB dictionary) once in the master; the workers share it after the fork.
preload_app = True
# nginx buffers a 200 MiB upload before passing it on, so requests are quick here; reports can take a while.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (bounded memory over months of uptime).
max_requests = 2000
max_requests_jitter = 200
# Logs to stdout/stderr, collected by journald. The app logs JSON lines; the access log is JSON too.
accesslog = "-"
errorlog = "-"
access_log_format = ('{"time":"%(t)s","remote":"%({x-forwarded-for}i)s","method":"%(m)s","path":"%(U)s",'
                     '"status":%(s)s,"bytes":"%(B)s","ms":%(M)s,"agent":"%(a)s"}')
# The app trusts X-Forwarded-* itself (FLASK_TRUSTED_PROXIES); gunicorn need not.
forwarded_allow_ips = "127.0.0.1"


def when_ready(server):
    """Load jieba's dictionary in the master before the fork (with preload_app the workers share it)."""
    from enforcement.search.services import warm_up

    warm_up()


def post_worker_init(worker):
    """Warm each worker and start its search-sync thread, so the hourly safety net runs without any request.

    The search index is opened and its suggestion tables built here, after the fork (open files must not
    be shared between processes), so a worker's first search costs what its hundredth does.
    """
    from enforcement.search.services import warm_index

    app = getattr(worker, "wsgi", None)
    app = getattr(app, "app", app)  # gunicorn hands the WSGI callable: the Flask app itself
    if app is not None and hasattr(app, "app_context"):
        with app.app_context():
            warm_index()
    syncer = getattr(app, "extensions", {}).get("search_syncer")
    if syncer is not None:
        syncer.ensure_started()
