"""A built wheel carries every package, the templates and the migrations (the CI wheel step serves it)."""

from __future__ import annotations

import tomllib

from enforcement.config import PROJECT_ROOT


def test_every_package_is_listed_for_the_wheel():
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = set(config["packages"])
    found = {".".join(init.parent.relative_to(PROJECT_ROOT).parts)
             for init in (PROJECT_ROOT / "enforcement").rglob("__init__.py")}
    assert declared == found | {"enforcement.templates"}
    assert config["package-dir"]["enforcement.templates"] == "templates"
