"""The embedded engine: Whoosh's index format, with exact "contains" matching over CJK bigrams.

Matching: a clause matches a document when all its bigrams are in the ``bg``
field and, for clauses of two or more bigrams and quoted phrases, the
document's normalised text (the ``text`` column) really contains it (bigrams
alone over-match "报警…警器"). Match sets are intersections of document
masks built from decoded posting lists, rarest bigram first; once the
candidates are few, the remaining bigrams are left to that text check.
Ranking (``ranking``): BM25F over the exact match set only: each query word in
``title`` (jieba words, boosted) and the word's rarest bigram in ``bg`` (BM25F
weighted frequencies of title, party, facts, result and the rest; no
positions), exact identifiers in ``numbers``; categories ordered by the
query's intent, equal scores newest first. Filters and facets come from columns read once per searcher.
"""

from __future__ import annotations

import contextlib
import functools
import operator
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import Or, Prefix, Term
from whoosh.writing import NO_MERGE

from enforcement.search.analysis import (
    BigramTokenizer,
    WordTokenizer,
    bigrams,
    cut_words,
    normalise,
    squash,
)
from enforcement.search.dictionary import DOMAIN_WORDS, SYNONYMS
from enforcement.search.engine import FACETS, Clause, Doc, EngineResult, Filters, Hit, ParsedQuery
from enforcement.search.gramwriter import GramSegmentWriter, count_grams
from enforcement.search.postings import View, count
from enforcement.search.ranking import order, related
from enforcement.search.store import IndexStore, SyncState
from enforcement.search.suggest import Suggester, vocabulary

# Bump when the schema or the way fields are written changes: the next sync rebuilds an older generation.
SCHEMA_VERSION = 5  # 3: middle dots dropped from names; 文号 keys ignore 第 and leading zeros; 4: the sync
#                     state keeps a change-log position (floor), not an id; 5: field-weighted ranking lengths
SEGMENT_DOCS = 250_000
OPEN_ATTEMPTS = 3
# BM25F: a title's bigrams count this many times in the ranking field (a decision's sections: Doc.sections).
TITLE_WEIGHT = 3
# Decoding a posting costs ~0.25 µs, checking a candidate's text ~2 µs: past this ratio, check the candidates.
CHECK_INSTEAD_RATIO = 8


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
        "bg": weighted_grams(doc),
        "numbers": " ".join(k for k in doc.numbers if k),
        "text": full.encode("utf-8"),
        "body": doc.body,
        "url": doc.url,
        "number": doc.number,
        "_stored_title": doc.title,  # Whoosh stores this value for "title", indexes the segmented one
    }


def weighted_grams(doc: Doc) -> tuple[list[bytes], list[int]]:
    """The ranking field's (terms, frequencies): BM25F's weighted term frequency, summed over fields.

    The title counts ``TITLE_WEIGHT`` times, the body once, and each of ``doc.sections`` (parts of the body)
    its weight in all; the field length Whoosh records is the weighted sum, so BM25's length normalisation
    is BM25F's (Robertson, Zaragoza & Taylor 2004, with one b for every field).
    """
    counts = Counter(bigrams(doc.body))
    for text, weight in [(doc.title, TITLE_WEIGHT), *((t, w - 1) for t, w in doc.sections)]:
        if weight > 0:
            for gram in bigrams(text):
                counts[gram] += weight
    return [t.encode("utf-8") for t in counts], list(counts.values())


class IndexWriter:
    """One open Whoosh writer; documents are upserted by key.

    A fresh build commits a segment every ``SEGMENT_DOCS`` documents and starts the next one, so the
    writer's posting arrays stay bounded (~8 bytes a bigram posting: 1,000,000 records in one segment
    held ~1.4 GB). The generation is not live until it is published, so those commits are invisible.
    """

    def __init__(self, ix, generation: Path, state: SyncState, *, fresh: bool):
        self.generation = generation
        self.state = state
        self._ix = ix
        self._fresh = fresh
        self._writer = self._open()
        self._in_segment = 0
        self.written = 0

    def _open(self) -> GramSegmentWriter:
        # Separate segment files, not one compound file: Whoosh copies every sub-file of a compound segment
        # into memory when a searcher opens it (175 MB per reader at 100,000 records).
        return GramSegmentWriter(self._ix, limitmb=256 if self._fresh else 64, compound=False)

    def index(self, docs: Iterable[Doc]) -> int:
        return self.add_segmented(segment(d) for d in docs)

    def add_segmented(self, rows: Iterable[dict]) -> int:
        n = 0
        for fields in rows:
            if not self._fresh:
                self._writer.update_document(**fields)
            else:
                if self._in_segment == SEGMENT_DOCS:
                    self._writer.commit(mergetype=NO_MERGE)
                    self._writer, self._in_segment = self._open(), 0
                self._writer.add_document(**fields)
                self._in_segment += 1
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
        self._writer.commit(mergetype=NO_MERGE if self._fresh else None)
        if self._fresh:
            self.state.schema = SCHEMA_VERSION
        IndexStore.write_state(self.generation, self.state)

    def cancel(self) -> None:
        self._writer.cancel()


_LATIN = re.compile("[0-9a-z]")


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
        """The live generation's view, on its newest state.

        A sync that merges segments deletes the merged ones' files right after writing its table of
        contents; a reader that read the previous table can find a file gone (FileNotFoundError). The view
        opens every file it needs as it loads, so the window is that load: when it is hit, open afresh.
        """
        generation = self.store.current()
        if generation is None:
            return None
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return self._open_view(generation)
            except FileNotFoundError:
                self._close_views()
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05)
        return None

    def _open_view(self, generation: Path) -> View | None:
        view = self._views.get(generation)
        if view is None:
            if self.state(generation).schema != SCHEMA_VERSION:
                return None  # an older layout answers nothing until the next sync rebuilds it
            self._close_views()
            view = self._views[generation] = View(whoosh_index.open_dir(str(generation)))
            return view
        return view.refreshed()

    def _close_views(self) -> None:
        for old in self._views.values():
            with contextlib.suppress(OSError):
                old.close()
        self._views = {}

    @staticmethod
    def _text_docs(view: View, text: str, within: np.ndarray | None, phrase: bool = False) -> tuple[np.ndarray, bool]:
        """Documents of within (None: all) holding the bigrams of text, and whether that is exact.

        Rarest bigram first. Once the candidates are far fewer than a bigram's postings, checking their
        text costs less than decoding that bigram, so the intersection stops there (unless its mask is
        cached) and the candidates are a superset the caller must check. That is allowed for text a check
        would verify anyway (several bigrams) and for Chinese text, where "contains" and "holds the
        bigram" are the same thing; a Latin or digit run is matched whole, so it is always intersected.
        """
        grams = sorted(set(bigrams(text)), key=lambda g: view.doc_frequency("bg", g))
        if len(grams) == 1 and len(grams[0]) == 1 and not grams[0].isascii():
            char = grams[0]  # one Chinese character: as a lone run or the start of a bigram
            found = view.cached(("c", char), lambda: view.mask(
                view.searcher.docs_for_query(Or([Term("bg", char), Prefix("bg", char)]))))
            return (found if within is None else within & found), True
        needs_check = _needs_check(text, phrase)
        may_stop = needs_check or not _LATIN.search(normalise(text))
        docs = within
        for gram in grams:
            if (may_stop and docs is not None and count(docs) * CHECK_INSTEAD_RATIO < view.doc_frequency("bg", gram)
                    and not view.is_cached(("t", "bg", gram))):
                return docs, False
            found = view.term_docs("bg", gram)
            docs = found if docs is None else docs & found
            if not docs.any():
                return view.none, True
        return (view.none if docs is None else docs), not needs_check

    def _clause_docs(self, view: View, clause: Clause, within=None) -> tuple[np.ndarray, bool]:
        """Candidates for the clause among within, and whether they are exactly its matches (no text check)."""
        if clause.number_key:
            found = view.term_docs("numbers", clause.number_key)
            return (found if within is None else within & found), True
        found = [self._text_docs(view, squash(text) if clause.phrase else text, within, clause.phrase)
                 for text in clause.texts]
        return functools.reduce(operator.or_, (docs for docs, _ in found)), all(exact for _, exact in found)

    def _exact_clause_docs(self, view: View, clause: Clause) -> np.ndarray:
        """Every document containing the clause, text-checked, cached with the view's masks."""
        def compute() -> np.ndarray:
            docs, exact = self._clause_docs(view, clause)
            return docs if exact else self._verify(view, docs, [clause])

        key = ("x", clause.text, clause.phrase, clause.number_key, *clause.synonyms)
        return view.cached(key, compute)

    @staticmethod
    def _estimate(view: View, clause: Clause) -> int:
        """Roughly how many documents a clause matches: its rarest bigram's (or identifier's) count."""
        if clause.number_key:
            return view.doc_frequency("numbers", clause.number_key)
        return sum(min((view.doc_frequency("bg", g) for g in bigrams(t)), default=0) for t in clause.texts)

    @staticmethod
    def _verify(view: View, docs: np.ndarray, clauses: list[Clause]) -> np.ndarray:
        """Keep documents whose text really contains each of the clauses (text clauses, never identifiers).

        A phrase is contiguous in the normalised text, as its bigrams are: whether a clause was checked or
        intersected, the answer is the same.
        """
        checks = [[t.encode("utf-8") for t in c.texts] for c in clauses]
        if not checks or not docs.any():
            return docs
        return view.containing(docs, checks)

    def _matches(self, view: View, query: ParsedQuery, filters: Filters) -> np.ndarray:
        filter_masks = [view.filter_docs(f, str(v)) for f, v in filters.as_dict().items()]
        if query.empty or query.min_match is None:
            docs = functools.reduce(operator.and_, filter_masks, view.live)
            # Rarest clause first, each one narrowing the candidates the next one starts from; the first,
            # unnarrowed, is matched exactly and remembered (a popular word is checked once per index version).
            unchecked = []
            for clause in sorted(query.clauses, key=lambda c: self._estimate(view, c)):
                if docs is view.live:
                    docs = self._exact_clause_docs(view, clause)
                else:
                    docs, exact = self._clause_docs(view, clause, docs)
                    if not exact:
                        unchecked.append(clause)
                if not docs.any():
                    return view.none
            return self._verify(view, docs, unchecked)
        # Relaxed: documents containing at least min_match of the clauses.
        allowed = functools.reduce(operator.and_, filter_masks, view.live)
        hits = np.zeros(view.size, dtype=np.int16)
        for c in query.clauses:
            hits += self._exact_clause_docs(view, c) & allowed
        return hits >= query.min_match

    def search(self, query: ParsedQuery, filters: Filters, *, sort: str = "relevance", page: int = 1,
               per_page: int = 20) -> EngineResult:
        with self._lock:
            view = self._view()
            if view is None:
                return EngineResult(0, [], {f: {} for f in FACETS})
            docs = self._matches(view, query, filters)
            facets = view.facet_counts(docs)
            start = (page - 1) * per_page
            ranked, scores = order(view, query, docs, sort, start + per_page)
            hits = [self._hit(view, d) for d in ranked[start:start + per_page]]
            beside = [self._hit(view, d) for d in related(view, query, docs, scores, facets["category"])]
            return EngineResult(count(docs), hits, facets, beside)

    def count(self, query: ParsedQuery, filters: Filters | None = None) -> int:
        with self._lock:
            view = self._view()
            return count(self._matches(view, query, filters or Filters())) if view else 0

    @staticmethod
    def _hit(view: View, docnum: int) -> Hit:
        f = view.searcher.stored_fields(docnum)
        day = int(view.day[docnum])
        category = view.values["category"][view.codes["category"][docnum]]
        return Hit(key=f["key"], category=category, entity_id=f["entity_id"],
                   title=f.get("title", ""), body=f.get("body", ""), url=f.get("url", ""),
                   date=date.fromordinal(day) if day else None, number=f.get("number", ""))

    @staticmethod
    def _suggester(view: View) -> Suggester:
        """The generation's typo and pinyin tables, built once (at warm start, or on the first miss)."""
        found = getattr(view, "suggester", None)
        if found is None:
            found = view.suggester = Suggester(vocabulary(view, (*DOMAIN_WORDS, *SYNONYMS)))
        return found

    def vocabulary_suggestions(self, word: str, limit: int = 3) -> list[str]:
        """Indexed words one edit away from word (垃极分类 → 垃圾分类) or spelled so in pinyin (ranqi → 燃气)."""
        with self._lock:
            view = self._view()
            return self._suggester(view).suggest(word, limit) if view is not None else []

    def warm(self) -> bool:
        """Open the live generation and build its suggestion tables now, not on a citizen's first search."""
        with self._lock:
            view = self._view()
            if view is not None:
                self._suggester(view)
            return view is not None

    def knows_number(self, key: str) -> bool:
        with self._lock:
            view = self._view()
            return bool(view and view.doc_frequency("numbers", key))
