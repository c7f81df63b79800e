"""An uploaded import file (a register, a membership list) kept in the instance folder between its dry run and
its commit, named by a random token: the commit reads back exactly the file that was checked."""
from __future__ import annotations

import re
import uuid
from pathlib import Path

from flask import abort, current_app


def _folder() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keep(content: bytes, ext: str, prefix: str = "") -> str:
    """Store the file; its token (`<prefix><32 hex>.<ext>`) names it in the commit's URL."""
    token = f"{prefix}{uuid.uuid4().hex}.{ext}"
    (_folder() / token).write_bytes(content)
    return token


def stored(token: str, prefix: str = "") -> tuple[Path, str]:
    """The kept file of a token and its format; 404 for a token of another shape or prefix, or a file gone."""
    if not re.fullmatch(rf"{re.escape(prefix)}[0-9a-f]{{32}}\.(xlsx|csv)", token or ""):
        abort(404)
    path = _folder() / token
    if not path.exists():
        abort(404)
    return path, token.rsplit(".", 1)[1]
