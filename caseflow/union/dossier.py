"""Dossiers as checklists: the items a workflow declares, the files uploaded against each, and what is
missing before a transition that needs a complete dossier may fire."""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.engine.definition import Definition
from caseflow.core.models import Attachment, Case, User
from caseflow.core.text import nfc
from caseflow.union.config import DossierItem, dossier_items

CHUNK = 1 << 16


class DuplicateFile(Exception):
    """The same content is already filed under this dossier item."""

    def __init__(self, existing: Attachment):
        super().__init__(existing.filename)
        self.existing = existing


@dataclass
class ChecklistRow:
    item: DossierItem
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.attachments)


def checklist(session: Session, case: Case, definition: Definition) -> list[ChecklistRow]:
    rows = {item.key: ChecklistRow(item) for item in dossier_items(session, definition)}
    for att in session.scalars(select(Attachment).where(Attachment.case_id == case.id,
                                                        Attachment.dossier_item.is_not(None))
                               .order_by(Attachment.uploaded_dt, Attachment.id)):
        if att.dossier_item in rows:
            rows[att.dossier_item].attachments.append(att)
    return list(rows.values())


def missing_items(session: Session, case: Case, definition: Definition, keys: Iterable[str]) -> list[DossierItem]:
    """The required items among `keys` with no file uploaded (an admin may make [R]/[U] items optional)."""
    wanted = list(keys)
    by_key = {row.item.key: row for row in checklist(session, case, definition)}
    return [by_key[k].item for k in wanted if k in by_key and by_key[k].item.required and not by_key[k].present]


def store_file(storage_dir: str | Path, stream: BinaryIO) -> tuple[str, str, int]:
    """Stream a file into the content-addressed store; returns (storage key, SHA-256, size).
    The same content is stored once; a partial write never becomes visible (atomic rename)."""
    root = Path(storage_dir) / "attachments"
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        key = f"attachments/{sha[:2]}/{sha}"
        target = Path(storage_dir) / key
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_name, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return key, sha, size


def attach(session: Session, storage_dir: str | Path, case: Case, item_key: str | None, filename: str,
           stream: BinaryIO, content_type: str, actor: User) -> Attachment:
    key, sha, size = store_file(storage_dir, stream)
    if item_key is not None:
        # the same content once per item: eight copies of one scan make a checklist look complete to no purpose
        # (the store keeps one copy of the bytes anyway, content-addressed)
        existing = session.scalar(select(Attachment).where(Attachment.case_id == case.id,
                                                           Attachment.dossier_item == item_key,
                                                           Attachment.sha256 == sha).limit(1))
        if existing is not None:
            raise DuplicateFile(existing)
    name = nfc(os.path.basename(filename.replace("\\", "/")))[:255] or "file"
    attachment = Attachment(case_id=case.id, filename=name, content_type=(content_type or "")[:100] or
                            "application/octet-stream", size=size, sha256=sha, storage_key=key,
                            dossier_item=item_key, uploaded_by_id=actor.id)
    session.add(attachment)
    return attachment


def open_stored(storage_dir: str | Path, attachment: Attachment) -> Path:
    path = (Path(storage_dir) / attachment.storage_key).resolve()
    if not path.is_relative_to(Path(storage_dir).resolve()):
        raise ValueError("storage key outside the store")
    return path
