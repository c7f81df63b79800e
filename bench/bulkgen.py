"""Set-based bulk generator of legal-aid cases for benchmarks and report tests (kept out of the runtime
package: it writes rows around the engine, which only a benchmark or a test may do).

A million engine fires would take hours, so this writes rows directly, in chunks — but only rows the
workflow produces: every case ends where one of the demo paths (caseflow.demo.PATHS) leads, with the
detail facts those steps record (tests/test_kpi_bulkgen.py walks each path through the engine and
compares). Bulk cases have no audit events (audit_seq 0, an empty chain, which `audit verify` accepts)."""
from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from caseflow.core.models import Case
from caseflow.core.text import fold
from caseflow.demo import EMPLOYERS, FACTS, person_name
from caseflow.legal_aid.models import LegalAidDetail

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MEMBER_STATUSES = ("member", "union_org")

#: the facts each complete demo path leaves on a case (state, rep facts); None = not recorded
PATH_FACTS: dict[str, dict] = {
    "advice": {"state": "closed", "union_rep_took_part": True, "rep_stage": "consultation", "forum": None,
               "rep_roles": ("legal_officer", "lawyer"), "outcome": None},
    "conciliation": {"state": "closed", "union_rep_took_part": True, "rep_stage": "conciliation",
                     "forum": "conciliation", "rep_roles": ("authorised_representative",), "outcome": "any",
                     "authorised": True},
    "court": {"state": "closed", "union_rep_took_part": True, "rep_stage": "court_appeal", "forum": "court_appeal",
              "rep_roles": ("authorised_representative", "defender"), "outcome": "any", "authorised": True},
    "collective": {"state": "closed", "union_rep_took_part": True, "rep_stage": "arbitration", "forum": "arbitration",
                   "rep_roles": ("collective_party",), "outcome": "any"},
    "no_authorisation": {"state": "closed", "union_rep_took_part": False, "rep_stage": None, "forum": None,
                         "rep_roles": (None,), "outcome": None, "no_rep_reason": True},
    "question": {"state": "closed", "union_rep_took_part": False, "rep_stage": None, "forum": None,
                 "rep_roles": (None,), "outcome": "answered"},
    "referred": {"state": "referred", "union_rep_took_part": False, "rep_stage": None, "forum": None,
                 "rep_roles": (None,), "outcome": None},
    "declined": {"state": "declined", "union_rep_took_part": False, "rep_stage": None, "forum": None,
                 "rep_roles": (None,), "outcome": None},
    "withdrawn": {"state": "closed", "union_rep_took_part": False, "rep_stage": None, "forum": None,
                  "rep_roles": (None,), "outcome": "withdrawn", "no_rep_reason": True},
}
#: open cases stop part-way; these are states some demo path passes through
OPEN_STATES = ("received", "consulting", "advised", "representation_proposed", "awaiting_authorisation")
#: (kind, workflow, code prefix, a final state of that workflow) of the cases that are not legal aid
OTHER_KINDS = (("complaint", "complaint", "KN", "closed"), ("denunciation", "denunciation", "TC", "closed"),
               ("letter", "letter_intake", "DT", "archived"))


@dataclass
class Expected:
    """What the generated data must give, counted while generating: (year) -> numbers."""
    matters: Counter = field(default_factory=Counter)
    represented: Counter = field(default_factory=Counter)
    non_member_matters: Counter = field(default_factory=Counter)
    non_member_represented: Counter = field(default_factory=Counter)
    legal_aid: int = 0
    other_kinds: int = 0


def generate(session: Session, n: int, unit_ids: list[int], *, years: tuple[int, int] = (2019, 2026),
             other_share: float = 0.05, open_share: float = 0.15, seed: int = 7, chunk: int = 20_000,
             progress=None) -> Expected:
    rng = random.Random(seed)
    expected = Expected()
    bind = session.get_bind()
    next_id = (session.scalar(select(func.max(Case.id))) or 0) + 1
    start = date(years[0], 1, 1)
    span = (date(years[1], 12, 31) - start).days - 30
    cases, details = [], []
    paths = list(PATH_FACTS)
    for i in range(n):
        case_id = next_id + i
        received = start + timedelta(days=rng.randint(0, span))
        unit_id = rng.choice(unit_ids)
        opened = datetime.combine(received, time(9), LOCAL_TZ).astimezone(UTC)
        name = person_name(rng)
        if rng.random() < other_share:
            kind, workflow, prefix, final_state = rng.choice(OTHER_KINDS)
            closed = opened + timedelta(days=rng.randint(5, 60))
            cases.append(_case_row(case_id, f"{prefix}B-{received.year}-{i:07d}", kind, final_state, unit_id,
                                   f"{name} – {kind}", received, opened, closed, workflow=workflow))
            expected.other_kinds += 1
        else:
            expected.legal_aid += 1
            path = rng.choice(paths)
            facts = PATH_FACTS[path]
            is_open = path not in ("question", "referred", "declined") and rng.random() < open_share
            closed = None if is_open else opened + timedelta(days=rng.randint(1, 25))
            state = rng.choice(OPEN_STATES) if is_open else facts["state"]
            party = "union_org" if path == "collective" else rng.choice(("member", "member", "member", "non_member"))
            need = "general_question" if path == "question" else (
                "litigation" if path in ("conciliation", "court", "collective", "no_authorisation")
                else rng.choice(("consultation", "litigation")))
            dispute = "other" if path == "question" else ("collective" if path == "collective"
                                                          else rng.choice(list(FACTS)[:-1]))
            took_part = bool(facts["union_rep_took_part"]) and not is_open
            outcome = facts["outcome"]
            if outcome == "any":
                outcome = rng.choice(("won", "partly_won", "settled", "lost"))
            closed_local = closed.astimezone(LOCAL_TZ).date() if closed else None
            employer = rng.choice(EMPLOYERS)
            cases.append(_case_row(case_id, f"TVB-{received.year}-{i:07d}", "legal_aid", state, unit_id,
                                   f"{name} – {employer}", received, opened, closed))
            details.append({
                "case_id": case_id, "channel": rng.choice(("walk_in", "hotline", "letter", "referral")),
                "party_status": party, "need": need, "dispute_type": dispute, "is_collective": path == "collective",
                "employer_name": employer, "facts": FACTS[dispute].format(m=3, v=40),
                "breach_known_date": received - timedelta(days=rng.randint(1, 60)),
                "union_rep_took_part": took_part,
                "rep_role": rng.choice(facts["rep_roles"]) if took_part else None,
                "rep_stage": facts["rep_stage"] if took_part else None,
                "forum": facts["forum"] if took_part else None,
                "authorisation_signed_date": received + timedelta(days=1) if facts.get("authorised") and not is_open
                else None,
                "no_rep_reason": "Người lao động không ủy quyền / rút yêu cầu." if facts.get("no_rep_reason")
                and not is_open else None,
                "outcome": None if is_open else outcome,
                "amount_recovered_vnd": rng.randrange(0, 200) * 1_000_000 if outcome in ("won", "partly_won", "settled")
                and not is_open else None,
                "referred_to": "Trung tâm Trợ giúp pháp lý nhà nước" if state == "referred" else None,
                "decline_reason": "Ngoài phạm vi" if state == "declined" else None,
                "opposing_party": None, "client_key": None, "conflict_note": None, "unit_id": unit_id,
                "end_state": None if is_open else state, "closed_date": closed_local,
                "closed_year": closed_local.year if closed_local else None,
            })
            if closed_local and state == "closed" and need in ("consultation", "litigation"):
                year = closed_local.year
                if party in MEMBER_STATUSES:
                    expected.matters[year] += 1
                    expected.represented[year] += took_part
                else:
                    expected.non_member_matters[year] += 1
                    expected.non_member_represented[year] += took_part
        if len(cases) >= chunk:
            _flush(session, cases, details)
            cases, details = [], []
            if progress:
                progress(i + 1, n)
    _flush(session, cases, details)
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
    session.commit()
    return expected


def generate_indexed(session: Session, n: int, unit_ids: list[int], **options) -> Expected:
    """generate() as bulk loads are done: the secondary indexes of cases and legal_aid_details dropped, the
    rows written, the same indexes built again (faster than keeping them up to date row by row)."""
    indexes = [i for t in (Case.__table__, LegalAidDetail.__table__) for i in t.indexes]
    for index in indexes:
        index.drop(session.connection())
    expected = generate(session, n, unit_ids, **options)
    for index in indexes:
        index.create(session.connection())
    return expected


def _case_row(case_id, code, kind, state, unit_id, name, received, opened, closed, workflow=None) -> dict:
    # rows a real workflow could hold (its name, a state of it) and findable like the engine's: the pages
    # and the search work on bulk data as on cases opened through open_case
    return {"id": case_id, "code": code, "kind": kind, "workflow": workflow or kind, "workflow_version": 1,
            "state": state, "unit_id": unit_id, "assignee_id": None, "title": name,
            "search_text": fold(f"{code} {name}"),
            "received_date": received, "opened_dt": opened, "updated_dt": closed or opened, "closed_dt": closed,
            "version": 1, "audit_seq": 0, "audit_head": "", "data": {}}


def _flush(session: Session, cases: list[dict], details: list[dict]) -> None:
    """Straight to the driver: COPY on PostgreSQL, executemany of plain tuples on SQLite (the ORM's
    per-value processing would dominate at this size)."""
    connection = session.connection()
    for table, rows in ((Case.__table__, cases), (LegalAidDetail.__table__, details)):
        if not rows:
            continue
        names = list(rows[0])
        if connection.dialect.name == "postgresql":
            cursor = connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row.values()])
        else:
            sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            connection.connection.driver_connection.executemany(sql, [tuple(_sqlite(v) for v in row.values())
                                                                      for row in rows])


def _sqlite(value):
    """Values as the SQLite columns store them (UTC datetimes without zone, JSON as text)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value)
    return value
