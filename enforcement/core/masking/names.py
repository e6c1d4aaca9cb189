"""Recognising natural persons' names that are not the party's (政府信息公开条例 art. 15; 法释〔2016〕19号 art. 9).

Signals, strongest first:
- a role word (``enforcement/data/masking/roles.txt``: 证人, 举报人, 保洁员, 其妻…) followed by a name that
  starts with a known surname (``surnames.txt``) or is written with a middle dot (阿依古丽·买买提);
- a title after a name (陈丽女士, 张伟先生);
- jieba's part-of-speech tagger (tag ``nr``), asked only about the few characters after a role word or
  before a title, to decide a name's length where the characters alone cannot (王建国称 / 王建在场) and to
  refuse ordinary words that follow a role word in statutes (证人应当…, 举报人有权…).
Names already masked (张某, 某某) are left alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from enforcement.core.masking.findings import Finding


def _words(name: str, official: bool = False) -> list[str]:
    text = files("enforcement").joinpath("data", "masking", name).read_text(encoding="utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") and line.startswith("!") == official
            for w in line.lstrip("!").split()]


ROLE_WORDS = tuple(sorted(set(_words("roles.txt")), key=len, reverse=True))
OFFICIAL_WORDS = tuple(sorted(set(_words("roles.txt", official=True)), key=len, reverse=True))
_SURNAME_WORDS = _words("surnames.txt")
NOT_NAMES = tuple(sorted(set(_words("not_names.txt")), key=len, reverse=True))
COMPOUND_SURNAMES = frozenset(w for w in _SURNAME_WORDS if len(w) == 2)
SURNAMES = frozenset(w for w in _SURNAME_WORDS if len(w) == 1)

_CJK = re.compile(r"[\u4e00-\u9fa5]")
# Role words are found by three cheap passes rather than one alternation (four times faster): the listed
# words, officials' titles (what follows them is left alone), and any word ending like a role
# (送气工人 is listed; 值守员, 楼长, 租房户, 厨师 are found by their last character): real case files use
# roles no list holds.
_LISTED_ROLE = re.compile("|".join(map(re.escape, ROLE_WORDS)))
_OFFICIAL = re.compile("|".join(map(re.escape, OFFICIAL_WORDS)))
_ROLE_ENDING = re.compile(r"(?<=[\u4e00-\u9fa5])[员师长户哥婿姆者嫂侄妇](?=[\u4e00-\u9fa5])")
# Roles after which a colon introduces a list of people (在场人：A、B、C).
_LIST_ROLES = frozenset("证人 见证人 在场人 在场人员 陪同人 陪同人员 知情人 被询问人 参加人员 目击者 目击人".split())
_AFTER_ROLE = re.compile(r"(?:[:\s]|为|是|系)*")
_TITLES = ("先生", "女士", "同志", "小姐", "老先生", "老太太")
_TITLE = re.compile("|".join(_TITLES))
_DOT_NAME = re.compile(r"[\u4e00-\u9fa5]{2,6}·[\u4e00-\u9fa5]{2,6}(?:·[\u4e00-\u9fa5]{2,6})?")
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,3}|[A-Z]{2,}(?: [A-Z]{2,}){1,3}(?![A-Za-z])")
_LIST_ITEM = re.compile(r"[\u4e00-\u9fa5·]{2,8}")
# Characters that end a name: punctuation and the first characters of what follows a name in case files.
# Function words only: a character that can be part of a given name (明, 发, 先…) is left to the dictionary test.
_STOP = frozenset("在称说等于因未已对向将把和与及的了是也都还曾签表反介确提举投到去来从被为、，,。；;：:（）()“”\"' \n\t"
                  "均分系即并但却就便又再所拨打讲告诉承认指辨陪")
_NAME_FOLLOWERS = ("在场", "作证", "证实", "陈述", "签字", "签名", "表示", "反映", "确认", "提供", "举报", "投诉", "称",
                   "说", "介绍", "证明", "指认", "辨认", "看到", "发现", "报警", "报案", "女士", "先生", "同志", "小姐")


def _is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


@lru_cache(maxsize=1)
def _tagger():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg


def _dictionary_tag(word: str) -> str | None:
    return _tagger().dt.word_tag_tab.get(word)


@lru_cache(maxsize=4096)
def _tagged_name(window: str) -> str | None:
    """The name jieba's tagger reads at the start of ``window``, if it reads one there."""
    pairs = _tagger().lcut(window)
    if not pairs:
        return None
    word, flag = pairs[0].word, pairs[0].flag
    tag = _dictionary_tag(word)
    if flag == "nr" and 2 <= len(word) <= 4 and "某" not in word and (tag is None or tag.startswith("nr")):
        return word
    return None


def _ends_name(text: str, i: int) -> bool:
    return i >= len(text) or text[i] in _STOP or not _is_cjk(text[i]) or text.startswith(_NAME_FOLLOWERS, i)


def name_at(text: str, i: int, tagger: bool = True) -> tuple[int, float] | None:
    """The length and confidence of a person's name starting at ``text[i]``, or None.

    Looks at no more than eight characters. Masked names (含 某) and ordinary words are refused. Names
    that do not start with a known surname (阿依古丽买买提) are read by jieba's tagger only when ``tagger``.
    """
    if i >= len(text):
        return None
    if "·" in text[i:i + 8]:
        dot = _DOT_NAME.match(text, i)
        if dot and "某" not in dot.group():
            return _trim_dot_name(text, i, dot.end()) - i, 0.85
    if "A" <= text[i] <= "Z":
        latin = _LATIN_NAME.match(text, i)
        if latin:
            return latin.end() - i, 0.8  # Ivanova Olga, Chan Tai Man, ZHANG SAN
    if i >= len(text) or not _is_cjk(text[i]):
        return None
    surname = 2 if text[i:i + 2] in COMPOUND_SURNAMES else 1 if text[i] in SURNAMES else 0
    window = text[i:i + 8]
    if "某" in window[:surname + 2]:
        return None
    if not surname:
        if not tagger or text.startswith(NOT_NAMES, i) or _dictionary_tag(text[i:i + 2]) is not None:
            return None  # 当事人存在…: a word follows, not a name (and the tagger is not asked: it is slow)
        tagged = _tagged_name(window)
        return (len(tagged), 0.7) if tagged else None
    g = i + surname
    if g >= len(text) or not _is_cjk(text[g]) or text.startswith(_TITLES, g) or text.startswith(NOT_NAMES, i):
        return None  # 韦女士: a surname alone is not a full name
    follower = _dictionary_tag(text[g + 1:g + 3]) or ""
    if _ends_name(text, g + 1) or follower[:1] in ("v", "d", "p", "c"):
        length = surname + 1  # 王五称, 张伟出示, 韩立代为: a verb or adverb starts after two characters
    elif g + 1 < len(text) and _is_cjk(text[g + 1]) and (
            _ends_name(text, g + 2) or _dictionary_tag(text[g + 2:g + 4]) is not None):
        length = surname + 2  # 马国庆正在, 田素云发现: a word starts after three characters
    elif _dictionary_tag(text[g + 1:g + 3]) is not None:
        length = surname + 1  # 张伟出示
    else:
        tagged = _tagged_name(window)
        if not tagged:
            return None
        return len(tagged), 0.8
    tag = _dictionary_tag(text[i:i + length])
    if tag is not None and not tag.startswith("nr"):
        return None  # 应当, 马上: a word, not a name
    head = _dictionary_tag(text[i:i + 2]) if surname == 1 and length > 2 else None
    if head is not None and head[:1] in ("v", "d", "a", "c", "p", "r", "u"):
        return None  # 高空抛物, 应当如: starts with a verb or adverb (a place or a noun, 马国庆, may be a name)
    return length, 0.85


def _trim_dot_name(text: str, start: int, end: int) -> int:
    """Where a middle-dot name really ends: not in the verb after it (艾则孜称其在此 → 艾则孜). Transliterated
    parts use characters that are function words elsewhere (阿不都, 提), so only a follower word or a
    two-character verb ends it."""
    dot = text.rfind("·", start, end)
    for k in range(dot + 3, end):
        tag = _dictionary_tag(text[k:k + 2]) or ""
        if text.startswith(_NAME_FOLLOWERS, k) or text[k] in "称说在、，,。" or tag[:1] == "v":
            return k
    return end


def _enumeration(norm: str, i: int, role: str) -> list[Finding]:
    """在场人：其美卓玛、格桑、次仁旺堆 — after a listed role and a colon, every item of the list."""
    found = []
    while True:
        m = _LIST_ITEM.match(norm, i)
        if not m or "某" in m.group():
            break
        end = m.end()
        found.append(Finding("name", i, end, norm[i:end], 0.75, f"“{role}”后列举的人名"))
        if end < len(norm) and norm[end] in "、,，" and len(found) < 8:
            i = end + 1
            continue
        break
    return found


def scan_names(norm: str) -> list[Finding]:
    """Names after role words (with enumerations 张三、李四) and before titles, in the normalised text."""
    found: list[Finding] = []
    officials = [m.span() for m in _OFFICIAL.finditer(norm)]
    roles = {m.end(): "" for m in _ROLE_ENDING.finditer(norm)
             if norm[m.end()] in SURNAMES or norm[m.end():m.end() + 2] in COMPOUND_SURNAMES}
    roles.update({m.end(): m.group() for m in _LISTED_ROLE.finditer(norm)})
    for end in sorted(roles):
        if any(s < end <= e for s, e in officials):
            continue  # 执法人员王强: an official, public
        glued = _dictionary_tag(norm[end - 1:end + 1])
        if glued is not None and not glued.startswith("nr"):
            continue  # 装修工程, 手段: the role word is part of a longer word
        i = _AFTER_ROLE.match(norm, end).end()
        if roles[end] in _LIST_ROLES and ":" in norm[end:i] and name_at(norm, i) is None:
            found += _enumeration(norm, i, roles[end])
            continue
        for _ in range(6):  # 证人张三、李四和王五
            hit = name_at(norm, i, tagger=bool(roles[end]))
            if hit is None:
                break
            length, score = hit
            role = roles[end] or norm[max(0, end - 3):end]
            found.append(Finding("name", i, i + length, norm[i:i + length], score, f"“{role}”后的人名"))
            i += length
            if norm.startswith(("女士", "先生", "同志", "小姐"), i):
                i += 2
            if i < len(norm) and norm[i] in "、和与及,，" and i + 1 < len(norm):
                i += 1
                continue
            break
    for m in _TITLE.finditer(norm):
        for length in (3, 2, 4):
            start = m.start() - length
            if start < 0:
                continue
            hit = name_at(norm, start)
            if hit and hit[0] == length:
                found.append(Finding("name", start, m.start(), norm[start:m.start()], 0.8, f"“{m.group()}”前的人名"))
                break
    for m in (_DOT_NAME.finditer(norm) if "·" in norm else ()):
        if "某" in m.group():
            continue
        start = m.start()
        left = m.group().split("·")[0]
        if len(left) > 4:  # 见证人阿依古丽·买买提: the role word is not part of the name
            start += len(left) - 4
        end = _trim_dot_name(norm, start, m.end())
        found.append(Finding("name", start, end, norm[start:end], 0.75, "带间隔号的人名"))
    return found
