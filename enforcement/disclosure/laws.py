"""The law library: load statute Markdown files, resolve citations, find the version in force."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from enforcement.core import clock
from enforcement.core.numbers import article_label, chinese_to_int
from enforcement.disclosure.models import Law, LawArticle
from enforcement.extensions import db

BUNDLED_LAWS_DIR = Path(__file__).resolve().parent.parent / "data" / "laws"

_ARTICLE_RE = re.compile(r"^第([一二三四五六七八九十百千零〇两\d]+)条[\s　]*(.*)$")
_CHAPTER_RE = re.compile(r"^#{2,4}\s*(.+)$")
_FILE_DATE_RE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
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


def parse_statute(text: str, version_date: date | None = None, file_name: str = "") -> ParsedStatute:
    """Parse the 第N条 Markdown format: '# title', preamble, '## chapter', one article per paragraph group."""
    lines = text.splitlines()
    title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), "")
    if not title:
        raise ValueError("缺少标题行（# 法规名称）")
    if version_date is None:
        m = _FILE_DATE_RE.search(file_name)
        if not m:
            raise ValueError("无法确定版本日期：文件名应含 (YYYY-MM-DD)")
        version_date = date.fromisoformat(m.group(1))
    preamble: list[str] = []
    articles: list[tuple[int, str, str, list[str]]] = []
    chapter = ""
    in_body = False
    for line in lines:
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
            number = chinese_to_int(art.group(1))
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
    numbers = [a[0] for a in articles]
    if len(set(numbers)) != len(numbers):
        raise ValueError("条文序号重复")
    return ParsedStatute(
        title, version_date, "\n".join(preamble), [(n, lbl, ch, "\n".join(p for p in parts if p)) for n, lbl, ch, parts in articles]
    )


def load_statute(parsed: ParsedStatute) -> tuple[Law, bool]:
    """Upsert one statute version; returns (law, changed)."""
    law = db.session.scalar(select(Law).where(Law.title == parsed.title, Law.version_date == parsed.version_date))
    changed = False
    if law is None:
        law = Law(title=parsed.title, version_date=parsed.version_date, preamble=parsed.preamble)
        db.session.add(law)
        changed = True
    elif law.preamble != parsed.preamble:
        law.preamble = parsed.preamble
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
    return law, changed


def load_statute_file(path: Path) -> tuple[Law, bool]:
    return load_statute(parse_statute(path.read_text(encoding="utf-8"), file_name=path.name))


def load_bundled_laws() -> list[Law]:
    """The statutes the platform ships as data (the texts its powers and courses cite)."""
    return [load_statute_file(p)[0] for p in sorted(BUNDLED_LAWS_DIR.glob("*.md")) if _FILE_DATE_RE.search(p.name)]


def _titles(title: str) -> list[str]:
    """Citations often drop the 中华人民共和国 prefix of national laws."""
    return [title, "中华人民共和国" + title] if not title.startswith("中华人民共和国") else [title]


def version_in_force(title: str, on: date | None = None) -> Law | None:
    on = on or clock.today()
    return db.session.scalar(
        select(Law).where(Law.title.in_(_titles(title)), Law.version_date <= on).order_by(Law.version_date.desc()).limit(1)
    )


def article_in_force(article: LawArticle, on: date | None = None) -> LawArticle | None:
    """The same-numbered article of the version in force (None if that version dropped it)."""
    law = version_in_force(article.law.title, on)
    if law is None or law.id == article.law_id:
        return article if law is not None else None
    return db.session.scalar(select(LawArticle).where(LawArticle.law_id == law.id, LawArticle.number == article.number))


def resolve_citation(citation: str, on: date | None = None) -> LawArticle:
    """'《北京市燃气管理条例》(2020-09-25)第五十九条' → the article; without a version, the one in force."""
    m = _CITATION_RE.search(citation.strip())
    if not m:
        raise ValueError(f"无法识别的法条引用“{citation}”，格式如《北京市燃气管理条例》(2020-09-25)第五十九条")
    title = m.group("title")
    number = chinese_to_int(m.group("article"))
    if m.group("version"):
        law = db.session.scalar(
            select(Law).where(Law.title.in_(_titles(title)), Law.version_date == date.fromisoformat(m.group("version")))
        )
    else:
        law = version_in_force(title, on)
    if law is None:
        raise ValueError(f"法规库中没有《{title}》" + (f"（{m.group('version')}版）" if m.group("version") else ""))
    article = db.session.scalar(select(LawArticle).where(LawArticle.law_id == law.id, LawArticle.number == number))
    if article is None:
        raise ValueError(f"《{title}》没有{article_label(number)}")
    return article


def citation_of(article: LawArticle) -> str:
    return f"《{article.law.title}》({article.law.version_date.isoformat()}){article.label}"
