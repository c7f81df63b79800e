"""The public portal (/cong-khai/): no account; ask for legal help or send a letter, keep the tracking code,
come back with it to read the status, the documents addressed to you and the answers, and write back.

Thin views: parse -> check (honeypot, rate limit per address, the form) -> the intake / thread service ->
redirect. The code is shown once (kept in the session until the receipt page has shown it); opening a matter
with it keeps only the matter's id in the signed session, for PORTAL_SESSION_MINUTES."""
from __future__ import annotations

import time

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for

from caseflow.core.clock import local_today
from caseflow.core.engine import get_registry
from caseflow.core.engine.errors import GuardFailed, InvalidInput, NotPermitted
from caseflow.core.i18n import _, label
from caseflow.core.models import Unit, utcnow
from caseflow.core.text import nfc
from caseflow.extensions import db, limiter
from caseflow.portal import codes, files, intake, status, thread
from caseflow.portal.forms import LegalHelpForm, LetterForm, LookupForm, MessageForm
from caseflow.portal.models import PortalSubmission
from caseflow.web.forms import choices

bp = Blueprint("portal", __name__, url_prefix="/cong-khai")

SESSION_KEY = "portal"
RECEIPT_KEY = "portal_receipt"
MAX_FILES = 3


def _setting(key: str, default):
    return current_app.config.get(key, default)


def submit_limit() -> str:
    return _setting("PORTAL_SUBMIT_LIMIT", "10 per hour;30 per day")


def lookup_limit() -> str:
    return _setting("PORTAL_LOOKUP_LIMIT", "50 per hour;200 per day")


def message_limit() -> str:
    return _setting("PORTAL_MESSAGE_LIMIT", "30 per hour")


def _max_file() -> int:
    return int(_setting("PORTAL_MAX_FILE_MB", 10)) * 1024 * 1024


def _hash_method() -> str:
    return _setting("PORTAL_HASH_METHOD", codes.DEFAULT_METHOD)


@bp.context_processor
def portal_context() -> dict:
    # how long a closed matter's personal data is kept: the federation's archiving rule, configuration [U]
    return {"retention_years": lambda: int(_setting("PORTAL_RETENTION_YEARS", 5))}


def larger_uploads_reach_the_form():
    """A portal file over its limit is refused by the form, with what was typed kept (not by a bare 413 from
    the app's MAX_CONTENT_LENGTH); only a request larger than PORTAL_MAX_REQUEST_MB stops before the form.
    Installed first among the app's before-request functions (setup): CSRF protection reads the form before
    any blueprint's own would run."""
    if request.blueprint == bp.name:
        request.max_content_length = int(_setting("PORTAL_MAX_REQUEST_MB", 64)) * 1024 * 1024


@bp.after_request
def private_pages(response: Response) -> Response:
    """Nothing of a matter stays in a shared computer's cache or leaks in a Referer header."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _units(form) -> None:
    units = intake.receiving_units(db.session)
    if not units:
        abort(404)
    form.unit_id.choices = choices((u.id, u.name) for u in units)
    if request.method == "GET" and not form.unit_id.data:
        form.unit_id.data = str(units[0].id)


def _checked_files(form_files, errors: list[str]) -> list[files.CheckedFile]:
    chosen = [f for f in (form_files or []) if getattr(f, "filename", "")]
    if len(chosen) > MAX_FILES:
        errors.append(_("At most %(n)d files.", n=MAX_FILES))
        return []
    kept = []
    for upload in chosen:
        checked, problem = files.check(upload, _max_file())
        if problem:
            errors.append(f"{files.safe_name(upload.filename)}: {problem}")
        elif checked:
            kept.append(checked)
    return kept


def _robot(form) -> bool:
    return bool((form.website.data or "").strip())


@bp.route("/")
def home():
    return render_template("portal/home.html", lookup=LookupForm(formdata=None))


@bp.route("/quyen-rieng-tu")
def privacy():
    return render_template("portal/privacy.html")


def _intake_page(form, template: str, send, text_field: str):
    """GET: the form. POST: check it (fields, files, honeypot), send(files) to open the case through the engine,
    then the code; any refusal re-renders the form with what was typed and a message by each field."""
    errors: list[str] = []
    if request.method == "POST":
        valid = form.validate_on_submit()
        kept = _checked_files(form.files.data, errors)
        if _robot(form):
            current_app.logger.info("portal: honeypot filled, submission dropped")
            return render_template(template, form=form, errors=[_("The form could not be sent.")]), 400
        if valid and not errors:
            try:
                receipt = send(kept)
            except (InvalidInput, GuardFailed, NotPermitted) as exc:
                db.session.rollback()
                errors = _engine_errors(form, exc, text_field)
            else:
                return _show_code(receipt)
    return render_template(template, form=form, errors=errors), 422 if request.method == "POST" else 200


def _code_settings() -> dict:
    return {"pepper": current_app.secret_key, "method": _hash_method(), "storage_dir": current_app.config["STORAGE_DIR"]}


@bp.route("/yeu-cau-tu-van", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def legal_help():
    form = LegalHelpForm()
    _units(form)
    definition = get_registry().get("legal_aid")
    dispute = next(f for f in definition.intake_fields if f.name == "dispute_type")
    form.dispute_type.choices = choices([("", "—")] + [(k, label(v)) for k, v in dispute.choices.items()])

    def send(kept):
        person = {"full_name": nfc(form.full_name.data).strip(), "phone": form.phone.data or None,
                  "email": form.email.data or None, "address": nfc(form.address.data or "") or None,
                  "is_union_member": form.member.data == "member"}
        data = {"party_status": form.member.data, "need": form.need.data, "dispute_type": form.dispute_type.data,
                "employer_name": nfc(form.employer_name.data).strip(), "is_collective": False,
                "breach_known_date": form.breach_known_date.data, "facts": _facts(form),
                # the register look-up (legal_aid's verify_membership) reads it with the name or citizen ID
                "worker_birth_date": form.birth_date.data}
        return intake.submit_legal_help(db.session, db.session.get(Unit, int(form.unit_id.data)), person, data,
                                        str(form.need.data), kept, **_code_settings())

    return _intake_page(form, "portal/legal_help.html", send, "facts")


def _facts(form) -> str:
    """The facts as the centre reads them: what happened, what the person wants, their union, how to reach them."""
    contact = {"phone": "điện thoại", "email": "thư điện tử", "portal": "chỉ qua cổng trực tuyến (mã tra cứu)"}
    parts = [nfc(form.facts.data).strip(), f"Đề nghị: {nfc(form.wish.data).strip()}"]
    if (form.grassroots_union.data or "").strip():
        parts.append(f"Công đoàn cơ sở: {nfc(form.grassroots_union.data).strip()}")
    parts.append(f"Liên hệ qua: {contact.get(form.contact.data, form.contact.data)}")
    return "\n\n".join(parts)


LETTER_TITLES = {"complaint": "Đơn khiếu nại", "denunciation": "Đơn tố cáo", "petition": "Đơn kiến nghị, phản ánh"}


@bp.route("/gui-don", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def letter():
    form = LetterForm()
    _units(form)

    def send(kept):
        sender = None if form.anonymous.data else {
            "name": nfc(form.full_name.data or "").strip(), "address": nfc(form.address.data or "").strip(),
            "phone": form.phone.data, "email": form.email.data, "id_number": form.id_number.data}
        title = f"{LETTER_TITLES[form.letter_type.data]} (trực tuyến): {nfc(form.subject.data).strip()}"
        return intake.submit_letter(db.session, db.session.get(Unit, int(form.unit_id.data)), form.letter_type.data,
                                    title, sender, nfc(form.content.data).strip(), kept,
                                    signed=bool(sender) and form.declaration.data, **_code_settings())

    return _intake_page(form, "portal/letter.html", send, "content")


def _engine_errors(form, exc, text_field: str = "facts") -> list[str]:
    """An engine refusal on the form: field messages by their fields; a guard's reasons (the text names the
    sender) by the text field."""
    if isinstance(exc, GuardFailed):
        form[text_field].errors = list(form[text_field].errors or []) + list(exc.reasons)
        return [exc.message]
    if isinstance(exc, NotPermitted):
        current_app.logger.error("portal intake refused by the engine: %s", exc.message)
        return [_("The request could not be received now. Please try again later.")]
    for name, message in (exc.errors or {}).items():
        target = name if name in form else text_field
        form[target].errors = list(form[target].errors or []) + [message]
    return [exc.message]


def _show_code(receipt: intake.Receipt):
    """Post/redirect/get: the code waits in the session until the receipt page has shown it once."""
    session[RECEIPT_KEY] = {"code": receipt.code, "id": receipt.submission_id}
    _open(receipt.submission_id)
    return redirect(url_for("portal.receipt"))


@bp.route("/bien-nhan")
def receipt():
    shown = session.pop(RECEIPT_KEY, None)
    if not shown:
        return redirect(url_for("portal.matter"))
    row = db.session.get(PortalSubmission, shown["id"])
    if row is None:
        abort(404)
    return render_template("portal/receipt.html", code=codes.grouped(shown["code"]), submission=row,
                           today=local_today())


@bp.route("/bien-nhan.pdf", methods=["POST"])
@limiter.limit(lookup_limit)
def receipt_pdf():
    """The receipt as a PDF, made from the code the receipt page holds (the code is not kept to make it later)."""
    form = LookupForm()
    row = codes.find(db.session, form.code.data, current_app.secret_key, _hash_method()) \
        if form.validate_on_submit() else None
    if row is None:
        return _wrong_code(LookupForm(formdata=None))
    from caseflow.documents.render import html_to_pdf

    html = render_template("portal/receipt_pdf.html", code=codes.grouped(codes.normalise(form.code.data)),
                           submission=row)
    return Response(html_to_pdf(html), mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="bien-nhan.pdf"'})


@bp.route("/tra-cuu", methods=["GET", "POST"])
@limiter.limit(lookup_limit, methods=["POST"])
def lookup():
    form = LookupForm()
    if request.method == "POST":
        row = codes.find(db.session, form.code.data, current_app.secret_key, _hash_method()) \
            if form.validate_on_submit() else None
        if row is None:
            return _wrong_code(LookupForm(formdata=None))
        row.last_seen_dt = utcnow()
        db.session.commit()
        _open(row.id)
        return redirect(url_for("portal.matter"))
    return render_template("portal/lookup.html", form=form, wrong=False)


def _wrong_code(form):
    """One answer for every code that opens nothing (malformed, unknown or wrong): nothing echoed back."""
    return render_template("portal/lookup.html", form=form, wrong=True), 422


def _open(submission_id: int) -> None:
    session[SESSION_KEY] = {"id": submission_id, "t": int(time.time())}


def _opened() -> PortalSubmission | None:
    """The matter opened in this browser with its code, if not idle for too long."""
    held = session.get(SESSION_KEY)
    minutes = int(_setting("PORTAL_SESSION_MINUTES", 30))
    if not held or time.time() - held.get("t", 0) > minutes * 60:
        session.pop(SESSION_KEY, None)
        return None
    held["t"] = int(time.time())
    session[SESSION_KEY] = held
    return db.session.get(PortalSubmission, held["id"])


@bp.route("/ho-so")
def matter():
    row = _opened()
    if row is None:
        return redirect(url_for("portal.lookup"))
    return _matter_page(row, MessageForm(formdata=None), [])


def _matter_page(row: PortalSubmission, form, errors: list[str], code: int = 200):
    view = status.status(db.session, row, local_today())
    return render_template("portal/matter.html", view=view, form=form, errors=errors), code


@bp.route("/ho-so/tin-nhan", methods=["POST"])
@limiter.limit(message_limit)
def post_message():
    row = _opened()
    if row is None:
        return redirect(url_for("portal.lookup"))
    form = MessageForm()
    errors: list[str] = []
    if not form.validate_on_submit():
        return _matter_page(row, form, errors, 422)
    if _robot(form):
        return _matter_page(row, form, [_("The form could not be sent.")], 400)
    kept = _checked_files([form.file.data] if form.file.data else [], errors)
    if errors:
        return _matter_page(row, form, errors, 422)
    try:
        thread.post_from_sender(db.session, row, form.body.data, kept[0] if kept else None,
                                current_app.config["STORAGE_DIR"], current_app.config)
    except InvalidInput as exc:
        db.session.rollback()
        for name, message in exc.errors.items():
            form[name if name in form else "body"].errors = [message]
        return _matter_page(row, form, [exc.message], 422)
    return redirect(url_for("portal.matter") + "#thread")


@bp.route("/ho-so/van-ban/<int:document_id>")
def document_pdf(document_id: int):
    from caseflow.documents.storage import StorageError, read_verified

    row = _opened()
    if row is None:
        return redirect(url_for("portal.lookup"))
    detail = status.addressed_document(db.session, row, document_id)
    if detail is None:
        abort(404)
    try:
        pdf = read_verified(detail.pdf_path, detail.pdf_sha256)
    except StorageError:
        current_app.logger.error("portal: stored PDF of document %s missing or altered", document_id)
        abort(404)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="van-ban-{document_id}.pdf"'})


@bp.route("/thoat", methods=["POST"])
def leave():
    session.pop(SESSION_KEY, None)
    session.pop(RECEIPT_KEY, None)
    return redirect(url_for("portal.home"))
