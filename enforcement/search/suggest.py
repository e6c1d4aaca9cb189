"""Spelling suggestions from the index's own vocabulary, precomputed so a miss costs what a hit costs.

The vocabulary is every Chinese word (2–8 characters) of the indexed titles
(jieba words) plus the domain dictionary, each with its document frequency.
Two look-up tables are built once per index generation:

* **one edit** (a character typed wrong, missing or extra: 垃极分类 → 垃圾分类):
  a symmetric-delete index (Garbe's SymSpell idea): every word and each of its
  one-character deletions point to the word; a query's own deletions are
  looked up the same way and candidates are confirmed with an edit distance
  of at most one. A look-up is a few dictionary reads, never a walk over the
  lexicon.
* **pinyin** (ranqi, ran qi, RanQi → 燃气): the toneless pinyin of every word
  (``pypinyin``, no hand-made table) pointing to the words that sound so.

Suggestions are ordered by document frequency, most common first.
"""

from __future__ import annotations

import re
from collections import defaultdict

from enforcement.search.analysis import normalise

MIN_LEN, MAX_LEN = 2, 8
_CJK_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_PINYIN_QUERY = re.compile(r"[a-z]+")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance of at most one (substitution, insertion or deletion of one character)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class Suggester:
    """Typo and pinyin look-ups over a fixed vocabulary {word: document frequency}."""

    def __init__(self, vocabulary: dict[str, int]):
        from pypinyin import Style, lazy_pinyin

        self.frequency = vocabulary
        self._deleted: dict[str, set[str]] = defaultdict(set)
        self._pinyin: dict[str, set[str]] = defaultdict(set)
        for word in vocabulary:
            self._deleted[word].add(word)
            for d in _deletes(word):
                self._deleted[d].add(word)
            self._pinyin["".join(lazy_pinyin(word, style=Style.NORMAL))].add(word)

    def _ranked(self, words: set[str], limit: int) -> list[str]:
        return sorted(words, key=lambda w: (-self.frequency[w], w))[:limit]

    def typo(self, text: str, limit: int = 3) -> list[str]:
        """Known words one edit away from text (text itself excluded); [] for text outside 2–8 CJK characters."""
        text = normalise(text)
        if not (MIN_LEN <= len(text) <= MAX_LEN + 1) or not _CJK_WORD.fullmatch(text):
            return []
        found: set[str] = set(self._deleted.get(text, ()))
        for d in _deletes(text):
            found |= self._deleted.get(d, set())
        found.discard(text)
        return self._ranked({w for w in found if _one_edit(w, text)}, limit)

    def pinyin(self, text: str, limit: int = 3) -> list[str]:
        """Known words whose toneless pinyin is text (letters only, spaces and case ignored)."""
        letters = "".join(_PINYIN_QUERY.findall(normalise(text)))
        if not letters or letters != normalise(text).replace(" ", ""):
            return []
        return self._ranked(self._pinyin.get(letters, set()), limit)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        return self.pinyin(text, limit) or self.typo(text, limit)


def vocabulary(view, extra: tuple[str, ...] = ()) -> dict[str, int]:
    """Chinese words of the index's titles with their document frequencies, plus extra words it contains."""
    words: dict[str, int] = {}
    for term in view.searcher.lexicon("title"):
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        if MIN_LEN <= len(word) <= MAX_LEN and _CJK_WORD.fullmatch(word):
            words[word] = view.doc_frequency("title", word)
    for word in extra:
        if word not in words and MIN_LEN <= len(word) <= MAX_LEN and _CJK_WORD.fullmatch(word):
            df = min((view.doc_frequency("bg", word[i:i + 2]) for i in range(len(word) - 1)), default=0)
            if df:
                words[word] = df
    return words
