"""Masking personal information (政府信息公开条例 art. 15; 个人信息保护法 art. 28).

The scanner finds suspected private values in free text; ``mask_text`` replaces
them. It is used in one place per record kind, when the public projection is
built (see ``enforcement.disclosure.projection``), and by the publish check and
the supervisor's audit, so what is hidden and what is flagged never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 西门 南宫 独孤 "
    "百里 呼延 万俟 申屠 澹台 太叔 闻人 赫连 钟离 淳于 单于 第五 公冶 濮阳 东郭".split()
)

KIND_LABELS = {
    "id_number": "身份证号码",
    "phone": "电话号码",
    "bank_account": "银行账号",
    "address": "住址",
    "name": "他人姓名",
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_LABELLED_ID_RE = re.compile(r"(?:身份证号码?|公民身份号码|身份证件号码?|证件号码?)[:：为是\s]*(\d{15}(?:\d{2}[\dXx])?)")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
_LANDLINE_RE = re.compile(r"(?<![\d-])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[\s-]?)\d{7,8}(?:-\d{1,5})?(?!\d)")
_LABELLED_PHONE_RE = re.compile(r"(?:电话|手机|联系方式|联系电话|电话号码|手机号码?)[:：为是\s]*(\d[\d\s-]{6,14}\d)")
_CARD_RE = re.compile(r"(?<!\d)\d{4}(?:[\s-]?\d{4}){2}[\s-]?\d{4,7}(?!\d)")
_LABELLED_ACCOUNT_RE = re.compile(r"(?:账号|帐号|卡号|银行账户|银行卡|开户账号|收款账户)[:：为是\s]*(\d[\d\s-]{8,30}\d)")
_ADDRESS_LABEL_RE = re.compile(
    r"(?:家庭住址|家住|住址|住所地|住所|现住|居住地|居住于|户籍地|户籍所在地)[:：为是在于\s]*"
    r"([^，,。；;、\s（）()]{4,60})"
)
_ROOM_RE = re.compile(
    r"[\u4e00-\u9fa5A-Za-z0-9]{2,30}?(?:\d+号楼|\d+栋|\d+幢)(?:\d+单元)?(?:\d+层)?\d+(?:号|室|户)"
)
_NAME_ROLE_RE = re.compile(
    r"(?:证人|见证人|举报人|投诉人|其妻|其夫|其子|其女|其父|其母|妻子|丈夫|儿子|女儿|家属|亲属|邻居|"
    r"委托代理人|代理人|担保人|在场人|房东|租户|承租人)[:：\s]*([\u4e00-\u9fa5]{2,3}?)(?=[，,。；;、（(\s]|$|等|在场|作证|称|证实|陈述|签字)"
)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    value: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def valid_id_number(value: str) -> bool:
    """18-digit resident ID with a correct ISO 7064 check character."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mask_person_name(name: str) -> str:
    """Keep the surname, replace the given name with 某 (欧阳明 → 欧阳某)."""
    name = (name or "").strip()
    if not name:
        return ""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "某"


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def scan(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = (), keep: Iterable[str] = ()) -> list[Finding]:
    """Every suspected private value in ``text``, left to right, without overlaps.

    ``names`` are people's full names known from the record (the party, witnesses);
    ``addresses`` are known private addresses; ``keep`` are values confirmed public
    (a credit code, a business phone the officer confirmed).
    """
    if not text:
        return []
    keep_set = {k.strip() for k in keep if k and k.strip()}
    keep_digits = {_digits(k) for k in keep_set if _digits(k)}
    found: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        value = text[start:end]
        if value.strip() in keep_set or (_digits(value) and _digits(value) in keep_digits and kind != "name"):
            return
        found.append(Finding(kind, start, end, value))

    for m in _ID_RE.finditer(text):
        if valid_id_number(m.group()):
            add("id_number", m.start(), m.end())
    for m in _LABELLED_ID_RE.finditer(text):
        add("id_number", m.start(1), m.end(1))
    for rx in (_MOBILE_RE, _LANDLINE_RE):
        for m in rx.finditer(text):
            add("phone", m.start(), m.end())
    for m in _LABELLED_PHONE_RE.finditer(text):
        add("phone", m.start(1), m.end(1))
    for m in _CARD_RE.finditer(text):
        if luhn_ok(_digits(m.group())):
            add("bank_account", m.start(), m.end())
    for m in _LABELLED_ACCOUNT_RE.finditer(text):
        add("bank_account", m.start(1), m.end(1))
    for m in _ADDRESS_LABEL_RE.finditer(text):
        add("address", m.start(1), m.end(1))
    for m in _ROOM_RE.finditer(text):
        add("address", m.start(), m.end())
    for address in addresses:
        address = (address or "").strip()
        if len(address) >= 4:
            for m in re.finditer(re.escape(address), text):
                add("address", m.start(), m.end())
    for m in _NAME_ROLE_RE.finditer(text):
        add("name", m.start(1), m.end(1))
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2:
            for m in re.finditer(re.escape(name), text):
                add("name", m.start(), m.end())
    return _without_overlaps(found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """Keep the longest finding where several overlap (an ID beats a phone inside it)."""
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    result: list[Finding] = []
    for f in found:
        if result and f.start < result[-1].end:
            if f.end > result[-1].end and f.end - f.start > result[-1].end - result[-1].start:
                result[-1] = f
            continue
        result.append(f)
    return result


def replacement(finding: Finding, party_names: Iterable[str] = ()) -> str:
    if finding.kind == "name":
        return mask_person_name(finding.value) if finding.value in set(party_names) else "某某"
    return f"[{finding.label}已隐去]"


def mask_text(
    text: str,
    *,
    names: Iterable[str] = (),
    party_names: Iterable[str] = (),
    addresses: Iterable[str] = (),
    keep: Iterable[str] = (),
) -> str:
    """``text`` with every finding replaced; the party keeps its surname (张某)."""
    if not text:
        return text or ""
    party_names = [n for n in party_names if n]
    findings = scan(text, names=[*party_names, *names], addresses=addresses, keep=keep)
    out, pos = [], 0
    for f in findings:
        out.append(text[pos : f.start])
        out.append(replacement(f, party_names))
        pos = f.end
    out.append(text[pos:])
    return "".join(out)
