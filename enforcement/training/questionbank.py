"""The question bank as data: enforcement/data/questions/<subject>.json, upserted by question code.

Each question cites the article it tests (a citation the law library resolves,
pinned to a version) and names a phrase of that article (``keyword``), so a wrong
or renumbered reference fails the load instead of teaching the wrong article.
True/false questions are stored as two-option single choice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from enforcement.core import audit_log
from enforcement.core.enums import QuestionKind, TrainingSubject
from enforcement.core.records import ImportRejected, RowError
from enforcement.disclosure.laws import resolve_citation
from enforcement.extensions import db
from enforcement.training.models import Question

BANK_DIR = Path(__file__).resolve().parent.parent / "data" / "questions"
TRUE_FALSE_OPTIONS = ["正确", "错误"]


def read_bank(directory: Path = BANK_DIR) -> list[dict[str, Any]]:
    questions = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for q in data["questions"]:
            questions.append({**q, "subject": data["subject"], "_file": path.name})
    return questions


def _check(q: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """The question as stored, or the problems that stop it loading."""
    problems = []
    if q.get("subject") not in TrainingSubject.labels():
        problems.append(f"科目 {q.get('subject')} 无效")
    kind = q.get("kind")
    if kind not in QuestionKind.labels():
        return None, [*problems, f"题型 {kind} 无效"]
    if kind == QuestionKind.TRUE_FALSE:
        if not isinstance(q.get("answer"), bool):
            problems.append("判断题答案应为 true 或 false")
        options, answer = TRUE_FALSE_OPTIONS, "A" if q.get("answer") else "B"
    else:
        options, answer = q.get("options") or [], str(q.get("answer") or "")
        letters = {chr(ord("A") + i) for i in range(len(options))}
        if len(options) < 2:
            problems.append("至少需要两个选项")
        if not answer or not set(answer) <= letters or "".join(sorted(set(answer))) != answer:
            problems.append(f"答案 {answer} 不在选项范围内或未按字母顺序书写")
        if kind == QuestionKind.SINGLE and len(answer) != 1:
            problems.append("单选题只能有一个答案")
        if kind == QuestionKind.MULTIPLE and len(answer) < 2:
            problems.append("多选题至少有两个正确选项")
    for name in ("code", "stem", "explanation", "citation"):
        if not str(q.get(name) or "").strip():
            problems.append(f"缺少 {name}")
    article_id = None
    if q.get("citation"):
        try:
            article = resolve_citation(q["citation"])
        except ValueError as e:
            problems.append(str(e))
        else:
            article_id = article.id
            keyword = str(q.get("keyword") or "")
            if keyword and keyword not in article.text:  # a renumbered or mis-cited article
                problems.append(f"{q['citation']}的条文不含“{keyword}”，引用的条文或版本有误")
    if problems:
        return None, problems
    return {"code": q["code"], "subject": q["subject"], "kind": kind, "stem": q["stem"].strip(),
            "options_json": json.dumps(options, ensure_ascii=False), "answer": answer,
            "explanation": q["explanation"].strip(), "article_id": article_id}, []


def load_bank(directory: Path = BANK_DIR) -> tuple[int, int]:
    """Validate every question, then upsert all or none; returns (created, updated)."""
    rows, errors, seen = [], [], set()
    for i, q in enumerate(read_bank(directory), 1):
        row, problems = _check(q)
        if q.get("code") in seen:
            problems.append("题号重复")
        seen.add(q.get("code"))
        errors.extend(RowError(i, q.get("code", ""), q.get("_file", ""), p) for p in problems)
        if row:
            rows.append(row)
    if errors:
        raise ImportRejected(errors)
    existing = {q.code: q for q in db.session.scalars(select(Question))}
    created = updated = 0
    for row in rows:
        question = existing.get(row["code"])
        if question is None:
            db.session.add(Question(**row))
            created += 1
        elif any(getattr(question, k) != v for k, v in row.items()):
            for k, v in row.items():
                setattr(question, k, v)
            updated += 1
    db.session.flush()
    if created or updated:
        audit_log.record("training.questions.load", "training_question", "",
                         after={"created": created, "updated": updated})
    return created, updated
