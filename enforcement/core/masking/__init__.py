"""Finding and hiding personal information in public text (政府信息公开条例 art. 15; 个人信息保护法 arts. 28, 51).

One engine, used by the public projection, the officer's publish check, the supervisor's masking audit,
staff lists and imports alike, shaped like Microsoft Presidio: recognisers (pattern + validator + context
words) report scored findings on a normalised copy of the text, and the anonymiser replaces the original
spans. The steps of :func:`scan`:

1. normalise the spelling (``normalise``: full-width digits and letters, separators), offsets unchanged;
2. run the recognisers (``numbers``, ``patterns``, ``names``), each finding with a score and a reason;
3. add the record's own known values (the party's name, ID, phone, address, account, other people's
   names) wherever they occur, in any spelling;
4. drop whatever lies inside a value known to be public (an officer's name and 执法证号, an agency's phone
   and address, the party's credit code, values the officer confirmed);
5. merge overlaps, keep findings scoring at least ``SUSPECT``.

At or above ``HIGH`` a finding is masked without asking; between ``SUSPECT`` and ``HIGH`` it is masked
too, and the officer must decide it (mask or confirm public) before publishing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from enforcement.core.masking.findings import HIGH, KIND_LABELS, SUSPECT, Finding, without_overlaps
from enforcement.core.masking.names import COMPOUND_SURNAMES, scan_names
from enforcement.core.masking.normalise import digits, normalise, squash
from enforcement.core.masking.numbers import scan_numbers, valid_credit_code, valid_id_number
from enforcement.core.masking.patterns import scan_patterns

__all__ = [
    "HIGH", "KIND_LABELS", "SUSPECT", "Context", "Finding", "context", "digits", "luhn_ok", "mask_person_name",
    "mask_text", "normalise", "replacement", "scan", "valid_credit_code", "valid_id_number",
]

_NUMBER_KINDS = ("id_number", "phone", "bank_account", "id_document")
_KNOWN = "记录中的当事人或相关人员信息"


@dataclass(frozen=True)
class Context:
    """What the engine knows about one record, all as tuples so a compiled context can be cached.

    ``party_names``: natural persons who are the party (they keep their surname: 张某);
    ``names``: other people named in the record (witnesses…), hidden entirely;
    ``numbers``: the party's own (kind, value) pairs — ID, phone, account — hidden in any spelling;
    ``addresses``: private addresses, hidden in any spacing;
    ``keep``: values known to be public (credit code, officers' names and 执法证号, an agency's phone and
    address, values the officer confirmed public).
    """

    party_names: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    numbers: tuple[tuple[str, str], ...] = ()
    addresses: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()


def context(*, party_names: Iterable[str] = (), names: Iterable[str] = (), numbers: Iterable[tuple[str, str]] = (),
            addresses: Iterable[str] = (), keep: Iterable[str] = ()) -> Context:
    """A :class:`Context` from any iterables; blanks and duplicates dropped, order kept."""

    def clean(values: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))

    return Context(clean(party_names), clean(names),
                   tuple(dict.fromkeys((k, v.strip()) for k, v in numbers if v and v.strip())),
                   clean(addresses), clean(keep))


EMPTY = Context()


_SPACE = re.compile(r"\s")
_DIGIT_RUN = re.compile(r"[0-9Xx](?:[\s\-()]{0,3}[0-9Xx]){4,}")  # five digits or more


_NON_DIGITS = re.compile(r"[^0-9Xx]")
_NUMBER_PUNCT = str.maketrans("", "", "-()+")  # a value that is digits apart from these is compared by digits


class _Squashed:
    """A text without its white space, and where each remaining character stands in the text: a value is
    found in any spacing (田　霞, 宏福苑 7号楼) by a plain search, with no pattern compiled per value."""

    __slots__ = ("text", "where")

    def __init__(self, norm: str) -> None:
        self.where = [i for i, ch in enumerate(norm) if not ch.isspace()]
        self.text = "".join(norm[i] for i in self.where)

    def spans(self, value: str) -> list[tuple[int, int]]:
        """Spans of ``norm`` holding ``value`` with at most three white-space characters between two of
        its characters (what the pattern ``v\\s{0,3}a\\s{0,3}l…`` would match, left to right)."""
        spans, where, n = [], self.where, len(value)
        k = self.text.find(value)
        while k >= 0:
            if all(where[j + 1] - where[j] <= 4 for j in range(k, k + n - 1)):
                spans.append((where[k], where[k + n - 1] + 1))
                k = self.text.find(value, k + n)
            else:
                k = self.text.find(value, k + 1)
        return spans


def _text_spans(norm: str, value: str, squashed: _Squashed | None) -> list[tuple[int, int]]:
    """Where ``value`` (normalised, no spaces) occurs in ``norm``; in any spacing when ``squashed`` is given
    (``norm`` has white space at all)."""
    if squashed is not None:
        return squashed.spans(value)
    spans, i = [], norm.find(value)
    while i >= 0:
        spans.append((i, i + len(value)))
        i = norm.find(value, i + len(value))
    return spans


def _digit_spans(norm: str, wanted: frozenset[str]) -> list[tuple[str, int, int]]:
    """Every digit run of ``norm`` containing one of the ``wanted`` digit strings: (digits, start, end)."""
    spans = []
    for m in _DIGIT_RUN.finditer(norm):
        run = m.group()
        run_digits = _NON_DIGITS.sub("", run).upper()
        hits = [(want, k) for want in wanted if (k := run_digits.find(want)) >= 0]
        if not hits:
            continue
        positions = [i for i, ch in enumerate(run) if ch.isdigit() or ch in "Xx"]
        spans += [(want, m.start() + positions[k], m.start() + positions[k + len(want) - 1] + 1) for want, k in hits]
    return spans


@dataclass(frozen=True)
class _Compiled:
    texts: tuple[tuple[str, str], ...]  # (kind, normalised value without spaces)
    numbers: dict  # digits -> kind
    keep_texts: tuple[str, ...]
    keep_numbers: frozenset[str]


@lru_cache(maxsize=65536)
def _known_value(value: str) -> tuple[str, str]:
    """(digits, "") for a value that is a number, ("", text without spaces) for a text of two characters
    or more, ("", "") for neither; cached, since agencies' and officers' values recur on every record."""
    n = normalise(value)
    d, plain = _NON_DIGITS.sub("", n).upper(), "".join(n.split())
    if len(d) >= 5 and len(d) >= len(plain.translate(_NUMBER_PUNCT)) - 1:
        return d, ""
    return "", plain if len(plain) >= 2 else ""


@lru_cache(maxsize=2048)
def _compile(ctx: Context) -> _Compiled:
    texts, numbers, keep_texts, keep_numbers = [], {}, [], set()
    for kind, values in (("name", ctx.party_names + ctx.names), ("address", ctx.addresses), ("keep", ctx.keep)):
        for v in values:
            d, plain = _known_value(v)
            if d:
                (keep_numbers.add(d) if kind == "keep" else numbers.__setitem__(d, kind))
            elif plain:
                (keep_texts.append(plain) if kind == "keep" else texts.append((kind, plain)))
    for kind, v in ctx.numbers:
        d = digits(v)
        if len(d) >= 5:
            numbers[d] = kind
    return _Compiled(tuple(texts), numbers, tuple(keep_texts), frozenset(keep_numbers))


@lru_cache(maxsize=16384)
def _recognise(norm: str) -> tuple[Finding, ...]:
    """What the recognisers find in a normalised text, whoever it belongs to: cached, since bases, results
    and titles repeat across thousands of decisions (the record's own values are added per call)."""
    return (*scan_numbers(norm), *scan_patterns(norm), *scan_names(norm))


def scan(text: str, ctx: Context | None = None, *, names: Iterable[str] = (), addresses: Iterable[str] = (),
         keep: Iterable[str] = (), party_names: Iterable[str] = (), min_score: float = SUSPECT) -> list[Finding]:
    """Every suspected private value in ``text``, left to right, overlaps merged.

    ``ctx`` describes the record (see :class:`Context`); the keyword arguments build one when it is not
    given. Findings scoring below ``min_score`` are dropped. Offsets are into ``text`` itself.
    """
    if not text:
        return []
    if ctx is None:
        ctx = context(party_names=party_names, names=names, addresses=addresses, keep=keep)
    compiled = _compile(ctx)
    norm = normalise(text)
    found = list(_recognise(norm))
    spaced = _Squashed(norm) if _SPACE.search(norm) is not None and (compiled.texts or compiled.keep_texts) else None
    known = [Finding(kind, s, e, norm[s:e], 1.0, _KNOWN) for kind, value in compiled.texts
             for s, e in _text_spans(norm, value, spaced)]
    if compiled.numbers:
        known.extend(Finding(compiled.numbers[want], s, e, norm[s:e], 1.0, _KNOWN)
                     for want, s, e in _digit_spans(norm, frozenset(compiled.numbers)))
    # A value known to be private wins over a public one that happens to be spelt the same (a witness
    # who shares an officer's name): privacy first.
    known_spans = [(f.start, f.end) for f in known]
    found = [f for f in found if not any(s <= f.start and f.end <= e for s, e in known_spans)] + known
    if not found:
        return []  # most texts of most records (bases, results): nothing to look up among public values
    public: list[tuple[int, int]] = []
    if any(f.reason != _KNOWN for f in found):  # public values only ever excuse a recogniser's finding
        public = [span for value in compiled.keep_texts for span in _text_spans(norm, value, spaced)]
        if compiled.keep_numbers:
            public += [(s, e) for _want, s, e in _digit_spans(norm, compiled.keep_numbers)]
    result = []
    for f in without_overlaps([f for f in found if f.score >= min_score]):
        if f.reason != _KNOWN and (any(s <= f.start and f.end <= e for s, e in public) or (
                f.kind in _NUMBER_KINDS and digits(f.value) in compiled.keep_numbers)):
            continue
        result.append(Finding(f.kind, f.start, f.end, text[f.start:f.end], f.score, f.reason))
    return result


def mask_person_name(name: str) -> str:
    """Keep the surname, replace the given name with 某 (张三 → 张某, 欧阳明 → 欧阳某).

    DOMAIN.md "Masking"; court practice 法释〔2016〕19号 art. 9. Middle-dot names keep their first part's
    first character (阿依古丽·买买提 → 阿某).
    """
    name = "".join((name or "").split())
    if not name:
        return ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "某"


def replacement(finding: Finding, party_names: Iterable[str] = ()) -> str:
    """What the public sees instead of ``finding``: 张某 for the party, 某某 for others, ``[…已隐去]`` else."""
    if finding.kind == "name":
        parties = {squash(n) for n in party_names}
        return mask_person_name(finding.value) if squash(finding.value) in parties else "某某"
    return f"[{finding.label}已隐去]"


def mask_text(text: str, ctx: Context | None = None, *, names: Iterable[str] = (), party_names: Iterable[str] = (),
              addresses: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    """``text`` with every finding from :func:`scan` replaced (see :func:`replacement`)."""
    if not text:
        return text or ""
    if ctx is None:
        ctx = context(party_names=party_names, names=names, addresses=addresses, keep=keep)
    findings = scan(text, ctx)
    if not findings:
        return text
    out, pos = [], 0
    for f in findings:
        out.append(text[pos:f.start])
        out.append(replacement(f, ctx.party_names))
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def luhn_ok(number: str) -> bool:
    """Whether a card number passes the Luhn check (ISO/IEC 7812-1), via ``stdnum.luhn``."""
    from stdnum.luhn import is_valid

    return bool(number) and number.isdigit() and is_valid(number)
