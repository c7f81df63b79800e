"""Official documents through the engine (workflows/documents/document_issuance.yaml, DOMAIN.md section 8): the detail
table, the signing-power guard, numbering at registration, draft edits, the drafts other procedures' steps
open (`documents:` of their transitions), and who may see secret documents."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from caseflow.core import jsontext, policy
from caseflow.core.engine.errors import InvalidInput
from caseflow.core.engine.hooks import HookSet
from caseflow.core.i18n import _
from caseflow.core.models import Case, RoleAssignment, Unit, User
from caseflow.core.text import fold, nfc
from caseflow.documents.models import ISSUED_STATES, DocumentDetail
from caseflow.inspection.models import ConflictDeclaration

hooks = HookSet("documents")

hooks.detail_model("document", DocumentDetail)

WORKFLOW = "document_issuance"
KIND = "document"
#: roles that see secret documents of their unit (and below): the leaders who sign them and the clerks who
#: register them (NĐ 30/2020: secret documents have their own register, kept by the văn thư)
SECRET_ROLES = {"leader", "clerk"}
RELATIONS = ("replaces", "corrects")
_Scalar = StrictStr | StrictInt | StrictFloat | StrictBool | None


def _type(key: str):
    from caseflow.documents import get_type

    try:
        return get_type(key)
    except Exception:  # noqa: BLE001 - the rendering package's UnknownDocumentType, or a broken types file
        return None


def _refuse(field: str, message: str):
    raise InvalidInput(_("Some fields are not valid."), {field: message})


#: the effects that write a document detail row (besides fields stored in "document")
DETAIL_EFFECTS = ("init_document", "edit_draft", "record_signature", "number_document")


@hooks.validator
def document_rows_only_for_documents(definition) -> None:
    """Only a case of kind "document" gets a document detail row: the need-to-know rule asked of one case
    (_veto_documents) relies on it, and so another case's fire asks no query about secret documents."""
    from caseflow.core.engine.errors import DefinitionError

    if definition.kind == KIND:
        return
    steps = [("intake", definition.intake_fields, definition.intake_effects)]
    steps += [(t.trigger, t.fields, t.effects) for t in definition.transitions]
    for item, fields, effects in steps:
        if any(f.store == "document" for f in fields) or any(e.name in DETAIL_EFFECTS for e in effects):
            raise DefinitionError(definition.source_file, item,
                                  "document detail rows belong to cases of kind 'document' only")


# --- opening: type, issuing body, links -----------------------------------------------------------------
@hooks.effect("init_document")
def init_document(ctx) -> None:
    from caseflow.documents.register import issuer_code_for, search_text

    detail: DocumentDetail = ctx.detail("document")
    t = _type(detail.type_key or "")
    if t is None:
        _refuse("type_key", _("Unknown document type."))
    detail.type_code = t.code or ""
    detail.issuing_unit_id = ctx.case.unit.id
    detail.issuer_code = issuer_code_for(t.key, ctx.case.unit)
    detail.urgency = detail.urgency or "normal"
    defaults = t.defaults or {}
    detail.data = {"fields": {}, "recipients": list(defaults.get("recipients") or []),
                   "archive": defaults.get("archive") or "VT"}
    if detail.source_case_id is not None:
        source = ctx.session.get(Case, detail.source_case_id)
        if source is None or source.kind == KIND or not policy.can_see(ctx.session, ctx.actor, source):
            _refuse("source_case_id", _("No such case."))
    if detail.replaces_id is not None:
        old = ctx.session.get(DocumentDetail, detail.replaces_id)
        if old is None or not old.issued or not policy.can_see(ctx.session, ctx.actor, old.case):
            _refuse("replaces_id", _("Only an issued document can be replaced or corrected."))
        detail.relation = detail.relation or "replaces"
        detail.source_case_id = detail.source_case_id or old.source_case_id
    else:
        detail.relation = None
    detail.search_text = search_text(detail, t.title)


# --- drafting -------------------------------------------------------------------------------------------
def _clean_fields(t, raw: dict) -> tuple[dict, dict]:
    """The type's fields typed as the templates expect them; errors by field name."""
    from datetime import date

    fields, errors = {}, {}
    for spec in t.fields:
        value = raw.get(spec.name)
        if spec.kind == "list":
            items = value if isinstance(value, list) else [x for x in str(value or "").splitlines()]
            if spec.columns:
                items = [{k: nfc(str(v)) for k, v in item.items()} for item in items if isinstance(item, dict)]
            else:
                items = [nfc(str(x)) for x in items if nfc(str(x))]
            value = items
        elif spec.kind == "money":
            text = str(value if value is not None else "").replace(".", "").replace(",", "").strip()
            if text and not text.isdigit():
                errors[spec.name] = _("Not a valid number.")
                continue
            value = int(text) if text else None
        elif spec.kind == "date":
            text = str(value or "").strip()
            try:
                value = date.fromisoformat(text).isoformat() if text else None
            except ValueError:
                errors[spec.name] = _("Not a valid date (YYYY-MM-DD).")
                continue
        else:
            value = nfc(str(value)) if value is not None else ""
        if value not in (None, "", []):
            fields[spec.name] = value
    return fields, errors


class DraftShape(BaseModel):
    """The draft the document page posts (as JSON in the `draft` field): each part of the right kind, so that
    `[1, 2]` as the fields is a refusal naming the draft, not a 500. Unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    summary: StrictStr | None = None
    #: values by field name: a text, a number, or a list (lines, or rows of a table's columns)
    fields: dict[str, _Scalar | list[_Scalar | dict[str, _Scalar]]] = {}
    recipients: list[_Scalar] = []
    secret: StrictBool | None = None
    urgency: StrictStr | None = None
    archive: StrictStr | None = None


@hooks.effect("edit_draft")
def edit_draft(ctx) -> None:
    """The whole draft (summary, fields, recipients) replaced by the submitted one, as JSON; audited."""
    detail: DocumentDetail = ctx.detail("document")
    if detail.issued:
        raise InvalidInput(_("Some fields are not valid."), {"draft": _("An issued document cannot be changed.")})
    try:
        raw = DraftShape.model_validate(jsontext.loads(ctx.data.get("draft") or "{}")).model_dump(exclude_unset=True)
    except (ValueError, ValidationError):  # not JSON, too deep or large, or not the shape of a draft
        _refuse("draft", _("Not a valid draft."))
    t = _type(detail.type_key)
    if t is None:
        _refuse("draft", _("Not a valid draft."))
    fields, errors = _clean_fields(t, raw.get("fields") or {})
    summary = nfc(str(raw.get("summary") or detail.summary))[:1000]
    if not summary:
        errors["summary"] = _("This field is required.")
    if errors:
        raise InvalidInput(_("Some fields are not valid."), errors)
    recipients = [nfc(str(r)) for r in (raw.get("recipients") or []) if nfc(str(r))]
    detail.summary = summary
    if "secret" in raw:
        detail.secret = bool(raw["secret"])
    if raw.get("urgency") in ("normal", "urgent", "very_urgent", "flash"):
        detail.urgency = raw["urgency"]
    detail.data = {"fields": fields, "recipients": recipients,
                   "archive": nfc(str(raw.get("archive") or (detail.data or {}).get("archive") or "VT"))}
    from caseflow.documents.register import search_text

    detail.search_text = search_text(detail, t.title)
    ctx.case.title = summary[:500]
    ctx.case.search_text = fold(f"{ctx.case.code} {summary}")


@hooks.guard("document_complete")
def document_complete(ctx):
    """A draft goes to the signer with every required field of its type filled."""
    detail = ctx.session.get(DocumentDetail, ctx.case.id)
    t = _type(detail.type_key) if detail else None
    if t is None:
        return _("Unknown document type.")
    filled = (detail.data or {}).get("fields") or {}
    missing = [spec.label.get("vi", spec.name) for spec in t.fields if spec.required and not filled.get(spec.name)]
    if missing:
        return _("Required fields of the document are empty: %(fields)s.", fields=", ".join(missing))
    return None


@hooks.guard("document_checked")
def document_checked(ctx):
    """NĐ 30/2020: content checked by the head of the drafting unit, format by the designated person."""
    if not (ctx.data.get("content_checked") and ctx.data.get("format_checked")):
        return _("Both the content and the format must be checked.")
    return None


# --- signing and numbering ------------------------------------------------------------------------------
def _signing_power(ctx):
    from caseflow.documents.register import COMMITTEE_BODIES
    from caseflow.documents.signing import powers_of

    detail = ctx.session.get(DocumentDetail, ctx.case.id)
    body = detail.issuer_code if detail.issuer_code in COMMITTEE_BODIES else None
    unit = ctx.session.get(Unit, detail.issuing_unit_id) if detail.issuing_unit_id else ctx.case.unit
    powers = powers_of(ctx.session, ctx.actor, unit, detail.type_key, body, ctx.today)
    return detail, (powers[0] if powers else None)


@hooks.guard("has_signing_power")
def has_signing_power(ctx):
    _detail, power = _signing_power(ctx)
    if power is None:
        return _("You hold no signing power for this type of document of this unit.")
    return None


@hooks.guard("seal_keeper")
def seal_keeper(ctx):
    """The seal stays with the issuing unit's own clerk (văn thư; Nghị định 30/2020/NĐ-CP, Điều 18 [R]):
    a clerk role on a unit above does not carry this unit's seal."""
    detail: DocumentDetail = ctx.detail("document")
    keeps = ctx.session.scalar(select(RoleAssignment.id).where(RoleAssignment.user_id == ctx.actor.id,
                                                               RoleAssignment.role == "clerk",
                                                               RoleAssignment.unit_id == detail.issuing_unit_id))
    return None if keeps else _("Only the clerk of the issuing unit, who keeps its seal, may seal the document.")


@hooks.effect("record_signature")
def record_signature(ctx) -> None:
    from caseflow.documents.signing import signature_of

    _detail, power = _signing_power(ctx)
    detail: DocumentDetail = ctx.detail("document")
    t = _type(detail.type_key)
    detail.signed_by_id = ctx.actor.id
    detail.sign_authority = power.authority
    detail.signature = signature_of(power, ctx.actor, dict((t.defaults or {}).get("signature") or {}))
    detail.signed_date = ctx.today
    ctx.payload["signature"] = {"authority": power.authority, "title": power.title, "power_id": power.id}


@hooks.effect("number_document")
def number_document(ctx) -> None:
    from caseflow.documents.register import issue

    detail: DocumentDetail = ctx.detail("document")
    issued = issue(ctx.session, ctx.case, detail, ctx.today, ctx.now)
    ctx.case.search_text = fold(f"{ctx.case.code} {issued['symbol']} {detail.summary}")
    ctx.payload["register"] = issued


# --- drafts opened by other procedures' steps -----------------------------------------------------------
def default_summary(t, case_code: str) -> str:
    """The trích yếu a clerk starts from: "Quyết định khen thưởng" under QUYẾT ĐỊNH -> "Về việc khen thưởng"."""
    label = name = t.label.get("vi", t.key)
    if t.title and fold(name).startswith(fold(t.title)):
        name = name[len(t.title):].strip()
    if not name:  # the title is the whole name (PHIẾU CHUYỂN ĐƠN): "Về việc chuyển đơn"
        name = label.split(" ", 1)[1] if label.split(" ", 1)[0] in ("Phiếu", "Giấy") else label
    return f"Về việc {name[:1].lower()}{name[1:]} (hồ sơ {case_code})"


@hooks.after_fire
def open_drafts(ctx) -> None:
    """A step declaring `documents:` opens one draft per type, pre-filled from its case; once per step."""
    transition = ctx.transition
    if transition is None or not transition.documents or ctx.case.kind == KIND:
        return
    from caseflow.core.engine.fire import open_case
    from caseflow.documents.prefill import build

    source_event = f"{ctx.trigger}#{(ctx.case.audit_seq or 0) + 1}"
    opened = []
    for type_key in transition.documents:
        t = _type(type_key)
        if t is None:
            continue
        done = ctx.session.scalar(select(DocumentDetail.case_id).where(
            DocumentDetail.source_case_id == ctx.case.id, DocumentDetail.source_event == source_event,
            DocumentDetail.type_key == type_key))
        if done is not None:
            continue
        summary = default_summary(t, ctx.case.code)
        fields = build(ctx.session, ctx.case, type_key, dict(ctx.data), [f.name for f in t.fields])

        def complete(draft_ctx, fields=fields):
            # the draft's detail row complete before it is first written: one INSERT, no UPDATE after it
            detail = draft_ctx.detail("document")
            detail.source_event = source_event
            detail.data = {**(detail.data or {}), "fields": fields}

        # the draft's rows stay pending and are written with this fire's own flush (one transaction)
        doc = open_case(ctx.session, WORKFLOW, ctx.case.unit, ctx.actor,
                        {"type_key": type_key, "summary": summary, "source_case_id": ctx.case.id},
                        title=summary, commit=False, complete=complete, flush=False)
        opened.append(doc.code)
    if opened:
        ctx.payload["documents"] = opened


# --- who sees what --------------------------------------------------------------------------------------
def _secret_paths(session, user: User) -> list[str]:
    return sorted({p for p, r in policy.role_paths(session, user) if r in SECRET_ROLES})


def may_see_secret(session, user: User, unit: Unit) -> bool:
    return bool(SECRET_ROLES & policy.roles_on(session, user, unit))


#: (user id, secret paths) -> the two conditions of _hide_documents, built once per user and roles
_HIDE_CACHE: dict = {}


def _hide_documents(session, user: User, query):
    """Secret documents only to their unit's leaders and clerks; a document of a case the user is
    conflicted on is as hidden as the case (NĐ 31/2019, Art. 10)."""
    paths = _secret_paths(session, user)
    key = (user.id, tuple(paths))
    conditions = _HIDE_CACHE.get(key)
    if conditions is None:
        if len(_HIDE_CACHE) >= 512:
            _HIDE_CACHE.pop(next(iter(_HIDE_CACHE)))
        conditions = _HIDE_CACHE[key] = _hiding_conditions(user.id, paths)
    return query.where(*conditions)


def _hiding_conditions(user_id: int, paths: list[str]) -> tuple:
    # an alias: the outer query may select DocumentDetail itself (the register), which must not correlate
    doc = aliased(DocumentDetail)
    secret_ok = exists().where(Unit.id == Case.unit_id, or_(*[Unit.path.startswith(p) for p in paths])) \
        .correlate(Case) if paths else None
    hidden_secret = exists().where(doc.case_id == Case.id, doc.secret.is_(True)).correlate(Case)
    return (~hidden_secret if secret_ok is None else or_(~hidden_secret, secret_ok),
            ~exists().where(and_(doc.case_id == Case.id, ConflictDeclaration.case_id == doc.source_case_id,
                                 ConflictDeclaration.user_id == user_id)).correlate(Case))


def _veto_documents(session, user: User, case: Case) -> bool:
    """_hide_documents asked of one loaded case. Only a document case has a document detail row (the detail
    table of the document_issuance workflow, whose cases are of kind "document"), so another case has nothing
    to hide here and costs no query."""
    if case.kind != KIND or case.id is None:
        return True
    with session.no_autoflush:
        detail = session.get(DocumentDetail, case.id)
    if detail is None:
        return True
    # the source case's need to know is in policy.scope_clause (parent=_source_of), grants included
    if detail.secret and not may_see_secret(session, user, case.unit):
        return False
    return detail.source_case_id is None or session.scalar(select(~exists().where(
        ConflictDeclaration.case_id == detail.source_case_id, ConflictDeclaration.user_id == user.id)))


def _source_id(session, case: Case) -> int | None:
    """_source_of on one loaded case."""
    with session.no_autoflush:
        detail = session.get(DocumentDetail, case.id)
    return detail.source_case_id if detail is not None else None


def _source_of(case):
    """The case that produced a document (NULL for a document drafted on its own): its need to know is the
    document's. An alias, as in _hide_documents: the outer query may select DocumentDetail itself."""
    doc = aliased(DocumentDetail)
    return select(doc.source_case_id).where(doc.case_id == case.id).correlate(case).scalar_subquery()


def register_access(app) -> None:
    """Secret documents, and documents of cases a user may not see, stay hidden (this app)."""
    policy.add_rules(app, visibility_filter=_hide_documents, case_veto=_veto_documents,
                     parent=(KIND, _source_of, _source_id))


def is_issued(case: Case) -> bool:
    return case.kind == KIND and case.state in ISSUED_STATES
