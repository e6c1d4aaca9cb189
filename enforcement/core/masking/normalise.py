"""Spelling normalisation before detection: one character in, one character out.

Case files arrive copied from PDFs and Word, typed on phones or dictated, so the
same number is written ``１３９１２３４５６７８``, ``139 1234 5678`` or
``139－1234－5678``. Detection runs on a normalised copy of the text in which
every character has been replaced by its NFKC compatibility form (Unicode
Standard Annex #15) *when that form is a single character*: full-width digits,
letters and punctuation, the ideographic space, no-break spaces, circled
digits. Because the mapping is one-to-one, an offset in the normalised copy is
the same offset in the original text, so a replacement covers exactly the
original span (the offset map is the identity by construction). Characters
whose NFKC form is longer (``㈠`` → ``(一)``, ``㎡`` → ``m2``) are left as they
are; none of them can be part of a number, an e-mail or a plate.

Dashes and other separators that NFKC keeps (``—``, ``–``, ``‐``) are unified
to ``-`` as well, so the recognisers only ever see ASCII digit separators.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Separators people put inside a digit run, after normalisation.
_EXTRA = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\ufe58": "-", "\u30fc": "-", "\u00b7": "·", "\u2022": "·", "\u2027": "·", "\u30fb": "·", "\u2219": "·",
    "\u200b": " ", "\u2060": " ", "\ufeff": " ",
}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xA0, 0x10000):
        if 0xD800 <= code <= 0xDFFF or 0x4E00 <= code <= 0x9FFF:
            continue  # surrogates; CJK unified ideographs are already normal
        ch = chr(code)
        norm = unicodedata.normalize("NFKC", ch)
        if norm != ch and len(norm) == 1:
            table[code] = norm
    for ch, to in _EXTRA.items():
        table[ord(ch)] = to
    # NFKC maps some characters to ones we then unify (e.g. U+FF65 → U+30FB); resolve the chain.
    for code, to in list(table.items()):
        table[code] = _EXTRA.get(to, to)
    return table


_TABLE = _build_table()


# OCR and typing confuse O/o with 0 and l/I with 1 inside numbers: 11011O1985…, 1391O234567.
_OCR_RUN = re.compile(r"(?=[\dOoIl]*[OoIl])[\dOoIl]{7,}")  # a run with a letter in it
_OCR = str.maketrans("OoIl", "0011")
def _ocr_digits(m: re.Match) -> str:
    """A run of digits with O/o/I/l among them (at least five real digits) is a number mistyped or OCR'd."""
    run = m.group()
    return run.translate(_OCR) if sum(ch.isdigit() for ch in run) >= 5 else run


_SPOKEN_DIGITS = re.compile(r"[一二三四五六七八九零〇幺两]{7,}")  # a number read out: 一三九一二三四…
_SPOKEN = str.maketrans("一二三四五六七八九零〇幺两", "1234567890012")


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    """``text`` with every character replaced by its one-character NFKC form; same length.

    Cached: the same bases, results and context values are normalised again and again.
    A run of seven or more Chinese digit characters (a number dictated or read out, 一三九一二三四五六七八)
    becomes ASCII digits too; article numbers (第五十九条) never have seven.

    >>> normalise("电话：１３９－１２３４　５６７８")
    '电话:139-1234 5678'
    """
    if not text.isascii():
        text = text.translate(_TABLE)
    if _OCR_RUN.search(text):
        text = _OCR_RUN.sub(_ocr_digits, text)
    if not text.isascii() and _SPOKEN_DIGITS.search(text):
        text = _SPOKEN_DIGITS.sub(lambda m: m.group().translate(_SPOKEN), text)
    return text


_NON_DIGITS = re.compile(r"[^0-9Xx]")


def digits(text: str) -> str:
    """The digits (and an ID's check character X) of ``text`` in any spelling: ``１３９ 1234-5678`` → ``13912345678``."""
    return _NON_DIGITS.sub("", normalise(text)).upper()


def squash(text: str) -> str:
    """``text`` normalised with all white space removed, for comparing names and addresses in any spacing."""
    return "".join(normalise(text).split())

