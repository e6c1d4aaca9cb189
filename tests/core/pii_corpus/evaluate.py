"""Scoring the masking engine on the labelled corpus: recall and precision per kind.

A gold span counts as *hidden* when every occurrence of its value in the text lies inside findings, and
as *hidden without asking* when those findings are all high-confidence. A finding counts as *right* for
precision when it overlaps a gold span of the same record. Negative texts contain no gold spans, so
every finding in them is wrong. The statute texts the platform ships are negatives too, one article
at a time.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from enforcement.core import masking
from tests.core.pii_corpus import generate

HERE = Path(__file__).parent
HIGH_CONFIDENCE_KINDS = ("id_number", "id_document", "phone", "bank_account", "email", "im_account", "licence_plate")


def _jsonl(name: str) -> list[dict]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def positives() -> list[dict]:
    return _jsonl("positives_handwritten.jsonl") + generate.positives()


def statute_articles() -> list[dict]:
    out = []
    for path in files("enforcement").joinpath("data", "laws").iterdir():
        if path.name.endswith(".md"):
            for article in re.split(r"\n(?=第[一二三四五六七八九十百零]+条)", path.read_text(encoding="utf-8")):
                if article.strip():
                    out.append({"text": article.strip(), "note": "statute"})
    return out


def negatives() -> list[dict]:
    return _jsonl("negatives_handwritten.jsonl") + generate.negatives() + statute_articles()


def context_of(case: dict) -> masking.Context:
    ctx = case.get("context") or {}
    party = ctx.get("party") or {}
    organisation = re.search(r"(?:公司|中心|店|厂|站|部|社|馆|所|院|队|会|处)$", party.get("name") or "")
    return masking.context(
        party_names=[party["name"]] if party.get("name") and not organisation else [],
        numbers=[(kind, party[key]) for key, kind in (("id_number", "id_number"), ("phone", "phone"),
                                                      ("account", "bank_account")) if party.get(key)],
        addresses=[party["address"]] if party.get("address") else [],
        keep=(ctx.get("keep") or []) + ([party["name"]] if organisation else []))


@dataclass
class Scores:
    spans: Counter = field(default_factory=Counter)
    hidden: Counter = field(default_factory=Counter)
    hidden_certain: Counter = field(default_factory=Counter)
    findings: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    misses: dict = field(default_factory=dict)
    false_alarms: list = field(default_factory=list)

    def recall(self, kind: str, certain: bool = False) -> float:
        got = (self.hidden_certain if certain else self.hidden)[kind]
        return got / self.spans[kind] if self.spans[kind] else 1.0

    def precision(self, kind: str) -> float:
        return self.right[kind] / self.findings[kind] if self.findings[kind] else 1.0

    def table(self) -> str:
        rows = [f"{'kind':<14}{'spans':>7}{'recall':>8}{'recall@high':>12}{'findings':>10}{'precision':>10}"]
        for kind in masking.KIND_LABELS:
            rows.append(f"{kind:<14}{self.spans[kind]:>7}{self.recall(kind):>8.3f}{self.recall(kind, True):>12.3f}"
                        f"{self.findings[kind]:>10}{self.precision(kind):>10.3f}")
        return "\n".join(rows)


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    pos = start
    for s, e in sorted(spans):
        if s <= pos < e:
            pos = e
        if pos >= end:
            return True
    return pos >= end


def evaluate(pos: list[dict], neg: list[dict]) -> Scores:
    scores = Scores()
    for case in pos:
        text, found = case["text"], masking.scan(case["text"], context_of(case))
        all_spans = [(f.start, f.end) for f in found]
        certain_spans = [(f.start, f.end) for f in found if f.certain]
        gold = []
        for span in case["spans"]:
            kind, value = span["kind"], span["value"]
            scores.spans[kind] += 1
            where = [(m.start(), m.end()) for m in re.finditer(re.escape(value), text)]
            gold += where
            if where and all(_covered(all_spans, s, e) for s, e in where):
                scores.hidden[kind] += 1
            else:
                scores.misses.setdefault(kind, []).append((value, text))
            if where and all(_covered(certain_spans, s, e) for s, e in where):
                scores.hidden_certain[kind] += 1
        for f in found:
            scores.findings[f.kind] += 1
            if any(f.start < e and s < f.end for s, e in gold):
                scores.right[f.kind] += 1
            else:
                scores.false_alarms.append((f.kind, f.value, text))
    for case in neg:
        for f in masking.scan(case["text"], context_of(case)):
            scores.findings[f.kind] += 1
            scores.false_alarms.append((f.kind, f.value, case["text"][:80]))
    return scores
