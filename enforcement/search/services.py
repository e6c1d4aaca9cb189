"""The search service: what views, the API, the CLI and other domains call.

    from enforcement.search.services import search, sync, rebuild

The engine sits behind ``engine()``; everything here speaks in the engine
interface's terms (``ParsedQuery``, ``Filters``, ``Doc``), so a second engine
could serve a deployment that outgrows the embedded one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from enforcement.core.enums import DecisionKind
from enforcement.core.errors import BadParameter
from enforcement.core.pagination import MAX_PAGE_SIZE
from enforcement.disclosure.models import Agency
from enforcement.extensions import db
from enforcement.search.analysis import jieba_tokenizer
from enforcement.search.documents import CATEGORIES, CATEGORY_LABELS
from enforcement.search.engine import FACETS, Clause, Filters, ParsedQuery
from enforcement.search.query import parse, relaxed, split
from enforcement.search.snippets import snippet

if TYPE_CHECKING:
    from enforcement.search.whoosh_engine import WhooshEngine

SORTS = {"relevance": "相关度", "date": "日期"}
MAX_SUGGESTIONS = 5
_engines: dict[str, WhooshEngine] = {}
_engines_lock = threading.Lock()

__all__ = ["SearchResult", "engine", "rebuild", "search", "sync"]


def engine() -> WhooshEngine:
    """This process's engine for the app's index directory (searchers and caches are reused).

    The engine's modules (Whoosh, numpy: ~0.3 s) are imported here, on first use, so that a command
    that never searches (an export, ``flask daily``) does not pay for them at start; a server imports
    them before it forks (``warm_up``)."""
    from enforcement.search.whoosh_engine import WhooshEngine

    root = current_app.config["SEARCH_INDEX_DIR"]
    with _engines_lock:
        if root not in _engines:
            _engines[root] = WhooshEngine(root)
        return _engines[root]


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    per_page: int
    results: list[dict]
    facets: dict[str, list[dict]]
    suggestions: list[str]
    sort: str = "relevance"
    filters: dict = field(default_factory=dict)
    truncated: bool = False
    relaxed: bool = False  # nothing contained every word: these results contain most of them
    intent: str = ""  # "number" (an identifier: its record), "law" (articles, then decisions citing them) or ""
    related: list[dict] = field(default_factory=list)  # 相关职权与法条: best powers, items, procedures, articles

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def as_json(self) -> dict:
        return {"query": self.query, "total": self.total, "page": self.page, "per_page": self.per_page,
                "intent": self.intent, "results": self.results, "related": self.related, "facets": self.facets,
                "suggestions": self.suggestions}


def validate(*, category, kind, sort, page, per_page) -> None:
    """Parameters outside their domain are the caller's mistake: a 400, never a 500."""
    if category is not None and category not in CATEGORIES:
        raise BadParameter("category", "取值无效，可选：" + "、".join(CATEGORIES))
    if kind is not None and kind not in DecisionKind.labels():
        raise BadParameter("kind", "取值无效，可选：" + "、".join(DecisionKind.labels()))
    if sort not in SORTS:
        raise BadParameter("sort", "取值无效，可选：relevance、date")
    if page < 1:
        raise BadParameter("page", "应为正整数")
    if not 1 <= per_page <= MAX_PAGE_SIZE:
        raise BadParameter("per_page", f"应在1到{MAX_PAGE_SIZE}之间")


def _facet_lists(counts: dict[str, dict], agencies: dict[int, str]) -> dict[str, list[dict]]:
    kinds = DecisionKind.labels()
    label = {
        "category": lambda v: (v, CATEGORY_LABELS.get(v, v)),
        "kind": lambda v: (v, kinds.get(v, v)),
        "agency": lambda v: (int(v), agencies.get(int(v), v)),
        "year": lambda v: (int(v), f"{v}年"),
    }
    out: dict[str, list[dict]] = {}
    for name in FACETS:
        items = [(*label[name](v), n) for v, n in counts.get(name, {}).items()]
        # Years newest first; other facets largest first.
        items.sort(key=(lambda t: -t[0]) if name == "year" else (lambda t: (-t[2], str(t[0]))))
        out[name] = [{"value": v, "label": lbl, "count": n} for v, lbl, n in items]
    return out


def _suggestions(eng: WhooshEngine, parsed: ParsedQuery, filters: Filters) -> list[str]:
    """Broader or corrected queries that do find something, for a query that found nothing."""
    out: list[str] = []

    def offer(text: str, clauses: list[Clause]) -> None:
        if text and text not in out and len(out) < MAX_SUGGESTIONS and eng.count(ParsedQuery(clauses), filters):
            out.append(text)

    clauses = parsed.clauses
    words = [c for c in clauses if not (c.number_key or c.phrase)]
    for c in words:  # a typing slip or pinyin first: the most likely meaning
        for fixed in eng.vocabulary_suggestions(c.text):
            offer(fixed, [Clause(text=fixed, words=[fixed])])
    if len(clauses) > 1:
        for c in clauses:
            offer(f'"{c.text}"' if c.phrase else c.text, [c])
    for c in words:
        for word in jieba_tokenizer().cut_for_search(c.text) if len(c.text) > 2 else ():
            if len(word) > 1 and word != c.text:
                offer(word, [Clause(text=word, words=[word])])
    return out


def search(q: str, *, category: str | None = None, kind: str | None = None, agency: int | None = None,
           year: int | None = None, sort: str = "relevance", page: int = 1, per_page: int = 20) -> SearchResult:
    """Find public records containing every word of q (quoted text as a phrase), filtered and faceted.

    Ordered as ``ranking`` says: decisions first for what a citizen types about a case, the articles first
    for a law or an article, the one record for an identifier; the best standing entries come in
    ``related`` as well (first page, no category chosen).
    """
    validate(category=category, kind=kind, sort=sort, page=page, per_page=per_page)
    q = q or ""
    eng = engine()
    parsed = parse(q, eng.knows_number)
    filters = Filters(category=category, kind=kind, agency=agency, year=year)
    result = SearchResult(query=q, total=0, page=page, per_page=per_page, results=[],
                          facets={name: [] for name in FACETS}, suggestions=[], sort=sort,
                          filters=filters.as_dict(), truncated=parsed.truncated)
    if parsed.empty and not filters.as_dict():
        return result
    found = eng.search(parsed, filters, sort=sort, page=page, per_page=per_page)
    if found.total == 0 and (apart := split(parsed)) is not None:
        # Every word still required, just not side by side: a different query, not a relaxed one.
        found_apart = eng.search(apart, filters, sort=sort, page=page, per_page=per_page)
        if found_apart.total:
            found, parsed = found_apart, apart
    if found.total == 0 and (broader := relaxed(parsed)) is not None:
        result.relaxed = True
        found = eng.search(broader, filters, sort=sort, page=page, per_page=per_page)
        parsed, original = broader, parsed
    else:
        original = parsed
    agencies = dict(db.session.execute(select(Agency.id, Agency.name)).all())
    result.total = found.total
    result.intent = parsed.intent
    if page == 1 and category is None:
        result.related = [{"category": h.category, "id": h.entity_id, "title": h.title, "url": h.url,
                           "label": CATEGORY_LABELS.get(h.category, h.category)} for h in found.related]
    result.facets = _facet_lists(found.facets, agencies)
    result.results = [{
        "category": h.category, "id": h.entity_id, "title": h.title, "url": h.url,
        "snippet": snippet(h.body, parsed.clauses, h.number),
        "date": h.date.isoformat() if h.date else None, "number": h.number or None,
    } for h in found.hits]
    if (found.total == 0 or result.relaxed) and not original.empty:
        result.suggestions = _suggestions(eng, original, filters)
    return result


def sync(*, today: date | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Apply the change log to the index; returns how many change-log rows were applied.

    Builds the index first when there is none (``needs_build``); progress then counts records read.
    """
    from enforcement.search import indexing

    return indexing.sync(engine(), today=today, progress=progress)


def needs_build() -> bool:
    """True when the next sync must build the index from scratch (none yet, or an older layout)."""
    return not engine().exists()


def rebuild(*, procs: int = 1, today: date | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the index from the database into a new directory and swap it in; returns documents indexed."""
    from enforcement.search import indexing

    return indexing.rebuild(engine(), today=today, procs=procs, progress=progress)


def warm_up() -> None:
    """Load jieba, pypinyin and the engine's modules before serving (or before gunicorn forks), not on a
    citizen's first search.

    pypinyin's dictionaries take ~0.25 s to load; without this a process whose index appeared after start-up
    paid them on its first zero-hit search (the suggestion tables read every word's pinyin).
    """
    from pypinyin import lazy_pinyin

    import enforcement.search.indexing  # noqa: F401  (the engine's modules, shared by the workers after a fork)

    jieba_tokenizer()
    parse("燃气")  # jieba's first cut builds its prefix tables
    lazy_pinyin("燃气")


def warm_index() -> bool:
    """Open the live index, build its suggestion tables and run one search (in each serving process).

    The search configures the ORM's mappers (~0.2 s on the first query of a process) and fills the view's
    derived arrays, so a citizen's first search costs what the hundredth does. Returns whether there was an
    index to open. Needs an app context; leaves no session open.
    """
    warm_up()
    opened = engine().warm()
    try:
        if opened:
            search("燃气 罚款")
            search("垃极分类")  # the zero-hit path: relaxed query and suggestions
    finally:
        db.session.remove()
    return opened
