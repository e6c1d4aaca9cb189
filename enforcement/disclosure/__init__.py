"""Disclosure: subjects, officers, laws, powers, procedures, inspection items, decisions."""

from flask import Flask


def init_app(app: Flask) -> None:
    from enforcement.disclosure import cli, models  # noqa: F401  (register the tables)

    cli.init_app(app)
