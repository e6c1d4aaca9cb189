"""Reading the search parameters of a request; the contract is the same for the page and the API."""

from __future__ import annotations

from typing import Any

from enforcement.core.pagination import MAX_PAGE_SIZE, choice_param, int_param
from enforcement.search.documents import CATEGORIES


def search_args(args) -> dict[str, Any]:
    """Keyword arguments for ``services.search``; raises BadParameter for a bad parameter.

    ``q`` is read as-is: any text (too long, operators, stray quotes) is a valid query; only control and
    invisible characters are removed (``textsafety.printable``: a NUL reaches no database, a zero-width
    space pasted inside 燃气 does not split it).
    """
    from enforcement.core.enums import DecisionKind
    from enforcement.core.textsafety import printable
    from enforcement.search.services import SORTS

    return {
        "q": printable(args.get("q", "") or ""),
        "category": choice_param(args, "category", list(CATEGORIES)),
        "kind": choice_param(args, "kind", list(DecisionKind.labels())),
        "agency": int_param(args, "agency"),
        "year": int_param(args, "year", lo=1949, hi=2200),
        "sort": choice_param(args, "sort", list(SORTS)) or "relevance",
        "page": int_param(args, "page", 1),
        "per_page": int_param(args, "per_page", 20, hi=MAX_PAGE_SIZE),
    }
