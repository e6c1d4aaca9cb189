"""WSGI entry point: ``gunicorn --preload wsgi:app`` or ``flask --app wsgi ...``."""

import sys

from enforcement import create_app

app = create_app()

if "gunicorn" in sys.modules:
    # Load jieba's dictionary (~1.5 s, ~90 MB) once; with --preload the workers share it after the fork.
    # The index is opened in each worker after the fork (docs/deploy/gunicorn.conf.py): open files must not be shared.
    from enforcement.search.services import warm_up

    warm_up()
elif "run" in sys.argv[1:]:
    # `flask --app wsgi run`: one process, so jieba and the index are loaded here, before the first request.
    from enforcement.search.services import warm_index

    with app.app_context():
        warm_index()
