"""The published JSON Schemas in docs/schemas/ are exactly what the importer enforces."""

import json
from pathlib import Path

import pytest

from enforcement.disclosure.formats import SPECS

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_published_schema_matches_the_record_spec(kind):
    published = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert published == SPECS[kind].json_schema(), (
        "docs/schemas is stale: regenerate with "
        "python -c 'from tests.disclosure.test_schemas import write; write()'"
    )


def write() -> None:
    SCHEMAS.mkdir(parents=True, exist_ok=True)
    for kind, spec in SPECS.items():
        (SCHEMAS / f"{kind}.schema.json").write_text(
            json.dumps(spec.json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
