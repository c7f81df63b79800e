"""KPI across the 2025 merger: a matter is counted for the unit that handled it when it closed, so the
per-unit figures of 2024 stay the same after the units' cases are re-assigned to their successor; rolled
up on request to the unit that carries the work today."""
import random
from datetime import date

import pytest
from sqlalchemy import select

from caseflow.core import clock as engine_clock
from caseflow.core import engine
from caseflow.core.engine.audit import verify_case
from caseflow.core.models import Case, CaseEvent
from caseflow.demo import PATHS, step_data
from caseflow.extensions import db
from caseflow.reports import kpi
from caseflow.union.org import OrgError, merge_into
from tests.conftest import AUDIT_KEY, logged_in
from tests.factories import open_legal_aid, unit, user

ACTORS = {"legal_officer": "tuvan1", "leader": "lanhdao"}


def _closed(org, unit_key, path, clock):
    clock(date(2024, 3, 1))
    case = open_legal_aid(org, unit_key=unit_key, received=date(2024, 3, 1), need="litigation")
    rng = random.Random(7)
    clock(date(2024, 6, 1))
    for trigger, role in PATHS[path]:
        data, comment = step_data(trigger, rng, case.received_date, date(2024, 6, 1))
        engine.fire(case, trigger, user(org, ACTORS[role]), data, comment=comment or "lý do")
    return case


def _by_unit(year):
    return {r.key: (r.matters, r.represented) for r in kpi.share_by(db.session, "unit", year)}


def test_2024_figures_per_unit_stay_after_the_merger_and_roll_up_on_request(ctx, org, clock, client):
    quy_nhon, province = unit(org, "LĐLĐ-QN"), unit(org, "province")
    cases = [_closed(org, "LĐLĐ-QN", p, clock) for p in ("court", "conciliation", "no_authorisation")] + \
        [_closed(org, "province", p, clock) for p in ("advice", "no_authorisation")]
    clock(date(2025, 5, 2))
    still_open = open_legal_aid(org, unit_key="LĐLĐ-QN", received=date(2025, 5, 2))  # moves too
    before = _by_unit(2024)
    assert before == {quy_nhon.id: (3, 2), province.id: (2, 1)}  # counted by hand: court, conciliation; advice

    clock(date(2025, 7, 1))
    in_quy_nhon = db.session.scalars(select(Case.id).where(Case.unit_id == quy_nhon.id)).all()  # drafts too
    moved = merge_into(db.session, quy_nhon, province, date(2025, 6, 30), user(org, "admin"),
                       "Nghị quyết sắp xếp đơn vị hành chính năm 2025 (thử)", now=engine_clock.now())
    db.session.commit()
    assert moved == len(in_quy_nhon) >= 4
    assert still_open.id in in_quy_nhon and {db.session.get(Case, c).unit_id for c in in_quy_nhon} == {province.id}
    assert _by_unit(2024) == before  # the unit as it was
    assert kpi.roll_up_units(kpi.share_by(db.session, "unit", 2024), {quy_nhon.id: province.id}) == \
        [kpi.ShareRow(province.id, 5, 3, 0, 0)]
    # each move is one event on the case's chain, which still verifies
    moved_case = db.session.get(Case, cases[0].id)
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == moved_case.id)
                               .order_by(CaseEvent.seq.desc())).first()
    assert (event.trigger, event.payload["from_unit"], event.payload["to_unit"]) == \
        ("reassign_unit", "LĐLĐ-QN", province.code)
    assert verify_case(db.session, AUDIT_KEY.encode(), moved_case) == []

    with logged_in(client, "lanhdao"):
        as_was = client.get("/reports/legal-aid?year=2024").get_data(as_text=True)
        rolled = client.get("/reports/legal-aid?year=2024&units=successor").get_data(as_text=True)
        drill = client.get(f"/reports/legal-aid/cases?set=matters&year=2024&unit={province.id}&units=successor")
    table = as_was[as_was.index('id="breakdown-unit"'):]
    assert quy_nhon.name in table[:table.index("</table>")]
    table = rolled[rolled.index('id="breakdown-unit"'):]
    assert quy_nhon.name not in table[:table.index("</table>")]
    assert all(c.code in drill.get_data(as_text=True) for c in cases)


def test_a_unit_cannot_be_merged_into_itself(ctx, org):
    with pytest.raises(OrgError):
        merge_into(db.session, unit(org, "province"), unit(org, "province"), date(2025, 6, 30), user(org, "admin"),
                   "thử", now=engine_clock.now())
