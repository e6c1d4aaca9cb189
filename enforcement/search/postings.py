"""Reading the index without Whoosh's matcher tree: posting arrays, document masks, BM25 by hand.

A ``View`` wraps one searcher of one index generation. A set of documents is a
boolean mask over the generation's document numbers (one byte a document), so
intersections, counts, facet counts and top-k run in numpy: a word in half of
1,000,000 records costs milliseconds, not a Python loop over 500,000 numbers.
The view decodes a term's posting list once into arrays and keeps what it
derives (posting arrays, masks, BM25 contributions, checked clause matches) in
one least-recently-used cache with a byte budget. It answers:

* which documents hold a term, or have a facet value (masks),
* which of some documents really contain a string (the ``text`` column, read
  in place through ``mmap``: no copy of a record's text per check),
* facet counts of a mask (one ``bincount`` over each document's combination
  of facet values), the newest documents of a mask,
* BM25 scores for a few terms, and the top k of a mask by score, equal scores
  newest first.
"""

from __future__ import annotations

import math
import mmap
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from itertools import accumulate, islice
from pathlib import Path
from pickle import loads

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, W3Codec, W3LeafMatcher
from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from enforcement.search.engine import FACETS

# Derived arrays and masks kept per view. At 1,000,000 records a mask is 1 MB and a common bigram's
# postings ~8 MB: this holds the working set of a busy site's commonest words.
CACHE_BYTES = 512 * 2**20
K1, B = 1.2, 0.75
_LENGTHS = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)

# A check a document's text must pass: one of the literals (UTF-8) occurs in it.
TextCheck = list[bytes]


def count(docs: np.ndarray) -> int:
    return int(np.count_nonzero(docs))


class View:
    """A searcher with the per-generation arrays and caches that make matching, facets and ranking cheap."""

    def __init__(self, ix):
        self.ix = ix
        self.searcher = ix.searcher()
        self._texts: list[_TextColumn] = []
        try:
            self._load()
        except BaseException:
            self.close()
            raise

    def _load(self) -> None:
        reader = self.searcher.reader()
        # The schema the opened generation was written with: ``ix.schema`` re-reads the newest TOC file, which a
        # concurrent sync may replace (and delete) between Whoosh listing it and opening it.
        self.schema = reader.schema
        # An empty index reads through an EmptyReader, which has no segment files to decode.
        self.leaves = [(r, base) for r, base in reader.leaf_readers() if hasattr(r, "_terms")]
        for leaf, _base in self.leaves:  # Whoosh opens these on first use; a merge may delete them by then
            for name, column in (("_stored", STORED_COLUMN), ("_title_L", LENGTHS_COLUMN), ("_bg_L", LENGTHS_COLUMN)):
                leaf._perdoc._cached_reader(name, column)
        self.size = reader.doc_count_all()
        self.live = self._live()
        self.doc_count = count(self.live)
        self.none = np.zeros(self.size, dtype=bool)
        self._cache: OrderedDict = OrderedDict()
        self._cache_bytes = 0
        self._norms: dict[str, np.ndarray] = {}
        self.values: dict[str, list[str]] = {}  # facet → its distinct values; codes index into it
        self.codes: dict[str, np.ndarray] = {}
        for name in FACETS:
            self.codes[name], self.values[name] = self._facet_column(name)
        self.day = self._numbers("day")
        self._texts = [_TextColumn(self.ix, leaf, base) for leaf, base in self.leaves]
        order = np.argsort(-self.day, kind="stable")  # newest first, ties by document number
        self.newest_first = order[self.live[order]]
        self.date_rank = np.full(self.size, self.size, dtype=np.int64)
        self.date_rank[self.newest_first] = np.arange(len(self.newest_first))
        self._combo, self._combo_values = self._facet_combinations()

    def _facet_combinations(self) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        """Each document's combination of facet values as one small number: one bincount, not four."""
        key = np.zeros(self.size, dtype=np.int64)
        for name in FACETS:
            key = key * (len(self.values[name]) + 1) + self.codes[name]
        combos, combo_of_doc = np.unique(key, return_inverse=True)
        values = []
        for k in combos.tolist():
            codes = []
            for name in reversed(FACETS):
                k, code = divmod(k, len(self.values[name]) + 1)
                codes.append(self.values[name][code])
            values.append(tuple(reversed(codes)))
        return combo_of_doc, values

    def _live(self) -> np.ndarray:
        """Documents not deleted, from each segment's deleted set (not a walk over every live number)."""
        live = np.ones(self.size, dtype=bool)
        for leaf, base in self.leaves:
            deleted = leaf._perdoc.deleted_docs()
            if deleted:
                live[np.fromiter(deleted, dtype=np.int64) + base] = False
        return live

    def _column_readers(self, name: str, column):
        """(leaf, column reader or None) per segment. Every document is written with a value of each schema
        column, so a segment with documents and no such file lost it to a merge after this reader opened
        (see ``_view``)."""
        for leaf, _base in self.leaves:
            perdoc = leaf._perdoc
            if perdoc.has_column(name):
                yield leaf, perdoc.column_reader(name, column)
            elif leaf.doc_count_all():
                raise FileNotFoundError(f"column {name} of segment {leaf._segment.segment_id()}")
            else:
                yield leaf, None

    def _facet_column(self, name: str) -> tuple[np.ndarray, list[str]]:
        """A short-string column as codes into its distinct values, read in one slice per segment."""
        index: dict[str, int] = {}
        parts = []
        for leaf, reader in self._column_readers(name, self.schema[name].column_type):
            if isinstance(reader, RefBytesColumn.Reader):
                refs = np.frombuffer(reader._dbfile.get(reader._basepos, leaf.doc_count_all() * reader._itemsize),
                                     dtype=np.dtype(reader._typecode).newbyteorder(">"))
                uniques = [u.decode("utf-8") for u in reader._uniques]
            else:  # no document of the segment has a value
                refs, uniques = np.zeros(leaf.doc_count_all(), dtype=np.int64), [""]
            to_code = np.array([index.setdefault(u, len(index)) for u in uniques] or [0], dtype=np.int64)
            parts.append(to_code[refs])
        return _concat(parts), list(index)

    def _numbers(self, name: str) -> np.ndarray:
        """A numeric schema column (the date ordinal) as one int64 array."""
        column = self.schema[name].column_type
        return _concat(_numeric(reader, leaf.doc_count_all()) for leaf, reader in self._column_readers(name, column))

    def refreshed(self) -> View:
        """This view on the index's newest state; decoded postings of segments that did not change are kept.

        A sync adds a small segment (or merges small ones) behind the large ones, so after it only the
        new segments' part of a posting list is decoded again; masks and scores are derived anew.
        """
        if not self.searcher.up_to_date():
            before = [(leaf._segment.segment_id(), base, leaf.doc_count_all()) for leaf, base in self.leaves]
            postings = [(key, value) for key, value in self._cache.items() if key[0] == "p"]
            self.close()
            self.searcher = self.ix.searcher()
            self._load()
            after = [(leaf._segment.segment_id(), base, leaf.doc_count_all()) for leaf, base in self.leaves]
            kept = 0
            while kept < min(len(before), len(after)) and before[kept] == after[kept]:
                kept += 1
            for key, (ids, weights, done) in postings:
                done = min(done, kept)  # an entry carried over before covers only the segments it had
                if done:
                    end = after[done - 1][1] + after[done - 1][2]
                    cut = int(np.searchsorted(ids, end))
                    self.cached(key, lambda ids=ids, weights=weights, cut=cut, done=done: (ids[:cut], weights[:cut],
                                                                                           done))
        return self

    def close(self) -> None:
        for texts in self._texts:
            texts.close()
        self._texts = []
        self.searcher.close()

    # --- the cache -------------------------------------------------------------------------
    def cached(self, key, compute):
        """Arrays and masks derived from postings or columns, least recently used dropped first."""
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = compute()
            self._cache_bytes += _nbytes(found)
            while self._cache_bytes > CACHE_BYTES and len(self._cache) > 1:
                self._cache_bytes -= _nbytes(self._cache.popitem(last=False)[1])
        else:
            self._cache.move_to_end(key)
        return found

    def is_cached(self, key) -> bool:
        return key in self._cache

    def clear_cache(self) -> None:
        self._cache.clear()
        self._cache_bytes = 0

    # --- posting lists ---------------------------------------------------------------------
    def doc_frequency(self, field: str, text: str) -> int:
        return self.searcher.doc_frequency(field, text)

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of a term across segments, deleted documents included."""
        key = ("p", field, text)
        found = self._cache.get(key)
        if found is not None and found[2] < len(self.leaves):  # kept from before a refresh: add the new segments
            del self._cache[key]
            self._cache_bytes -= _nbytes(found)
            return self.cached(key, lambda: self._decode(field, text, found))[:2]
        return self.cached(key, lambda: self._decode(field, text))[:2]

    def _decode(self, field: str, text: str, known=None) -> tuple[np.ndarray, np.ndarray, int]:
        """The term's postings in every segment, or in those after the first known[2] ones (known: their part)."""
        ids, weights = array("I"), array("f")
        done = known[2] if known else 0
        if field in self.schema:
            fieldobj = self.schema[field]
            tbytes = fieldobj.to_bytes(text)
            for leaf, base in self.leaves[done:]:
                try:
                    m = leaf._terms.matcher(field, tbytes, fieldobj.format)
                except (TermNotFound, KeyError):
                    continue
                if isinstance(m, W3LeafMatcher):
                    _read_blocks(m, base, ids, weights)
                else:  # inlined postings
                    while m.is_active():
                        ids.append(m.id() + base)
                        weights.append(m.weight())
                        m.next()
        new_ids, new_weights = np.frombuffer(ids, dtype=np.uint32), np.frombuffer(weights, dtype=np.float32)
        if known:
            new_ids, new_weights = np.concatenate((known[0], new_ids)), np.concatenate((known[1], new_weights))
        return new_ids, new_weights, len(self.leaves)

    def term_docs(self, field: str, text: str) -> np.ndarray:
        return self.cached(("t", field, text), lambda: self.mask(self.postings(field, text)[0]))

    def mask(self, docnums: Iterable[int] | np.ndarray) -> np.ndarray:
        """The live documents among docnums, as a mask."""
        m = np.zeros(self.size, dtype=bool)
        ids = docnums if isinstance(docnums, np.ndarray) else np.fromiter(docnums, dtype=np.int64)
        m[ids] = True
        return m & self.live if self.doc_count < self.size else m

    def filter_docs(self, field: str, value: str) -> np.ndarray:
        def compute() -> np.ndarray:
            values = self.values[field]
            return self.live & (self.codes[field] == values.index(value)) if value in values else self.none

        return self.cached(("f", field, value), compute)

    def facet_counts(self, docs: np.ndarray) -> dict[str, dict[str, int]]:
        """Facet → value → number of docs with it (documents without a value are not counted)."""
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        counts = np.bincount(self._combo[docs], minlength=len(self._combo_values))
        for combo in np.flatnonzero(counts).tolist():
            n = int(counts[combo])
            for name, value in zip(FACETS, self._combo_values[combo], strict=True):
                if value:
                    facets[name][value] = facets[name].get(value, 0) + n
        return facets

    # --- text --------------------------------------------------------------------------------
    def containing(self, docs: np.ndarray, checks: list[TextCheck]) -> np.ndarray:
        """The documents of docs whose normalised text passes every check."""
        kept: list[int] = []
        ids = np.flatnonzero(docs)
        for texts in self._texts:
            lo, hi = np.searchsorted(ids, (texts.base, texts.base + texts.count))
            kept += texts.passing(ids[lo:hi], checks)
        return self.mask(np.array(kept, dtype=np.int64))

    # --- ranking -----------------------------------------------------------------------------
    def _norm(self, field: str) -> np.ndarray:
        """Per document: K1 * (1 - B + B * length / average length), BM25's length normaliser."""
        norm = self._norms.get(field)
        if norm is None:
            # The length columns opened at load (a length column is only written when some length is not 0).
            lengths = _LENGTHS[_concat(_numeric(leaf._perdoc._cached_reader(f"_{field}_L", LENGTHS_COLUMN),
                                                leaf.doc_count_all()) for leaf, _base in self.leaves)]
            average = float(lengths[self.live].sum()) / max(1, self.doc_count) or 1.0
            norm = self._norms[field] = K1 * (1 - B + B * lengths / average)
        return norm

    def idf(self, field: str, text: str) -> float:
        """Whoosh's BM25 idf, so scores stay comparable with what the stock weighting gave."""
        if not self.doc_count:  # every document deleted: nothing to rank (and no log of 0)
            return 0.0
        return math.log(self.doc_count / (self.doc_frequency(field, text) + 1)) + 1

    def term_scores(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's BM25 contribution for every document holding it: (document numbers, contributions)."""

        def compute() -> tuple[np.ndarray, np.ndarray]:
            ids, weights = self.postings(field, text)
            w = weights.astype(np.float64)
            idf = self.idf(field, text) * (K1 + 1)
            norm = K1 if field == "numbers" else self._norm(field)[ids]  # no lengths are kept for identifiers
            return ids, idf * w / (w + norm)

        return self.cached(("s", field, text), compute)

    def bm25(self, terms: Iterable[tuple[str, str, float]]) -> np.ndarray:
        """Every document's summed BM25 score for the (field, term, boost) terms (0 for those holding none)."""
        scores = np.zeros(self.size, dtype=np.float64)
        for field, text, boost in terms:
            ids, contributions = self.term_scores(field, text)
            scores[ids] += contributions * boost if boost != 1.0 else contributions
        return scores

    def top(self, docs: np.ndarray, scores: np.ndarray, k: int) -> list[int]:
        """The k documents of docs with the highest scores; equal scores newest first, then by document number."""
        ids = np.flatnonzero(docs)
        s = scores[ids]
        if len(ids) > k > 0:
            kth = np.partition(s, len(s) - k)[len(s) - k]
            keep = s >= kth
            ids, s = ids[keep], s[keep]
        return ids[np.lexsort((self.date_rank[ids], -s))][:k].tolist()

    def newest(self, docs: np.ndarray, need: int) -> list[int]:
        """The need newest of docs (ties by document number), without sorting them all."""
        if need <= 0:
            return []
        if count(docs) * 8 > self.doc_count:  # dense: walk the index's own newest-first order
            return self.newest_first[docs[self.newest_first]][:need].tolist()
        ids = np.flatnonzero(docs)
        if len(ids) > need:
            ids = ids[np.argpartition(self.date_rank[ids], need - 1)[:need]]
        return ids[np.argsort(self.date_rank[ids])].tolist()


class _TextColumn:
    """One segment's ``text`` column, mapped into memory: a document's text is a byte range of the map."""

    def __init__(self, ix, leaf, base: int):
        self.base, self.count = base, leaf.doc_count_all()
        self._map = None
        self._reader = None
        if not leaf._perdoc.has_column("text"):
            if self.count:
                raise FileNotFoundError(f"column text of segment {leaf._segment.segment_id()}")
            return
        reader = leaf._perdoc.column_reader("text", VarBytesColumn())
        path = Path(ix.storage.folder) / W3Codec.column_filename(leaf._segment, "text")
        if path.exists() and path.stat().st_size:
            with path.open("rb") as f:
                self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            offsets = np.frombuffer(reader._offsets, dtype=np.dtype(reader._offsets.typecode)).astype(np.int64)
            self._starts = offsets + reader._basepos
            self._ends = self._starts + np.frombuffer(reader._lengths, dtype=np.dtype(reader._lengths.typecode))
        else:  # a compound segment: read through Whoosh, a copy per document
            self._reader = reader

    def passing(self, docnums: np.ndarray, checks: list[TextCheck]) -> list[int]:
        if self._map is None and self._reader is None:
            return []
        local = docnums - self.base
        if self._map is None:
            texts = self._reader
            return [d for d, n in zip(docnums.tolist(), local.tolist(), strict=True)
                    if _passes(text := texts[n], 0, len(text), checks)]
        text, starts, ends = self._map, self._starts[local].tolist(), self._ends[local].tolist()
        if len(checks) == 1 and len(checks[0]) == 1:  # one word: the common case
            find, literal = text.find, checks[0][0]
            return [d for d, s, e in zip(docnums.tolist(), starts, ends, strict=True) if find(literal, s, e) >= 0]
        return [d for d, s, e in zip(docnums.tolist(), starts, ends, strict=True) if _passes(text, s, e, checks)]

    def close(self) -> None:
        if self._map is not None:
            self._map.close()


def _passes(text, start: int, end: int, checks: list[TextCheck]) -> bool:
    return all(any(text.find(t, start, end) >= 0 for t in literals) for literals in checks)


def _numeric(reader, count: int) -> np.ndarray:
    """A segment's numeric column in one read (zeros when the segment has none)."""
    values = np.zeros(count, dtype=np.int64)
    if isinstance(reader, NumericColumn.Reader):
        stored = np.frombuffer(reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen),
                               dtype=np.dtype(reader._typecode).newbyteorder(">"))
        values[:] = reader._default
        values[: len(stored)] = stored
    return values


def _concat(parts: Iterable[np.ndarray]) -> np.ndarray:
    parts = list(parts)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _nbytes(value) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, tuple):
        return sum(map(_nbytes, value))
    return 64  # a count, a small object


def _read_blocks(m: W3LeafMatcher, base: int, ids: array, weights: array) -> None:
    """Every block of a Whoosh 3 posting list, decoded with C-speed helpers (the matcher parses headers)."""
    postfile = m._postfile
    while True:
        data = postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
        deltas, w, _values = loads(zlib.decompress(data) if m._compression else data)
        start = len(ids)
        ids.extend(islice(accumulate(deltas, initial=base), 1, None) if base else accumulate(deltas))
        n = len(ids) - start
        if w is None:
            weights.extend(array("f", [1.0]) * n)
        elif isinstance(w, float):
            weights.extend(array("f", [w]) * n)
        else:
            weights.extend(w)
        if m._lastblock:
            return
        m._goto(m._nextoffset)
