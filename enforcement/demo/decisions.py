"""Demo decisions: realistic, deterministic, with the private data that masking must hide.

The raw party fields and the free text carry ID numbers, mobile numbers, home
addresses, bank accounts and witnesses' names, so masking is tested against
what real case files contain. A share of the history is deliberately imperfect
(late publication, one officer, an expired credential, a major decision
without review) so the supervisor's audit has something to find.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from enforcement.core import calendar
from enforcement.demo.names import BRAND_WORDS, COMMUNITIES, COMPANY_TRADES, ROADS, SHOP_WORDS
from enforcement.demo.powers import DemoPower, Variant
from enforcement.demo.town import (
    ENFORCEMENT_TEAM,
    SAFETY_TEAM,
    TODAY,
    TOWN_GOV,
    id_number,
    mobile,
    person_name,
)

START = date(2019, 1, 2)
END = TODAY - timedelta(days=3)
KIND_WORD = {"penalty": "罚", "inspection": "检", "coercion": "强"}
PENALTY_LAW_2021 = date(2021, 7, 15)  # the revised 行政处罚法 (art. 48: withdrawing a disclosure) took effect

REVOKE_REASONS = {
    "revoked": "经行政复议，北京市大兴区人民政府决定撤销该处罚决定。",
    "changed": "当事人申请行政复议，复议机关决定变更罚款数额，原决定依法变更。",
    "illegal": "经人民法院判决，确认该行政行为违法。",
    "void": "经复查发现执法主体不适格，该决定被确认无效。",
}
ENDED_WORDS = {"revoked": "已被撤销", "changed": "已被变更", "illegal": "被确认违法", "void": "被确认无效"}


def _bank_card(rng: random.Random) -> str:
    from enforcement.core.masking import luhn_ok

    while True:
        card = "622202" + "".join(str(rng.randint(0, 9)) for _ in range(13))
        if luhn_ok(card):
            return card


def _credit_code(rng: random.Random, prefix: str = "91110115") -> str:
    """A unified social credit code with a valid check character (GB 32100-2015, via ``stdnum.cn.uscc``)."""
    from stdnum.cn import uscc

    body = prefix + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _home(rng: random.Random) -> str:
    return (f"北京市大兴区西红门镇{rng.choice(COMMUNITIES)}{rng.randint(1, 30)}号楼"
            f"{rng.randint(1, 6)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室")


def _shop_address(rng: random.Random) -> str:
    return f"北京市大兴区西红门镇{rng.choice(ROADS)}{rng.randint(1, 300)}号"


def _decided_on(rng: random.Random) -> date:
    day = START + timedelta(days=rng.randint(0, (END - START).days))
    while not calendar.current().is_working_day(day):
        day += timedelta(days=1)
    return min(day, END)


def _party(rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.55:
        brand, (suffix, _) = rng.choice(BRAND_WORDS), rng.choice(COMPANY_TRADES)
        return {"party_type": "organisation", "party_name": f"北京{brand}{rng.choice(SHOP_WORDS[:12])}{suffix}",
                "party_credit_code": _credit_code(rng), "party_legal_rep": person_name(rng),
                "party_address": _shop_address(rng), "party_phone": f"010-6{rng.randint(1000000, 9999999)}",
                "party_bank_account": _bank_card(rng), "party_id_number": ""}
    if roll < 0.75:
        operator = person_name(rng)
        return {"party_type": "sole_trader",
                "party_name": f"北京市大兴区西红门{rng.choice(SHOP_WORDS)}{rng.choice(['店', '馆', '餐厅', '小吃部'])}",
                "party_credit_code": _credit_code(rng, "92110115"), "party_legal_rep": operator,
                "party_address": _shop_address(rng), "party_phone": mobile(rng), "party_bank_account": _bank_card(rng),
                "party_id_number": id_number(rng)}
    return {"party_type": "person", "party_name": person_name(rng), "party_credit_code": "", "party_legal_rep": "",
            "party_address": _home(rng), "party_phone": mobile(rng), "party_bank_account": _bank_card(rng),
            "party_id_number": id_number(rng)}


def _fine(rng: random.Random, power: DemoPower, variant: Variant, party_type: str) -> Decimal | None:
    """A fine within the range of the text in force on the decision date."""
    if not variant.fine:
        return None
    low, high = variant.fine
    if party_type == "person" and high > 1000 and not power.for_persons:
        high = max(low, min(high, Decimal(5000)))
    step = Decimal(100) if high >= 1000 else Decimal(10)
    value = low + (high - low) * Decimal(rng.random())
    value = (value / step).quantize(Decimal(1)) * step
    return max(value, low if low > 0 else step)


def _facts(rng: random.Random, p: dict, power: DemoPower, variant: Variant, when: date, witness: str) -> str:
    behaviour = power.behaviour.replace(power.citation, variant.citation)  # a name may cite today's number
    place = p["party_address"] if p["party_type"] != "person" else f"{rng.choice(COMMUNITIES)}附近"
    who = "当事人" if p["party_type"] != "sole_trader" else f"当事人（经营者{p['party_legal_rep']}）"
    text = (f"{when.year}年{when.month}月{when.day}日，执法人员在{place}检查时发现，{who}存在{behaviour or '违法行为'}"
            f"的行为，违反了{variant.citation}的规定。")
    roll = rng.random()
    if p["party_type"] == "person" and roll < 0.5:
        text += f"当事人{p['party_name']}（身份证号：{p['party_id_number']}，联系电话：{p['party_phone']}）对上述事实无异议。"
    elif p["party_type"] == "person" and roll < 0.8:
        text += f"经询问，当事人现住{p['party_address']}，联系电话{p['party_phone']}。"
    elif p["party_type"] == "sole_trader" and roll < 0.6:
        text += f"经营者{p['party_legal_rep']}（手机{p['party_phone']}）在现场笔录上签字确认。"
    if rng.random() < 0.35:
        text += f"证人{witness}在场作证，现场拍照取证。"
    if rng.random() < 0.1:
        text += f"当事人通过银行账号{p['party_bank_account']}缴纳罚款。"
    return text


def _available(pools: dict, kind: str, day: date, candidates: list[DemoPower],
               everything: list[DemoPower]) -> list[DemoPower]:
    """The powers of a kind whose provision was in force on ``day`` (a decision cites the law of its date).

    Falls back to any power in force that day (early dates have few laws in the library).
    """
    key = (kind, day)
    if key not in pools:
        pool = [p for p in candidates if p.on(day)]
        if not pool:
            pool = [p for p in everything if p.on(day)]
        pools[key] = pool
    return pools[key]


def generate(n: int, powers: list[DemoPower], officers: list[dict], seed: int = 2021) -> Iterator[dict]:
    """Yield n import-format decision records (with references as ids, ready for the bulk writer)."""
    rng = random.Random(seed)
    penalties = [p for p in powers if p.category == "penalty"]
    inspections = [p for p in powers if p.category == "inspection"] or penalties
    coercions = [p for p in powers if p.category == "coercion"] or penalties
    team = [o for o in officers if o["agency_credit_code"] == ENFORCEMENT_TEAM]
    safety = [o for o in officers if o["agency_credit_code"] == SAFETY_TEAM] or team
    expired = [o for o in officers if o["credential_expires_on"] < TODAY]
    counters: dict[tuple[int, str], int] = {}
    pools: dict[tuple[str, date], list[DemoPower]] = {}
    cal = calendar.current()
    wrongly_confirmed_left = 5  # the audit must find a few values an officer wrongly confirmed as public
    for i in range(n):
        roll = rng.random()
        kind = "penalty" if roll < 0.8 else "inspection" if roll < 0.94 else "coercion"
        decided = _decided_on(rng)
        candidates = penalties if kind == "penalty" else inspections if kind == "inspection" else coercions
        power = rng.choice(_available(pools, kind, decided, candidates, powers))
        variant = power.on(decided)
        assert variant is not None
        party = _party(rng)
        year_key = (decided.year, kind)
        counters[year_key] = counters.get(year_key, 0) + 1
        agency = TOWN_GOV if kind != "inspection" or rng.random() < 0.6 else (
            SAFETY_TEAM if rng.random() < 0.3 else TOWN_GOV)
        pool = safety if agency == SAFETY_TEAM else team
        chosen = rng.sample(pool, 2)
        # Deliberate imperfections for the audit: ~1% one officer, ~1% an expired credential.
        quirk = rng.random()
        if quirk < 0.01:
            chosen = chosen[:1]
        elif quirk < 0.02 and expired:
            chosen[1] = rng.choice([o for o in expired if o is not chosen[0]] or expired)
        fine = _fine(rng, power, variant, party["party_type"]) if kind == "penalty" else None
        penalty_kinds = []
        if kind == "penalty":
            penalty_kinds = ["fine"] if fine else ["warning"]
            if fine and rng.random() < 0.03:
                penalty_kinds.append("suspension")
        procedure = "simple" if kind == "penalty" and fine is not None and fine <= (
            200 if party["party_type"] == "person" else 3000) and rng.random() < 0.3 else "ordinary"
        # Publication: mostly within 1-6 working days; ~8% late.
        late = rng.random() < 0.08
        limit = 7 if kind == "penalty" else 20
        delay = rng.randint(limit + 1, limit + 15) if late else rng.randint(1, limit - 1)
        published: date | None = cal.deadline(decided, delay).due
        if published > TODAY or (decided > TODAY - timedelta(days=30) and rng.random() < 0.2):
            published = None  # decided recently, not yet published
        status = "published" if published else "decided"
        ended_on = withdrawn_on = None
        ended_reason = withdrawal_reason = ""
        if published and rng.random() < 0.02:
            end_kind = rng.choice(list(REVOKE_REASONS))
            ended_on = min(published + timedelta(days=rng.randint(30, 200)), TODAY - timedelta(days=10))
            if ended_on > published:
                ended_reason = REVOKE_REASONS[end_kind]
                withdrawn_on = cal.deadline(ended_on, rng.randint(1, 3) if rng.random() < 0.8 else rng.randint(4, 9)).due
                withdrawal_reason = (f"该决定{ENDED_WORDS[end_kind]}，依据《中华人民共和国行政处罚法》第四十八条撤回原公示信息。"
                                     if withdrawn_on >= PENALTY_LAW_2021 else f"该决定{ENDED_WORDS[end_kind]}，依法撤回原公示信息。")
                status = "withdrawn" if withdrawn_on <= TODAY else end_kind
                if withdrawn_on > TODAY:
                    withdrawn_on, withdrawal_reason = None, ""
            else:
                ended_on = None
        witness = person_name(rng)
        while witness in {o["name"] for o in chosen} | {party["party_legal_rep"]}:  # nor an officer or the party
            witness = person_name(rng)
        facts = _facts(rng, party, power, variant, decided - timedelta(days=rng.randint(5, 40)), witness)
        masking_confirmed = ""
        if (wrongly_confirmed_left and party["party_type"] == "person" and status == "published"
                and published >= TODAY - timedelta(days=60)):
            wrongly_confirmed_left -= 1
            masking_confirmed = f"139{(i + 1) * 7919 % 100_000_000:08d}"  # a third person's mobile
            facts += f"现场另一名联系人的手机号码为{masking_confirmed}。"
        result = ""
        if kind == "penalty":
            result = "给予警告。" if not fine else f"罚款人民币{fine:,.0f}元，责令立即改正。"
            if "suspension" in penalty_kinds:
                result += "责令停业整顿。"
        elif kind == "inspection":
            result = rng.choice(["未发现问题。", "发现问题，已责令限期改正。", "责令立即改正，已复查合格。"])
        else:
            result = "依法暂扣相关物品，制作现场笔录和清单，全程音像记录。"
        name = power.name.replace(power.citation, variant.citation)  # cite the number in force on the date
        title = name.replace("的行政处罚", "案").replace("对", "", 1) if kind == "penalty" else name
        number = f"京兴西{KIND_WORD[kind]}字〔{decided.year}〕第{counters[year_key]:0{6 if n > 99999 else 4}d}号"
        yield {
            "_line": i + 1,
            "number": number,
            "kind": kind,
            "status": status,
            "procedure": procedure,
            "agency_id": None,
            "agency_credit_code": agency,
            "title": title,
            **party,
            "party_is_minor": party["party_type"] == "person" and rng.random() < 0.02,
            "other_names": [witness] if witness in facts else [],
            "facts": facts,
            "basis": f"{variant.citation}：{variant.paragraph}",
            "result": result,
            "penalty_kinds": penalty_kinds,
            "fine_amount": fine,
            "confiscation_amount": None,
            "discretion_adjusted": rng.random() < 0.04,
            "is_major": False,
            "filed_on": decided - timedelta(days=rng.randint(5, 80) if rng.random() < 0.97 else rng.randint(91, 120)),
            "decided_on": decided,
            "published_on": published,
            "ended_on": ended_on,
            "ended_reason": ended_reason,
            "withdrawn_on": withdrawn_on,
            "withdrawal_reason": withdrawal_reason,
            "officers": [o["credential_number"] for o in chosen],
            "powers": [power.code],
            "masking_confirmed": masking_confirmed,
        }
