"""The ``enforcement`` command (and ``python -m enforcement``): ``flask --app wsgi`` for an installed package.

``enforcement db upgrade``, ``enforcement demo load``, ``enforcement daily``, ``enforcement run``… are the
commands of the README, with the app made by ``create_app()`` (settings from the environment).
"""

from __future__ import annotations

from flask.cli import FlaskGroup

from enforcement import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="行政执法公示与执法人员培训平台").main(prog_name="enforcement")


if __name__ == "__main__":
    main()
