"""A citizen's query, read as plain text: never a syntax error.

* Text in double quotes (ASCII or Chinese quotes) is a phrase: its words must
  occur together and in that order.
* Any other whitespace-separated part is cut by jieba into words; each word
  must occur in the result (so 垃圾分类罚款 means 垃圾分类 and 罚款). A
  one-character word is glued to its neighbour, because a lone character
  means little and the query text is contiguous anyway.
* A part that is a document number, credential number or credit code in any
  spelling (〔2021〕/[2021]/(2021), full-width digits) is matched exactly by its
  ``loose_number_key`` (第 and the serial's leading zeros optional too), when
  the index knows that key: the query's intent is then "number".
* A query naming a law (《…》, a word ending in 法/条例/办法/规定/细则) or an
  article (第五十九条, also typed 第59条) has the intent "law": the engine puts
  the articles first and the decisions citing them next.
* A word citizens use for what the texts call otherwise (燃气报警器 for
  燃气泄漏报警装置) also matches its ``SYNONYMS``.
* Operators (AND, OR, *, ?) have no special meaning; a query longer than
  ``MAX_QUERY_CHARS`` is cut there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from enforcement.core.numbers import int_to_chinese, loose_number_key
from enforcement.search.analysis import bigrams, cut_words, normalise, squash
from enforcement.search.dictionary import SYNONYMS
from enforcement.search.engine import Clause, ParsedQuery

MAX_QUERY_CHARS = 200
# Words that carry no subject in a relaxed query (没有燃气经营许可 → 燃气经营, 许可).
STOPWORDS = frozenset("没有 没 不 未 的 了 给 对 在 和 与 及 或 是 有 被 把 将 就 都 也 还 要 会 能 可以 什么 怎么 哪里 如何 吗 呢 啊".split())
MAX_CLAUSES = 12
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"'})
_PHRASE = re.compile(r'"([^"]*)"')
_NUMBER_LIKE = re.compile(r"\d")
_ARTICLE = re.compile(r"第([0-9一二三四五六七八九十百千零〇两]+)条")
_ARABIC_ARTICLE = re.compile(r"第(\d{1,4})条")
_LAW_NAME = re.compile(r"《[^》]+》|[\u4e00-\u9fff]{2,}(?:法|条例|办法|规定|细则)(?![\u4e00-\u9fff])")


def law_intent(text: str) -> bool:
    """Whether the query names a law or an article: 《…》, 第…条, or a word ending in 法/条例/办法/规定/细则."""
    text = normalise(text)
    return bool(_ARTICLE.search(text) or _LAW_NAME.search(text))


def _chinese_articles(text: str) -> str:
    """第59条 → 第五十九条: statutes and decisions write article numbers in Chinese numerals."""
    return _ARABIC_ARTICLE.sub(lambda m: f"第{int_to_chinese(int(m.group(1)))}条", text)


def _glue(words: list[str]) -> list[str]:
    """Attach one-character words to the next word (or the previous one at the end)."""
    out: list[str] = []
    pending = ""
    for word in words:
        if len(word) == 1 and not word.isascii():
            pending += word
            continue
        out.append(pending + word)
        pending = ""
    if pending:
        if out:
            out[-1] += pending
        else:
            out.append(pending)
    return out


def parse(text: str, is_number: Callable[[str], bool] = lambda _k: False) -> ParsedQuery:
    """Turn any string into clauses; is_number(key) says whether the index knows an identifier."""
    text = (text or "").translate(_QUOTES)
    truncated = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    clauses: list[Clause] = []
    seen: set[tuple[str, bool]] = set()

    def add(clause: Clause) -> None:
        key = (clause.text, clause.phrase)
        if clause.text and key not in seen and len(clauses) < MAX_CLAUSES:
            seen.add(key)
            clauses.append(clause)

    whole = loose_number_key(text.replace('"', ""))
    if _NUMBER_LIKE.search(whole) and is_number(whole):  # a number typed with spaces inside
        return ParsedQuery(clauses=[Clause(text=normalise(whole), words=[], number_key=whole)], truncated=truncated,
                           intent="number")
    # An article reference is its own word: 行政处罚法第四十四条 is 行政处罚法 and 第四十四条 (the record
    # writes 《中华人民共和国行政处罚法》第四十四条).
    text = _ARTICLE.sub(lambda m: f" {m.group(0)} ", _chinese_articles(normalise(text))).replace("《", " ").replace(
        "》", " ")
    for phrase in _PHRASE.findall(text):
        words = cut_words(phrase)
        if len(words) > 1:
            add(Clause(text=squash(phrase), words=words, phrase=True))
        elif words:
            add(Clause(text=words[0], words=words))
    rest = _PHRASE.sub(" ", text).replace('"', " ")
    for part in rest.split():
        if _NUMBER_LIKE.search(part) and bigrams(part):
            key = loose_number_key(part)
            if is_number(key):
                add(Clause(text=normalise(part), words=[], number_key=key))
                continue
        for word in _glue(cut_words(part)):
            add(Clause(text=word, words=cut_words(word) if len(word) > 1 else [word],
                       synonyms=list(SYNONYMS.get(word, ()))))
    numbers = bool(clauses) and all(c.number_key for c in clauses)
    intent = "number" if numbers else "law" if law_intent(text) else ""
    return ParsedQuery(clauses=clauses, truncated=truncated, intent=intent)


def split(query: ParsedQuery) -> ParsedQuery | None:
    """The first fallback when nothing contains a word as typed: each of its jieba words, all still required.

    倾倒残液 finds 倾倒瓶内残液, 摔砸气瓶 finds 摔、砸、滚动、倒置气瓶. None when no word falls apart.
    """
    clauses: list[Clause] = []
    seen: set[str] = set()
    for c in query.clauses:
        parts = [c] if c.phrase or c.number_key or len(c.words) < 2 else [
            Clause(text=w, words=[w], synonyms=list(SYNONYMS.get(w, ()))) for w in c.words]
        for part in parts:
            if part.text not in seen:
                seen.add(part.text)
                clauses.append(part)
    if len(clauses) <= len(query.clauses):
        return None
    return ParsedQuery(clauses=clauses[:MAX_CLAUSES], truncated=query.truncated, intent=query.intent)


def relaxed(query: ParsedQuery) -> ParsedQuery | None:
    """The fallback when nothing contains every clause: each content word alone, most of them required.

    Phrases and numbers stay whole; glued or long words fall apart into their jieba words; function
    words (没有, 的 …) are dropped. None when fewer than two words remain.
    """
    clauses: list[Clause] = []
    seen: set[str] = set()
    for c in query.clauses:
        parts = [c] if c.phrase or c.number_key else [
            Clause(text=w, words=[w], synonyms=list(SYNONYMS.get(w, ())))
            for w in (c.words if len(c.words) > 1 else [c.text]) if len(w) > 1 and w not in STOPWORDS]
        for part in parts:
            if part.text not in seen:
                seen.add(part.text)
                clauses.append(part)
    if len(clauses) < 2:
        return None
    return ParsedQuery(clauses=clauses[:MAX_CLAUSES], truncated=query.truncated, min_match=-(-len(clauses) // 2),
                       intent=query.intent)
