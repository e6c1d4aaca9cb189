"""The embedded engine: Whoosh's index format, with exact "contains" matching over CJK bigrams.

Matching: a clause matches a document when all its bigrams are in the ``bg``
field and, for clauses of two or more bigrams and quoted phrases, the
document's normalised text (the ``text`` column) really contains it (bigrams
alone over-match "报警…警器"). Match sets are intersections of decoded
posting-id sets, rarest bigram first; once the candidates are few, the
remaining bigrams are left to that text check.
Ranking: BM25 over the exact match set only: each query word in ``title``
(jieba words, boosted) and the word's rarest bigram in ``bg`` (frequencies, no
positions), exact identifiers in ``numbers``; unscored matches follow, newest
first. Filters and facets come from columns read once per searcher.
"""

from __future__ import annotations

import contextlib
import heapq
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from datetime import date
from itertools import islice
from operator import itemgetter
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import Or, Prefix, Term

from enforcement.search.analysis import (
    BigramTokenizer,
    WordTokenizer,
    bigrams,
    cut_words,
    normalise,
    squash,
)
from enforcement.search.engine import FACETS, Clause, Doc, EngineResult, Filters, Hit, ParsedQuery
from enforcement.search.gramwriter import GramSegmentWriter, count_grams
from enforcement.search.postings import View
from enforcement.search.store import IndexStore, SyncState

# Bump when the schema or the way fields are written changes: the next sync rebuilds an older generation.
SCHEMA_VERSION = 2
RANKED_LIMIT = 1000
# A power, procedure or article is the one entry behind many decisions with the same title: rank it above them.
STANDING_BOOST = 3.0
# Building a bigram's document set costs about this many candidate text checks per posting: past that, check.
CHECK_INSTEAD_RATIO = 20


class ValueColumn(COLUMN):
    """A short string per document kept only as a column: filters and facets read columns, never terms."""

    def __init__(self):
        super().__init__(RefBytesColumn())

    def to_column_value(self, value: str) -> bytes:
        return value.encode("utf-8")

    def from_column_value(self, value: bytes) -> str:
        return value.decode("utf-8")


def make_schema() -> Schema:
    return Schema(
        key=ID(unique=True, stored=True),
        category=ValueColumn(),
        entity_id=STORED,
        kind=ValueColumn(),
        agency=ValueColumn(),
        year=ValueColumn(),
        day=COLUMN(NumericColumn("I")),  # date ordinal, 0 when undated
        title=TEXT(analyzer=WordTokenizer(), stored=True, field_boost=3.0, phrase=False),
        bg=TEXT(analyzer=BigramTokenizer(), phrase=False),  # title + body, frequencies only
        numbers=KEYWORD(lowercase=False, field_boost=5.0),
        text=COLUMN(VarBytesColumn()),  # normalised title + body, UTF-8: the exact "contains" check
        body=STORED,
        url=STORED,
        number=STORED,
    )


def segment(doc: Doc) -> dict:
    """Whoosh fields of a document, its text segmented once (runs in worker processes too)."""
    full = normalise(f"{doc.title}\n{doc.body}")
    return {
        "key": doc.key,
        "category": doc.category,
        "entity_id": doc.entity_id,
        "kind": doc.kind or "",
        "agency": str(doc.agency_id) if doc.agency_id else "",
        "year": str(doc.year) if doc.year else "",
        "day": doc.date.toordinal() if doc.date else 0,
        "title": count_grams(cut_words(doc.title)),
        "bg": count_grams(bigrams(full)),
        "numbers": " ".join(k for k in doc.numbers if k),
        "text": full.encode("utf-8"),
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
        # Separate segment files, not one compound file: Whoosh copies every sub-file of a compound segment
        # into memory when a searcher opens it (175 MB per reader at 100,000 records).
        self._writer = GramSegmentWriter(ix, limitmb=256 if fresh else 64, compound=False)
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
        if self._fresh:
            self.state.schema = SCHEMA_VERSION
        IndexStore.write_state(self.generation, self.state)

    def cancel(self) -> None:
        self._writer.cancel()


def _spaced(texts: list[str]) -> re.Pattern:
    """Any of texts with whitespace allowed between characters: "in squash(text)" without squashing text."""
    return re.compile("|".join(r"\s*".join(map(re.escape, t)) for t in texts))


def _needs_check(text: str, phrase: bool) -> bool:
    """Bigram intersection is exact for one bigram (or one Latin/digit run); longer text is verified."""
    return phrase or len(bigrams(text)) > 1


class WhooshEngine:
    def __init__(self, root: str | Path):
        self.store = IndexStore(root)
        self._views: dict[Path, View] = {}
        self._lock = threading.Lock()

    # --- writing ---------------------------------------------------------------------------
    def exists(self) -> bool:
        """A live generation this code can read (one built with an older layout must be rebuilt)."""
        current = self.store.current()
        return current is not None and self.state(current).schema == SCHEMA_VERSION

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
    def _view(self) -> View | None:
        generation = self.store.current()
        if generation is None:
            return None
        view = self._views.get(generation)
        if view is None:
            if self.state(generation).schema != SCHEMA_VERSION:
                return None  # an older layout answers nothing until the next sync rebuilds it
            for old in self._views.values():
                old.close()
            self._views = {generation: View(whoosh_index.open_dir(str(generation)))}
            return self._views[generation]
        return view.refreshed()

    @staticmethod
    def _text_docs(view: View, text: str, within: frozenset[int] | set[int] | None) -> frozenset[int] | set[int]:
        """Documents of within (None: all) holding the bigrams of text: a superset of those containing it.

        Rarest bigram first; once the candidates are far fewer than a bigram's postings, checking their
        text costs less than that bigram's set, so the intersection stops (only for text that is checked).
        """
        grams = sorted(set(bigrams(text)), key=lambda g: view.doc_frequency("bg", g))
        if len(grams) == 1 and len(grams[0]) == 1 and not grams[0].isascii():
            char = grams[0]  # one Chinese character: as a lone run or the start of a bigram
            found = view.cached(("c", char), lambda: frozenset(
                view.searcher.docs_for_query(Or([Term("bg", char), Prefix("bg", char)]))))
            return found if within is None else within & found
        checked = _needs_check(text, False)
        docs = within
        for gram in grams:
            if docs is not None and checked and len(docs) * CHECK_INSTEAD_RATIO < view.doc_frequency("bg", gram):
                break
            found = view.term_docs("bg", gram)
            docs = found if docs is None else docs & found
            if not docs:
                return frozenset()
        return frozenset() if docs is None else docs

    def _clause_docs(self, view: View, clause: Clause, within=None) -> frozenset[int] | set[int]:
        if clause.number_key:
            found = view.term_docs("numbers", clause.number_key)
            return found if within is None else within & found
        found = [self._text_docs(view, squash(text) if clause.phrase else text, within) for text in clause.texts]
        return found[0] if len(found) == 1 else frozenset().union(*found)

    def _exact_clause_docs(self, view: View, clause: Clause) -> frozenset[int]:
        """Every document containing the clause, text-checked, cached with the view's sets."""
        key = ("x", clause.text, clause.phrase, clause.number_key, *clause.synonyms)
        return view.cached(key, lambda: frozenset(self._verify(view, self._clause_docs(view, clause), [clause])))

    @staticmethod
    def _estimate(view: View, clause: Clause) -> int:
        """Roughly how many documents a clause matches: its rarest bigram's (or identifier's) count."""
        if clause.number_key:
            return view.doc_frequency("numbers", clause.number_key)
        return sum(min((view.doc_frequency("bg", g) for g in bigrams(t)), default=0) for t in clause.texts)

    @staticmethod
    def _verify(view: View, docs: AbstractSet[int], clauses: list[Clause]) -> AbstractSet[int]:
        """Keep documents whose text really contains each clause that bigrams cannot prove."""
        checks = [c for c in clauses if not c.number_key and any(_needs_check(t, c.phrase) for t in c.texts)]
        if not checks or not docs:
            return docs
        plain = [[t.encode("utf-8") for t in c.texts] for c in checks if not c.phrase]
        raw = view.raw_text
        kept = {d for d in docs if all(any(t in text for t in ts) for text in (raw(d),) for ts in plain)}
        for c in checks:
            if c.phrase:  # contiguous in the text, or with only whitespace between its characters
                literal = [t.encode("utf-8") for t in c.texts]
                spaced = _spaced(c.texts)
                kept = {d for d in kept if any(t in text for t in literal for text in (raw(d),))
                        or spaced.search(view.text(d))}
        return kept

    def _matches(self, view: View, query: ParsedQuery, filters: Filters) -> AbstractSet[int]:
        filter_sets = [view.filter_docs(f, str(v)) for f, v in filters.as_dict().items()]
        if query.empty or query.min_match is None:
            docs = view.live
            for other in sorted(filter_sets, key=len):
                docs = docs & other
            # Rarest clause first, each one narrowing the candidates the next one starts from; the first,
            # unnarrowed, is matched exactly and remembered (a popular word is checked once per index version).
            unchecked = []
            for clause in sorted(query.clauses, key=lambda c: self._estimate(view, c)):
                if not docs:
                    break
                if docs is view.live:
                    docs = self._exact_clause_docs(view, clause)
                else:
                    docs = self._clause_docs(view, clause, docs)
                    unchecked.append(clause)
            return self._verify(view, docs & view.live if view.deleted else docs, unchecked)
        # Relaxed: documents containing at least min_match of the clauses.
        allowed = set(view.live)
        for f in filter_sets:
            allowed &= f
        hits: Counter = Counter()
        for c in query.clauses:
            hits.update(self._exact_clause_docs(view, c) & allowed)
        return {d for d, n in hits.items() if n >= query.min_match}

    @staticmethod
    def _rank_terms(view: View, query: ParsedQuery) -> list[tuple[str, str, float]]:
        """(field, term, boost) to rank by: each word in the title, its rarest bigram, identifiers.

        A term in more than half the documents ranks nothing but costs a full posting list: left out.
        """
        common = view.doc_count // 2
        terms: dict[tuple[str, str], float] = {}
        for c in query.clauses:
            if c.number_key:
                terms[("numbers", c.number_key)] = 1.0
            for word in [*c.words, *c.synonyms]:
                if 0 < view.doc_frequency("title", word) <= common:
                    terms[("title", word)] = 1.0
                grams = set(bigrams(word))
                if grams:
                    gram = min(grams, key=lambda g: (view.doc_frequency("bg", g), g))
                    if 0 < view.doc_frequency("bg", gram) <= common:
                        terms[("bg", gram)] = 1.0
        return [(f, t, boost) for (f, t), boost in terms.items()]

    @staticmethod
    def _newest(view: View, docs, need: int) -> list[int]:
        """The need newest of docs (ties by document number), without sorting them all."""
        if len(docs) * 8 > view.doc_count:  # dense: walk the index's own newest-first order
            return list(islice(filter(docs.__contains__, view.newest_first), need))
        return heapq.nsmallest(need, docs, key=view.date_rank.__getitem__)

    def _order(self, view: View, query: ParsedQuery, docs: set[int], sort: str, need: int) -> list[int]:
        terms = [] if sort == "date" else self._rank_terms(view, query)
        if not terms or not docs:
            return self._newest(view, docs, need)
        scores = view.bm25(docs, terms)
        for d in [d for d in view.standing if d in scores]:  # standing records are few; matches may be many
            scores[d] *= STANDING_BOOST
        limit = min(need, RANKED_LIMIT)
        # nlargest is stable and scores are in document order: equal scores rank by document number.
        ranked = [d for d, s in heapq.nlargest(limit, scores.items(), key=itemgetter(1)) if s > 0]
        if len(ranked) >= need:
            return ranked
        seen = set(ranked)
        return ranked + self._newest(view, docs - seen, need - len(ranked))

    def search(self, query: ParsedQuery, filters: Filters, *, sort: str = "relevance", page: int = 1,
               per_page: int = 20) -> EngineResult:
        with self._lock:
            view = self._view()
            if view is None:
                return EngineResult(0, [], {f: {} for f in FACETS})
            docs = self._matches(view, query, filters)
            facets = view.facet_counts(docs)
            start = (page - 1) * per_page
            order = self._order(view, query, docs, sort, start + per_page)
            hits = [self._hit(view, d) for d in islice(order, start, start + per_page)]
            return EngineResult(len(docs), hits, facets)

    def count(self, query: ParsedQuery, filters: Filters | None = None) -> int:
        with self._lock:
            view = self._view()
            return len(self._matches(view, query, filters or Filters())) if view else 0

    @staticmethod
    def _hit(view: View, docnum: int) -> Hit:
        f = view.searcher.stored_fields(docnum)
        day = view.columns["day"][docnum]
        return Hit(key=f["key"], category=view.columns["category"][docnum], entity_id=f["entity_id"],
                   title=f.get("title", ""), body=f.get("body", ""), url=f.get("url", ""),
                   date=date.fromordinal(day) if day else None, number=f.get("number", ""))

    def vocabulary_suggestions(self, word: str, limit: int = 3) -> list[str]:
        """Indexed title words one edit away from word (typing slips: 燃汽 → 燃气)."""
        with self._lock:
            view = self._view()
            if view is None:
                return []
            return [w for w in view.searcher.suggest("title", word, limit=limit, maxdist=1) if not w.isascii()]

    def knows_number(self, key: str) -> bool:
        with self._lock:
            view = self._view()
            return bool(view and view.doc_frequency("numbers", key))
