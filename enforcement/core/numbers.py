"""Normalising document numbers, credential numbers, credit codes, names and Chinese numerals.

Citizens type 〔2021〕, [2021], (2021) or （２０２１） for the same 文号, drop the
第 or the leading zeros of its serial (第16号 for 第0016号), and type a 执法证号
in full-width digits; all spellings reduce to one key, stored next to the
number and used for uniqueness, look-ups and the search index.
"""

from __future__ import annotations

import re
import unicodedata

from enforcement.core.textsafety import printable

_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")", "［": "(", "］": ")",
                           "﹝": "(", "﹞": ")", "（": "(", "）": ")", "{": "(", "}": ")", "<": "(", ">": ")",
                           "〈": "(", "〉": ")", "《": "(", "》": ")"})
_SPACE = re.compile(r"\s+")


_SERIAL = re.compile(r"第?0*(\d+)号")
MIDDLE_DOTS = "·•‧・･∙⋅"
_NO_DOTS = str.maketrans("", "", MIDDLE_DOTS)


def number_key(value: str) -> str:
    """The key of a 文号 (or any identifier typed by a person).

    Width folded (NFKC), every bracket style as (), no spaces, upper case, and the serial before 号
    without 第 or leading zeros: 京兴西罚字〔2025〕第0016号, 京兴西罚字[２０２５]16号 and
    京兴西罚字（2025）第16号 all give 京兴西罚字(2025)16号. Identifiers without 号 (执法证号, 统一社会信用代码)
    keep their digits, leading zeros included.
    """
    text = unicodedata.normalize("NFKC", value or "").translate(_BRACKETS)
    text = _SPACE.sub("", text).upper()
    return _SERIAL.sub(r"\1号", text)


def credential_key(value: str) -> str:
    """The key of a 执法证号: width folded, no spaces nor invisible characters (a zero-width space pasted
    from a web page), upper case (１１０１１５０２０１９０ is 110115020190)."""
    return _SPACE.sub("", printable(unicodedata.normalize("NFKC", value or ""))).upper()


def credit_code_key(value: str) -> str:
    """A 统一社会信用代码 (GB 32100-2015) as stored: 18 upper-case ASCII characters, however it was typed."""
    return credential_key(value)


def without_middle_dots(name: str) -> str:
    """买买提·艾力 → 买买提艾力: the separator of transliterated names is typed as ·, •, ‧, ・ or not at all."""
    return (name or "").translate(_NO_DOTS)


def same_name(a: str, b: str) -> bool:
    """Two spellings of one person's name: width, spaces (田　霞) and middle dots do not matter."""
    def key(s: str) -> str:
        return _SPACE.sub("", without_middle_dots(unicodedata.normalize("NFKC", s or "")))
    return key(a) == key(b)


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(text: str) -> int:
    """二十七 → 27, 一百零三 → 103, 十 → 10. Arabic digits pass through."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            raise ValueError(text)
    return total + current


def int_to_chinese(n: int) -> str:
    """27 → 二十七, 103 → 一百零三, 10 → 十 (articles are numbered below 10,000)."""
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero:
                parts.append("零")
                zero = False
            parts.append(digits[d] + name)
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def article_label(n: int) -> str:
    return f"第{int_to_chinese(n)}条"


_SERIAL = re.compile(r"第?0*(\d+)号")


def loose_number_key(value: str) -> str:
    """``number_key`` that also forgives what citizens drop: 第, the serial's zeros and the year's brackets.

    京兴西罚字〔2025〕第0016号, 京兴西罚字[２０２５]16号 and 京兴西罚字 2025 第16号 all give
    京兴西罚字202516号. Only a run of digits directly before 号 is touched, so 执法证号 and
    统一社会信用代码 keep their leading zeros. The search index stores and looks up identifiers by this key.
    """
    return _SERIAL.sub(r"\1号", number_key(value)).replace("(", "").replace(")", "")
