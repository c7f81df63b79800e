"""Errors as a Vietnamese page for people and a JSON reason for JSON clients; never a bare 500."""
from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from caseflow.core.engine.errors import WorkflowError
from caseflow.core.i18n import _
from caseflow.extensions import db
from caseflow.web.uploads import too_large_message


def wants_json() -> bool:
    if request.is_json or request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _messages() -> dict:
    return {
        400: _("The request is not valid."),
        403: _("You do not have permission to do this."),
        404: _("Not found, or you do not have access to it."),
        405: _("This method is not allowed here."),
        409: _("The case was changed by someone else meanwhile. Reload it and try again."),
        413: too_large_message(),
        422: _("The data sent is not valid."),
        429: _("Too many attempts from your address. Wait a while and try again."),
        500: _("An internal error occurred. The administrators have been informed."),
    }


def error_response(status: int, message: str, code: str | None = None, **details):
    if wants_json():
        return jsonify({"error": code or str(status), "message": message, **details}), status
    return render_template("errors/error.html", status=status, message=message, details=details), status


def _carries_nul() -> bool:
    """A NUL character in a query or form value (or a JSON string): PostgreSQL text cannot hold it."""
    values = [v for _k, v in request.args.items(multi=True)]
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        values += [v for _k, v in request.form.items(multi=True)]
        if request.is_json:
            raw = request.get_data(as_text=True)
            if "\\u0000" in raw:
                return True
    return any("\x00" in v for v in values)


def register(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        # malformed input is a 400 with a message, never a database error (500) on PostgreSQL
        if _carries_nul():
            return error_response(400, _messages()[400], "bad_request")
        return None

    @app.errorhandler(WorkflowError)
    def workflow_error(exc: WorkflowError):
        db.session.rollback()
        return error_response(exc.status, exc.message, exc.code, **exc.details)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return error_response(400, _("The form has expired or was tampered with (CSRF). Reload the page and "
                                     "try again."), "csrf")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        return error_response(status, _messages().get(status, exc.description or ""), str(status))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, _messages()[500], "internal")
