"""WSGI entry point: ``gunicorn --preload wsgi:app`` or ``flask --app wsgi ...``."""

import sys

from enforcement import create_app

app = create_app()

if "gunicorn" in sys.modules:
    # Load jieba's dictionary (~1.5 s, ~90 MB) once; with --preload the workers share it after the fork.
    from enforcement.search.services import warm_up

    warm_up()
