"""Reading the index without Whoosh's matcher tree: decoded posting arrays, cached sets, BM25 by hand.

A ``View`` wraps one searcher of one index generation. It decodes a term's
posting list block by block into two arrays (document numbers and weights),
keeps the most recently used ones within a posting budget, and answers:

* which documents hold a term (a frozenset, for C-speed intersections),
* which documents have a facet value (sets built once from the columns),
* whether a document's text really contains a string (the ``text`` column),
* BM25 scores of a given set of documents for a few terms, with the field
  lengths loaded once, so ranking costs the match set, not the posting lists.
"""

from __future__ import annotations

import math
import sys
import zlib
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from itertools import accumulate, islice
from pickle import loads

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.columns import NumericColumn, RefBytesColumn
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from enforcement.search.engine import FACETS

POSTING_BUDGET = 3_000_000  # decoded postings kept per view (~25 MB as arrays)
SET_BUDGET = 3_000_000  # members of cached sets and weight maps per view (~200 MB at most)
K1, B = 1.2, 0.75
_LENGTHS = [byte_to_length(b) or 0 for b in range(256)]
_NO_POSTINGS: tuple[array, array] = (array("I"), array("f"))
_LITTLE = sys.byteorder == "little"


class View:
    """A searcher with the per-generation caches that make matching, filters, facets and ranking cheap."""

    def __init__(self, ix):
        self.ix = ix
        self.searcher = ix.searcher()
        self._load()

    def _load(self) -> None:
        reader = self.searcher.reader()
        self.reader = reader
        # An empty index reads through an EmptyReader, which has no segment files to decode.
        self.leaves = [(r, base) for r, base in reader.leaf_readers() if hasattr(r, "_terms")]
        self.live = frozenset(reader.all_doc_ids())
        self.doc_count = len(self.live)
        self.deleted = self.doc_count < reader.doc_count_all()  # posting lists still name deleted documents
        empty = reader.doc_count_all() == 0  # an empty index has no column files to read
        self.columns = {name: [] if empty else self._column(name) for name in (*FACETS, "day")}
        self.texts = None if empty else reader.column_reader("text", translate=False)
        categories = self.columns["category"]
        self.standing = frozenset(d for d in self.live if categories[d] != "decision")
        day = self.columns["day"]
        self.newest_first = sorted(self.live, key=lambda d: (-(day[d] or 0), d))
        self.date_rank = [0] * len(day)
        for rank, d in enumerate(self.newest_first):
            self.date_rank[d] = rank
        # Each document's combination of facet values as one small number: one counting pass, not four.
        combos: dict[tuple, int] = {}
        self._combo = [combos.setdefault(values, len(combos))
                       for values in zip(*(self.columns[name] for name in FACETS), strict=True)]
        self._combo_values = list(combos)
        self._postings: OrderedDict = OrderedDict()
        self._posting_total = 0
        self._sets: OrderedDict = OrderedDict()
        self._set_total = 0
        self._norms: dict[str, list[float]] = {}

    def _column(self, name: str) -> list:
        """Every document's value of a column, read in one slice per segment where the layout allows.

        Whoosh's column iterators read value by value (0.8 s for the five columns at 100,000 records);
        this runs after every index change, so the bulk read matters.
        """
        values: list = []
        for leaf, _base in self.leaves:
            count = leaf.doc_count_all()
            bulk = None
            if leaf._perdoc.has_column(name):
                bulk = _bulk_values(leaf._perdoc.column_reader(name, self.ix.schema[name].column_type), count)
            values += bulk if bulk is not None else list(leaf.column_reader(name))
        return values

    def refreshed(self) -> View:
        if not self.searcher.up_to_date():
            self.searcher.close()
            self.searcher = self.ix.searcher()
            self._load()
        return self

    def close(self) -> None:
        self.searcher.close()

    # --- posting lists ---------------------------------------------------------------------
    def doc_frequency(self, field: str, text: str) -> int:
        return self.searcher.doc_frequency(field, text)

    def postings(self, field: str, text: str) -> tuple[array, array]:
        """(document numbers, weights) of a term across segments, deleted documents included."""
        key = (field, text)
        found = self._postings.get(key)
        if found is not None:
            self._postings.move_to_end(key)
            return found
        found = self._decode(field, text)
        self._postings[key] = found
        self._posting_total += len(found[0])
        while self._posting_total > POSTING_BUDGET and len(self._postings) > 1:
            (old_key, (old_ids, _w)) = self._postings.popitem(last=False)
            self._posting_total -= len(old_ids)
        return found

    def _decode(self, field: str, text: str) -> tuple[array, array]:
        if field not in self.ix.schema:
            return _NO_POSTINGS
        fieldobj = self.ix.schema[field]
        tbytes = fieldobj.to_bytes(text)
        ids, weights = array("I"), array("f")
        for leaf, base in self.leaves:
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
        return ids, weights

    def term_docs(self, field: str, text: str) -> frozenset[int]:
        return self.cached(("t", field, text), lambda: frozenset(self.postings(field, text)[0]))

    def cached(self, key, compute):
        """Sets and maps derived from postings or columns, least recently used dropped first."""
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = compute()
            self._set_total += len(found)
            while self._set_total > SET_BUDGET and len(self._sets) > 1:
                self._set_total -= len(self._sets.popitem(last=False)[1])
        else:
            self._sets.move_to_end(key)
        return found

    def filter_docs(self, field: str, value: str) -> frozenset[int]:
        column = self.columns[field]
        return self.cached(("f", field, value), lambda: frozenset(d for d in self.live if column[d] == value))

    def facet_counts(self, docs: Iterable[int]) -> dict[str, dict[str, int]]:
        """Facet → value → number of docs with it (documents without a value are not counted)."""
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for combo, n in Counter(map(self._combo.__getitem__, docs)).items():
            for name, value in zip(FACETS, self._combo_values[combo], strict=True):
                if value:
                    facets[name][value] = facets[name].get(value, 0) + n
        return facets

    # --- text --------------------------------------------------------------------------------
    def text(self, docnum: int) -> str:
        """The document's normalised title and body (what "contains" is checked against)."""
        return self.texts[docnum].decode("utf-8") if self.texts is not None else ""

    def raw_text(self, docnum: int) -> bytes:
        return self.texts[docnum] if self.texts is not None else b""

    # --- ranking -----------------------------------------------------------------------------
    def _norm(self, field: str) -> list[float]:
        """Per document: K1 * (1 - B + B * length / average length), BM25's length normaliser."""
        norm = self._norms.get(field)
        if norm is None:
            lengths: list[int] = []
            for leaf, _base in self.leaves:
                column = leaf._perdoc._cached_reader(f"_{field}_L", LENGTHS_COLUMN)
                count = leaf.doc_count_all()
                lengths += [_LENGTHS[b] for b in column] if column is not None else [0] * count
            total = sum(lengths[d] for d in self.live) if lengths else 0
            average = total / max(1, self.doc_count) or 1.0
            norm = [K1 * (1 - B + B * n / average) for n in lengths]
            self._norms[field] = norm
        return norm

    def idf(self, field: str, text: str) -> float:
        """Whoosh's BM25 idf, so scores stay comparable with what the stock weighting gave."""
        return math.log(self.doc_count / (self.doc_frequency(field, text) + 1)) + 1

    def term_scores(self, field: str, text: str) -> dict[int, float]:
        """A term's BM25 contribution for every document holding it, in document order (cached)."""

        def compute() -> dict[int, float]:
            ids, weights = self.postings(field, text)
            idf = self.idf(field, text) * (K1 + 1)
            if field == "numbers":  # not length-normalised: no lengths are kept for identifiers
                return {d: idf * w / (w + K1) for d, w in zip(ids, weights, strict=True)}
            norm = self._norm(field)
            return {d: idf * w / (w + norm[d]) for d, w in zip(ids, weights, strict=True)}

        return self.cached(("s", field, text), compute)

    def bm25(self, docs: AbstractSet[int], terms: Iterable[tuple[str, str, float]]) -> dict[int, float]:
        """Scores of the docs holding any of the (field, term, boost) terms, in document order.

        Document order makes equal scores rank by document number. Documents holding no term are left out
        (the caller orders them by date). The largest unboosted term whose documents all lie in docs (the
        one word of a one-word query, a title word) starts the scores as a C-level copy of its cached map.
        """
        maps = [(self.term_scores(field, text), boost) for field, text, boost in terms]
        maps = sorted(((m, boost) for m, boost in maps if m), key=lambda mb: -len(mb[0]))
        base = next((i for i, (m, boost) in enumerate(maps) if boost == 1.0 and len(m) <= len(docs)
                     and m.keys() <= docs), None)
        if base is not None:
            scores = dict(maps.pop(base)[0])
        elif maps:  # the largest term's documents among docs, still in document order
            m, boost = maps.pop(0)
            if len(m) <= 4 * len(docs):
                scores = {d: boost * v for d, v in m.items() if d in docs}
            else:
                scores = {d: boost * m[d] for d in sorted(d for d in docs if d in m)}
        else:
            scores = {}
        inserted = False
        for m, boost in maps:
            pairs = ((d, v) for d, v in m.items() if d in docs) if len(m) <= len(docs) else (
                (d, m[d]) for d in docs if d in m)
            for d, v in pairs:
                if d in scores:
                    scores[d] += boost * v
                else:
                    scores[d] = boost * v
                    inserted = True
        return dict(sorted(scores.items())) if inserted else scores


def _bulk_values(reader, count: int) -> list | None:
    """A RefBytes (short strings) or Numeric column's values in one read; None for other layouts."""
    if isinstance(reader, RefBytesColumn.Reader):
        refs = array(reader._typecode, reader._dbfile.get(reader._basepos, count * reader._itemsize))
        if reader._itemsize > 1 and _LITTLE:
            refs.byteswap()  # stored big-endian
        uniques = [u.decode("utf-8") for u in reader._uniques]
        return list(map(uniques.__getitem__, refs))
    if isinstance(reader, NumericColumn.Reader):
        numbers = array(reader._typecode, reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen))
        if reader._fixedlen > 1 and _LITTLE:
            numbers.byteswap()
        return numbers.tolist() + [reader._default] * (count - reader._count)
    return None


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
