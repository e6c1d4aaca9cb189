"""The embedded engine: Whoosh, with exact "contains" matching over CJK bigrams.

Matching: a clause matches a document when all its bigrams are in the ``bg``
field and, for clauses of three or more characters and quoted phrases, the
stored text really contains it (bigrams alone over-match "报警…警器").
Ranking: BM25F over jieba words (``title`` boosted above ``words``), exact
identifiers (``numbers``, boosted highest) and jieba-word phrases, computed
only over the exact match set; unscored matches follow, newest first.
Filters and facets come from sortable columns read once per searcher.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.query import Or, Phrase, Prefix, Term
from whoosh.scoring import BM25F

from enforcement.search.analysis import (
    BigramTokenizer,
    WordTokenizer,
    bigrams,
    cut_words,
    normalise,
    presplit,
    squash,
)
from enforcement.search.engine import FACETS, Clause, Doc, EngineResult, Filters, Hit, ParsedQuery
from enforcement.search.store import IndexStore, SyncState

RANKED_LIMIT = 1000
# A power, procedure or article is the one entry behind many decisions with the same title: rank it above them.
STANDING_BOOST = 3.0
PHRASE_RANK_LIMIT = 500  # beyond this many ranked hits, further pages follow date order
_CACHE_SIZE = 256


def make_schema() -> Schema:
    words, grams = WordTokenizer(), BigramTokenizer()
    return Schema(
        key=ID(unique=True, stored=True),
        category=ID(stored=True, sortable=True),
        entity_id=STORED,
        kind=ID(sortable=True),
        agency=ID(sortable=True),
        year=ID(sortable=True),
        day=NUMERIC(int, bits=32, sortable=True, stored=True),  # date ordinal, 0 when undated
        title=TEXT(analyzer=words, stored=True, field_boost=3.0),
        words=TEXT(analyzer=words),  # title + body, sequential positions
        bg=TEXT(analyzer=grams, phrase=False),  # title + body, frequencies only
        numbers=KEYWORD(lowercase=False, field_boost=5.0),
        body=STORED,
        url=STORED,
        number=STORED,
    )


def segment(doc: Doc) -> dict:
    """Whoosh fields of a document, its text segmented once (runs in worker processes too)."""
    full = f"{doc.title}\n{doc.body}"
    return {
        "key": doc.key,
        "category": doc.category,
        "entity_id": doc.entity_id,
        "kind": doc.kind or "",
        "agency": str(doc.agency_id) if doc.agency_id else "",
        "year": str(doc.year) if doc.year else "",
        "day": doc.date.toordinal() if doc.date else 0,
        "title": presplit(cut_words(doc.title)),
        "words": presplit(cut_words(full)),
        "bg": presplit(bigrams(full)),
        "numbers": " ".join(k for k in doc.numbers if k),
        "body": doc.body,
        "url": doc.url,
        "number": doc.number,
        "_stored_title": doc.title,  # Whoosh stores this value for "title", indexes the segmented one
    }


class IndexWriter:
    """One open Whoosh writer; documents are upserted by key."""

    def __init__(self, ix, generation: Path, state: SyncState, *, fresh: bool):
        self.generation = generation
        self.state = state
        self._fresh = fresh
        # A bulk build sorts postings in memory before spilling runs to disk: more memory, far fewer merges.
        self._writer = ix.writer(limitmb=1024 if fresh else 128)
        self.written = 0

    def index(self, docs: Iterable[Doc]) -> int:
        return self.add_segmented(segment(d) for d in docs)

    def add_segmented(self, rows: Iterable[dict]) -> int:
        add = self._writer.add_document if self._fresh else self._writer.update_document
        n = 0
        for fields in rows:
            add(**fields)
            n += 1
        self.written += n
        return n

    def delete(self, keys: Iterable[str]) -> int:
        n = 0
        for key in keys:
            self._writer.delete_by_term("key", key)
            n += 1
        self.written += n
        return n

    def commit(self) -> None:
        self._writer.commit()
        IndexStore.write_state(self.generation, self.state)

    def cancel(self) -> None:
        self._writer.cancel()


class _View:
    """A searcher with the per-generation caches that make filters and facets cheap."""

    def __init__(self, ix):
        self.ix = ix
        self.searcher = ix.searcher(weighting=BM25F())
        self._load()

    def _load(self) -> None:
        reader = self.searcher.reader()
        self.live = frozenset(reader.all_doc_ids())
        empty = reader.doc_count_all() == 0  # an empty index has no column files to read
        self.columns = {name: [] if empty else list(reader.column_reader(name)) for name in (*FACETS, "day")}
        self._sets: OrderedDict = OrderedDict()
        categories = self.columns["category"]
        self.standing = frozenset(d for d in self.live if categories[d] != "decision")

    def refreshed(self) -> _View:
        if not self.searcher.up_to_date():
            self.searcher.close()
            self.searcher = self.ix.searcher(weighting=BM25F())
            self._load()
        return self

    def cached(self, key, compute):
        if key in self._sets:
            self._sets.move_to_end(key)
            return self._sets[key]
        value = compute()
        self._sets[key] = value
        if len(self._sets) > _CACHE_SIZE:
            self._sets.popitem(last=False)
        return value

    def term_docs(self, field: str, text: str) -> frozenset[int]:
        return self.cached(("t", field, text), lambda: frozenset(self.searcher.docs_for_query(Term(field, text))))

    def filter_docs(self, field: str, value: str) -> frozenset[int]:
        column = self.columns[field]
        return self.cached(("f", field, value), lambda: frozenset(d for d in self.live if column[d] == value))


def _needs_check(text: str, phrase: bool) -> bool:
    """Bigram intersection is exact for one bigram (or one Latin/digit run); longer text is verified."""
    return phrase or len(bigrams(text)) > 1


class WhooshEngine:
    def __init__(self, root: str | Path):
        self.store = IndexStore(root)
        self._views: dict[Path, _View] = {}
        self._lock = threading.Lock()

    # --- writing ---------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.store.current() is not None

    def state(self, generation: Path | None = None) -> SyncState:
        generation = generation or self.store.current()
        return IndexStore.read_state(generation) if generation else SyncState()

    def lock(self, wait: bool = True):
        return self.store.writer_lock(wait)

    def new_build(self) -> Path:
        generation = self.store.new_generation()
        whoosh_index.create_in(str(generation), make_schema())
        return generation

    @contextlib.contextmanager
    def writer(self, generation: Path | None = None, *, fresh: bool = False) -> Iterator[IndexWriter]:
        """A writer on generation (default: the live one); commits on success. Hold ``lock()`` first."""
        generation = generation or self.store.current()
        if generation is None:
            raise FileNotFoundError("no search index")
        ix = whoosh_index.open_dir(str(generation))
        w = IndexWriter(ix, generation, self.state(generation), fresh=fresh)
        try:
            yield w
        except BaseException:
            w.cancel()
            raise
        w.commit()

    def publish(self, generation: Path) -> None:
        self.store.swap(generation)

    # --- reading ---------------------------------------------------------------------------
    def _view(self) -> _View | None:
        generation = self.store.current()
        if generation is None:
            return None
        view = self._views.get(generation)
        if view is None:
            for old in self._views.values():
                old.searcher.close()
            self._views = {generation: _View(whoosh_index.open_dir(str(generation)))}
            return self._views[generation]
        return view.refreshed()

    def _text_docs(self, view: _View, text: str) -> frozenset[int]:
        """Documents holding every bigram of text (a superset of those containing text)."""
        grams = sorted(set(bigrams(text)), key=lambda g: view.searcher.doc_frequency("bg", g))
        if len(grams) == 1 and len(grams[0]) == 1 and not grams[0].isascii():
            char = grams[0]  # one Chinese character: as a lone run or the start of a bigram
            return view.cached(("c", char), lambda: frozenset(
                view.searcher.docs_for_query(Or([Term("bg", char), Prefix("bg", char)]))))
        docs: frozenset[int] | None = None
        for gram in grams:
            found = view.term_docs("bg", gram)
            docs = found if docs is None else docs & found
            if not docs:
                return frozenset()
        return docs or frozenset()

    def _clause_docs(self, view: _View, clause: Clause) -> frozenset[int]:
        if clause.number_key:
            return view.term_docs("numbers", clause.number_key)
        docs = frozenset()
        for text in clause.texts:
            docs |= self._text_docs(view, squash(text) if clause.phrase else text)
        return docs

    @staticmethod
    def _verify(view: _View, docs: set[int], clauses: list[Clause]) -> set[int]:
        """Keep documents whose stored text really contains each clause that bigrams cannot prove."""
        checks = [c for c in clauses if not c.number_key and any(_needs_check(t, c.phrase) for t in c.texts)]
        if not checks or not docs:
            return docs
        stored = view.searcher.stored_fields
        kept = set()
        for d in docs:
            fields = stored(d)
            text = normalise(f"{fields.get('title', '')}\n{fields.get('body', '')}")
            squashed = squash(text) if any(c.phrase for c in checks) else ""
            if all(any(t in (squashed if c.phrase else text) for t in c.texts) for c in checks):
                kept.add(d)
        return kept

    def _matches(self, view: _View, query: ParsedQuery, filters: Filters) -> set[int]:
        filter_sets = [view.filter_docs(f, str(v)) for f, v in filters.as_dict().items()]
        if query.empty or query.min_match is None:
            sets = filter_sets + ([view.live] if query.empty else [self._clause_docs(view, c) for c in query.clauses])
            sets.sort(key=len)
            docs = set(sets[0])
            for other in sets[1:]:
                docs &= other
                if not docs:
                    break
            return self._verify(view, docs & view.live, query.clauses)
        # Relaxed: documents containing at least min_match of the clauses.
        allowed = set(view.live)
        for f in filter_sets:
            allowed &= f
        hits: Counter = Counter()
        for c in query.clauses:
            hits.update(self._verify(view, set(self._clause_docs(view, c)) & allowed, [c]))
        return {d for d, n in hits.items() if n >= query.min_match}

    @staticmethod
    def _boost_query(view: _View, query: ParsedQuery, matched: int):
        """BM25F terms to rank by: jieba words in title (boosted) and text, identifiers, phrases.

        Words in more than half the documents rank nothing but cost a full posting scan: left out.
        Phrase scoring walks positions: used only on small match sets.
        """
        common = len(view.live) // 2
        parts = []
        for c in query.clauses:
            if c.number_key:
                parts.append(Term("numbers", c.number_key))
            for word in [*c.words, *c.synonyms]:
                parts += [Term(f, word) for f in ("title", "words") if view.searcher.doc_frequency(f, word) <= common]
            if c.phrase and len(c.words) > 1 and matched <= PHRASE_RANK_LIMIT:
                parts.append(Phrase("words", c.words))
        return Or(parts) if parts else None

    def _order(self, view: _View, query: ParsedQuery, docs: set[int], sort: str, need: int) -> list[int]:
        day = view.columns["day"]
        by_date = lambda ds: sorted(ds, key=lambda d: (-(day[d] or 0), d))  # noqa: E731
        boost = self._boost_query(view, query, len(docs))
        if sort == "date" or boost is None or not docs:
            return by_date(docs)
        limit = min(need, RANKED_LIMIT)
        scored: list[tuple[float, int]] = []
        # Standing information and decisions are ranked apart (so Whoosh can skip blocks) and merged boosted.
        for subset, factor in ((docs & view.standing, STANDING_BOOST), (docs - view.standing, 1.0)):
            if subset:  # (an empty filter set would mean "no filter" to Whoosh)
                scored += [(hit.score * factor, hit.docnum)
                           for hit in view.searcher.search(boost, filter=subset, limit=limit)]
        ranked = [d for _score, d in sorted(scored, key=lambda t: (-t[0], t[1]))[:limit]]
        if len(ranked) >= need:
            return ranked
        seen = set(ranked)
        return ranked + by_date(d for d in docs if d not in seen)

    def search(self, query: ParsedQuery, filters: Filters, *, sort: str = "relevance", page: int = 1,
               per_page: int = 20) -> EngineResult:
        with self._lock:
            view = self._view()
            if view is None:
                return EngineResult(0, [], {f: {} for f in FACETS})
            docs = self._matches(view, query, filters)
            facets = {}
            for name in FACETS:
                column = view.columns[name]
                facets[name] = dict(Counter(v for v in (column[d] for d in docs) if v))
            start = (page - 1) * per_page
            order = self._order(view, query, docs, sort, start + per_page)
            hits = [self._hit(view, d) for d in order[start : start + per_page]]
            return EngineResult(len(docs), hits, facets)

    def count(self, query: ParsedQuery, filters: Filters | None = None) -> int:
        with self._lock:
            view = self._view()
            return len(self._matches(view, query, filters or Filters())) if view else 0

    @staticmethod
    def _hit(view: _View, docnum: int) -> Hit:
        f = view.searcher.stored_fields(docnum)
        return Hit(key=f["key"], category=f["category"], entity_id=f["entity_id"], title=f.get("title", ""),
                   body=f.get("body", ""), url=f.get("url", ""),
                   date=date.fromordinal(f["day"]) if f.get("day") else None, number=f.get("number", ""))

    def vocabulary_suggestions(self, word: str, limit: int = 3) -> list[str]:
        """Indexed jieba words one edit away from word (typing slips: 燃汽 → 燃气)."""
        with self._lock:
            view = self._view()
            if view is None:
                return []
            return [w for w in view.searcher.suggest("words", word, limit=limit, maxdist=1) if not w.isascii()]

    def knows_number(self, key: str) -> bool:
        with self._lock:
            view = self._view()
            return bool(view and view.searcher.doc_frequency("numbers", key))
