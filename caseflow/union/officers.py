"""Officers elected at a congress or a BCH meeting, entered one per line: "Họ tên | chức danh[, chức danh]
[| quản lý]". Positions follow the union's Charter; BTV only where the BCH has 9+ members (HD 38 §10.4 [R])."""
from __future__ import annotations

from dataclasses import dataclass

from caseflow.core.i18n import _
from caseflow.core.text import fold, nfc
from caseflow.union.models import BCH_POSITIONS

#: accepted spellings (diacritics ignored) -> position key
POSITION_WORDS = {
    "chu tich": "chair", "chair": "chair",
    "pho chu tich": "vice_chair", "vice chair": "vice_chair", "vice_chair": "vice_chair",
    "uy vien btv": "btv_member", "uy vien ban thuong vu": "btv_member", "btv": "btv_member",
    "btv_member": "btv_member",
    "uy vien bch": "bch_member", "uy vien ban chap hanh": "bch_member", "bch": "bch_member",
    "bch_member": "bch_member",
    "chu nhiem ubkt": "ubkt_chair", "chu nhiem uy ban kiem tra": "ubkt_chair", "ubkt_chair": "ubkt_chair",
    "uy vien ubkt": "ubkt_member", "uy vien uy ban kiem tra": "ubkt_member", "ubkt": "ubkt_member",
    "ubkt_member": "ubkt_member",
}
#: a third column marking a manager of a non-state enterprise: not eligible as an officer [R]
MANAGER_WORDS = {"quan ly", "manager", "giam doc", "pho giam doc"}
POSITION_LABELS = {
    "chair": {"vi": "Chủ tịch", "en": "Chair"},
    "vice_chair": {"vi": "Phó Chủ tịch", "en": "Vice-chair"},
    "btv_member": {"vi": "Ủy viên Ban Thường vụ", "en": "Standing committee member"},
    "bch_member": {"vi": "Ủy viên Ban Chấp hành", "en": "Executive committee member"},
    "ubkt_chair": {"vi": "Chủ nhiệm Ủy ban Kiểm tra", "en": "Inspection committee chair"},
    "ubkt_member": {"vi": "Ủy viên Ủy ban Kiểm tra", "en": "Inspection committee member"},
}


@dataclass(frozen=True)
class Officer:
    name: str
    positions: tuple[str, ...]
    manager: bool = False

    @property
    def in_bch(self) -> bool:
        return any(p in BCH_POSITIONS for p in self.positions)


def parse_officers(text: str | None) -> tuple[list[Officer], list[str]]:
    """(officers, problems); a problem names the line."""
    officers, problems = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = nfc(raw)
        if not line:
            continue
        cols = [c.strip() for c in line.split("|")]
        if len(cols) < 2 or not cols[0]:
            problems.append(_("Officers, line %(n)d: expected “full name | position”.", n=number))
            continue
        positions = []
        for word in cols[1].split(","):
            key = POSITION_WORDS.get(" ".join(fold(word).split()))
            if key is None:
                problems.append(_("Officers, line %(n)d: unknown position “%(p)s”.", n=number, p=word.strip()))
            elif key not in positions:
                positions.append(key)
        if positions and positions != ["bch_member"] and any(p in ("chair", "vice_chair", "btv_member")
                                                              for p in positions) and "bch_member" in positions:
            positions.remove("bch_member")  # chair, vice-chairs and BTV are BCH members anyway
        manager = len(cols) > 2 and " ".join(fold(cols[2]).split()) in MANAGER_WORDS
        officers.append(Officer(cols[0], tuple(positions), manager))
    return officers, problems


def bch_size(officers: list[Officer]) -> int:
    return len({fold(o.name) for o in officers if o.in_bch})


def has_btv(officers: list[Officer]) -> bool:
    return any("btv_member" in o.positions for o in officers)
