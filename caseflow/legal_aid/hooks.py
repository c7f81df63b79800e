"""Guards and effects of the legal-aid workflow (workflows/legal_aid/legal_aid.yaml), DOMAIN.md section 1."""
from zoneinfo import ZoneInfo

from sqlalchemy.orm import scoped_session

from caseflow.core.engine.hooks import HookSet
from caseflow.core.i18n import _
from caseflow.core.models import User, next_value
from caseflow.core.policy import roles_on
from caseflow.legal_aid import limitation
from caseflow.legal_aid.conflicts import client_key
from caseflow.legal_aid.models import LegalAidDetail, LegalAidHearing
from caseflow.reports.kpi import PAST_YEARS_COUNTER
from caseflow.web.labels import choice_label

hooks = HookSet("legal_aid")

hooks.detail_model("legal_aid", LegalAidDetail)
hooks.validator(limitation.check_limitation_config)

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: states in which the union acts as representative: an individual's needs a signed authorisation
REPRESENTING_STATES = ("authorised", "in_conciliation", "in_arbitration", "in_court", "in_appeal")
#: who counts as the client (the worker or the union organisation asking for help)
CLIENT_ROLES = ("worker", "union_org")

#: needs for which a union representative can take part (a general question is not a matter)
MATTER_NEEDS = ("consultation", "litigation")


@hooks.guard("authorisation_signed")
def authorisation_signed(ctx):
    """Without a signed authorisation the union cannot represent an individual worker
    (Luật Công đoàn 2024, its article on representing workers
    [article number not checked]; BLTTDS 2015, Art. 85)."""
    detail = ctx.detail("legal_aid")
    signed = ctx.data.get("authorisation_signed_date") or detail.authorisation_signed_date
    if not signed:
        return _("No signed authorisation (giấy ủy quyền): the union cannot represent an individual worker "
                 "without it (Luật Công đoàn 2024).")
    if signed > ctx.today:
        return _("The authorisation date cannot be in the future.")
    return None


@hooks.guard("collective_matter")
def collective_matter(ctx):
    """The union sues on behalf of the collective without individual authorisations (Luật Công đoàn 2024)."""
    if not ctx.detail("legal_aid").is_collective:
        return _("Only a collective matter can be taken up without an individual authorisation.")
    return None


@hooks.guard("need_is")
def need_is(ctx, value):
    if ctx.detail("legal_aid").need != value:
        # the need's label, never its code: the case page shows this reason before the click
        return _("This step is only for matters whose need is “%(need)s”.",
                 need=choice_label(ctx.definition, "need", value))
    return None


@hooks.guard("reason_if_unrepresented")
def reason_if_unrepresented(ctx):
    """A matter that needed consultation or litigation and had no union representative records why
    (DOMAIN.md section 1: the KPI's denominator must explain every miss)."""
    detail = ctx.detail("legal_aid")
    reason = ctx.data.get("no_rep_reason") or detail.no_rep_reason
    if detail.need in MATTER_NEEDS and not detail.union_rep_took_part and not reason:
        return _("No union representative took part in this matter: record why before closing it.")
    return None


@hooks.guard("assignee_is_legal_officer")
def assignee_is_legal_officer(ctx):
    user = ctx.session.get(User, ctx.data.get("assignee_id"))
    if user is None or not user.active or "legal_officer" not in roles_on(ctx.session, user, ctx.case.unit):
        return _("The assignee must be an active legal officer of this unit.")
    return None


@hooks.effect("assign_actor_if_unassigned")
def assign_actor_if_unassigned(ctx):
    if ctx.case.assignee_id is None:
        ctx.case.assignee_id = ctx.actor.id
        ctx.payload["assignee_id"] = ctx.actor.id


@hooks.effect("union_rep_took_part")
def union_rep_took_part(ctx, stage, forum=None, role=None):
    """Record the KPI's numerator facts: a union representative took part, in which role, at which stage."""
    detail = ctx.detail("legal_aid")
    detail.union_rep_took_part = True
    detail.rep_stage = stage
    detail.rep_role = ctx.data.get("rep_role") or role or detail.rep_role
    if forum:
        detail.forum = forum
    ctx.payload["representation"] = {"stage": stage, "role": detail.rep_role, "forum": detail.forum}


@hooks.effect("verify_membership")
def verify_membership(ctx):
    """Look the requester up in the member register (citizen ID, else name without diacritics and date of
    birth): an active member found makes the matter a member's, verified, with the member's id; the typed
    answer stays as given when the register does not know the person (DOMAIN.md section 1: the KPI's
    denominator is a typed fact, here checked)."""
    from caseflow.union.members import look_up

    detail = ctx.detail("legal_aid")
    if ctx.data.get("party_status") == "union_org":
        return
    party = next((p for p in ctx.case.parties if p.role == "worker"), None)
    if party is None:
        return
    match = look_up(ctx.session, citizen_id=party.id_number, full_name=party.full_name,
                    birth_date=ctx.data.get("worker_birth_date"))
    if match is None or not match.verified:
        ctx.payload["membership"] = {"verified": False, "typed": detail.party_status}
        return
    detail.member_id = match.member.id
    typed = detail.party_status
    detail.party_status = "member"
    party.is_union_member = True
    ctx.payload["membership"] = {"verified": True, "by": match.by, "member_id": match.member.id, "typed": typed}


@hooks.effect("set_outcome")
def set_outcome(ctx, outcome):
    ctx.detail("legal_aid").outcome = outcome




@hooks.effect("no_rep_reason_from_comment")
def no_rep_reason_from_comment(ctx):
    """A matter closed without a union representative (e.g. withdrawn) keeps why, for the KPI's drill-down."""
    detail = ctx.detail("legal_aid")
    if not detail.union_rep_took_part and not detail.no_rep_reason:
        detail.no_rep_reason = ctx.comment


@hooks.guard("authorised_to_represent")
def authorised_to_represent(ctx):
    """The signed authorisation (giấy ủy quyền) is required before representing an individual worker;
    the union acts for a collective in its own right (Luật Công đoàn 2024, its article on representing workers
    [article number not checked]; BLTTDS 2015, Art. 85)."""
    detail = ctx.detail("legal_aid")
    if not detail.is_collective and not detail.authorisation_signed_date:
        return _("No signed authorisation (giấy ủy quyền) is recorded: the union cannot represent this worker.")
    return None


@hooks.guard("hearing_not_in_future")
def hearing_not_in_future(ctx):
    if ctx.data.get("hearing_date") and ctx.data["hearing_date"] > ctx.today:
        return _("A hearing is recorded once held: its date cannot be in the future.")
    return None


@hooks.effect("add_hearing")
def add_hearing(ctx):
    """Hearings are rows with their date and result, not only audit text."""
    ctx.session.add(LegalAidHearing(case_id=ctx.case.id, hearing_date=ctx.data["hearing_date"],
                                    forum=ctx.detail("legal_aid").forum, result=ctx.data["hearing_result"],
                                    note=ctx.comment, created_dt=ctx.now))


def imported_fact_problems(data: dict, state: str) -> list[tuple[str, str]]:
    """(field, reason) for facts missing or out of place for a case entering `state` by import; shared by
    the importer's dry run and the engine's guard, so that a clean dry run commits."""
    problems = []
    if state in REPRESENTING_STATES and not data.get("is_collective") and not data.get("authorisation_signed_date"):
        problems.append(("authorisation_signed_date",
                         _("A case being represented needs the date the authorisation was signed.")))
    if state in REPRESENTING_STATES[1:] and not data.get("forum"):
        problems.append(("forum", _("A case before a forum needs the forum.")))
    if data.get("union_rep_took_part") and not data.get("rep_role"):
        problems.append(("rep_role", _("Say in which role the union representative took part.")))
    if state == "closed" and data.get("need") in MATTER_NEEDS and not data.get("union_rep_took_part") \
            and not data.get("no_rep_reason"):
        problems.append(("no_rep_reason",
                         _("No union representative took part in this matter: record why before closing it.")))
    if data.get("outcome") and state not in ("outcome_recorded", "closed"):
        problems.append(("outcome", _("An outcome is recorded only for a case with its outcome or closed.")))
    return problems


@hooks.guard("imported_facts_consistent")
def imported_facts_consistent(ctx):
    """An imported case must carry the facts the steps to its state would have recorded
    (guards run before the fields are stored: read the data)."""
    return [reason for _field, reason in imported_fact_problems(ctx.data, ctx.dest)]


@hooks.after_fire
def copy_kpi_facts(ctx):
    """Keep the KPI's copies on the detail row: unit, client key, and the local date/year it ended."""
    if ctx.case.kind != "legal_aid":
        return
    detail = ctx.detail("legal_aid")
    if detail.closed_date is None:  # a closed matter stays counted for the unit that handled it (the merger)
        detail.unit_id = ctx.case.unit_id if ctx.case.unit_id is not None else ctx.case.unit.id
    if ctx.trigger in ("open", "imported") and detail.client_key is None:
        client = next((p for p in ctx.case.parties if p.role in CLIENT_ROLES), None)
        detail.client_key = client_key(client.full_name) if client else None
    if ctx.definition.is_final(ctx.dest) and ctx.case.closed_dt is not None:
        closed = ctx.case.closed_dt.astimezone(LOCAL_TZ).date()
        detail.end_state, detail.closed_date, detail.closed_year = ctx.dest, closed, closed.year
        session = ctx.session() if isinstance(ctx.session, scoped_session) else ctx.session
        transaction = session.get_transaction()
        if closed.year < ctx.today.year and ctx.session.info.get(_BUMPED) is not transaction:
            # a year already reported changes (imports): reports must know; once per transaction is enough
            # (the transaction itself is kept, so the mark means nothing once it has ended)
            next_value(ctx.session, PAST_YEARS_COUNTER)
            ctx.session.info[_BUMPED] = transaction


_BUMPED = "kpi_past_years_bumped"
