"""The small interface a search engine serves, so a second engine could replace Whoosh.

The service layer (``services``) turns a citizen's query into a ``ParsedQuery``
and public records into ``Doc`` objects; an engine only stores documents and
answers: which documents contain every clause, filtered, counted by facet,
ranked or by date, one page at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

FACETS = ("category", "kind", "agency", "year")


@dataclass
class Doc:
    """One public record as the index sees it (already the public projection)."""

    key: str  # "<category>:<id>", unique across the index
    category: str
    entity_id: int
    title: str
    body: str  # masked, searchable text; also the source of snippets
    url: str
    date: date | None = None
    kind: str = ""
    agency_id: int | None = None
    number: str = ""  # decision/credential number or code, as written
    numbers: list[str] = field(default_factory=list)  # loose_number_key() of every exact-match identifier
    # (text, weight): parts of the body that count weight times in the ranking field (BM25F field weights)
    sections: list[tuple[str, int]] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.date.year if self.date and self.category == "decision" else None


@dataclass
class Clause:
    """One thing a result must contain: a word (a jieba word of the query) or a quoted phrase."""

    text: str  # normalised text that must occur in the document
    words: list[str]  # its jieba words, for ranking (and phrase order)
    phrase: bool = False
    number_key: str = ""  # set when the clause is an exact identifier (文号, 执法证号, 信用代码)
    synonyms: list[str] = field(default_factory=list)  # other texts that satisfy the clause as well

    @property
    def texts(self) -> list[str]:
        return [self.text, *self.synonyms]


@dataclass
class ParsedQuery:
    clauses: list[Clause]
    truncated: bool = False
    min_match: int | None = None  # None: every clause must match; n: at least n of them (a relaxed query)
    intent: str = ""  # "number": an identifier; "law": names a law or an article; "": anything else

    @property
    def empty(self) -> bool:
        return not self.clauses


@dataclass
class Filters:
    category: str | None = None
    kind: str | None = None
    agency: int | None = None
    year: int | None = None

    def as_dict(self) -> dict[str, str | int]:
        return {k: v for k, v in (("category", self.category), ("kind", self.kind),
                                   ("agency", self.agency), ("year", self.year)) if v is not None}


@dataclass
class Hit:
    key: str
    category: str
    entity_id: int
    title: str
    body: str
    url: str
    date: date | None
    number: str


@dataclass
class EngineResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str | int, int]]  # facet → value → count, over all matches
    related: list[Hit] = field(default_factory=list)  # best standing entries (powers, items, articles)


class SearchEngine(Protocol):
    def index(self, docs: Iterable[Doc]) -> int: ...

    def delete(self, keys: Iterable[str]) -> int: ...

    def search(self, query: ParsedQuery, filters: Filters, *, sort: str, page: int, per_page: int) -> EngineResult: ...

    def count(self, query: ParsedQuery) -> int: ...
