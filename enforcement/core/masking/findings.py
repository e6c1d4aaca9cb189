"""What a recogniser reports: a kind, a span, a confidence and the reason, as Presidio's ``RecognizerResult``."""

from __future__ import annotations

from dataclasses import dataclass

# Confidence thresholds (0–1). At or above HIGH a finding is masked without asking; from SUSPECT up it is
# masked too, but the officer must decide it (mask or confirm public) before publishing; below SUSPECT it
# is dropped.
HIGH = 0.75
SUSPECT = 0.35

KIND_LABELS = {
    "id_number": "身份证号码",
    "id_document": "证件号码",
    "phone": "电话号码",
    "bank_account": "银行账号",
    "email": "电子邮箱",
    "im_account": "社交账号",
    "licence_plate": "车牌号码",
    "address": "住址",
    "health": "健康信息",
    "name": "他人姓名",
}


@dataclass(frozen=True)
class Finding:
    """One suspected private value: ``text[start:end] == value`` in the text that was scanned.

    ``score`` is the confidence in [0, 1]; ``reason`` says in Chinese why it was flagged (shown to the
    officer in the publish check and to the supervisor in the masking audit).
    """

    kind: str
    start: int
    end: int
    value: str
    score: float = 1.0
    reason: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def certain(self) -> bool:
        """High confidence: masked without asking anyone."""
        return self.score >= HIGH

    @property
    def confidence_label(self) -> str:
        return "高" if self.score >= HIGH else "中" if self.score >= 0.5 else "低"


def without_overlaps(found: list[Finding]) -> list[Finding]:
    """Overlapping findings merged into one span covering them all, labelled by the most confident.

    Masking the union is the safe choice: an ID inside a longer number hides the whole number, a
    phone next to an address hides both.
    """
    found = sorted(found, key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for f in found:
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            best = f if (f.score, f.end - f.start) > (last.score, last.end - last.start) else last
            start, end = last.start, max(last.end, f.end)
            value = last.value + f.value[last.end - f.start:] if f.end > last.end else last.value
            merged[-1] = Finding(best.kind, start, end, value, best.score, best.reason)
            continue
        merged.append(f)
    return merged
