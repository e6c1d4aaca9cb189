"""What comes first: BM25F over the whole record, then the query's intent decides the order of categories.

* **Score**: BM25 over the ranking field ``bg``, whose frequencies are BM25F's
  weighted sums (title ×3, a decision's party ×3 and facts ×2, its result,
  basis and the rest ×1: ``whoosh_engine.weighted_grams``), for each query
  word's rarest bigram, plus the word in the title's jieba words and exact
  identifiers. Decisions get a mild prior (``DECISION_PRIOR``); a record whose
  text holds the query's words next to each other, in the order typed, gets
  ``PROXIMITY_BOOST`` (checked on the best ``PROXIMITY_CANDIDATES``, re-sorted).
* **Tiers by intent**: a citizen typing a violation, a party or a place wants
  decisions; powers, inspection items, procedures and articles are the same
  entry behind many of them and follow every decision (and are offered beside
  them: ``related``). A query naming a law or an article (``intent == "law"``)
  puts the best ``LAW_ARTICLES`` articles first, then the decisions citing
  them. Officers and agencies rank with decisions (their names are in no
  decision's indexed text).
* **Ties**: equal scores go newest first, then by document number, never by
  import order alone: a re-imported decision keeps its place by what it says.
"""

from __future__ import annotations

import numpy as np

from enforcement.search.analysis import bigrams
from enforcement.search.engine import ParsedQuery
from enforcement.search.postings import View, count

DECISION_PRIOR = 1.15
PROXIMITY_BOOST = 1.5
PROXIMITY_CANDIDATES = 200
LAW_ARTICLES = 5
RELATED = 8
RANKED_LIMIT = 1000
STANDING = ("power", "inspection_item", "procedure", "article")
# Scores are far below this: a tier is a band of TIER_GAP, the score orders within it.
TIER_GAP = 1e6


def rank_terms(view: View, query: ParsedQuery) -> list[tuple[str, str, float]]:
    """(field, term, boost) to rank by: each word in the title, its rarest bigram, identifiers.

    A term in more than half the documents ranks nothing but costs a full posting list: left out.
    """
    common = view.doc_count // 2
    terms: dict[tuple[str, str], float] = {}
    for c in query.clauses:
        if c.number_key:
            terms[("numbers", c.number_key)] = 1.0
        for word in [*c.words, *c.synonyms]:
            if 0 < view.doc_frequency("title", word) <= common:
                terms[("title", word)] = 1.0
            grams = set(bigrams(word))
            if grams:
                gram = min(grams, key=lambda g: (view.doc_frequency("bg", g), g))
                if 0 < view.doc_frequency("bg", gram) <= common:
                    terms[("bg", gram)] = 1.0
    return [(f, t, boost) for (f, t), boost in terms.items()]


def _category_mask(view: View, categories: tuple[str, ...]) -> np.ndarray:
    def compute() -> np.ndarray:
        values = view.values["category"]
        wanted = np.array([v in categories for v in values] or [False], dtype=bool)
        return view.live & wanted[view.codes["category"]]

    return view.cached(("cat", categories), compute)


def _scores(view: View, query: ParsedQuery) -> np.ndarray:
    """BM25F with the decision prior, for every document (0 for those holding no ranked term)."""
    terms = rank_terms(view, query)
    scores = view.bm25(terms) if terms else np.zeros(view.size, dtype=np.float64)
    if query.intent != "number":  # one multiplication by a cached array, not a masked assignment
        scores *= view.cached(("prior",), lambda: np.where(_category_mask(view, ("decision",)), DECISION_PRIOR, 1.0))
    return scores


def _by_proximity(view: View, query: ParsedQuery, ranked: list[int], keyed: np.ndarray, scores: np.ndarray,
                  need: int) -> list[int]:
    """The best candidates again, those holding the query's words side by side, as typed, boosted.

    Only the candidates (at least ``PROXIMITY_CANDIDATES``) are checked: a boost of 1.5× cannot lift a
    record from further down past them in practice, and checking every match's text would cost a scan.
    """
    texts = [c.text for c in query.clauses if not c.number_key]
    if len(texts) < 2 or not ranked:
        return ranked[:need]
    together = view.containing(view.mask(ranked), [["".join(texts).encode("utf-8")]])
    ids = np.array(ranked, dtype=np.int64)
    boosted = keyed[ids] + np.where(together[ids], scores[ids] * (PROXIMITY_BOOST - 1), 0.0)
    return ids[np.lexsort((view.date_rank[ids], -boosted))][:need].tolist()


def _tiers(view: View, query: ParsedQuery, docs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Per document, its band: 0 comes first."""
    standing = _category_mask(view, STANDING)
    if query.intent != "law":
        return view.cached(("tiers",), lambda: standing.astype(np.int8))
    tiers = np.where(standing, 2, 1).astype(np.int8)
    articles = view.top(docs & _category_mask(view, ("article",)), scores, LAW_ARTICLES)
    tiers[articles] = 0
    return tiers


def order(view: View, query: ParsedQuery, docs: np.ndarray, sort: str, need: int) -> tuple[list[int], np.ndarray]:
    """The first ``need`` documents of docs in the order shown, and the scores (for ``related``).

    sort "date": newest first, nothing else. Past ``RANKED_LIMIT`` the rest follow newest first.
    """
    if sort == "date" or query.empty or not docs.any():
        return view.newest(docs, need), np.zeros(view.size, dtype=np.float64)
    scores = _scores(view, query)
    tiers = _tiers(view, query, docs, scores)
    scored = docs & (scores > 0)
    offsets = (view.cached(("offsets",), lambda: (2 - tiers) * TIER_GAP) if query.intent != "law"
               else (2 - tiers) * TIER_GAP)
    keyed = scores + offsets
    n_scored = count(scored)
    ranked = view.top(scored, keyed, min(max(need, PROXIMITY_CANDIDATES), RANKED_LIMIT)) if n_scored else []
    ranked = _by_proximity(view, query, ranked, keyed, scores, min(need, RANKED_LIMIT))
    # Unscored matches (words in most documents score nothing): tier by tier, newest first, after the scored
    # ones of their tier; without the big tie a sort over every match would be.
    if n_scored == count(docs):
        return ranked, scores
    rest = docs & ~scored
    if len(ranked) >= need and not (rest & (tiers < tiers[ranked].max())).any():
        return ranked, scores
    out: list[int] = []
    position = 0
    for tier in range(3):
        in_tier = [d for d in ranked[position:] if tiers[d] == tier]
        out += in_tier
        position += len(in_tier)
        out += view.newest(rest & (tiers == tier), need - len(out))
        if len(out) >= need:
            break
    return out[:need], scores


def related(view: View, query: ParsedQuery, docs: np.ndarray, scores: np.ndarray, categories: dict[str, int],
            k: int = RELATED) -> list[int]:
    """The k best standing entries (powers, inspection items, procedures, articles) among docs.

    categories: the matches' category facet counts (no standing entry among them: nothing to look for).
    """
    if query.empty or query.intent == "number" or not any(categories.get(c) for c in STANDING):
        return []
    return view.top(docs & _category_mask(view, STANDING), scores, k)
