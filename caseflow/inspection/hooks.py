"""Guards and effects of the inspection committee's workflows (workflows/inspection/: letter_intake.yaml,
complaint.yaml, denunciation.yaml; DOMAIN.md sections 2-4). Every refusal names its legal ground."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseflow.core import engine
from caseflow.core.engine.errors import GuardFailed
from caseflow.core.engine.hooks import HookSet
from caseflow.core.i18n import _
from caseflow.core.models import User
from caseflow.core.policy import roles_on
from caseflow.deadlines.models import Deadline
from caseflow.inspection import conflicts, identity
from caseflow.inspection.duplicates import content_fold, sender_key, transferred_before
from caseflow.inspection.models import ComplaintDetail, DenunciationDetail, LetterDetail, ProtectedIdentity

hooks = HookSet("inspection")

hooks.detail_model("letter", LetterDetail)
hooks.detail_model("complaint", ComplaintDetail)
hooks.detail_model("denunciation", DenunciationDetail)

#: kinds whose sender is protected (a complainant is not secret: Luật Khiếu nại 2011 has no such rule)
PROTECTED_KINDS = ("letter", "denunciation")
TEAM_ROLES = {"inspector", "leader"}
#: NĐ 31/2019 Art. 3 criteria (keys of the checklist; labels and basis in denunciation.yaml `limits`)
COMPLEXITY_KEYS = ("several_sites", "several_contents", "many_denouncers", "foreign_element",
                   "several_managing_bodies", "agencies_disagree", "conflicting_evidence")


def _limits(ctx) -> dict:
    return dict(ctx.definition.extra.get("limits") or {})


def _set_flags(case, **flags) -> None:
    """Case flags (deadline variants are chosen by them); a new dict so the JSON column is saved."""
    case.data = {**(case.data or {}), **flags}


# ---------------------------------------------------------------- identity kept apart from the file

def _people_given(ctx) -> tuple[dict, list[dict]]:
    """The sender or denouncer (and other signatories) this step's confidential fields name."""
    prefix = "sender_" if ctx.case.kind == "letter" else "denouncer_"
    main = {k: ctx.data.get(prefix + k) for k in ("name", "address", "phone", "email", "id_number")}
    main["full_name"] = main.pop("name")
    people = [main]
    for line in (ctx.data.get("other_signatories") or "").splitlines():
        name, _sep, address = line.partition(";")
        if name.strip():
            people.append({"full_name": name.strip(), "address": address.strip() or None, "role": "signatory"})
    return main, people


@hooks.effect("protect_identity")
def protect_identity(ctx):
    """Intake: write the confidential sender/denouncer fields into protected_identities, never in the file
    (Luật Tố cáo 2018, Arts. 47(2), 56); letters keep only a keyed hash of the name to find duplicates."""
    role = "sender" if ctx.case.kind == "letter" else "denouncer"
    main, people = _people_given(ctx)
    rows = identity.store(ctx.session, ctx.case, people, role)
    if ctx.case.kind == "letter":
        letter = ctx.detail("letter")
        letter.content_fold = content_fold(letter.content)
        letter.sender_key = sender_key(ctx.audit_key, main.get("full_name"))
        letter.signatory_count = max(1, len(rows))
    else:
        ctx.detail("denunciation").content_fold = content_fold(ctx.detail("denunciation").violation)
    ctx.payload["protected_identities"] = len(rows)  # a count, never the data


@hooks.check
def no_identity_in_the_file(ctx) -> list[str]:
    """The case file (title, comments, every non-confidential text) must not name the sender or denouncer:
    it goes to the verification team and into published documents (Luật Tố cáo 2018, Arts. 9, 40, 56).
    Checked before the step writes anything, against the identities stored and those this step gives."""
    if ctx.case.kind not in PROTECTED_KINDS:
        return []
    letter_case_id = getattr(ctx.loaded_detail(ctx.case.kind), "letter_case_id", None)
    ids = [c for c in (ctx.case.id, letter_case_id) if c]
    markers = [m for case_id in ids for m in identity.identity_markers(ctx.session, case_id)]
    markers += identity.markers_of(_people_given(ctx)[1])
    if not markers:
        return []
    fields = ctx.transition.fields if ctx.transition else ctx.definition.intake_fields
    texts = [ctx.case.title, ctx.comment] + [ctx.data.get(f.name) for f in fields
                                             if not f.confidential and f.type in ("text", "textarea")]
    if any(identity.leaks(t, markers) for t in texts):
        return [_("The text names the sender or denouncer, or gives their phone or ID number: the case file must "
                  "not reveal them (Luật Tố cáo 2018, Art. 9(1)(b), Art. 47(2), Art. 56). Remove it and try again.")]
    return []


# ---------------------------------------------------------------- letters (DOMAIN.md section 2)

def _identified(session, case_id) -> tuple[bool, bool]:
    rows = session.scalars(select(ProtectedIdentity).where(ProtectedIdentity.case_id == case_id)).all()
    return any(r.full_name for r in rows), any(r.address for r in rows)


@hooks.guard("letter_eligible")
def letter_eligible(ctx):
    """Conditions of a letter that can be accepted (Luật Khiếu nại 2011, Art. 8; Luật Tố cáo 2018, Arts. 23, 25;
    Thông tư 05/2021/TT-TTCP)."""
    letter = ctx.detail("letter")
    kind = letter.content_type
    if kind not in ("complaint", "denunciation"):
        return _("Only a complaint or a denunciation can be proposed for acceptance; a petition or feedback is "
                 "guided or transferred, and a letter with several contents is split first (Thông tư "
                 "05/2021/TT-TTCP).")
    law = (_("Luật Khiếu nại 2011, Art. 8(2)") if kind == "complaint" else _("Luật Tố cáo 2018, Art. 23(1)"))
    reasons = []
    if letter.letter_date is None:
        reasons.append(_("The letter bears no date: it cannot be accepted (%(law)s).", law=law))
    if not letter.signed:
        reasons.append(_("The letter is neither signed nor fingerprinted: it cannot be accepted (%(law)s).",
                         law=law))
    if letter.foreign_language:
        reasons.append(_("The letter is not written in Vietnamese (Thông tư 05/2021/TT-TTCP)."))
    has_name, has_address = _identified(ctx.session, ctx.case.id)
    if kind == "denunciation" and not (has_name and has_address):
        reasons.append(_("The denouncer's name or address is missing: an anonymous letter is not handled as a "
                         "denunciation (Luật Tố cáo 2018, Art. 25)."))
    elif kind == "complaint" and not (has_name and has_address):
        reasons.append(_("The complainant's name or address is missing (Luật Khiếu nại 2011, Art. 8(2))."))
    if kind == "complaint" and not letter.names_act_and_request:
        reasons.append(_("The complaint must state the decision or act complained of and the request "
                         "(Luật Khiếu nại 2011, Art. 8(2))."))
    if kind == "denunciation" and not (letter.names_person_and_violation and (ctx.data.get("accused") or "")):
        reasons.append(_("The denunciation must name the person denounced and the violation (Luật Tố cáo 2018, "
                         "Art. 23(1)); enter the accused."))
    if letter.already_handled:
        reasons.append(_("The matter was already resolved and no further recourse is open (Luật Khiếu nại 2011, "
                         "Art. 11(7); Luật Tố cáo 2018, Art. 29)."))
    return reasons


@hooks.guard("competent_here")
def competent_here(ctx):
    if ctx.detail("letter").competence != "own":
        return _("The letter is not within this level's competence: transfer it or guide the sender "
                 "(Luật Tố cáo 2018, Art. 24; Thông tư 05/2021/TT-TTCP).")
    return None


@hooks.guard("not_competent_here")
def not_competent_here(ctx):
    if ctx.detail("letter").competence == "own":
        return _("The letter is within this level's competence: it is handled here, not transferred.")
    return None


@hooks.guard("not_transferred_before")
def not_transferred_before(ctx):
    """Luật Tố cáo 2018, Art. 24: a denunciation with the same content is transferred only once."""
    if ctx.case.kind == "letter":
        letter = ctx.detail("letter")
        if letter.content_type != "denunciation":
            return None
        code = transferred_before(ctx.session, ctx.case.id, letter.content_fold, letter.sender_key)
    else:
        detail = ctx.detail("denunciation")
        code = transferred_before(ctx.session, ctx.case.id, detail.content_fold, None, detail.accused)
    if code:
        return _("A denunciation with the same content was already transferred (%(code)s): it is not transferred "
                 "a second time (Luật Tố cáo 2018, Art. 24).", code=code)
    return None


@hooks.guard("split_has_parts")
def split_has_parts(ctx):
    parts = [i for i in (1, 2, 3) if ctx.data.get(f"part_{i}_type") and ctx.data.get(f"part_{i}_content")]
    if len(parts) < 2:
        return _("A letter with several contents is split into at least two letters, each with its type and "
                 "content (Thông tư 05/2021/TT-TTCP).")
    return None


def _letter_intake(letter: LetterDetail, content: str) -> dict:
    return {"channel": letter.channel, "letter_date": letter.letter_date, "signed": letter.signed,
            "foreign_language": letter.foreign_language, "content": content}


@hooks.effect("split_letter")
def split_letter(ctx):
    """One letter per content, each already classified, linked to this one and carrying its sender."""
    letter = ctx.detail("letter")
    letter.content_type = "multiple"
    parts = [(ctx.data[f"part_{i}_type"], ctx.data[f"part_{i}_content"]) for i in (1, 2, 3)
             if ctx.data.get(f"part_{i}_type") and ctx.data.get(f"part_{i}_content")]
    children = []
    for n, (kind, content) in enumerate(parts, 1):
        child = engine.open_case(ctx.session, "letter_intake", ctx.case.unit, ctx.actor,
                                 _letter_intake(letter, content), title=f"{ctx.case.title} ({n}/{len(parts)})",
                                 received_date=ctx.case.received_date, commit=False)
        identity.copy_identities(ctx.session, ctx.case.id, child, "sender")
        child_letter = ctx.session.get(LetterDetail, child.id)
        child_letter.parent_letter_id = ctx.case.id
        child_letter.sender_key = letter.sender_key
        child_letter.content_fold = content_fold(content)
        child_letter.signatory_count = letter.signatory_count
        engine.fire(child, "classify", ctx.actor, {"content_type": kind}, commit=False)
        children.append(child)
    letter.linked_case_ids = [c.id for c in children]
    ctx.payload["split_into"] = [c.code for c in children]


@hooks.effect("open_handling_case")
def open_handling_case(ctx):
    """Propose acceptance: open the complaint or denunciation case, linked to the letter. The sender stays
    protected: a denouncer in protected_identities, a complainant as a party of the complaint (complaints are
    not secret, Luật Khiếu nại 2011)."""
    letter = ctx.detail("letter")
    if letter.content_type == "complaint":
        people = ctx.session.scalars(select(ProtectedIdentity).where(ProtectedIdentity.case_id == ctx.case.id)
                                     .order_by(ProtectedIdentity.id)).all()
        parties = [{"role": "complainant", "kind": "person", "full_name": p.full_name, "address": p.address,
                    "phone": p.phone, "email": p.email, "id_number": p.id_number, "confidential": False}
                   for p in people if p.full_name]
        child = engine.open_case(ctx.session, "complaint", ctx.case.unit, ctx.actor,
                                 {"act_complained": letter.content}, title=ctx.case.title, parties=parties,
                                 received_date=ctx.case.received_date, commit=False)
        ctx.session.get(ComplaintDetail, child.id).letter_case_id = ctx.case.id
    else:
        child = engine.open_case(ctx.session, "denunciation", ctx.case.unit, ctx.actor,
                                 {"accused": ctx.data.get("accused"), "violation": letter.content,
                                  "several_sites": ctx.data.get("several_sites")},
                                 title=ctx.case.title, received_date=ctx.case.received_date, commit=False)
        identity.copy_identities(ctx.session, ctx.case.id, child, "denouncer")
        ctx.session.get(DenunciationDetail, child.id).letter_case_id = ctx.case.id
    letter.linked_case_ids = list(letter.linked_case_ids or []) + [child.id]
    ctx.payload["opened_case"] = child.code


# ---------------------------------------------------------------- shared

@hooks.guard("requires_acceptance")
def requires_acceptance(ctx, basis):
    """A decision or conclusion before acceptance is refused with its legal ground."""
    return {
        "complaint": _("The complaint has not been accepted: a decision is made only after acceptance and "
                       "verification (Luật Khiếu nại 2011, Arts. 27, 28)."),
        "complaint_second": _("The second complaint has not been accepted: the second decision comes only after "
                              "acceptance and verification (Luật Khiếu nại 2011, Arts. 36, 37)."),
        "denunciation": _("The denunciation has not been accepted: a conclusion comes only after the acceptance "
                          "decision and verification (Luật Tố cáo 2018, Arts. 29, 30, 35)."),
    }[basis]


@hooks.guard("conflicted_user_known")
def conflicted_user_known(ctx):
    """Only a user who works on this unit's cases can be declared conflicted on one."""
    user = ctx.session.get(User, ctx.data.get("conflicted_user_id"))
    if user is None or not roles_on(ctx.session, user, ctx.case.unit):
        return _("Choose a user of this unit.")
    return None


@hooks.effect("record_conflict")
def record_conflict(ctx):
    """The declared user loses sight of the case at once (caseflow.inspection.conflicts)."""
    user_id = ctx.data["conflicted_user_id"]
    conflicts.declare(ctx.session, ctx.case, user_id, ctx.actor, ctx.comment)
    if ctx.case.assignee_id == user_id:
        ctx.case.assignee_id = None
    if ctx.case.kind == "denunciation":
        detail = ctx.detail("denunciation")
        if user_id in (detail.team_member_ids or []):
            detail.team_member_ids = [u for u in detail.team_member_ids if u != user_id]


@hooks.effect("record_acceptance")
def record_acceptance(ctx):
    ctx.detail(ctx.case.kind).accepted_date = ctx.today


# ---------------------------------------------------------------- complaints (DOMAIN.md section 3)

@hooks.guard("within_limitation")
def within_limitation(ctx):
    """Luật Khiếu nại 2011, Art. 9: 90 days from learning of the act; objective obstacles are not counted."""
    detail = ctx.detail("complaint")
    limitation = _limits(ctx).get("limitation", {})
    official = _official_discipline(ctx)
    # Art. 48: against a public employee's disciplinary decision, 15 days from receiving it
    days = int(limitation.get("official_discipline_days", 15) if official else limitation.get("days", 90))
    if detail.known_date and not ctx.data.get("limitation_obstacle") and \
            (ctx.case.received_date - detail.known_date).days > days:
        if official:
            return _("The complaint against the disciplinary decision was lodged more than %(days)d days after "
                     "it was received: time-barred (Luật Khiếu nại 2011, Art. 48); refuse it under Art. 11(6), "
                     "unless an objective obstacle is recorded.", days=days)
        return _("The complaint was lodged more than %(days)d days after the act became known: time-barred "
                 "(Luật Khiếu nại 2011, Art. 9); refuse it under Art. 11(6), unless an objective obstacle is "
                 "recorded.", days=days)
    return None


def _official_discipline(ctx) -> bool:
    """Chapter V of Luật Khiếu nại 2011 applies: marked on this step or at the first acceptance."""
    return bool(ctx.data.get("official_discipline", (ctx.case.data or {}).get("official_discipline")))


@hooks.effect("set_complexity_flags")
def set_complexity_flags(ctx):
    detail = ctx.detail("complaint")
    official = _official_discipline(ctx)
    # Chapter V (Arts. 48-50) knows no remote-area periods
    complex_, remote = bool(ctx.data.get("complex")), bool(ctx.data.get("remote_area")) and not official
    detail.complex, detail.remote_area = complex_, remote
    # Arts. 28 and 37: complex and remote together is its own, longest variant
    _set_flags(ctx.case, complex=complex_ and not remote and not official, remote_area=remote and not complex_,
               remote_complex=complex_ and remote, official_discipline=official and not complex_,
               official_discipline_complex=official and complex_,
               dismissal=bool(ctx.data.get("dismissal", (ctx.case.data or {}).get("dismissal"))) and official)
    if ctx.trigger == "accept":
        detail.accepted_date = ctx.today


@hooks.guard("dialogue_if_differs")
def dialogue_if_differs(ctx):
    """Luật Khiếu nại 2011, Art. 30 (and Art. 39 for the second resolution): when the request and the
    verification differ, a dialogue is held before the decision."""
    detail = ctx.detail("complaint")
    if not ctx.data.get("verification_differs"):
        return None
    since = detail.second_complaint_date if ctx.trigger == "decide_second" else detail.accepted_date
    if detail.dialogue_date is None or (since and detail.dialogue_date < since):
        return _("The complainant's request and the verification differ: hold a dialogue and record its minutes "
                 "before deciding (Luật Khiếu nại 2011, Art. 30).")
    return None


@hooks.effect("record_decision")
def record_decision(ctx, round):
    detail = ctx.detail("complaint")
    if round == 1:
        detail.first_decision_date = ctx.today
    else:
        detail.second_decision_date = ctx.today


@hooks.effect("record_decision_sent")
def record_decision_sent(ctx):
    ctx.detail("complaint").first_decision_sent_date = ctx.today


def _appeal_days(ctx, detail) -> int:
    window = _limits(ctx).get("appeal_window", {})
    flags = ctx.case.data or {}
    if flags.get("official_discipline") or flags.get("official_discipline_complex"):
        # Chapter V: 10 days, 30 against a dismissal
        return int(window.get("dismissal_days", 30) if flags.get("dismissal")
                   else window.get("official_discipline_days", 10))
    return int(window.get("remote_area_days", 45) if detail.remote_area else window.get("days", 30))


def _appeal_article(ctx) -> str:
    return _("Chapter V, Arts. 48-50") if _official_discipline(ctx) else _("Art. 33")


@hooks.guard("within_appeal_window")
def within_appeal_window(ctx):
    """Luật Khiếu nại 2011, Art. 33: a second complaint within 30 days of the first decision (45 in remote
    areas); otherwise the complainant may go to court."""
    detail = ctx.detail("complaint")
    lodged, sent = ctx.data.get("second_complaint_date"), detail.first_decision_sent_date
    if lodged is None:
        return None
    if lodged > ctx.today:
        return _("The date cannot be in the future.")
    days = _appeal_days(ctx, detail)
    if sent and (lodged < sent or (lodged - sent).days > days):
        return _("The second complaint must be lodged within %(days)d days of receiving the first decision "
                 "(Luật Khiếu nại 2011, %(article)s); past that, the complainant may go to court.", days=days,
                 article=_appeal_article(ctx))
    return None


@hooks.guard("appeal_window_over")
def appeal_window_over(ctx):
    detail = ctx.detail("complaint")
    days = _appeal_days(ctx, detail)
    sent = detail.first_decision_sent_date
    if sent and (ctx.today - sent).days <= days:
        return _("The %(days)d days for a second complaint have not run out yet (Luật Khiếu nại 2011, "
                 "%(article)s): the case cannot be closed before %(date)s.", days=days, article=_appeal_article(ctx),
                 date=(sent + timedelta(days=days + 1)).strftime("%d/%m/%Y"))
    return None


@hooks.effect("start_second_round")
def start_second_round(ctx):
    ctx.detail("complaint").round = 2


# ---------------------------------------------------------------- denunciations (DOMAIN.md section 4)

@hooks.effect("set_denunciation_flags")
def set_denunciation_flags(ctx):
    """Luật Tố cáo 2018, Art. 24(1): several sites give 10 working days of initial processing instead of 7."""
    detail = ctx.detail("denunciation")
    detail.content_fold = content_fold(detail.violation)
    _set_flags(ctx.case, several_sites=bool(detail.several_sites))


@hooks.guard("denouncer_identified")
def denouncer_identified(ctx):
    has_name, has_address = _identified(ctx.session, ctx.case.id)
    if not (has_name and has_address):
        return _("The denouncer's name or address is missing: an anonymous denunciation or one under a false "
                 "name is not handled as a denunciation; record it and, if its content is specific, open an "
                 "inspection (Luật Tố cáo 2018, Art. 25).")
    return None


@hooks.guard("names_accused_and_violation")
def names_accused_and_violation(ctx):
    detail = ctx.detail("denunciation")
    if not (detail.accused or "").strip() or not (detail.violation or "").strip():
        return _("The denunciation must name the person denounced and the violation (Luật Tố cáo 2018, "
                 "Art. 23(1)).")
    return None


@hooks.effect("assess_complexity")
def assess_complexity(ctx):
    """NĐ 31/2019 Art. 3: one criterion = complex (1 extension), two or more = especially complex (2
    extensions) (Luật Tố cáo 2018, Art. 30)."""
    detail = ctx.detail("denunciation")
    ticked = [k for k in COMPLEXITY_KEYS if ctx.data.get(k)]
    allowed = 0 if not ticked else (1 if len(ticked) == 1 else 2)
    if allowed < detail.extension_count:
        raise GuardFailed(_("The action is not allowed now."), [_(
            "The case was already extended %(n)d times: the checklist cannot allow fewer extensions than were "
            "given (Luật Tố cáo 2018, Art. 30; Nghị định 31/2019/NĐ-CP, Art. 3).", n=detail.extension_count)])
    detail.complexity_criteria = ticked
    detail.extensions_allowed = allowed
    _set_flags(ctx.case, complex=allowed == 1, especially_complex=allowed == 2)
    ctx.payload["extensions_allowed"] = allowed


@hooks.guard("verification_team")
def verification_team(ctx):
    """NĐ 31/2019 Art. 10: a verification team of at least 2, none a relative of or interested in the
    denouncer or the accused."""
    ids = [ctx.data.get(k) for k in ("team_leader_id", "member_2_id", "member_3_id") if ctx.data.get(k)]
    reasons = []
    if len(set(ids)) < 2:
        reasons.append(_("The verification team needs at least 2 different members (Nghị định 31/2019/NĐ-CP, "
                         "Art. 10)."))
    for user_id in dict.fromkeys(ids):
        member = ctx.session.get(User, user_id)
        if member is None or not member.active or not TEAM_ROLES & roles_on(ctx.session, member, ctx.case.unit):
            reasons.append(_("Each member must be an active inspector or leader of this unit."))
        elif conflicts.is_conflicted(ctx.session, member, ctx.case.id):
            reasons.append(_("%(name)s has declared a conflict of interest on this case and cannot be on the "
                             "verification team (Nghị định 31/2019/NĐ-CP, Art. 10).", name=member.full_name))
    if not ctx.data.get("no_conflict_declared"):
        reasons.append(_("Every member must declare having no family tie with, or interest in, the denouncer or "
                         "the accused (Nghị định 31/2019/NĐ-CP, Art. 10)."))
    return reasons


@hooks.effect("set_team")
def set_team(ctx):
    ids = list(dict.fromkeys(ctx.data[k] for k in ("team_leader_id", "member_2_id", "member_3_id")
                             if ctx.data.get(k)))
    detail = ctx.detail("denunciation")
    detail.team_member_ids = ids
    detail.team_leader_id = ids[0]
    ctx.case.assignee_id = ids[0]


@hooks.guard("extension_allowed")
def extension_allowed(ctx):
    """Luật Tố cáo 2018, Art. 30(1): complex cases once, especially complex twice, at most 30 days each,
    as NĐ 31/2019 Art. 3's checklist decides; never a third time."""
    detail = ctx.detail("denunciation")
    max_days = int(_limits(ctx).get("extension_max_days", {}).get("days", 30))
    days = ctx.data.get("extension_days") or 0
    if detail.extension_count >= 2:
        return _("The resolution period was already extended twice: a third extension is not allowed "
                 "(Luật Tố cáo 2018, Art. 30(1)).")
    if detail.extensions_allowed == 0:
        return _("The case has not been assessed as complex under Nghị định 31/2019/NĐ-CP, Art. 3: no extension "
                 "is allowed (Luật Tố cáo 2018, Art. 30(1)). Fill in the complexity checklist first.")
    if detail.extension_count >= detail.extensions_allowed:
        return _("A complex case (one criterion of Nghị định 31/2019/NĐ-CP, Art. 3) is extended only once; a second "
                 "extension needs an especially complex case (Luật Tố cáo 2018, Art. 30(1)).")
    if not 1 <= days <= max_days:
        return _("An extension is of at most %(days)d days (Luật Tố cáo 2018, Art. 30(1)).", days=max_days)
    return None


@hooks.effect("count_extension")
def count_extension(ctx):
    detail = ctx.detail("denunciation")
    detail.extension_count += 1
    detail.extension_days_total += ctx.data["extension_days"]
    ctx.payload["extension"] = {"number": detail.extension_count, "days": ctx.data["extension_days"]}


@hooks.effect("record_suspension")
def record_suspension(ctx):
    ctx.detail("denunciation").suspended_date = ctx.today


@hooks.effect("set_termination_ground")
def set_termination_ground(ctx, ground):
    ctx.detail("denunciation").termination_ground = ground


@hooks.effect("record_withdrawal_continue")
def record_withdrawal_continue(ctx):
    """Luật Tố cáo 2018, Art. 33(2): processing continues when there are signs of violation, coercion or
    slander."""
    ctx.detail("denunciation").withdrawal_recorded = True


@hooks.effect("record_conclusion")
def record_conclusion(ctx):
    ctx.detail("denunciation").concluded_date = ctx.today


@hooks.effect("record_publication")
def record_publication(ctx):
    ctx.detail("denunciation").published_date = ctx.today


def resolution_due(session, case, detail):
    """The resolution deadline: the deadline machinery's row when it exists, else acceptance + 30 days +
    extensions (Luật Tố cáo 2018, Art. 30)."""
    row = session.scalar(select(Deadline).where(Deadline.case_id == case.id, Deadline.rule_key == "resolution")
                         .order_by(Deadline.id.desc()))
    if row is not None:
        return row.due_date
    if detail.accepted_date is None:
        return None
    return detail.accepted_date + timedelta(days=30 + detail.extension_days_total)


@hooks.guard("resolution_overdue")
def resolution_overdue(ctx):
    due = resolution_due(ctx.session, ctx.case, ctx.detail("denunciation"))
    if due is None or due >= ctx.today:
        return _("The resolution is not overdue (Luật Tố cáo 2018, Art. 30): a report under Art. 38 cannot be "
                 "demanded yet.")
    return None


@hooks.effect("mark_escalated")
def mark_escalated(ctx):
    ctx.detail("denunciation").escalated = True


@hooks.guard("was_escalated")
def was_escalated(ctx):
    if not ctx.detail("denunciation").escalated:
        return _("No report was demanded on this case (Luật Tố cáo 2018, Art. 38).")
    return None
