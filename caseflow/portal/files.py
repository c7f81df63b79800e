"""Files a sender adds: checked by content (not by the name a phone gives them), size-limited, the name made
safe, then stored as the desk stores them: a legal-aid file as a case attachment, a letter's file with the
protected identity (a file the sender made may show who they are, Luật Tố cáo 2018 Art. 47(2))."""
from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import Session

from caseflow.core.i18n import _
from caseflow.core.models import Case, User, utcnow
from caseflow.core.text import nfc

#: what a file must start with to be taken as its type (an SVG, HTML or script is none of these)
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpg", "jpeg": "jpg", "docx": "docx"}
MIME = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
MAX_NAME = 120


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    data: bytes

    @property
    def mimetype(self) -> str:
        return MIME[self.kind]


def safe_name(filename: str | None) -> str:
    """The name without folders, control or markup characters, in NFC, at most MAX_NAME characters; the
    extension kept. Vietnamese letters stay (werkzeug's secure_filename would turn “Hợp đồng” into “Hop_ong”)."""
    base = nfc(os.path.basename((filename or "").replace("\\", "/")))
    kept = "".join(ch if (unicodedata.category(ch)[0] in "LN" or ch in " ._-()") else "_" for ch in base)
    kept = " ".join(kept.split()).strip(" .") or "tep"
    stem, dot, ext = kept.rpartition(".")
    if not dot:
        return kept[:MAX_NAME]
    return f"{stem[:MAX_NAME - len(ext) - 1]}.{ext[:10]}"


def check(upload, max_bytes: int) -> tuple[CheckedFile | None, str | None]:
    """(the file, None) or (None, why it is refused); (None, None) when no file was chosen."""
    if upload is None or not getattr(upload, "filename", ""):
        return None, None
    name = safe_name(upload.filename)
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    kind = EXTENSIONS.get(ext)
    if kind is None:
        return None, _("Only PDF, JPG, PNG or DOCX files can be sent.")
    data = upload.stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return None, _("The file is larger than %(n)d MB.", n=max_bytes // (1024 * 1024))
    if not data:
        return None, _("The file is empty.")
    if not data.startswith(SIGNATURES[kind]):
        return None, _("The file's content is not a %(kind)s file.", kind=kind.upper())
    return CheckedFile(name, kind, data), None


def store(session: Session, storage_dir: str, case: Case, checked: CheckedFile, actor: User) -> int:
    """Keep the file as the desk keeps it; returns the id of the row (attachment or protected scan)."""
    if case.kind == "legal_aid":
        from caseflow.union.dossier import attach

        row = attach(session, storage_dir, case, None, checked.name, io.BytesIO(checked.data), checked.mimetype, actor)
    else:
        from caseflow.inspection.models import ProtectedScan

        row = ProtectedScan(case_id=case.id, filename=checked.name, content_type=checked.mimetype,
                            sha256=hashlib.sha256(checked.data).hexdigest(), data=checked.data,
                            uploaded_by_id=actor.id, uploaded_dt=utcnow())
        session.add(row)
    session.flush()
    return row.id
