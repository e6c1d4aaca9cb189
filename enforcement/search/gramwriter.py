"""A Whoosh segment writer that handles the bigram field's postings as arrays, block by block.

The stock writer turns every posting into a Python tuple, sorts them all, and
feeds them one by one through the codec: with ~300 bigram postings per
record that was most of the indexing time. Here a worker process counts a
record's bigrams (and title words) once (``count_grams``); the writer appends (docnum, freq) to
one pair of arrays per bigram and, at flush, writes each posting list in the
standard Whoosh 3 block format (ids delta-coded, weights, packed frequencies,
pickled and zlib-compressed, 128 postings a block). Readers, merges and stock
queries see an ordinary Whoosh index. Every other field goes the stock way.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections import Counter
from itertools import chain
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

COUNTED_FIELDS = ("bg", "title")  # fields whose values workers send counted: (terms, freqs)
_unpack_freq = struct.Struct("!I").unpack  # a Frequency posting's value
BLOCK = 128  # postings per block, as the Whoosh 3 codec writes them
SMALL_BLOCK = 64  # bytes of pickled block data below which zlib is skipped (readers honour the flag)
_LENGTHS = [byte_to_length(b) or 0 for b in range(256)]


def count_grams(tokens: list[str]) -> tuple[list[bytes], list[int]]:
    """A record's bigram terms (UTF-8) and their frequencies: what the writer needs, computed in a worker."""
    counts = Counter(tokens)
    return [t.encode("utf-8") for t in counts], list(counts.values())


class GramSegmentWriter(SegmentWriter):
    """SegmentWriter whose counted fields (``count_grams`` output) are written without the posting pool.

    The bigram field and the title's words arrive counted from the workers; any other field goes the
    stock way. Frequencies are stored as the Whoosh ``Frequency`` format does: weight = freq * field boost.
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self._counted: dict[str, dict[bytes, tuple[array, array]]] = {}

    def _add_counted(self, name: str, term: bytes, docnum: int, freq: int) -> None:
        terms = self._counted.setdefault(name, {})
        entry = terms.get(term)
        if entry is None:
            entry = terms[term] = (array("I"), array("I"))
        entry[0].append(docnum)
        entry[1].append(freq)

    def add_document(self, **fields):
        self._check_state()
        schema, perdoc, docnum = self.schema, self.perdocwriter, self.docnum
        add_post = self.pool.add
        names = sorted(n for n in fields if not n.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                custom = fields.get(f"_stored_{name}", value)
                length = 0
                if name in COUNTED_FIELDS and not isinstance(value, tuple):
                    value = count_grams([t.text for t in field.analyzer(value)])
                if isinstance(value, tuple):  # (terms, freqs) counted by a worker
                    terms_of = self._counted.setdefault(name, {})
                    for term, freq in zip(*value, strict=True):  # _add_counted inlined: the hot loop
                        entry = terms_of.get(term)
                        if entry is None:
                            entry = terms_of[term] = (array("I"), array("I"))
                        entry[0].append(docnum)
                        entry[1].append(freq)
                    length = sum(value[1])
                elif field.indexed:
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        add_post((name, tbytes, docnum, weight, vbytes))
                perdoc.add_field(name, field, custom if field.stored else None, length)
                if field.column_type and custom is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(custom))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader, startdoc, docmap):
        """Merging older segments: postings of counted fields join the arrays, the rest the pool."""
        add_post = self.pool.add
        counted = set(COUNTED_FIELDS)
        for item in self._process_posts(reader.iter_postings(), startdoc, docmap):
            if item[0] in counted:
                self._add_counted(item[0], item[1], item[2], _unpack_freq(item[4])[0])
            else:
                add_post(item)

    def _flush_segment(self):
        self.perdocwriter.close()
        perdoc = self.per_document_reader()
        try:
            lengths = _Lengths(perdoc)
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            for name in sorted(self._counted):
                self._write_counted(name, lengths.of(name))
        finally:
            self.fieldwriter.close()
            perdoc.close()

    def _write_counted(self, name: str, doclen: list[int]) -> None:
        fw = self.fieldwriter
        fw.start_field(name, self.schema[name])
        prefix = pack_ushort(fw._fieldid)
        postfile, tindex = fw._postfile, fw._tindex
        level = self.codec._compression
        boost = float(self.schema[name].format.field_boost)
        counted = self._counted.pop(name)
        for term in sorted(counted):
            ids, freqs = counted.pop(term)
            if any(map(int.__gt__, ids[:-1], ids[1:])):  # merged segments arrive in order; never trust it
                pairs = sorted(zip(ids, freqs, strict=True))
                ids, freqs = array("I", (p[0] for p in pairs)), array("I", (p[1] for p in pairs))
            info = W3TermInfo()
            info._weight, info._df = float(sum(freqs)) * boost, len(ids)
            info._minid, info._maxid, info._maxweight = ids[0], ids[-1], float(max(freqs)) * boost
            lens = [doclen[d] for d in ids]
            info._minlength, info._maxlength = min(lens), max(lens)
            start = postfile.tell()
            postfile.write(WHOOSH3_HEADER_MAGIC)
            n = len(ids)
            for s in range(0, n, BLOCK):
                _write_block(postfile, ids[s : s + BLOCK], freqs[s : s + BLOCK], lens[s : s + BLOCK],
                             boost, level, last=s + BLOCK >= n)
            info.set_extent(start, postfile.tell() - start)
            tindex.add(prefix + term, info.to_bytes())
        fw.finish_field()


class _Lengths:
    """Per-document field lengths read once per field (the stock flush asks the column for every posting)."""

    def __init__(self, perdoc):
        self._perdoc = perdoc
        self._fields: dict[str, list[int]] = {}

    def of(self, field: str) -> list[int]:
        found = self._fields.get(field)
        if found is None:
            column = self._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            count = self._perdoc.doc_count_all()
            found = [_LENGTHS[b] for b in column] if column is not None else [0] * count
            self._fields[field] = found
        return found

    def doc_field_length(self, docnum: int, field: str) -> int:
        return self.of(field)[docnum]


def _write_block(postfile, ids: array, freqs: array, lens: list[int], boost: float, level: int,
                 last: bool) -> None:
    """One block as ``W3PostingsWriter._write_block`` lays it out (tiny blocks left uncompressed, as it meant to)."""
    first = freqs[0]
    if freqs.count(first) == len(freqs):
        weights = None if first * boost == 1.0 else first * boost
    else:
        weights = tuple(f * boost for f in freqs)
    values = array("I", freqs)
    values.byteswap()  # Frequency values are big-endian uint32 (pack_uint)
    deltas = tuple(map(sub, ids, chain((0,), ids)))
    data = dumps((deltas, weights, values.tobytes()), 2)
    if len(data) < SMALL_BLOCK:
        level = 0  # compressing a few bytes costs a deflate set-up (~40 µs) and saves nothing
    else:
        data = zlib.compress(data, level)
    info = dumps((len(ids), ids[-1], max(freqs) * boost, level, length_to_byte(min(lens)),
                  length_to_byte(max(lens))), 2)
    size = len(info) + len(data)
    postfile.write_int(-size if last else size)
    postfile.write(info)
    postfile.write(data)
