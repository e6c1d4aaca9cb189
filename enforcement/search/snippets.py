"""Highlighted snippets: HTML-escaped text around the first hit, every hit wrapped in <mark>."""

from __future__ import annotations

import re

from markupsafe import escape

from enforcement.search.engine import Clause

WINDOW = 120
_GAP = r"\s*"


def _pattern(clauses: list[Clause], number: str) -> re.Pattern | None:
    parts: list[str] = []
    for c in clauses:
        if c.number_key:
            if number:
                parts.append(re.escape(number))
        elif c.phrase:
            parts.append(_GAP.join(re.escape(ch) for ch in c.text))
        else:
            parts.extend(re.escape(t) for t in c.texts)
    parts = sorted(set(p for p in parts if p), key=len, reverse=True)
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def snippet(text: str, clauses: list[Clause], number: str = "", window: int = WINDOW) -> str:
    """About ``window`` characters of text around the first hit, safe to insert as HTML."""
    text = " ".join(text.split())
    pattern = _pattern(clauses, number)
    first = pattern.search(text) if pattern else None
    start = 0 if first is None else max(0, first.start() - window // 3)
    end = min(len(text), start + window)
    piece = text[start:end]
    out: list[str] = ["…" if start else ""]
    pos = 0
    for m in pattern.finditer(piece) if pattern else ():
        out.append(str(escape(piece[pos : m.start()])))
        out.append(f"<mark>{escape(m.group())}</mark>")
        pos = m.end()
    out.append(str(escape(piece[pos:])))
    out.append("…" if end < len(text) else "")
    return "".join(out)
