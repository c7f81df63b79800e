"""Plain data (never ORM objects) for the documents the union's procedures produce: the decisions
recognising a CĐCS or a committee, the commendation request and decision, the discipline decision.
Registered with the documents subsystem (issue 5) as context builders per case kind."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.engine import get_registry
from caseflow.core.i18n import label
from caseflow.core.models import Case
from caseflow.core.text import fold
from caseflow.union.models import CdcsFoundingDetail, CommendationRound, Enterprise
from caseflow.union.officers import POSITION_LABELS, parse_officers


def _facts(case: Case) -> dict[str, Any]:
    return dict((case.data or {}).get("facts") or {})


def _choice(case: Case, name: str, value: Any) -> str:
    definition = get_registry().get(case.workflow, case.workflow_version)
    for f in list(definition.intake_fields) + [f for t in definition.transitions for f in t.fields]:
        if f.name == name and value in f.choices:
            return label(f.choices[value], "vi")
    return str(value or "")


def officers_plain(case: Case, text: str | None, bch: bool | None = None) -> list[dict[str, str]]:
    """Officers recognised (those refused individually left out), positions in Vietnamese; `bch` keeps only
    the executive committee (True) or only the others, the inspection committee (False)."""
    excluded = {fold(n) for n in (case.data or {}).get("excluded_officers", [])}
    officers, _problems = parse_officers(text)
    return [{"full_name": o.name, "position": ", ".join(label(POSITION_LABELS[p], "vi") for p in o.positions)}
            for o in officers if fold(o.name) not in excluded and (bch is None or o.in_bch == bch)]


def cdcs_context(session: Session, case: Case, doc_type: str, form_data: dict) -> dict[str, Any]:
    detail = session.get(CdcsFoundingDetail, case.id)
    if detail is None:
        return {}
    enterprise = session.scalar(select(Enterprise).where(Enterprise.tax_code == detail.enterprise_tax_code)) \
        if detail.enterprise_tax_code else None
    return {"enterprise_name": detail.enterprise_name, "cdcs_name": detail.proposed_name,
            "enterprise_address": enterprise.address if enterprise else "",
            "members_count": detail.members_admitted or 0, "request_date": case.received_date,
            "committee": officers_plain(case, detail.officers_text), "term": detail.term or ""}


def committee_context(session: Session, case: Case, doc_type: str, form_data: dict) -> dict[str, Any]:
    facts = _facts(case)
    return {"union_name": case.unit.name, "term": facts.get("term", ""),
            "congress_date": facts.get("congress_date") or facts.get("election_date"),
            "members": officers_plain(case, facts.get("officers_text"), bch=True),
            "inspection_committee": officers_plain(case, facts.get("officers_text"), bch=False)}


def commendation_context(session: Session, case: Case, doc_type: str, form_data: dict) -> dict[str, Any]:
    facts = _facts(case)
    award = _choice(case, "award", facts.get("award"))
    round_id = (case.data or {}).get("round_id")
    campaign = session.get(CommendationRound, round_id) if round_id else None
    votes, members = facts.get("votes_for"), facts.get("council_members")
    nominee = {"full_name": facts.get("nominee_name", ""), "unit": case.unit.name, "form": award}
    return {"form": award, "achievement": facts.get("achievements", ""), "awardees": [nominee],
            "nominees": [nominee], "campaign": campaign.title if campaign else "",
            "council_meeting_date": facts.get("council_date"),
            "vote_ratio": f"{votes}/{members}" if votes is not None and members else ""}


def discipline_context(session: Session, case: Case, doc_type: str, form_data: dict) -> dict[str, Any]:
    facts = _facts(case)
    measure = form_data.get("measure") or facts.get("measure")
    return {"sanction": _choice(case, "measure", measure).lower() if measure else "",
            "person": {"full_name": facts.get("person_name", ""), "position": facts.get("person_position", ""),
                       "unit": ""},
            "violation": facts.get("violation", ""), "meeting_date": facts.get("meeting_date")}


BUILDERS = {"cdcs_founding": cdcs_context, "committee_recognition": committee_context,
            "committee_supplement": committee_context, "commendation": commendation_context,
            "discipline": discipline_context}


def register_with_documents() -> bool:
    """Register the builders if the documents subsystem is installed; returns whether it was."""
    try:
        from caseflow.documents import context_builder
    except ImportError:  # the documents subsystem (issue 5) has not landed on this branch
        return False
    for kind, builder in BUILDERS.items():
        context_builder(kind)(builder)
    return True
