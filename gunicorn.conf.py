"""gunicorn settings read from the working directory: warm each worker before it serves.

jieba is loaded once before the fork (``wsgi.py`` with ``--preload``); the search
index is opened and its suggestion tables built in each worker after the fork
(open files must not be shared between processes), so a worker's first search
costs what its hundredth does.
"""


def post_worker_init(worker):
    from enforcement.search.services import warm_index

    app = worker.wsgi
    app = getattr(app, "app", app)  # gunicorn hands the WSGI callable: the Flask app itself
    with app.app_context():
        warm_index()
