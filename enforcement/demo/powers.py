"""Powers of the demo town, derived from the real penalty and inspection articles it enforces.

Powers cite the versions in force on the demo's day (the standing list a citizen
reads today). Each power also carries the same provision in every other version
of its law (matched through the library's concordance, never by number alone),
so a demo decision cites, and fines by, the text in force on its own date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from enforcement.core.numbers import chinese_to_int
from enforcement.disclosure.laws import corresponding_number
from enforcement.disclosure.models import Law

# The regulations the town's comprehensive enforcement applies (DOMAIN.md: towns exercise 431 devolved powers).
ENFORCED = ("北京市燃气管理条例", "北京市生活垃圾管理条例", "北京市物业管理条例", "北京市文明行为促进条例", "城镇燃气管理条例")
SHORT = {"北京市燃气管理条例": "RQ", "北京市生活垃圾管理条例": "LJ", "北京市物业管理条例": "WY",
         "北京市文明行为促进条例": "WM", "城镇燃气管理条例": "CZ"}

_LEAD = re.compile(r"^(?:[^，。；]{0,20}?)违反本条例(?:第[^，。；]*?)?规定[，,的]?")
_ITEM = re.compile(r"^（([一二三四五六七八九十]+)）(.+?)[；;。]?$")
_RANGE = re.compile(r"处([\d一二三四五六七八九十百千万两.]+)元以上([\d一二三四五六七八九十百千万两.]+)元以下")
_UPTO = re.compile(r"处([\d一二三四五六七八九十百千万两.]+)元以下")
_FIXED = re.compile(r"处([\d一二三四五六七八九十百千万两.]+)元罚款")


def parse_amount(text: str) -> Decimal:
    """'1万' → 10000, '二万' → 20000, '5000' → 5000, '十万' → 100000."""
    multiplier = 1
    if text.endswith("万"):
        multiplier, text = 10000, text[:-1]
    value = Decimal(text) if re.fullmatch(r"[\d.]+", text) else Decimal(chinese_to_int(text))
    return value * multiplier


def fine_range(paragraph: str) -> tuple[Decimal, Decimal] | None:
    if m := _RANGE.search(paragraph):
        return parse_amount(m[1]), parse_amount(m[2])
    if m := _FIXED.search(paragraph):
        amount = parse_amount(m[1])
        return amount, amount
    if m := _UPTO.search(paragraph):
        return Decimal(0), parse_amount(m[1])
    return None


@dataclass(frozen=True)
class Variant:
    """The provision as one version of the law words it, and the days that version was in force."""

    in_force_from: date
    in_force_until: date | None
    article_id: int
    citation: str  # 《title》第N条, as a decision writes it
    pinned: str  # 《title》(version)第N条
    paragraph: str
    fine: tuple[Decimal, Decimal] | None


@dataclass
class DemoPower:
    code: str
    name: str
    category: str
    behaviour: str
    article_id: int
    citation: str
    paragraph: str
    fine: tuple[Decimal, Decimal] | None
    for_persons: bool
    keyword: str = ""  # a phrase the cited article must contain (checked by the citation tests)
    para_index: int = 0  # which paragraph of the article the power rests on
    variants: list[Variant] = field(default_factory=list)

    def on(self, day: date) -> Variant | None:
        """The provision as in force on ``day``, or None if no version containing it was in force."""
        return next((v for v in self.variants
                     if v.in_force_from <= day and (v.in_force_until is None or day <= v.in_force_until)), None)


def in_force_on(laws: list[Law], day: date) -> list[Law]:
    """Of the given versions, the one of each title in force on ``day`` (by entry into force, not adoption)."""
    current: dict[str, Law] = {}
    for law in laws:
        if law.effective_from <= day and (law.title not in current
                                          or law.effective_from > current[law.title].effective_from):
            current[law.title] = law
    return [law for law in laws if current.get(law.title) is law]


def derive_powers(all_laws: list[Law], on: date | None = None) -> list[DemoPower]:
    """One penalty power per penalty paragraph, one inspection power per supervision article.

    ``all_laws`` may hold several versions of a law; powers are derived from the versions in
    force on ``on`` (default: the demo's day) and carry their provision's other versions.
    """
    from enforcement.demo.town import TODAY

    laws = in_force_on(all_laws, on or TODAY)
    powers: list[DemoPower] = []
    for law in laws:
        if law.title not in ENFORCED:
            continue
        prefix = SHORT[law.title]
        for article in law.articles:
            for i, paragraph in enumerate(article.text.split("\n"), 1):
                if "罚款" in paragraph and ("由" in paragraph):
                    behaviour = _behaviour(paragraph, law.title, article.label)
                    powers.append(DemoPower(
                        code=f"XHM-CF-{prefix}-{article.number:03d}-{i}",
                        name=f"对{behaviour[:80]}的行政处罚",
                        category="penalty",
                        behaviour=behaviour,
                        article_id=article.id,
                        citation=f"《{law.title}》{article.label}",
                        paragraph=paragraph,
                        fine=fine_range(paragraph),
                        for_persons="居民" in paragraph or "个人" in paragraph,
                        keyword=_keyword(paragraph),
                        para_index=i - 1,
                    ))
                elif "监督检查" in paragraph and len(paragraph) > 30 and "罚款" not in paragraph:
                    powers.append(DemoPower(
                        code=f"XHM-JC-{prefix}-{article.number:03d}-{i}",
                        name=f"对执行《{law.title}》情况的行政检查（{article.label}）",
                        category="inspection",
                        behaviour="",
                        article_id=article.id,
                        citation=f"《{law.title}》{article.label}",
                        paragraph=paragraph,
                        fine=None,
                        for_persons=False,
                        keyword="监督检查",
                        para_index=i - 1,
                    ))
                elif ("暂扣" in paragraph or "查封" in paragraph or "扣押" in paragraph) and "由" in paragraph:
                    powers.append(DemoPower(
                        code=f"XHM-QZ-{prefix}-{article.number:03d}-{i}",
                        name=f"依据《{law.title}》{article.label}实施的行政强制措施",
                        category="coercion",
                        behaviour="",
                        article_id=article.id,
                        citation=f"《{law.title}》{article.label}",
                        paragraph=paragraph,
                        fine=None,
                        for_persons=False,
                        keyword=next(w for w in ("暂扣", "查封", "扣押") if w in paragraph),
                        para_index=i - 1,
                    ))
    powers.extend(_prohibited_acts(laws))
    powers.extend(_listed_powers(laws))
    _add_variants(powers, all_laws)
    return powers


def _keyword(paragraph: str) -> str:
    """What a penalty paragraph is about, to check a citation against: the act before '的，由'."""
    end = paragraph.find("的，由")
    clause = paragraph[:end] if end > 0 else paragraph
    return clause[-12:] if len(clause) >= 12 else clause


def _add_variants(powers: list[DemoPower], all_laws: list[Law]) -> None:
    """Give each power its provision in every version of its law, through the concordance."""
    by_id = {a.id: (law, a) for law in all_laws for a in law.articles}
    versions: dict[str, list[Law]] = {}
    for law in all_laws:
        versions.setdefault(law.title, []).append(law)
    for p in powers:
        current_law, current = by_id[p.article_id]
        for law in sorted(versions[current_law.title], key=lambda v: v.effective_from):
            if law is current_law:
                paragraph, fine, article = p.paragraph, p.fine, current
            else:
                number = corresponding_number(law.title, current.number, current_law.version_date, law.version_date)
                article = next((a for a in law.articles if a.number == number), None)
                paragraphs = article.text.split("\n") if article else []
                if not paragraphs or len(paragraphs) <= p.para_index or (p.fine and "罚款" not in paragraphs[p.para_index]):
                    continue
                paragraph = paragraphs[p.para_index]
                fine = fine_range(paragraph) if p.fine else None
            p.variants.append(Variant(law.effective_from, law.in_force_until, article.id,
                                      f"《{law.title}》{article.label}",
                                      f"《{law.title}》({law.version_date.isoformat()}){article.label}", paragraph, fine))


# (code, category, name, law title, article number, paragraph index, keyword the article must contain).
# Numbered as in the versions in force on the demo's day: 生活垃圾管理条例 2020-09-25 (arts. 38, 69, 74 were
# arts. 37, 68, 73 of the 2019 text).
LISTED = [
    ("XHM-QZ-001", "coercion", "暂扣无资质单位和个人收运厨余垃圾的车辆", "北京市生活垃圾管理条例", 74, 2, "暂扣其车辆"),
    ("XHM-QZ-002", "coercion", "查封、扣押违法充装、储存的燃气气瓶", "中华人民共和国行政强制法", 9, 0, "行政强制措施的种类"),
    ("XHM-QZ-003", "coercion", "查封存在重大燃气安全隐患的用气场所", "中华人民共和国行政强制法", 9, 0, "行政强制措施的种类"),
    ("XHM-QZ-004", "coercion", "扣押违法运输建筑垃圾的车辆", "中华人民共和国行政强制法", 9, 0, "行政强制措施的种类"),
    ("XHM-QZ-005", "coercion", "代履行：清除违法倾倒的建筑垃圾", "中华人民共和国行政强制法", 50, 0, "代履行"),
    ("XHM-QT-001", "other", "责令非居民用户限期改正燃气安全隐患", "北京市燃气管理条例", 59, 0, "责令限期改正"),
    ("XHM-QT-002", "other", "责令生活垃圾分类管理责任人立即改正", "北京市生活垃圾管理条例", 69, 0,
     "生活垃圾分类管理责任人违反本条例"),
    ("XHM-QZ-006", "levy", "加处罚款（当事人到期不缴纳罚款）", "中华人民共和国行政处罚法", 72, 0, "加处罚款"),
    ("XHM-QR-001", "confirmation", "确认生活垃圾排放登记", "北京市生活垃圾管理条例", 38, 0, "生活垃圾排放登记"),
]


def _listed_powers(laws: list[Law]) -> list[DemoPower]:
    """Coercive and other powers, and one inspection power per random-inspection item."""
    from enforcement.demo.town import INSPECTION_BASIS_KEYWORDS, INSPECTION_ITEMS

    articles = {(law.title, a.number): (law, a) for law in laws for a in law.articles}
    result = []
    listed = list(LISTED)
    for seq, item, sub, basis, *_ in INSPECTION_ITEMS:
        m = re.search(r"《(.+?)》第([一二三四五六七八九十百]+)条", basis)
        if m:
            listed.append((f"XHM-JC-SJ-{seq:03d}", "inspection", f"{item}：{sub}", m[1], chinese_to_int(m[2]), 0,
                           INSPECTION_BASIS_KEYWORDS[seq][0]))
    for code, category, name, title, number, para, keyword in listed:
        found = articles.get((title, number))
        if found is None:
            continue
        law, article = found
        paragraph = article.text.split("\n")[para]
        result.append(DemoPower(code, name, category, "", article.id, f"《{law.title}》{article.label}",
                                paragraph, None, False, keyword=keyword, para_index=para))
    return result


def _behaviour(paragraph: str, title: str, label: str) -> str:
    """The unlawful act a penalty paragraph describes, e.g. 未安装、使用…燃气泄漏报警装置."""
    end = paragraph.find("的，由")
    clause = paragraph[:end] if end > 0 else paragraph.split("，")[0]
    stripped = _LEAD.sub("", clause).strip("，, ")
    if len(stripped) < 4:
        return f"违反《{title}》{label}规定"
    return stripped[:80]


def _prohibited_acts(laws: list[Law]) -> list[DemoPower]:
    """Beijing gas regulation art. 30's twelve prohibited acts, penalised by art. 60 (two user kinds)."""
    gas = next((law for law in laws if law.title == "北京市燃气管理条例"), None)
    if gas is None:
        return []
    by_number = {a.number: a for a in gas.articles}
    art30, art60 = by_number.get(30), by_number.get(60)
    if art30 is None or art60 is None:
        return []
    paragraphs = art60.text.split("\n")
    result = []
    for line in art30.text.split("\n"):
        m = _ITEM.match(line.strip())
        if not m:
            continue
        n = chinese_to_int(m[1])
        act = m[2]
        for who, paragraph, amount, persons in (
            ("非居民用户", paragraphs[0], (Decimal(20000), Decimal(100000)), False),
            ("居民用户", paragraphs[-1], (Decimal(0), Decimal(1000)), True),
        ):
            if persons and n == 10:
                continue  # art. 60 para. 2 omits item (十) for residential users
            result.append(DemoPower(
                code=f"XHM-CF-RQ-030-{n:02d}{'J' if persons else 'F'}",
                name=f"对{who}{act}的行政处罚",
                category="penalty",
                behaviour=f"{who}{act}",
                article_id=art60.id,
                citation=f"《{gas.title}》{art60.label}",
                paragraph=paragraph,
                fine=amount,
                for_persons=persons,
                keyword="居民用户有本条例第三十条第一款" if persons else "非居民用户有本条例第三十条规定情形",
                para_index=len(paragraphs) - 1 if persons else 0,
            ))
    return result
