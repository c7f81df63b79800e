"""Guards and effects of the legal-aid workflow (workflows/legal_aid.yaml), DOMAIN.md section 1."""
from caseflow.engine.hooks import detail_model, effect, guard
from caseflow.i18n import _
from caseflow.models import LegalAidDetail, User
from caseflow.policy import roles_on

detail_model("legal_aid")(LegalAidDetail)

#: needs for which a union representative can take part (a general question is not a matter)
MATTER_NEEDS = ("consultation", "litigation")


@guard("authorisation_signed")
def authorisation_signed(ctx):
    """Without a signed authorisation the union cannot represent an individual worker
    (Luật Công đoàn 2012, Art. 10; BLTTDS 2015, Art. 85)."""
    detail = ctx.detail("legal_aid")
    signed = ctx.data.get("authorisation_signed_date") or detail.authorisation_signed_date
    if not signed:
        return _("No signed authorisation (giấy ủy quyền): the union cannot represent an individual worker "
                 "without it (Luật Công đoàn, Art. 10).")
    if signed > ctx.today:
        return _("The authorisation date cannot be in the future.")
    return None


@guard("collective_matter")
def collective_matter(ctx):
    """The union sues on behalf of the collective without individual authorisations (Luật Công đoàn, Art. 10)."""
    if not ctx.detail("legal_aid").is_collective:
        return _("Only a collective matter can be taken up without an individual authorisation.")
    return None


@guard("need_is")
def need_is(ctx, value):
    if ctx.detail("legal_aid").need != value:
        return _("This step is only for matters whose need is “%(need)s”.", need=value)
    return None


@guard("reason_if_unrepresented")
def reason_if_unrepresented(ctx):
    """A matter that needed consultation or litigation and had no union representative records why
    (DOMAIN.md section 1: the KPI's denominator must explain every miss)."""
    detail = ctx.detail("legal_aid")
    reason = ctx.data.get("no_rep_reason") or detail.no_rep_reason
    if detail.need in MATTER_NEEDS and not detail.union_rep_took_part and not reason:
        return _("No union representative took part in this matter: record why before closing it.")
    return None


@guard("assignee_is_legal_officer")
def assignee_is_legal_officer(ctx):
    user = ctx.session.get(User, ctx.data.get("assignee_id"))
    if user is None or not user.active or "legal_officer" not in roles_on(ctx.session, user, ctx.case.unit):
        return _("The assignee must be an active legal officer of this unit.")
    return None


@effect("assign_actor_if_unassigned")
def assign_actor_if_unassigned(ctx):
    if ctx.case.assignee_id is None:
        ctx.case.assignee_id = ctx.actor.id
        ctx.payload["assignee_id"] = ctx.actor.id


@effect("union_rep_took_part")
def union_rep_took_part(ctx, stage, forum=None, role=None):
    """Record the KPI's numerator facts: a union representative took part, in which role, at which stage."""
    detail = ctx.detail("legal_aid")
    detail.union_rep_took_part = True
    detail.rep_stage = stage
    detail.rep_role = ctx.data.get("rep_role") or role or detail.rep_role
    if forum:
        detail.forum = forum
    ctx.payload["representation"] = {"stage": stage, "role": detail.rep_role, "forum": detail.forum}


@effect("set_outcome")
def set_outcome(ctx, outcome):
    ctx.detail("legal_aid").outcome = outcome


