"""The law library: load statute Markdown files, resolve citations, find the version in force.

A statute is held as versions. Each version has its adoption date (the date in
the file name, ``Law.version_date``) and its in-force interval: it takes effect
on the date of the header's ``… 施行`` line (else on adoption) and stays in force
until the day before the next version takes effect. "In force on a day" is
decided from those dates only, never from which file is newest (《立法法》第一百零四条:
the law applies from its entry into force; 《行政处罚法》第三十七条: a penalty
applies the rules in force when the act took place).

Across versions an article is matched only through the library's concordance
(``data/laws/concordance.json``, e.g. the 2020 waste-regulation amendment that
inserted art. 27): two versions' same-numbered articles are never assumed to be
the same provision.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from enforcement.core import clock
from enforcement.core.numbers import article_label, chinese_to_int
from enforcement.disclosure.models import Law, LawArticle
from enforcement.extensions import db

MAX_ARTICLE = 9999  # article labels are written up to 第九千九百九十九条 (numbers.int_to_chinese)
BUNDLED_LAWS_DIR = Path(__file__).resolve().parent.parent / "data" / "laws"
CONCORDANCE_FILE = BUNDLED_LAWS_DIR / "concordance.json"

_ARTICLE_RE = re.compile(r"^第([一二三四五六七八九十百千零〇两\d]+)条[\s　]*(.*)$")
_CHAPTER_RE = re.compile(r"^#{2,4}\s*(.+)$")
_FILE_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_IN_FORCE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日[\s　]*(?:起)?施行[\s　]*$")
_FINAL_CLAUSE_RE = re.compile(r"本(?:法|条例|规定|办法|决定)自(\d{4})年(\d{1,2})月(\d{1,2})日起施行")
_CITATION_RE = re.compile(
    r"《?(?P<title>[^《》()（）\s]+?)》?\s*(?:[(（](?P<version>\d{4}-\d{2}-\d{2})(?:版)?[)）])?\s*"
    r"第(?P<article>[一二三四五六七八九十百千零〇两\d]+)条"
)


@dataclass
class ParsedStatute:
    title: str
    version_date: date
    preamble: str
    articles: list[tuple[int, str, str, str]]  # number, label, chapter, text
    in_force_from: date | None = None  # the header's "… 施行" date; None: in force on adoption


def parse_statute(text: str, version_date: date | None = None, file_name: str = "") -> ParsedStatute:
    """Parse the 第N条 Markdown format: '# title', preamble, '## chapter', one article per paragraph group.

    The version date comes from ``version_date`` or the file name's ``(YYYY-MM-DD)``; a preamble
    line ``2024年1月1日 施行`` gives the entry into force, else the text's own final clause
    ``本法自2021年7月15日起施行`` when it is later than adoption (an amended text that keeps its
    original clause took effect on adoption). Raises ValueError (in Chinese) on a
    missing title, version date or article, a repeated article number, or an entry into force
    before adoption.
    """
    lines = text.splitlines()
    title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), "")
    if not title:
        raise ValueError("缺少标题行（# 法规名称）")
    if version_date is None:
        m = _FILE_DATE_RE.search(file_name)
        if not m:
            raise ValueError("无法确定版本日期：文件名应含 (YYYY-MM-DD)")
        try:
            version_date = date.fromisoformat(m.group(1))
        except ValueError:
            raise ValueError(f"文件名中的版本日期 {m.group(1)} 不存在") from None
    preamble: list[str] = []
    articles: list[tuple[int, str, str, list[str]]] = []
    chapter = ""
    in_body = False
    for line_no, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped.startswith("<!--"):
            in_body = True
            continue
        if line.startswith("# "):
            continue
        chap = _CHAPTER_RE.match(stripped)
        if chap:
            chapter = re.sub(r"[\s　]+", " ", chap.group(1)).strip()
            in_body = True
            continue
        art = _ARTICLE_RE.match(stripped)
        if art:
            try:
                number = chinese_to_int(art.group(1)) if len(art.group(1)) <= 12 else 0
            except ValueError:
                number = 0
            if not 1 <= number <= MAX_ARTICLE:
                raise ValueError(f"第{line_no}行：条文序号“第{art.group(1)}条”无法识别或超出范围（应为第一条至第{MAX_ARTICLE}条）")
            articles.append((number, article_label(number), chapter, [art.group(2).strip()]))
            in_body = True
            continue
        if not stripped:
            continue
        if articles:
            articles[-1][3].append(stripped)
        elif not in_body:
            preamble.append(stripped)
    if not articles:
        raise ValueError("未找到任何条文（第N条）")
    in_force_from = None
    for line in preamble:
        if m := _IN_FORCE_RE.match(line):
            in_force_from = date(int(m[1]), int(m[2]), int(m[3]))
    if in_force_from is None:  # a revised text's own final clause (本法自…起施行); an amended text keeps the
        clauses = [_FINAL_CLAUSE_RE.search(text) for *_, parts in articles for text in parts]  # original's date
        last = [m for m in clauses if m][-1:]
        if last and (day := date(int(last[0][1]), int(last[0][2]), int(last[0][3]))) > version_date:
            in_force_from = day
    if in_force_from is not None and in_force_from < version_date:
        raise ValueError(f"施行日期 {in_force_from.isoformat()} 早于通过日期 {version_date.isoformat()}")
    numbers = [a[0] for a in articles]
    if len(set(numbers)) != len(numbers):
        raise ValueError("条文序号重复")
    return ParsedStatute(
        title, version_date, "\n".join(preamble), [(n, lbl, ch, "\n".join(p for p in parts if p)) for n, lbl, ch, parts in articles],
        in_force_from,
    )


def load_statute(parsed: ParsedStatute) -> tuple[Law, bool]:
    """Upsert one statute version and re-derive the in-force intervals of all its versions.

    Returns (law, changed). Other versions keep their rows and articles, so whatever cites
    them still resolves. The caller commits.
    """
    law = db.session.scalar(select(Law).where(Law.title == parsed.title, Law.version_date == parsed.version_date))
    changed = False
    in_force_from = parsed.in_force_from or parsed.version_date
    if law is None:
        law = Law(title=parsed.title, version_date=parsed.version_date, preamble=parsed.preamble,
                  in_force_from=in_force_from)
        db.session.add(law)
        changed = True
    elif (law.preamble, law.in_force_from) != (parsed.preamble, in_force_from):
        law.preamble, law.in_force_from = parsed.preamble, in_force_from
        changed = True
    existing = {a.number: a for a in law.articles}
    for number, label, chapter, text in parsed.articles:
        article = existing.get(number)
        if article is None:
            law.articles.append(LawArticle(number=number, label=label, chapter=chapter, text=text))
            changed = True
        elif (article.text, article.chapter, article.label) != (text, chapter, label):
            article.text, article.chapter, article.label = text, chapter, label
            changed = True
    db.session.flush()
    changed = refresh_intervals(parsed.title) or changed
    return law, changed


def refresh_intervals(title: str) -> bool:
    """Set each version's ``in_force_until`` to the day before the next version takes effect.

    Versions are ordered by entry into force (then adoption); the latest has no end.
    Returns whether anything changed. Flushes.
    """
    versions = list(db.session.scalars(select(Law).where(Law.title == title)))
    versions.sort(key=lambda v: (v.effective_from, v.version_date))
    changed = False
    for this, following in zip(versions, [*versions[1:], None], strict=True):
        until = following.effective_from - timedelta(days=1) if following is not None else None
        if this.in_force_from is None:
            this.in_force_from = this.version_date
        if this.in_force_until != until:
            this.in_force_until = until
            changed = True
    db.session.flush()
    return changed


def load_statute_file(path: Path) -> tuple[Law, bool]:
    """Parse and upsert one statute .md file; ValueError (Chinese, with the line) for a malformed one."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("法规文件应为 UTF-8 编码的文本") from None
    return load_statute(parse_statute(text, file_name=path.name))


def load_bundled_laws() -> list[Law]:
    """The statutes the platform ships as data (the texts its powers and courses cite)."""
    return [load_statute_file(p)[0] for p in sorted(BUNDLED_LAWS_DIR.glob("*.md")) if _FILE_DATE_RE.search(p.name)]


def _titles(title: str) -> list[str]:
    """Citations often drop the 中华人民共和国 prefix of national laws."""
    return [title, "中华人民共和国" + title] if not title.startswith("中华人民共和国") else [title]


def _today() -> date:
    from enforcement.disclosure.categories import today  # the site's "today" (pinnable in tests)

    return today()


def version_in_force(title: str, on: date | None = None) -> Law | None:
    """The version of ``title`` in force on ``on`` (default: today), or None if none had taken effect.

    Decided by entry into force (``in_force_from``), not adoption: the 2023 复议法, adopted
    2023-09-01 and in force 2024-01-01, is not the version in force on 2023-12-31.
    """
    on = on or clock.today()
    return db.session.scalar(
        select(Law).where(Law.title.in_(_titles(title)), Law.in_force_from <= on)
        .order_by(Law.in_force_from.desc(), Law.version_date.desc()).limit(1)
    )


def versions_of(title: str) -> list[Law]:
    """Every stored version of ``title``, oldest entry into force first."""
    return list(db.session.scalars(
        select(Law).where(Law.title.in_(_titles(title))).order_by(Law.in_force_from, Law.version_date)))


def law_status(law: Law, on: date) -> str:
    """'in_force', 'not_yet' (adopted, not yet in force) or 'superseded' on ``on``, from the dates only."""
    if law.effective_from > on:
        return "not_yet"
    current = version_in_force(law.title, on)
    return "in_force" if current is not None and current.id == law.id else "superseded"


LAW_STATUS_LABELS = {"in_force": "现行有效", "not_yet": "尚未施行", "superseded": "已被修订（失效）"}


@lru_cache(maxsize=1)
def _concordance() -> dict[str, list[dict]]:
    return json.loads(CONCORDANCE_FILE.read_text(encoding="utf-8")) if CONCORDANCE_FILE.exists() else {}


def _step(number: int, inserted: list[int], removed: list[int]) -> int | None:
    """Old article ``number`` → its number in the next version (None if that version dropped it)."""
    if number in removed:
        return None
    old = number - sum(1 for r in removed if r < number)  # position among the surviving articles
    new = old
    for i in sorted(inserted):
        if i <= new:
            new += 1
    return new


def _step_back(number: int, inserted: list[int], removed: list[int]) -> int | None:
    """New article ``number`` → its number in the previous version (None if the article is new)."""
    if number in inserted:
        return None
    kept = number - sum(1 for i in inserted if i < number)
    old = kept
    for r in sorted(removed):
        if r <= old:
            old += 1
    return old


def corresponding_number(title: str, number: int, source: date, target: date) -> int | None:
    """Article ``number`` of version ``source`` as numbered in version ``target`` (versions by adoption date).

    Follows ``concordance.json`` step by step (forwards or backwards). None when the article
    does not exist on the other side, or when no concordance links the two versions: the
    same number in another version is then not assumed to be the same provision.
    """
    if source == target:
        return number
    steps = {(date.fromisoformat(s["from"]), date.fromisoformat(s["to"])): s for s in _concordance().get(title, [])}
    current, here = number, source
    while here != target:
        forward = next(((k, s) for k, s in steps.items() if k[0] == here), None) if target > here else None
        backward = next(((k, s) for k, s in steps.items() if k[1] == here), None) if target < here else None
        if forward:
            (_, here), s = forward
            current = _step(current, s.get("inserted", []), s.get("removed", []))
        elif backward:
            (here, _), s = backward
            current = _step_back(current, s.get("inserted", []), s.get("removed", []))
        else:
            return None
        if current is None:
            return None
    return current


def corresponding_article(article: LawArticle, target: Law) -> LawArticle | None:
    """The article of version ``target`` that is the same provision as ``article`` (see corresponding_number)."""
    if target.id == article.law_id:
        return article
    number = corresponding_number(article.law.title, article.number, article.law.version_date, target.version_date)
    if number is None:
        return None
    return db.session.scalar(select(LawArticle).where(LawArticle.law_id == target.id, LawArticle.number == number))


def article_in_force(article: LawArticle, on: date | None = None) -> LawArticle | None:
    """The same provision in the version in force on ``on`` (None if none in force, dropped or unmatched)."""
    law = version_in_force(article.law.title, on)
    return corresponding_article(article, law) if law is not None else None


@dataclass(frozen=True)
class CitationRef:
    """One article reference found in text: the title as written, the version if pinned, the article number."""

    title: str
    version: date | None
    number: int
    written: str


_FREE_CITATION_RE = re.compile(
    r"《(?P<title>[^《》]{2,60})》\s*(?:[(（](?P<version>\d{4}-\d{2}-\d{2})(?:版)?[)）])?\s*"
    r"(?P<articles>第[一二三四五六七八九十百千零〇两\d]+条(?:第[一二三四五六七八九十百千零〇两\d]+款)?"
    r"(?:(?:[、，,和及]|以及)第[一二三四五六七八九十百千零〇两\d]+条(?:第[一二三四五六七八九十百千零〇两\d]+款)?)*)"
)
_ARTICLE_NUMBER_RE = re.compile(r"第([一二三四五六七八九十百千零〇两\d]+)条")


def find_citations(text: str) -> list[CitationRef]:
    """Every 《title》(version)第N条[、第M条…] reference in free text, in order, one per article."""
    refs = []
    for m in _FREE_CITATION_RE.finditer(text or ""):
        version = date.fromisoformat(m["version"]) if m["version"] else None
        for n in _ARTICLE_NUMBER_RE.findall(m["articles"]):
            refs.append(CitationRef(m["title"], version, chinese_to_int(n), m[0]))
    return refs


def resolve_ref(ref: CitationRef, on: date | None = None, in_force: dict[str, Law | None] | None = None
                ) -> LawArticle:
    """The article a reference points at: its pinned version, else the version in force on ``on``.

    ``in_force``: {title as written: version in force on ``on``} already looked up, filled as this
    looks more up (several references to one law cost one query).
    Raises ValueError (Chinese message) when the law, the version or the article is not in the library.
    """
    if ref.version is not None:
        law = db.session.scalar(select(Law).where(Law.title.in_(_titles(ref.title)), Law.version_date == ref.version))
    elif in_force is not None:
        if ref.title not in in_force:
            in_force[ref.title] = version_in_force(ref.title, on)
        law = in_force[ref.title]
    else:
        law = version_in_force(ref.title, on)
    if law is None:
        raise ValueError(f"法规库中没有《{ref.title}》" + (
            f"（{ref.version.isoformat()}版）" if ref.version else f"在{(on or _today()).isoformat()}有效的版本"))
    article = db.session.scalar(select(LawArticle).where(LawArticle.law_id == law.id, LawArticle.number == ref.number))
    if article is None:
        raise ValueError(f"《{law.title}》({law.version_date.isoformat()})没有{article_label(ref.number)}")
    return article


def resolve_citation(citation: str, on: date | None = None) -> LawArticle:
    """'《北京市燃气管理条例》(2020-09-25)第五十九条' → the article; without a version, the one in force on ``on``."""
    m = _CITATION_RE.search(citation.strip())
    if not m:
        raise ValueError(f"无法识别的法条引用“{citation}”，格式如《北京市燃气管理条例》(2020-09-25)第五十九条")
    version = date.fromisoformat(m.group("version")) if m.group("version") else None
    return resolve_ref(CitationRef(m.group("title"), version, chinese_to_int(m.group("article")), m[0]), on)


def citation_of(article: LawArticle) -> str:
    """The pinned citation of an article: 《title》(version date)第N条."""
    return f"《{article.law.title}》({article.law.version_date.isoformat()}){article.label}"


def resolve_text_citations(text: str, on: date) -> list[dict]:
    """Every article reference in ``text`` resolved as of ``on`` (a decision's date), for display.

    Each item: written (the reference as found), citation (《title》第N条), and either the article
    found (law_id, number, version_date, in_force_from, pinned) or ``error`` (why it does not
    resolve). ``pinned_not_in_force`` is set when the text pins a version that was not the one in
    force on ``on``.
    """
    items = []
    in_force: dict[str, Law | None] = {}  # one query per law, however many of its articles are cited
    for ref in find_citations(text):
        item: dict = {"written": ref.written, "citation": f"《{ref.title}》{article_label(ref.number)}"}
        try:
            article = resolve_ref(ref, on, in_force)
        except ValueError as e:
            item["error"] = str(e)
        else:
            law = article.law
            if law.title not in in_force:
                in_force[law.title] = version_in_force(law.title, on)
            current = in_force[law.title]
            item.update(law_id=law.id, number=article.number, version_date=law.version_date,
                        in_force_from=law.effective_from, pinned=citation_of(article),
                        pinned_not_in_force=current is None or current.id != law.id)
        items.append(item)
    return items
