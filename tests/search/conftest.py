"""Search fixtures: the demo index (built once) and the documents it was built from, as ground truth."""

from __future__ import annotations

import pytest

from enforcement.extensions import db
from enforcement.search.analysis import normalise


@pytest.fixture(scope="session")
def demo_texts(demo_index):
    """key → normalised title and body of every public demo document: what "contains" is checked against."""
    from enforcement.search.documents import all_docs

    with demo_index.app_context():
        texts = {d.key: normalise(f"{d.title}\n{d.body}") for d in all_docs()}
        db.session.remove()
    return texts


@pytest.fixture
def searching(demo_index):
    """An app context on the demo town with its index, for calling the search service directly."""
    with demo_index.app_context():
        yield demo_index
        db.session.remove()


def keys(result) -> list[str]:
    return [f"{r['category']}:{r['id']}" for r in result.results]
