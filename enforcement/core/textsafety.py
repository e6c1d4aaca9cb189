"""Bytes that must not get in or out: control characters, out-of-range dates, decompression bombs.

- Input: ``clean_text`` strips C0/C1 control characters (keeping tab and line
  breaks) from every text a record format parses, so nothing stored can break
  an XML 1.0 feed, an XLSX cell or a terminal.
- Output: ``xml_text`` removes what XML 1.0 cannot carry (for text stored
  before the input rule); XLSX exports write every text through it too.
- Dates: ``MIN_DATE``..``MAX_DATE`` at every input (a draft dated 9999-12-31
  made the working-day calendar overflow on the staff workbench).
- XLSX uploads: ``check_zip_size`` reads the archive's directory and refuses a
  file whose members would decompress past ``MAX_XLSX_UNPACKED`` bytes or at a
  ratio above ``MAX_XLSX_RATIO`` before any XML is parsed (a 44 KB zip bomb
  cost 13 s of CPU).

ASVS 4.0 V5.1.3 (input validation), V5.3.x (output encoding), V12.1.2 (compressed files).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import date
from pathlib import Path

MIN_DATE = date(1949, 10, 1)
MAX_DATE = date(2099, 12, 31)
MAX_TEXT = 20_000  # characters in one free-text value (facts, basis…): pages of text, not megabytes
MAX_LIST_ITEMS = 1_000
MAX_XLSX_UNPACKED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without control characters other than tab, line feed and carriage return."""
    return _CONTROL.sub("", text)


def printable(text: str) -> str:
    """``text`` on one line, as a visitor sees it: tabs, line breaks and the line/paragraph separators
    (U+2028, U+2029) become spaces (they separate words); other control characters (Cc) and invisible format
    characters (Cf: zero-width space, BOM, the bidi overrides such as U+202E that would show the printed date
    reversed) are removed. For query parameters and for echoing what a visitor sent into HTML."""
    return "".join(ch for ch in text.translate(_AS_SPACE) if unicodedata.category(ch) not in ("Cc", "Cf"))


_AS_SPACE = str.maketrans({ch: " " for ch in "\t\n\r\x0b\x0c\x85\u2028\u2029"})


def visible_text(text: str | None) -> str:
    """``text`` stripped of surrounding whitespace (full-width 　 included) and of invisible format
    characters anywhere (zero-width space/joiners, BOM: Unicode category Cf), which text pasted from Word
    or WeChat carries; "" when nothing visible is left. Use it where a required opinion or reason must
    say something (销号意见, 驳回理由), so a pasted zero-width space does not pass as an opinion."""
    return "".join(ch for ch in (text or "") if unicodedata.category(ch) != "Cf").strip()


def xml_text(text: str | None) -> str:
    """``text`` with every character XML 1.0 forbids removed (None -> "")."""
    return _NOT_XML.sub("", text or "")


def date_problem(value: date) -> str:
    """"" for a date in MIN_DATE..MAX_DATE, else the Chinese reason."""
    if MIN_DATE <= value <= MAX_DATE:
        return ""
    return f"日期应在{MIN_DATE.isoformat()}至{MAX_DATE.isoformat()}之间"


def check_zip_size(path: Path, limit: int = MAX_XLSX_UNPACKED, ratio: int = MAX_XLSX_RATIO) -> str:
    """"" if the archive at ``path`` may be unpacked; else why not (Chinese). Reads only the zip directory."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "不是有效的 XLSX 文件"
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > limit:
        return f"XLSX 文件解压后超过{limit // (1024 * 1024)}MB，请拆分后导入"
    if unpacked > 1024 * 1024 and unpacked / packed > ratio:
        return "XLSX 文件的压缩比异常（可能是压缩炸弹），已拒绝"
    return ""
