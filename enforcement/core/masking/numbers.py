"""Recognisers for numbers written with digits: resident IDs, residence permits, phones, bank accounts.

Each digit run (digits with single spaces, dashes or a bracketed area code between them) is classified
by its structure, a validator where the format has one, and the words just before it:

- resident ID (GB 11643-1999): 18 characters, region code + birth date + sequence + check character, or
  the 15-digit first generation; a structurally valid number with a wrong check character is still
  someone's ID (a typo), and an ID inside a longer number (残疾人证号 = ID + 2 digits) hides the whole
  number. ``stdnum.cn.ric`` raises confidence; it is never a gate, since it rejects real IDs whose region
  code postdates the birth year and the HK/Macau/Taiwan residence permits (regions 81, 82, 83);
- mobile numbers (11 digits from 13–19, with or without +86) and landlines (0 + area code + 7–8 digits,
  with extension); an 7–8 digit local number only after a phone word;
- bank cards (16–19 digits passing the Luhn check, ISO/IEC 7812) and any account number after an account
  word;
- QQ numbers and Taiwan permits after their words.

Unified social credit codes (GB 32100-2015) validated by ``stdnum.cn.uscc`` are public and never flagged.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from stdnum.cn import ric, uscc
from stdnum.luhn import is_valid as luhn_valid

from enforcement.core.masking.findings import Finding

# A digit run in the normalised text: five digits or more (nothing private is shorter), with at most one
# separator between two digits.
# The separator is a space or two, a dash (with spaces around it), or a bracketed area code's bracket.
_RUN = re.compile(
    r"(?=[+(\d])(?<![0-9A-Za-z_@.\-])\(?\+?\(?\d(?:(?: {1,2}| ?- ?|\) ?-?|\(| ?转 ?|\r?\n)?[\dXx]){4,}(?: ?[Xx])?"
    r"(?![0-9A-Za-z@])"
)
_GROUP = re.compile(r"[\dXx]+")

# Words before a number that say what it is (nearest wins); searched in the 14 characters before it.
_LABELS = [
    ("id", r"身份证件?号?码?|公民身份号码|身份号码|居民身份证|身份证明|残疾人证号?码?|残疾证号?码?|户口本|户籍号"),
    ("permit", r"居住证号?码?|台胞证号?码?|台湾居民来往大陆通行证号?码?|通行证号?码?|回乡证号?码?|证件号码?|证件类型"),
    ("phone", r"电话号?码?|手机号?码?|手机|联系方式|联系电话|联系号码|座机|固话|致电|来电|电联|拨打|呼叫|tel|Tel|TEL|联系人|联系"),
    ("account", r"银行账号|银行帐号|银行账户|银行帐户|银行卡号?|账号|帐号|卡号|账户|帐户|开户行?|收款账户|对公账户|缴款账户|存折"),
    ("qq", r"QQ号?码?|qq号?码?|Qq|扣扣号?"),
    ("wechat", r"微信号?|VX|vx|Vx|wx|WX|weixin"),
    ("public", r"执法证件?号?码?|执法证|执业证号?|文号|编号|案号|单号|批次号?|型号|注册号|许可证号?|登记号|统一社会信用代码|信用代码|"
               r"营业执照|组织机构代码|税号|纳税人识别号|邮编|邮政编码|工号|序号|流水号|订单号?|发票号?码?|条形码|"
               r"监督电话|举报电话|投诉电话|服务电话|咨询电话|热线|办公电话|值班电话|传真|缴款书号?码?|缴款码|缴款凭证号?码?|"
               r"凭证号码?|票据号码?|交易流水|交易单号|电子缴款"),
]
_LABEL_RE = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _LABELS))
_WINDOW = 14
_CLAUSE_END = re.compile(r"[。；;！!？?\n]")
_UNIT_AFTER = re.compile(r"\s?(?:元|万|亿|平方|米|公里|千克|公斤|吨|个|件|次|家|户|人|名|台|辆|株|棵|天|日|小时|分钟|岁|年|月|周|%|％)")

_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71".split())
_PERMIT_REGIONS = ("810000", "820000", "830000")  # 港澳台居民居住证 (GB/T 2260 special codes)
_THIS_YEAR = date.today().year


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def id_structure(number: str) -> str | None:
    """Classify an 18- or 15-character resident ID by structure: 'id', 'permit' or None.

    Structure means a known province code and a real birth date between 1900 and this year; the check
    character is not required (see module docstring).
    """
    if len(number) == 18:
        if not number[:17].isdigit() or number[17] not in "0123456789X":
            return None
        if not _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
            return None
        if not 1900 <= int(number[6:10]) <= _THIS_YEAR:
            return None
        if number.startswith(_PERMIT_REGIONS):
            return "permit"
        return "id" if number[:2] in _PROVINCES else None
    if len(number) == 15 and number.isdigit():
        ok = number[:2] in _PROVINCES and _valid_date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
        return "id" if ok else None
    return None


def valid_id_number(value: str) -> bool:
    """An 18-character resident ID whose check character is right (ISO 7064 MOD 11-2, via ``stdnum.cn.ric``)."""
    value = (value or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    return ric.calc_check_digit(value) == value[17]


@lru_cache(maxsize=65536)
def valid_credit_code(value: str) -> bool:
    """A unified social credit code (统一社会信用代码, GB 32100-2015) with a correct check character.

    Cached: a decision's projection, its masking context and the audit each ask about the same code.
    """
    return bool(value) and uscc.is_valid(value.strip().upper())


def _label_before(norm: str, start: int) -> str | None:
    window = norm[max(0, start - _WINDOW):start]
    ends = [m.end() for m in _CLAUSE_END.finditer(window)]
    if ends:
        window = window[ends[-1]:]
    last = None
    for m in _LABEL_RE.finditer(window):
        last = m
    return last.lastgroup if last else None


def _classify(d: str, label: str | None, has_paren: bool) -> tuple[str, float, str] | None:
    """Kind, score and reason for the digits ``d`` of one candidate, or None."""
    if label == "public":  # a credential or case number, or an agency's hotline: suspect at most
        res = _classify(d, None, has_paren)
        return (res[0], round(res[1] * 0.4, 2), res[2] + "（前有公开号码字样）") if res else None
    n = len(d)
    if "X" in d[:-1] and not (19 <= n <= 22 and d.index("X") == 17 and d.count("X") == 1):
        return None  # an X only ends an ID (or the ID inside a 残疾人证号)
    if n in (15, 18):
        structure = id_structure(d)
        if structure == "permit":
            return "id_document", 0.95, "港澳台居民居住证号码的结构"
        if structure == "id":
            if n == 18 and valid_id_number(d):
                return "id_number", 1.0, "身份证号码（校验位正确）"
            if label == "id" or n == 18:
                return "id_number", 0.9, "身份证号码的地区码和出生日期（校验位不符，按笔误处理）"
            return "id_number", 0.8, "15位身份证号码的地区码和出生日期"
        if n == 18 and d[:17].isdigit() and valid_credit_code(d):
            return None
    if label == "id" and 15 <= n <= 20:
        return "id_number", 0.9, "“身份证”字样后的号码"
    if 19 <= n <= 22 and "X" not in d[:-1]:
        for i in range(0, n - 17):
            window = d[i:i + 18]
            if id_structure(window) == "id" and valid_id_number(window):
                return "id_number", 0.95, "号码中含身份证号码（如残疾人证号）"
    if label == "qq" and 5 <= n <= 11:
        return "im_account", 0.9, "QQ号码"
    if label == "permit" and 8 <= n <= 18:
        return "id_document", 0.9, "证件字样后的号码"
    if label == "account" and 8 <= n <= 30:
        return "bank_account", 0.95, "账号字样后的号码"
    if "X" in d:
        return None
    if n == 11 and d[0] == "1" and d[1] in "3456789":
        return "phone", 0.95, "手机号码"
    if n in (13, 15) and d.startswith(("86", "0086")) and d[-11] == "1" and d[-10] in "3456789":
        return "phone", 0.95, "带国家代码的手机号码"
    if d[0] == "0" and 10 <= n <= 12 and d[1] != "0":
        return "phone", 0.9 if (has_paren or label == "phone") else 0.8, "带区号的固定电话"
    if label == "phone" and 7 <= n <= 12:
        return "phone", 0.9, "电话字样后的号码"
    if 16 <= n <= 19 and luhn_valid(d):
        return "bank_account", 0.9 if d.startswith("62") else 0.8, "银行卡号（Luhn校验正确）"
    if label == "wechat" and 6 <= n <= 20:
        return "im_account", 0.85, "微信号"
    if 16 <= n <= 25:
        return "bank_account", 0.4, "较长的数字串，可能是账号"
    return None


def _digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx").upper()


def scan_numbers(norm: str) -> list[Finding]:
    """Every digit-run finding in the normalised text ``norm`` (offsets are the original text's).

    A line break inside a run (a number broken across lines in a PDF) joins its parts only when the
    lines do not each hold a number of their own (two phones one per line stay two phones).
    """
    found: list[Finding] = []
    for m in _RUN.finditer(norm):
        if "\n" not in m.group():
            found += _scan_run(norm, m.start(), m.end())
            continue
        lines, start = [], m.start()
        for part in m.group().split("\n"):
            end = start + len(part.rstrip("\r"))
            lines.append(_scan_run(norm, start, end) if end - start >= 5 else [])
            start += len(part) + 1
        found += [f for line in lines for f in line] if all(lines) else _scan_run(norm, m.start(), m.end())
    return found


def _scan_run(norm: str, run_start: int, run_end: int) -> list[Finding]:
    """Classify one digit run, splitting it at its separators where the whole is no known number."""
    found: list[Finding] = []
    run = norm[run_start:run_end]
    groups = [(g.start() + run_start, g.end() + run_start) for g in _GROUP.finditer(run)]
    label = _label_before(norm, run_start)
    unit = bool(_UNIT_AFTER.match(norm[run_end:run_end + 3]))
    has_paren = "(" in run or ")" in run
    i = 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            start, end = groups[i][0], groups[j - 1][1]
            d = _digits_of(norm[start:end])
            lab = label if i == 0 else _label_before(norm, start)
            res = _classify(d, lab, has_paren)
            if res is None:
                continue
            kind, score, reason = res
            if unit and j == len(groups) and kind in ("phone", "bank_account") and lab != kind:
                score *= 0.4
            # An extension after a landline (010-8765 4321-123, …转123) belongs to it.
            if kind == "phone" and j < len(groups) and groups[j][1] - groups[j][0] <= 5 \
                    and ("-" in norm[end:groups[j][0]] or "转" in norm[end:groups[j][0]]):
                end = groups[j][1]
                j += 1
            if i == 0 and run[0] in "+(" and kind == "phone":
                start = run_start
            found.append(Finding(kind, start, end, norm[start:end], round(score, 2), reason))
            i = j
            break
        else:
            i += 1
    return found
