"""The representation-share KPI on data whose share is known by construction: several years, units,
forums, members and non-members, consultation and litigation; other kinds, general questions and
non-members' matters never inside the share."""
import random
from collections import Counter
from datetime import date

import pytest

from bench.bulkgen import generate
from caseflow.core import engine
from caseflow.demo import PATHS, step_data
from caseflow.extensions import db
from caseflow.reports import kpi
from caseflow.reports.targets import target_for
from tests.factories import open_legal_aid, user

ACTORS = {"legal_officer": "tuvan1", "leader": "lanhdao"}
#: path -> does a union representative take part
REPRESENTED = {"advice": True, "conciliation": True, "court": True, "collective": True, "no_authorisation": False,
               "withdrawn": False, "question": False, "referred": False, "declined": False}


def _walk(org, path, unit_key, party_status, need, year, rng):
    intake = {"party_status": party_status, "need": need}
    if path == "question":
        intake.update(need="general_question", dispute_type="other")
    if path == "collective":
        intake.update(is_collective=True, party_status="union_org" if party_status != "non_member" else party_status,
                      dispute_type="collective")
    case = open_legal_aid(org, unit_key=unit_key, received=date(year, 3, 1), **intake)
    for trigger, role in PATHS[path]:
        data, comment = step_data(trigger, rng, case.received_date, date(year, 6, 1))
        engine.fire(case, trigger, user(org, ACTORS[role]), data, comment=comment or "lý do")
    return case


def test_share_is_exact_to_the_case(ctx, org, clock):
    rng = random.Random(3)
    expected = Counter()
    plan = []
    for year in (2023, 2024, 2025):
        for unit_key in ("province", "LĐLĐ-QN", "LĐLĐ-AN"):
            for path in ("advice", "conciliation", "court", "no_authorisation", "withdrawn", "question", "referred"):
                for status in ("member", "non_member"):
                    need = "litigation" if path in ("conciliation", "court", "no_authorisation") else \
                        rng.choice(["consultation", "litigation"])
                    plan.append((year, unit_key, path, status, need))
        plan.append((year, "province", "collective", "union_org", "litigation"))
    for year, unit_key, path, status, need in plan:
        clock(date(year, 6, 1))
        _walk(org, path, unit_key, status, need, year, rng)
        in_denominator = path not in ("question", "referred")
        if in_denominator:
            side = "m" if status in ("member", "union_org") else "n"
            expected[(year, side, "matters")] += 1
            expected[(year, side, "represented")] += REPRESENTED[path]
    # a matter still open in 2025 and a general question answered count nowhere
    clock(date(2025, 6, 1))
    open_legal_aid(org, received=date(2025, 5, 2))
    rows = {r.key: r for r in kpi.share_by_year(db.session)}
    assert sorted(rows) == [2023, 2024, 2025]
    for year, row in rows.items():
        assert (row.matters, row.represented) == \
            (expected[(year, "m", "matters")], expected[(year, "m", "represented")])
        assert (row.non_member_matters, row.non_member_represented) == \
            (expected[(year, "n", "matters")], expected[(year, "n", "represented")])
    # 3 units x (advice, conciliation, court represented; no_authorisation, withdrawn not) + 1 collective
    assert (rows[2024].matters, rows[2024].represented) == (16, 10)
    assert rows[2024].share == pytest.approx(62.5)
    by_unit = {r.key: r for r in kpi.share_by(db.session, "unit", 2024)}
    assert sum(r.matters for r in by_unit.values()) == 16
    assert by_unit[org["units"]["LĐLĐ-QN"]].matters == 5
    by_forum = {r.key: r.represented for r in kpi.share_by(db.session, "forum", 2024)}
    assert by_forum == {None: 3 + 0, "arbitration": 1, "conciliation": 3, "court_appeal": 3}
    by_need = {r.key: r.matters for r in kpi.share_by(db.session, "need", 2024)}
    assert "general_question" not in by_need and sum(by_need.values()) == 16
    collective = {r.key: r.matters for r in kpi.share_by(db.session, "collective", 2024)}
    assert collective == {False: 15, True: 1}
    # drill-down lists exactly the cases behind each figure; misses carry their recorded reason
    missed = db.session.execute(kpi.drilldown_query("unrepresented", year=2024)).all()
    assert len(missed) == rows[2024].unrepresented == 6
    assert all(d.no_rep_reason for _c, d in missed)
    assert len(db.session.execute(kpi.drilldown_query("represented", year=2024, filters={"forum": "conciliation"}))
               .all()) == 3
    assert len(db.session.execute(kpi.drilldown_query("non_member", year=2023)).all()) == rows[2023].non_member_matters


def test_bulk_data_set_share_and_exclusions(ctx, org):
    units = list(org["units"].values())
    expected = generate(db.session, 3000, units, years=(2022, 2025), other_share=0.1, seed=11)
    assert expected.other_kinds > 100
    rows = {r.key: r for r in kpi.share_by_year(db.session)}
    assert {y: r.matters for y, r in rows.items()} == dict(expected.matters)
    assert {y: r.represented for y, r in rows.items()} == dict(expected.represented)
    assert {y: r.non_member_matters for y, r in rows.items()} == dict(expected.non_member_matters)
    # a user scoped to one unit sees only that unit's matters
    scoped = kpi.share_by_year(db.session, [org["units"]["LĐLĐ-QN"]])
    assert 0 < sum(r.matters for r in scoped) < sum(r.matters for r in rows.values())


def test_targets_follow_the_programme_and_the_path_between(ctx):
    from caseflow.reports.targets import ensure_default_targets, load_targets

    ensure_default_targets(db.session)  # the migration writes them; PostgreSQL tests truncate every table
    targets = load_targets(db.session)
    assert targets == {2023: 65.0, 2025: 68.0, 2030: 75.0, 2045: 99.0}
    assert target_for(2024, targets).pct == 66.5 and not target_for(2024, targets).set_by_programme
    assert target_for(2025, targets).set_by_programme
    assert target_for(2022, targets) is None
    assert target_for(2035, targets).pct == 83.0
