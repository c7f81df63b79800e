"""Upload limits of the staff pages: a file over its limit is refused by the form that carries it, with
everything typed kept and the limit stated (never a bare 413 page that throws the form away)."""
from __future__ import annotations

from flask import current_app, request
from wtforms.validators import ValidationError

from caseflow.core.i18n import _

MB = 1024 * 1024


def max_file_bytes() -> int:
    """The largest file a staff form accepts (UPLOAD_MAX_FILE_MB)."""
    return int(current_app.config.get("UPLOAD_MAX_FILE_MB", 10)) * MB


def limit_text() -> str:
    """The limit as printed beside every file field."""
    return _("At most %(mb)d MB per file.", mb=max_file_bytes() // MB)


def too_large_message() -> str:
    return _("The file is too large: at most %(mb)d MB per file.", mb=max_file_bytes() // MB)


def size_of(upload) -> int:
    """The size of an uploaded file (Werkzeug spools it to disk: measuring it reads nothing into memory)."""
    stream = getattr(upload, "stream", None)
    if stream is None:
        return 0
    position = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(position)
    return size


def too_large(upload) -> bool:
    return bool(upload is not None and getattr(upload, "filename", "")) and size_of(upload) > max_file_bytes()


class FileSizeLimit:
    """WTForms validator: the file field's own error when the file is over the limit."""

    def __call__(self, form, field):
        if too_large(field.data):
            raise ValidationError(too_large_message())


def uploads_reach_the_form():
    """Let a request carrying an over-size file reach the form that refuses it with what was typed kept:
    the request ceiling (UPLOAD_MAX_REQUEST_MB) is well above the per-file limit. Installed first among the
    app's before-request functions, since CSRF protection reads the form before any view runs."""
    if request.max_content_length is not None and request.mimetype == "multipart/form-data":
        ceiling = int(current_app.config.get("UPLOAD_MAX_REQUEST_MB", 64)) * MB
        request.max_content_length = max(request.max_content_length, ceiling)


def register(app) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, uploads_reach_the_form)
    app.jinja_env.globals.update(upload_limit_text=limit_text, upload_max_bytes=max_file_bytes,
                                 upload_too_large=too_large_message)
