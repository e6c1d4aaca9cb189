"""The Chinese analyzers the index is built with.

Whoosh pickles a reference to these classes into the index schema, so they
must live here, in an importable module, and hold no jieba state themselves.

Two analyses of the same text serve two purposes:

* ``WordTokenizer``: jieba's precise mode with the domain dictionary and
  *sequential* token positions (jieba's stock Whoosh analyzer stores character
  offsets as positions, which breaks phrase queries). Used for ranking.
* ``BigramTokenizer``: overlapping CJK character bigrams (a lone character
  stays a unigram) and whole Latin/digit runs. A word is contained in a text
  when all its bigrams are, so matching never depends on how jieba happened
  to cut the document: a citizen's "contains" expectation holds.

Either tokenizer also accepts text that a worker process already split
(``presplit``), so bulk indexing can segment on both cores.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

from whoosh.analysis import Token, Tokenizer

PRESPLIT = "\x00"  # marks a value that is already a token list
SEPARATOR = "\x1f"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(f"[{_CJK}]+|[0-9a-z]+")
_RUN_KINDS = re.compile(f"([{_CJK}]+)|([0-9a-z]+)")
_WORD_CHAR = re.compile(f"[{_CJK}0-9a-z]")

_jieba = None
_jieba_lock = threading.Lock()


_NO_MIDDLE_DOTS = str.maketrans("", "", "·•‧・･∙⋅")


def normalise(text: str) -> str:
    """Full-width to half-width, case folded, middle dots dropped: what both the index and queries see.

    Dropping ·•‧・ makes 买买提·艾力, 买买提•艾力 and 买买提艾力 one name (transliterated names are
    typed with any of these separators, or none).
    """
    return unicodedata.normalize("NFKC", text or "").lower().translate(_NO_MIDDLE_DOTS)


def jieba_tokenizer():
    """The process's one jieba instance (the dictionary load costs ~1.5 s and ~90 MB)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                from enforcement.search.dictionary import DOMAIN_WORDS, SYNONYMS

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for word in (*DOMAIN_WORDS, *SYNONYMS):
                    tok.add_word(word, freq=2_000_000)
                _jieba = tok
    return _jieba


def cut_words(text: str) -> list[str]:
    """jieba words of normalised text, punctuation and spaces dropped, in order."""
    text = normalise(text)
    if not text:
        return []
    return [w for w in jieba_tokenizer().cut(text, HMM=False) if _WORD_CHAR.search(w)]


def bigrams(text: str) -> list[str]:
    """CJK bigrams (a lone character as itself) and Latin/digit runs, in order, repeats kept."""
    out: list[str] = []
    for cjk, other in _RUN_KINDS.findall(normalise(text)):
        if len(cjk) > 1:
            out.extend(map(str.__add__, cjk, cjk[1:]))
        else:
            out.append(cjk or other)
    return out


def presplit(tokens: list[str]) -> str:
    return PRESPLIT + SEPARATOR.join(tokens)


class _ListTokenizer(Tokenizer):
    """Yields one token per word with sequential positions."""

    def split(self, text: str) -> list[str]:
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        if value.startswith(PRESPLIT):
            words = value[1:].split(SEPARATOR) if len(value) > 1 else []
        else:
            words = self.split(value)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word in enumerate(words, start_pos):
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = pos
            if chars:  # offsets are not kept: snippets are built from the stored text
                t.startchar, t.endchar = start_char, start_char
            yield t


class WordTokenizer(_ListTokenizer):
    def split(self, text: str) -> list[str]:
        return cut_words(text)


class BigramTokenizer(_ListTokenizer):
    def split(self, text: str) -> list[str]:
        return bigrams(text)


_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """Normalised text without whitespace: how a phrase is matched ("责令 改正" → "责令改正", not "改正，责令")."""
    return _SPACES.sub("", normalise(text))
