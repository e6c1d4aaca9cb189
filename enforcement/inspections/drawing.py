"""The published draw algorithm (双随机): commitment, deterministic PRNG, selection, verification.

Pure functions over plain data, no database: the platform draws with them and
anyone re-runs a past draw with them from the published JSON document alone
(``python -m enforcement.inspections.drawing draw.json``). The specification
is docs/draw-verification.md; changing anything here changes published
results, so a new behaviour needs a new ALGORITHM name.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ALGORITHM = "XHM-DRAW-1"
SAMPLE_LABEL = "XHM-SAMPLE-1"
_U64 = 1 << 64


class DrawError(ValueError):
    """The pools cannot satisfy the plan (e.g. too few inspectors without a conflict)."""


def canonical_json(obj: Any) -> bytes:
    """UTF-8 JSON, keys sorted, no insignificant whitespace, non-ASCII kept as is."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def new_seed() -> str:
    """A secret seed: 32 random bytes as 64 lowercase hex characters."""
    return secrets.token_hex(32)


def commitment(pools: dict[str, Any], seed: str) -> str:
    """SHA-256 over the canonical pools document, a line feed, and the seed's ASCII text."""
    return hashlib.sha256(canonical_json(pools) + b"\n" + seed.encode("ascii")).hexdigest()


class HmacStream:
    """Deterministic random integers: HMAC-SHA256(key=seed, label ‖ counter) in counter mode."""

    def __init__(self, seed: str, label: str = ALGORITHM):
        self._key = seed.encode("utf-8")
        self._label = label.encode("ascii")
        self.counter = 0

    def _block(self) -> int:
        msg = self._label + self.counter.to_bytes(8, "big")
        self.counter += 1
        return int.from_bytes(hmac.new(self._key, msg, hashlib.sha256).digest()[:8], "big")

    def below(self, n: int) -> int:
        """Uniform integer in [0, n), by rejection so that no value is favoured."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _U64 - _U64 % n
        while True:
            value = self._block()
            if value < limit:
                return value % n


def pick(stream: HmacStream, items: Sequence[Any], k: int) -> list[Any]:
    """The first k of a partial Fisher–Yates shuffle of ``items`` (in their given order)."""
    pool = list(items)
    k = min(k, len(pool))
    for i in range(k):
        j = i + stream.below(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def target_count(pool_size: int, ratio_percent: str) -> int:
    """ceil(pool × ratio), at least one when the pool is not empty; ratio as a decimal string."""
    whole, _, frac = ratio_percent.partition(".")
    hundredths = int(whole) * 100 + int((frac + "00")[:2])  # percent with two decimals
    if pool_size == 0:
        return 0
    return min(pool_size, max(1, -(-pool_size * hundredths // 10000)))


@dataclass
class DrawnTarget:
    code: str
    inspectors: list[str]
    recused: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "inspectors": self.inspectors, "recused": self.recused}


def run_draw(pools: dict[str, Any], seed: str) -> list[DrawnTarget]:
    """Select targets at the plan's ratio, then inspectors for each, replacing any with a conflict."""
    plan = pools["plan"]
    targets = sorted(t["code"] for t in pools["targets"])
    inspectors = sorted(i["credential_number"] for i in pools["inspectors"])
    conflicts = {(c["credential_number"], c["target_code"]) for c in pools["conflicts"]}
    per_target = int(plan["inspectors_per_target"])
    stream = HmacStream(seed, pools.get("algorithm", ALGORITHM))
    drawn = []
    for code in pick(stream, targets, target_count(len(targets), plan["ratio_percent"])):
        candidates = list(inspectors)
        chosen: list[str] = []
        recused: list[str] = []
        i = 0
        while len(chosen) < per_target and i < len(candidates):
            j = i + stream.below(len(candidates) - i)
            candidates[i], candidates[j] = candidates[j], candidates[i]
            (recused if (candidates[i], code) in conflicts else chosen).append(candidates[i])
            i += 1
        if len(chosen) < per_target:
            raise DrawError(f"检查对象 {code} 可用的无利害关系执法人员不足{per_target}名")
        drawn.append(DrawnTarget(code, chosen, recused))
    return drawn


def pools_of(document: dict[str, Any]) -> dict[str, Any]:
    """The committed part of a published document (everything the seed was committed together with)."""
    return {k: document[k] for k in ("algorithm", "plan", "targets", "inspectors", "conflicts")}


@dataclass
class Verification:
    ok: bool
    problems: list[str]
    result: list[DrawnTarget]


def verify(document: dict[str, Any]) -> Verification:
    """Re-run a published draw: the commitment must match, and the re-run must equal the published result."""
    problems: list[str] = []
    if document.get("algorithm") != ALGORITHM:
        return Verification(False, [f"未知算法 {document.get('algorithm')!r}，本程序实现 {ALGORITHM}"], [])
    seed = document.get("seed")
    if not seed:
        return Verification(False, ["种子尚未公布：抽取完成后才能验证"], [])
    pools = pools_of(document)
    if commitment(pools, seed) != document.get("commitment"):
        problems.append("承诺值不符：公布的名录库或种子与抽取前公布的承诺值不一致")
    try:
        rerun = run_draw(pools, seed)
    except DrawError as e:
        return Verification(False, [*problems, str(e)], [])
    published = document.get("result") or []
    if [t.as_dict() for t in rerun] != published:
        problems.append("重新抽取的结果与公布的结果不一致")
    return Verification(not problems, problems, rerun)


def main_document(document: dict[str, Any]) -> int:
    """Verify one published document, print each drawn target and any discrepancy; exit status."""
    outcome = verify(document)
    for t in outcome.result:
        print(f"{t.code}\t{'、'.join(t.inspectors)}" + (f"\t回避：{'、'.join(t.recused)}" if t.recused else ""))
    for problem in outcome.problems:
        print("不一致：" + problem)
    print("验证通过：结果与公布一致" if outcome.ok else "验证失败")
    return 0 if outcome.ok else 1


def main(argv: list[str] | None = None) -> int:
    """Verify a downloaded draw document: ``python -m enforcement.inspections.drawing draw.json``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("用法：python -m enforcement.inspections.drawing 抽取公示.json", file=sys.stderr)
        return 2
    return main_document(json.loads(Path(args[0]).read_text(encoding="utf-8")))

if __name__ == "__main__":
    raise SystemExit(main())
