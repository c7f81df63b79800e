"""Likely duplicate letters: same sender (by keyed hash, never by name) or similar content, ignoring diacritics."""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.models import Case
from caseflow.core.text import fold
from caseflow.inspection.models import DenunciationDetail, LetterDetail

_WORD = re.compile(r"[a-z0-9]+")
#: token-set similarity from which two contents are "the same content"
SAME_CONTENT = 0.8
#: from which a letter is shown as a possible duplicate
SIMILAR_CONTENT = 0.5


def content_fold(text: str | None) -> str:
    return " ".join(_WORD.findall(fold(text)))


def sender_key(secret: bytes, name: str | None) -> str | None:
    """A keyed hash of the folded name: letters of the same sender match, the name is not stored."""
    folded = content_fold(name)
    if not folded:
        return None
    return hmac.new(secret, ("sender:" + folded).encode(), hashlib.sha256).hexdigest()


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word sets (words of 2+ letters) of two folded texts."""
    wa = {w for w in a.split() if len(w) > 1}
    wb = {w for w in b.split() if len(w) > 1}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


@dataclass(frozen=True)
class Duplicate:
    case_id: int
    code: str
    state: str
    same_sender: bool
    similarity: float


def likely_duplicates(session: Session, letter: LetterDetail, limit: int = 5, scan: int = 2000) -> list[Duplicate]:
    """Other letters of the same sender or with similar content, best first."""
    rows = session.execute(
        select(Case.id, Case.code, Case.state, LetterDetail.sender_key, LetterDetail.content_fold)
        .join(LetterDetail, LetterDetail.case_id == Case.id)
        .where(Case.id != letter.case_id, Case.unit_id == letter.case.unit_id)
        .order_by(Case.id.desc()).limit(scan)).all()
    found = []
    for case_id, code, state, key, text in rows:
        same_sender = bool(letter.sender_key) and key == letter.sender_key
        score = similarity(letter.content_fold, text or "")
        if (same_sender and score >= SIMILAR_CONTENT / 2) or score >= SIMILAR_CONTENT:
            found.append(Duplicate(case_id, code, state, same_sender, round(score, 2)))
    found.sort(key=lambda d: (not d.same_sender, -d.similarity))
    return found[:limit]


def transferred_before(session: Session, case_id: int, text_fold: str, key: str | None,
                       accused: str | None = None) -> str | None:
    """The code of an earlier denunciation with the same content already transferred (Luật Tố cáo 2018,
    Art. 24: a denunciation with the same content is transferred only once), else None."""
    letters = session.execute(
        select(Case.code, LetterDetail.content_fold, LetterDetail.sender_key)
        .join(LetterDetail, LetterDetail.case_id == Case.id)
        .where(Case.id != case_id, Case.state == "transferred", LetterDetail.content_type == "denunciation")).all()
    for code, other, other_key in letters:
        if similarity(text_fold, other or "") >= SAME_CONTENT and (not key or not other_key or key == other_key):
            return code
    denunciations = session.execute(
        select(Case.code, DenunciationDetail.content_fold, DenunciationDetail.accused)
        .join(DenunciationDetail, DenunciationDetail.case_id == Case.id)
        .where(Case.id != case_id, Case.state == "transferred")).all()
    for code, other, other_accused in denunciations:
        same_accused = not accused or not other_accused or content_fold(accused) == content_fold(other_accused)
        if similarity(text_fold, other or "") >= SAME_CONTENT and same_accused:
            return code
    return None
