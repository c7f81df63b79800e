"""Guards and effects of the union's internal procedures (workflows/union/: cdcs_founding.yaml,
committee_recognition.yaml, committee_supplement.yaml, commendation.yaml, discipline.yaml),
DOMAIN.md sections 5-7. Values marked [R]/[U] come from configuration (caseflow.union.config)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from caseflow.core.engine import get_registry
from caseflow.core.engine.errors import InvalidInput
from caseflow.core.engine.fields import to_payload, validate
from caseflow.core.engine.hooks import HookSet
from caseflow.core.i18n import _, label
from caseflow.core.models import Unit
from caseflow.core.policy import roles_on
from caseflow.core.text import fold
from caseflow.union import config as procedure_config
from caseflow.union import members
from caseflow.union.dossier import missing_items
from caseflow.union.models import (
    CdcsFoundingDetail,
    CommendationRound,
    Enterprise,
    MemberAdmissionDetail,
    UnitFounding,
    UnitOfficer,
)
from caseflow.union.officers import bch_size, has_btv, parse_officers
from caseflow.union.org import active_on, create_unit, officers_on, unit_by_code
from caseflow.union.org import competent_superior as register_superior

hooks = HookSet("union")

hooks.detail_model("cdcs_founding", CdcsFoundingDetail)
hooks.detail_model("member_admission", MemberAdmissionDetail)

#: the workflows of this feature: their payload facts are kept on the case (case.data["facts"])
PROCEDURE_WORKFLOWS = ("cdcs_founding", "committee_recognition", "committee_supplement", "commendation",
                       "discipline", "member_admission")
#: unit kinds that may act as the directly superior union of a grassroots union (DOMAIN.md section 0)
SUPERIOR_KINDS = ("superior", "provincial")

hooks.validator(procedure_config.check_definition)


def facts(case) -> dict[str, Any]:
    return dict((case.data or {}).get("facts") or {})


def fact(ctx, name: str) -> Any:
    """A value given in this step, else recorded by an earlier one (detail table or the case's facts)."""
    value = ctx.data.get(name)
    if value is not None:
        return value
    if ctx.case.workflow == "cdcs_founding" and hasattr(CdcsFoundingDetail, name):
        value = getattr(ctx.detail("cdcs_founding"), name)
        if value is not None:
            return value
    value = facts(ctx.case).get(name)
    if isinstance(value, str) and name.endswith(("_date", "_on", "_from")):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _setting(ctx, key: str):
    return procedure_config.setting(ctx.session, ctx.definition, key)


def _update_data(case, **values) -> None:
    case.data = {**(case.data or {}), **values}  # JSON column: reassign so the change is saved


@hooks.after_fire
def keep_facts(ctx) -> None:
    """The typed values a step recorded in its payload are kept on the case for later steps and pages."""
    if ctx.definition.name not in PROCEDURE_WORKFLOWS:
        return
    fields = ctx.transition.fields if ctx.transition is not None else ctx.definition.intake_fields
    payload_fields = [f for f in fields if f.store == "payload"]
    values = {k: v for k, v in to_payload(payload_fields, ctx.data).items() if v is not None}
    if values:
        _update_data(ctx.case, facts={**facts(ctx.case), **values})


# --- dossiers ---------------------------------------------------------------------------------------

@hooks.guard("dossier_complete")
def dossier_complete(ctx):
    """A transition naming `dossier_required` items fires only when each required item has a file."""
    keys = ctx.transition.extra.get("dossier_required") or []
    return [_("Missing from the dossier: %(item)s (%(basis)s).", item=label(item.label), basis=item.basis)
            for item in missing_items(ctx.session, ctx.case, ctx.definition, keys)]


# --- founding a grassroots union (DOMAIN.md section 5) -----------------------------------------------

@hooks.guard("min_count")
def min_count(ctx, field: str, setting: str):
    minimum = int(_setting(ctx, setting))
    if (fact(ctx, field) or 0) < minimum:
        return _("At least %(n)d members are needed to found a grassroots union.", n=minimum)
    return None


@hooks.guard("admitted_within_applications")
def admitted_within_applications(ctx):
    applications = fact(ctx, "applications_count")
    if applications is not None and (ctx.data.get("members_admitted") or 0) > applications:
        return _("More members admitted than applications received (%(n)d).", n=applications)
    return None


@hooks.guard("attendance_within_members")
def attendance_within_members(ctx):
    members = fact(ctx, "members_admitted")
    if members is not None and (ctx.data.get("attendees") or 0) > members:
        return _("More attendees than admitted members (%(n)d).", n=members)
    return None


def _excluded(case) -> set[str]:
    return {fold(n) for n in (case.data or {}).get("excluded_officers", [])}


@hooks.guard("officers_valid")
def officers_valid(ctx, adding: bool = False, check_managers: bool = True):
    """The elected officers parse; a chair is elected (unless adding members); a BTV only where the BCH
    has enough members (HD 38/HD-TLĐ 2024 §10.4 [R]); managers of the enterprise are not eligible and
    must be refused individually first [R]."""
    officers, problems = parse_officers(fact(ctx, "officers_text"))
    if problems:
        return problems
    excluded = _excluded(ctx.case)
    officers = [o for o in officers if fold(o.name) not in excluded]
    if not officers:
        return _("No officer is listed.")
    reasons = []
    if not adding and not any("chair" in o.positions for o in officers):
        reasons.append(_("No chair is listed."))
    if has_btv(officers):
        size = bch_size(officers)
        if adding:
            size += len([o for o in officers_on(ctx.session, ctx.case.unit, ctx.today)
                         if o.position in ("chair", "vice_chair", "btv_member", "bch_member")])
        minimum = int(_setting(ctx, "btv_min_bch"))
        if size < minimum:
            reasons.append(_("A standing committee (BTV) is elected only where the executive committee has "
                             "%(min)d or more members; it has %(n)d.", min=minimum, n=size))
    for o in officers if check_managers else ():
        if o.manager:
            reasons.append(_("%(name)s manages the enterprise and cannot be an officer: refuse them "
                             "individually first.", name=o.name))
    return reasons


@hooks.guard("officer_named")
def officer_named(ctx):
    officers, _problems = parse_officers(fact(ctx, "officers_text"))
    if fold(ctx.data["officer_name"]) not in {fold(o.name) for o in officers}:
        return _("No officer of that name was elected.")
    return None


@hooks.effect("exclude_officer")
def exclude_officer(ctx):
    names = list((ctx.case.data or {}).get("excluded_officers", []))
    if fold(ctx.data["officer_name"]) not in {fold(n) for n in names}:
        names.append(ctx.data["officer_name"])
    _update_data(ctx.case, excluded_officers=names)
    ctx.payload["excluded_officer"] = ctx.data["officer_name"]


@hooks.guard("competent_superior")
def competent_superior(ctx):
    """Only the directly superior union competent for the enterprise recognises it; otherwise transfer."""
    unit = ctx.case.unit
    if unit.kind not in SUPERIOR_KINDS:
        return _("Only a superior union can recognise a grassroots union.")
    competent = register_superior(ctx.session, ctx.detail("cdcs_founding").enterprise_tax_code)
    if competent is not None and competent.id != unit.id:
        return _("The enterprise register names %(unit)s (%(code)s) as the competent superior union: transfer "
                 "the case to it.", unit=competent.name, code=competent.code)
    return None


@hooks.guard("unit_code_free")
def unit_code_free(ctx):
    code = ctx.data.get("unit_code")
    founding = ctx.session.scalar(select(UnitFounding).where(UnitFounding.case_id == ctx.case.id))
    taken = ctx.session.scalar(select(Unit).where(Unit.code == code))
    if taken is not None and (founding is None or founding.unit_id != taken.id):
        return _("The unit code %(code)s is taken.", code=code)
    return None


@hooks.guard("transfer_target_valid")
def transfer_target_valid(ctx):
    target = unit_by_code(ctx.session, ctx.data.get("transferred_to"))
    if target is None:
        return _("No unit has the code %(code)s.", code=ctx.data.get("transferred_to"))
    if target.id == ctx.case.unit_id:
        return _("The case is already with that union.")
    if target.kind not in SUPERIOR_KINDS or not active_on(target, ctx.today):
        return _("%(unit)s is not an active superior union.", unit=target.name)
    return None


@hooks.effect("found_cdcs_unit")
def found_cdcs_unit(ctx):
    """Create the recognised CĐCS as a unit under the superior union, with its officers from the decision
    date. Keyed on the case: a second run (retry, replay) finds the founding and creates nothing."""
    session = ctx.session
    existing = session.scalar(select(UnitFounding).where(UnitFounding.case_id == ctx.case.id))
    if existing is not None:
        ctx.payload["founded_unit_id"] = existing.unit_id
        return
    detail = ctx.detail("cdcs_founding")
    decided = detail.decision_date
    unit = create_unit(session, detail.unit_code, detail.proposed_name, "grassroots", ctx.case.unit, decided,
                       ctx.actor, basis=f"Quyết định {detail.decision_number} ({ctx.case.code})")
    officers, _problems = parse_officers(detail.officers_text)
    excluded = _excluded(ctx.case)
    for officer in officers:
        if fold(officer.name) in excluded:
            continue
        for position in officer.positions:
            session.add(UnitOfficer(unit_id=unit.id, full_name=officer.name, position=position,
                                    term=detail.term or "", from_date=decided,
                                    decision_number=detail.decision_number or "", source_case_id=ctx.case.id))
    session.add(UnitFounding(case_id=ctx.case.id, unit_id=unit.id, superior_unit_id=ctx.case.unit_id,
                             decision_date=decided, members_count=detail.members_admitted or 0))
    if detail.enterprise_tax_code:
        enterprise = session.scalar(select(Enterprise).where(Enterprise.tax_code == detail.enterprise_tax_code))
        if enterprise is not None:
            enterprise.cdcs_unit_id = unit.id
    session.flush()
    ctx.payload["founded_unit_id"] = unit.id
    ctx.payload["founded_unit_code"] = unit.code


# --- committees (DOMAIN.md section 6) ------------------------------------------------------------------

@hooks.guard("decided_by_superior")
def decided_by_superior(ctx):
    """The directly superior union decides: the actor leads the case unit's parent, not the unit itself."""
    parent = ctx.case.unit.parent
    if parent is not None and "leader" not in roles_on(ctx.session, ctx.actor, parent):
        return _("Only the directly superior union (%(unit)s) decides this.", unit=parent.name)
    return None


@hooks.effect("record_officers")
def record_officers(ctx, replace: bool):
    """Officers recognised from the decision date; a new term ends the previous one the day before.
    Idempotent per case (the unique key includes the case)."""
    decided = ctx.data["decision_date"]
    unit = ctx.case.unit
    officers, _problems = parse_officers(fact(ctx, "officers_text"))
    excluded = _excluded(ctx.case)
    term = fact(ctx, "term") or ""
    existing = {(o.full_name, o.position) for o in ctx.session.scalars(
        select(UnitOfficer).where(UnitOfficer.unit_id == unit.id, UnitOfficer.source_case_id == ctx.case.id))}
    if replace and not existing:
        for old in ctx.session.scalars(select(UnitOfficer).where(UnitOfficer.unit_id == unit.id,
                                                                 UnitOfficer.to_date.is_(None))):
            old.to_date = decided - timedelta(days=1)
    added = 0
    for officer in officers:
        if fold(officer.name) in excluded:
            continue
        for position in officer.positions:
            if (officer.name, position) not in existing:
                ctx.session.add(UnitOfficer(unit_id=unit.id, full_name=officer.name, position=position, term=term,
                                            from_date=decided, decision_number=ctx.data.get("decision_number") or "",
                                            source_case_id=ctx.case.id))
                added += 1
    ctx.payload["officers_recorded"] = added


# --- commendation (DOMAIN.md section 7) ----------------------------------------------------------------

def _rounds_for(ctx) -> list[CommendationRound]:
    ancestors = [int(x) for x in ctx.case.unit.path.strip("/").split("/") if x]
    rows = ctx.session.scalars(select(CommendationRound).where(
        (CommendationRound.unit_id.is_(None)) | (CommendationRound.unit_id.in_(ancestors)))
        .order_by(CommendationRound.cut_off_date)).all()
    return list(rows)


def _received_on(ctx) -> date:
    return ctx.data.get("received_on") or ctx.today


@hooks.guard("round_open")
def round_open(ctx):
    received = _received_on(ctx)
    if received > ctx.today:
        return _("The date received cannot be in the future.")
    if not any(r.cut_off_date >= received for r in _rounds_for(ctx)):
        return _("No commendation round is open for a dossier received on %(day)s: an administrator must "
                 "create the next round first.", day=received.strftime("%d/%m/%Y"))
    return None


@hooks.effect("assign_round")
def assign_round(ctx):
    """A dossier goes to the first round whose cut-off has not passed when it is received."""
    received = _received_on(ctx)
    chosen = next(r for r in _rounds_for(ctx) if r.cut_off_date >= received)
    previous = (ctx.case.data or {}).get("round_year")
    _update_data(ctx.case, round_id=chosen.id, round_year=chosen.year, received_on=received.isoformat())
    ctx.payload["round"] = {"year": chosen.year, "cut_off": chosen.cut_off_date.isoformat(),
                            "moved_from": previous if previous not in (None, chosen.year) else None}


@hooks.guard("vote_ratio")
def vote_ratio(ctx, setting: str):
    votes, members = ctx.data.get("votes_for") or 0, ctx.data.get("council_members") or 0
    if members <= 0 or votes > members:
        return _("The votes in favour must be between 0 and the number of council members.")
    needed = float(_setting(ctx, setting))
    if votes / members < needed:
        return _("%(votes)d of %(members)d votes is below the required share of %(pct)s%%.", votes=votes,
                 members=members, pct=f"{needed * 100:g}")
    return None


@hooks.guard("discipline_vote")
def discipline_vote(ctx, passed: bool):
    """The competent committee's vote: valid only with its quorum present, and carried only by more than the
    majority share of all its members (both settings with their basis, [U])."""
    total, present, votes = (int(ctx.data.get(k) or 0) for k in ("members_total", "members_present", "votes_for"))
    if total <= 0 or not 0 <= present <= total or not 0 <= votes <= present:
        return _("The votes must be between 0 and the members present, and those present between 0 and all "
                 "members.")
    settings = {s.key: s for s in procedure_config.settings_of(ctx.session, ctx.definition)}
    quorum, majority = float(settings["quorum_ratio"].value), float(settings["majority_ratio"].value)
    if present < quorum * total - 1e-9:
        return _("%(present)d of %(members)d members present: the vote needs at least %(pct)s%% (%(basis)s).",
                 present=present, members=total, pct=f"{quorum * 100:.4g}", basis=settings["quorum_ratio"].basis)
    carried = votes > majority * total
    if passed and not carried:
        return _("%(votes)d of %(members)d members voted for the sanction: more than %(pct)s%% of all members "
                 "is needed (%(basis)s).", votes=votes, members=total, pct=f"{majority * 100:.4g}",
                 basis=settings["majority_ratio"].basis)
    if not passed and carried:
        return _("%(votes)d of %(members)d members voted for the sanction: the vote carried, so record it as "
                 "carried.", votes=votes, members=total)
    return None


@hooks.guard("notice_period_elapsed")
def notice_period_elapsed(ctx):
    start = fact(ctx, "notice_from")
    days = int(_setting(ctx, "notice_days"))
    if not isinstance(start, date):
        return _("The public notice has not been recorded.")
    ends = start + timedelta(days=days)
    if ctx.today < ends:
        return _("The public notice runs until %(day)s.", day=ends.strftime("%d/%m/%Y"))
    return None


@hooks.guard("award_level")
def award_level(ctx, own: bool):
    own_awards = {a.strip() for a in str(_setting(ctx, "own_awards")).split(",") if a.strip()}
    is_own = fact(ctx, "award") in own_awards
    if own and not is_own:
        return _("This award is decided by the higher level: forward the dossier.")
    if not own and is_own:
        return _("This award is decided at this level.")
    return None


# --- discipline and its complaint path (DOMAIN.md sections 3, 7) ---------------------------------------

COMPLAINT_WORKFLOW = "complaint"
#: complaint intake field names we can fill from a discipline case
_TEXT_NAMES = ("content", "summary", "facts", "complaint_content", "description", "subject", "details")


def complaint_registered() -> bool:
    return COMPLAINT_WORKFLOW in get_registry().latest


def _complaint_intake(ctx) -> tuple[Any, dict[str, Any]]:
    """Fill the complaint workflow's intake from the discipline case: the complaint's text goes to its
    text fields (the act complained of), the day the decision was notified is when it became known."""
    definition = get_registry().get(COMPLAINT_WORKFLOW)
    data: dict[str, Any] = {}
    for f in definition.intake_fields:
        if f.type in ("text", "textarea") and (f.required or f.name in _TEXT_NAMES):
            data[f.name] = ctx.data["complaint_summary"]
        elif f.type == "date" and "receiv" in f.name:
            data[f.name] = ctx.data["complaint_received"]
        elif f.type == "date" and "known" in f.name:
            data[f.name] = fact(ctx, "notified_date")
    return definition, data


@hooks.guard("complaint_path_available")
def complaint_path_available(ctx):
    if not complaint_registered():
        return _("The complaint path exists but the complaint workflow is not installed yet (pending).")
    definition, data = _complaint_intake(ctx)
    if not roles_on(ctx.session, ctx.actor, ctx.case.unit).intersection(definition.intake_roles):
        return _("Your role does not allow opening a complaint case in this unit.")
    try:
        validate(definition.intake_fields, data)
    except InvalidInput as exc:
        return [_("The complaint needs more than this form gives; open it from the inspection pages: %(f)s",
                  f=message) for message in exc.errors.values()]
    return None


@hooks.effect("open_complaint_case")
def open_complaint_case(ctx):
    """Open the linked complaint case in the same transaction (first complaint goes to whoever decided)."""
    from caseflow.core.engine.fire import open_case

    _definition, data = _complaint_intake(ctx)
    person = facts(ctx.case).get("person_name") or ""
    decision = facts(ctx.case).get("decision_number") or ""
    complaint = open_case(ctx.session, COMPLAINT_WORKFLOW, ctx.case.unit, ctx.actor, data,
                          title=f"Khiếu nại quyết định kỷ luật {decision} – {person}".strip(" –"),
                          received_date=ctx.data["complaint_received"], commit=False,
                          parties=[{"role": "complainant", "full_name": person or "—", "confidential": False}])
    _update_data(complaint, discipline_case_id=ctx.case.id, discipline_case_code=ctx.case.code)
    _update_data(ctx.case, complaint_case_id=complaint.id, complaint_case_code=complaint.code)
    ctx.payload["complaint_case"] = complaint.code


# --- admitting a member (workflows/union/member_admission.yaml) ---------------------------------------------

@hooks.check
def admission_application(ctx):
    """An application is taken only by a grassroots union, with a 12-digit citizen ID of someone who is not an
    active member already, born before today."""
    if ctx.definition.name != "member_admission" or ctx.trigger != "open":
        return None
    problems = members.admission_problems(ctx.session, ctx.case.unit, ctx.data.get("citizen_id"))
    if ctx.data.get("birth_date") and ctx.data["birth_date"] >= ctx.today:
        problems.append(_("The date of birth must be in the past."))
    return problems


@hooks.guard("applicant_admissible")
def applicant_admissible(ctx):
    """Still admissible when the committee acts: one active membership per person (Điều lệ Công đoàn Việt Nam
    khóa XIII, 2023: a worker joins one grassroots union), into a grassroots union."""
    detail = ctx.detail("member_admission")
    return members.admission_problems(ctx.session, ctx.case.unit, detail.citizen_id, case=ctx.case)


@hooks.guard("admission_decision_valid")
def admission_decision_valid(ctx):
    """The decision is dated between the application and today, and the card number is free."""
    decided, card = ctx.data.get("decision_date"), ctx.data.get("card_number")
    reasons = []
    if decided and decided > ctx.today:
        reasons.append(_("The decision date cannot be in the future."))
    if decided and decided < ctx.case.received_date:
        reasons.append(_("The decision date is before the application was received."))
    detail = ctx.detail("member_admission")
    taken = members.card_problem(ctx.session, card, detail.citizen_id)
    return reasons + ([taken] if taken else [])


@hooks.effect("admit_member")
def admit_member(ctx):
    """The admitted applicant enters the register (or a former member is re-activated), with the card."""
    detail = ctx.detail("member_admission")
    member, action = members.admit(ctx.session, ctx.case, ctx.actor, full_name=detail.applicant_name,
                                   birth_date=detail.birth_date, citizen_id=detail.citizen_id,
                                   admitted_date=ctx.data["decision_date"], card_number=ctx.data["card_number"])
    detail.member_id = member.id
    ctx.payload["member"] = {"id": member.id, "action": action}


# --- documents: plain data for the decisions these procedures produce -----------------------------------
def _register_document_builders() -> None:
    from caseflow.union.documents import register_with_documents

    register_with_documents()


_register_document_builders()
