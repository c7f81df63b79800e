"""Benchmark of engine.fire(): committed fires/s against the bare-driver floor, and the compiled decision
against constructing a transitions.Machine per case (issue 2, "Performance").

    .venv/bin/python bench/engine.py [--cases N] [--rounds R] [--quick]

Two of the opening steps (propose_representation, sign_authorisation) open a document draft, itself a case
with its own chain: those fires stay in the mix and are also timed apart ("drafting" against "plain").
Given CASEFLOW_DATABASE_URL (PostgreSQL), the same figures are measured on a fresh database there too.
The floor is a fair bare-driver equivalent of each fire of the plan (_floor_loop): the same rows (the event with
its HMAC chained on the case's head, computed inside the clock; the case row under its version check; the
step's detail rows; for a drafting step the draft's sequence, case row, first event, head and detail row), one
transaction, COMMIT; timed apart for the plain and the drafting fires. SQL statements a fire are counted with a
before_cursor_execute listener (COMMIT not counted).
The last line is one JSON object: {"fires_per_s", "plain_fires_per_s", "drafting_fires_per_s",
"drafting_share", "floor_per_s", "floor_ratio", "plain_floor_ratio", "drafting_floor_ratio",
"statements_per_fire", "plain_statements_per_fire", "drafting_statements_per_fire", "decision_speedup",
"lookup_speedup", "machine_bind_us", "machine_bind_share", "add_model_us"[, "postgresql"]}: the cost of letting
the shared `transitions` machine execute each fire is measured apart (the engine's bound execution against
add_model/remove_model).
decision_speedup: a Machine built per case and executing the transition against the engine's decision
(registry lookup + role check + the shared machine executing it on the case); lookup_speedup leaves the
execution out of both sides' engine half (the lookup alone)."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.event import listen as event_listen
from sqlalchemy.event import remove as event_remove
from transitions import Machine

from caseflow import create_app
from caseflow.core import engine
from caseflow.core.engine.audit import GENESIS, event_digest, verify_all
from caseflow.core.models import Case, User
from caseflow.core.models.org import PASSWORD_METHOD
from caseflow.core.policy import roles_on
from caseflow.demo import build_tree, create_users, step_data
from caseflow.documents.models import DocumentDetail
from caseflow.extensions import db

AUDIT_KEY = "bench-audit-key"
INTAKE = {"channel": "walk_in", "party_status": "member", "need": "litigation", "dispute_type": "wages",
          "is_collective": False, "employer_name": "Công ty TNHH May mặc Quy Nhơn",
          "facts": "Công ty nợ lương 3 tháng, người lao động đề nghị công đoàn đại diện."}
#: the conciliation path up to the forum, then hearings recorded again and again (an internal transition,
#: so a case can take any number of fires); each step is (trigger, username)
OPENING = [("start_consultation", "tuvan1"), ("propose_representation", "tuvan1"),
           ("approve_representation", "lanhdao"), ("sign_authorisation", "tuvan1"),
           ("start_conciliation", "tuvan1")]
REPEAT = ("record_hearing", "tuvan2")


def _app(instance: Path, url: str):
    PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"
    return create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": url, "AUDIT_HMAC_KEY": AUDIT_KEY,
                       "TRANSLATIONS_DIR": str(instance / "translations")})


def seed(app, n_cases: int) -> list[int]:
    """Migrate with the real migrations, then N legal-aid cases opened through the engine."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        units = build_tree(db.session)
        users = create_users(db.session, units)
        unit_keys = ["province", "LĐLĐ-QN", "LĐLĐ-AN", "CĐCS-MMQN"]
        ids = []
        for i in range(n_cases):
            case = engine.open_case(
                db.session, "legal_aid", units[unit_keys[i % len(unit_keys)]], users["vanthu"], INTAKE,
                title=f"Nguyễn Văn Ánh {i} – Tiền lương", received_date=date(2026, 11, 2),
                parties=[{"role": "worker", "full_name": f"Nguyễn Văn Ánh {i}", "confidential": False}])
            ids.append(case.id)
        db.session.remove()
    return ids


def plan(n_cases: int, rounds: int) -> list[tuple[int, str, str]]:
    """(case index, trigger, username) in firing order: round-robin over the cases, so that every fire
    meets a case that was committed by another fire in between (no warm row in the session)."""
    steps = OPENING + [REPEAT] * max(0, rounds - len(OPENING))
    return [(i, trigger, who) for trigger, who in steps for i in range(n_cases)]


def bench_fire(app, ids: list[int], rounds: int) -> dict[str, tuple[int, float, int]]:
    """Committed fires through engine.fire(), each its own transaction: {"plain" | "drafting": (fires,
    seconds, SQL statements)}, "drafting" being the fires that opened document drafts (statements counted by a
    before_cursor_execute listener, COMMIT excluded). Then every chain is verified."""
    import random

    rng = random.Random(1)
    today = date.today()
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        cases = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(ids)))}
        steps = plan(len(ids), rounds)
        prepared = [(cases[ids[i]], trigger, users[who], *step_data(trigger, rng, date(2026, 11, 2), today))
                    for i, trigger, who in steps]
        from caseflow.documents import document_types

        document_types()  # parsed once per process (a server's worker does it once): not a fire's cost
        timed = {"plain": [0, 0.0, 0], "drafting": [0, 0.0, 0]}
        drafts = 0
        statements = [0]

        def count(*_args):
            statements[0] += 1

        event_listen(db.engine, "before_cursor_execute", count)
        try:
            for case, trigger, actor, data, comment in prepared:
                before = statements[0]
                started = time.perf_counter()
                event = engine.fire(case, trigger, actor, data, comment=comment or "Ghi nhận.")
                elapsed = time.perf_counter() - started
                opened = event.payload.get("documents") or []
                kind = timed["drafting" if opened else "plain"]
                kind[0] += 1
                kind[1] += elapsed
                kind[2] += statements[0] - before
                drafts += len(opened)
        finally:
            event_remove(db.engine, "before_cursor_execute", count)
        # the chains in the database: the bench's cases and the document cases their steps opened, no other
        assert db.session.scalar(select(func.count()).select_from(DocumentDetail)
                                 .where(DocumentDetail.source_case_id.in_(ids))) == drafts
        checked, problems = verify_all(db.session, AUDIT_KEY.encode())
        assert not problems and checked == len(ids) + drafts, (checked, len(ids), drafts, problems[:3])
        db.session.remove()
    return {k: tuple(v) for k, v in timed.items()}


STATE = "in_conciliation"
UPDATE = ("UPDATE cases SET state={p}, updated_dt={p}, audit_seq={p}, audit_head={p}, version={p} "
          "WHERE cases.id = {p} AND cases.version = {p}")
INSERT = ("INSERT INTO case_events (case_id, seq, created_dt, actor_id, trigger, from_state, to_state, comment, "
          "payload, prev_hash, hash) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})")
#: the detail rows the bench's steps write, as a bare driver would
DETAIL = {"start_conciliation": "UPDATE legal_aid_details SET union_rep_took_part={p}, rep_role={p}, rep_stage={p}, "
                                "forum={p} WHERE case_id = {p}",
          "sign_authorisation": "UPDATE legal_aid_details SET authorisation_signed_date={p} WHERE case_id = {p}",
          "record_hearing": "INSERT INTO legal_aid_hearings (case_id, hearing_date, forum, result, note, created_dt) "
                            "VALUES ({p}, {p}, {p}, {p}, {p}, {p})"}
SEQUENCE = ("INSERT INTO sequences (name, value) VALUES ({p}, 1) ON CONFLICT (name) DO UPDATE "
            "SET value = sequences.value + 1 RETURNING value")
DRAFT_CASE = ("INSERT INTO cases (code, kind, workflow, workflow_version, state, unit_id, title, search_text, "
              "received_date, opened_dt, updated_dt, version, audit_seq, audit_head, data) "
              "VALUES ({p}, 'document', 'document_issuance', 1, 'drafting', {p}, {p}, {p}, {p}, {p}, {p}, 1, 0, '', "
              "'{{}}') RETURNING id")
DRAFT_HEAD = "UPDATE cases SET audit_seq = 1, audit_head = {p}, version = 2 WHERE id = {p} AND version = 1"
DRAFT_DETAIL = ("INSERT INTO document_details (case_id, source_case_id, source_event, type_key, type_code, "
                "issuing_unit_id, issuer_code, secret, urgency, summary, data, search_text) "
                "VALUES ({p}, {p}, {p}, {p}, '', {p}, '', {p}, 'normal', {p}, {p}, {p})")


def _floor_loop(conn, cursor, ids: list[int], steps: list[tuple[int, str, str]], placeholder: str,
                sqlite: bool) -> dict[str, tuple[int, float]]:
    """A fair bare-driver equivalent of each fire of the bench's plan, in the same order: one transaction
    writing what the fire writes, then COMMIT. Per fire: the audit event with its HMAC chained on the case's
    head (the digest computed inside the clock: the engine computes it too), the case row under its version
    check (state, time, chain head, version), the step's detail rows (legal-aid facts, a hearing row); and for
    a step that opens a document draft, what opening it writes: the code's sequence, the draft's case row, its
    first event (chained, HMAC), its head and its detail row. No guard, permission, validation or prefill: the
    floor is the database's cost of the same rows. Returns {"plain" | "drafting": (fires, seconds)}."""
    p = placeholder
    update, insert = UPDATE.format(p=p), INSERT.format(p=p)
    detail = {k: v.format(p=p) for k, v in DETAIL.items()}
    sequence, draft_case = SEQUENCE.format(p=p), DRAFT_CASE.format(p=p)
    draft_head, draft_detail = DRAFT_HEAD.format(p=p), DRAFT_DETAIL.format(p=p)
    key = AUDIT_KEY.encode()
    cursor.execute(f"SELECT id, version, audit_seq, audit_head, state, unit_id FROM cases "
                   f"WHERE id IN ({','.join(map(str, ids))})")
    heads = {r[0]: [r[1], r[2], r[3] or GENESIS, r[4], r[5]] for r in cursor.fetchall()}
    conn.commit()

    def stamp(now):
        return now.replace(tzinfo=None) if sqlite else now

    def event(case_id, seq, prev, now, trigger, source, dest, comment, payload):
        digest = event_digest(key, case_id, seq, now, 3, trigger, source, dest, comment, payload, prev)
        cursor.execute(insert, (case_id, seq, stamp(now), 3, trigger, source, dest, comment, json.dumps(payload),
                                prev, digest))
        return digest

    timed = {"plain": [0, 0.0], "drafting": [0, 0.0]}
    for i, trigger, dest, documents in steps:
        case_id = ids[i]
        version, seq, prev, source, unit_id = heads[case_id]
        payload = {"hearing_date": "2026-11-05", "hearing_result": "held"} if trigger == "record_hearing" else {}
        started = time.perf_counter()
        now = datetime.now(UTC)
        opened = []
        for type_key in documents:  # the fire's listeners open the drafts before its own event is written
            cursor.execute(sequence, (f"case:VB:{now.year}",))
            number = cursor.fetchone()[0]
            code = f"VB-{now.year}-{number:04d}-{uuid.uuid4().hex[:6]}"
            summary = f"Về việc {type_key} (hồ sơ {case_id})"
            cursor.execute(draft_case, (code, unit_id, summary, summary, now.date(), stamp(now), stamp(now)))
            draft_id = cursor.fetchone()[0]
            digest = event(draft_id, 1, GENESIS, now, "open", None, "drafting", "",
                           {"type_key": type_key, "summary": summary, "source_case_id": case_id})
            cursor.execute(draft_head, (digest, draft_id))
            cursor.execute(draft_detail, (draft_id, case_id, f"{trigger}#{seq + 1}", type_key, unit_id, False,
                                          summary, json.dumps({"fields": {"case_code": code}}), summary))
            opened.append(code)
        if opened:
            payload["documents"] = opened
        digest = event(case_id, seq + 1, prev, now, trigger, source, dest, "Ghi nhận.", payload)
        if trigger == "record_hearing":
            cursor.execute(detail[trigger], (case_id, date(2026, 11, 5), "conciliation", "held", "Ghi nhận.",
                                             stamp(now)))
        elif trigger == "start_conciliation":
            cursor.execute(detail[trigger], (True, "authorised_representative", "conciliation", "conciliation",
                                             case_id))
        elif trigger == "sign_authorisation":
            cursor.execute(detail[trigger], (date(2026, 11, 3), case_id))
        cursor.execute(update, (dest, stamp(now), seq + 1, digest, version + 1, case_id, version))
        if cursor.rowcount != 1:
            raise RuntimeError("floor: version check failed")
        conn.commit()
        kind = timed["drafting" if documents else "plain"]
        kind[0] += 1
        kind[1] += time.perf_counter() - started
        heads[case_id] = [version + 1, seq + 1, digest, dest, unit_id]
    return {k: (n, t) for k, (n, t) in timed.items()}


def floor_steps(app, rounds: int, n_cases: int) -> list[tuple[int, str, str, tuple[str, ...]]]:
    """The bench's plan as (case index, trigger, destination state, document types its step opens)."""
    with app.app_context():
        definition = engine.get_registry().get("legal_aid")
        state, steps = {}, []
        for i, trigger, _who in plan(n_cases, rounds):
            source = state.get(i, definition.initial)
            transition = definition.transition(trigger, source)
            state[i] = dest = transition.dest_from(source)
            steps.append((i, trigger, dest, tuple(transition.documents or ())))
    return steps


def lean_orm(url: str, ids: list[int], n_fires: int) -> float:
    """For context: a lean SQLAlchemy ORM loop doing only the floor's work (set the case's columns, add one
    CaseEvent, commit), no role check, guard, validation or hashing: the ORM's own cost."""
    from sqlalchemy.orm import Session

    from caseflow.core.models import CaseEvent
    from caseflow.core.models.case import engine_writes_state
    from caseflow.db_setup import install_connection_pragmas

    bind = create_engine(url)
    install_connection_pragmas(bind)
    # a baseline on a scratch copy of the database: it writes state around the engine on purpose, to measure
    # what the ORM alone costs, so it says so to the state guard
    with Session(bind, expire_on_commit=False) as session, engine_writes_state():
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)))}
        payload = {"hearing_date": "2026-11-05"}
        started = time.perf_counter()
        for n in range(n_fires):
            case = cases[ids[n % len(ids)]]
            now = datetime.now(UTC)
            case.state, case.updated_dt, case.audit_seq = STATE, now, case.audit_seq + 1
            session.add(CaseEvent(case_id=case.id, seq=case.audit_seq, created_dt=now, actor_id=3,
                                  trigger="record_hearing", from_state=STATE, to_state=STATE, comment="Ghi nhận.",
                                  payload=payload, prev_hash=case.audit_head, hash=case.audit_head))
            session.commit()
        elapsed = time.perf_counter() - started
    bind.dispose()
    return elapsed


def floor_sqlite(path: Path, ids: list[int], steps) -> dict[str, tuple[int, float]]:
    conn = sqlite3.connect(path, isolation_level="DEFERRED")
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000"):
        conn.execute(f"PRAGMA {pragma}")
    try:
        return _floor_loop(conn, conn.cursor(), ids, steps, "?", sqlite=True)
    finally:
        conn.close()


def floor_postgresql(url: str, ids: list[int], steps) -> dict[str, tuple[int, float]]:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return _floor_loop(conn, conn.cursor(), ids, steps, "%s", sqlite=False)


def bench_decision(app, n: int) -> tuple[float, float]:
    """Seconds per decision: compiled registry lookup + role check vs a Machine built per case and executing
    the transition (the shared machine's execution is timed apart, bench_binding, and added in main())."""
    with app.app_context():
        registry = engine.get_registry()
        definition = registry.get("legal_aid")
        users = {u.username: u for u in db.session.scalars(select(User))}
        case = db.session.scalars(select(Case).limit(1)).one()
        unit = case.unit
        for u in users.values():
            roles_on(db.session, u, unit)  # role paths are cached per actor, as in a request
        work = []
        for t in definition.transitions:
            for source in t.sources:
                who = "lanhdao" if "leader" in t.roles else "tuvan1"
                work.append((t.trigger, source, users[who]))
        work = (work * (n // len(work) + 1))[:n]
        name, version = definition.name, definition.version

        started = time.perf_counter()
        for trigger, source, actor in work:
            transition = registry.decide(name, version, trigger, source)
            assert transition is not None and roles_on(db.session, actor, unit).intersection(transition.roles)
        compiled = (time.perf_counter() - started) / len(work)

        naive_work = work[: max(200, n // 50)]
        states = list(definition.states)
        specs = [{"trigger": t.trigger, "source": list(t.sources), "dest": None if t.internal else t.dest}
                 for t in definition.transitions]
        by_key = {(t.trigger, s): t for t in definition.transitions for s in t.sources}

        class Model:
            pass

        started = time.perf_counter()
        for trigger, source, actor in naive_work:
            model = Model()
            machine = Machine(model=model, states=states, transitions=specs, initial=source,
                              auto_transitions=False)
            event = machine.events.get(trigger)
            assert event is not None and source in event.transitions
            transition = by_key[(trigger, source)]
            assert roles_on(db.session, actor, unit).intersection(transition.roles)
            getattr(model, trigger)()  # the per-case machine executes the transition on its model
        naive = (time.perf_counter() - started) / len(naive_work)
        db.session.remove()
    return compiled, naive


def bench_binding(app, n: int) -> dict[str, float]:
    """Microseconds per execution of one transition on a shared machine, three ways: the engine's (a
    BoundCase wrapper handed to the event, nothing left on the machine), add_model + trigger + remove_model,
    and the bare lookup of the transition. The engine's callbacks are left out: they are the fire's work."""
    with app.app_context():
        definition = engine.get_registry().get("legal_aid")
    states = list(definition.states)
    moves = [(t.trigger, s) for t in definition.transitions if not t.internal for s in t.sources]
    moves = (moves * (n // len(moves) + 1))[:n]
    machine = Machine(model=None, states=states, initial=definition.initial, auto_transitions=False)
    for t in definition.transitions:
        machine.add_transition(t.trigger, list(t.sources), None if t.internal else t.dest)

    class Row:
        state = definition.initial

    class Wrapper:
        __slots__ = ("row",)

        def __init__(self, row):
            self.row = row

        @property
        def state(self):
            return self.row.state

        @state.setter
        def state(self, value):
            self.row.state = value

    def timed(step) -> float:
        started = time.perf_counter()
        for trigger, source in moves:
            row = Row()
            row.state = source
            step(row, trigger, source)
        return (time.perf_counter() - started) / len(moves) * 1e6

    def bound(row, trigger, _source):
        machine.events[trigger].trigger(Wrapper(row))

    def added(row, trigger, _source):
        machine.add_model(row, initial=row.state)
        getattr(row, trigger)()
        machine.remove_model(row)

    def lookup(_row, trigger, source):
        assert machine.events[trigger].transitions[source]

    return {"bound_us": timed(bound), "add_model_us": timed(added), "lookup_us": timed(lookup)}


def run(label: str, app, ids: list[int], rounds: int, floor_fn, lean_fn) -> dict:
    cpu = time.process_time()
    timed = bench_fire(app, ids, rounds)
    cpu = time.process_time() - cpu
    (plain, plain_s, plain_q), (drafting, drafting_s, drafting_q) = timed["plain"], timed["drafting"]
    fires, elapsed = plain + drafting, plain_s + drafting_s
    fires_per_s = fires / elapsed
    plain_per_s = plain / plain_s if plain else None
    drafting_per_s = drafting / drafting_s if drafting else None
    floor = floor_fn(floor_steps(app, rounds, len(ids)))
    (f_plain, f_plain_s, *_), (f_drafting, f_drafting_s, *_) = floor["plain"], floor["drafting"]
    assert (f_plain, f_drafting) == (plain, drafting), (floor, timed)
    floor_per_s = fires / (f_plain_s + f_drafting_s)
    floor_plain_per_s = f_plain / f_plain_s if f_plain else None
    floor_drafting_per_s = f_drafting / f_drafting_s if f_drafting else None
    lean_per_s = fires / lean_fn(fires)
    ratio = floor_per_s / fires_per_s
    print(f"[{label}] fire(): {fires} committed fires in {elapsed:.2f} s = {fires_per_s:,.0f} fires/s "
          f"(target >= 1,500); process CPU {cpu / fires * 1e6:.0f} us a fire; "
          f"{(plain_q + drafting_q) / fires:.1f} SQL statements a fire (+ COMMIT)")
    print(f"[{label}]   of which {drafting} open a document draft: {drafting_per_s or 0:,.0f}/s, "
          f"{drafting_q / max(drafting, 1):.1f} statements; the other {plain}: {plain_per_s or 0:,.0f}/s, "
          f"{plain_q / max(plain, 1):.1f} statements")
    print(f"[{label}] floor (bare driver, the same rows a fire writes, one transaction, COMMIT): "
          f"{floor_per_s:,.0f}/s (plain {floor_plain_per_s or 0:,.0f}/s, drafting {floor_drafting_per_s or 0:,.0f}/s); "
          f"fire() is {ratio:.1f}x slower than the floor (target <= 12x); plain "
          f"{(floor_plain_per_s or 0) / (plain_per_s or 1):.1f}x, drafting "
          f"{(floor_drafting_per_s or 0) / (drafting_per_s or 1):.1f}x")
    print(f"[{label}] lean ORM loop (the floor's work through the ORM only): {lean_per_s:,.0f}/s; "
          f"fire() runs at {fires_per_s / lean_per_s:.2f}x of it")
    return {"fires_per_s": round(fires_per_s, 1),
            "plain_fires_per_s": round(plain_per_s, 1) if plain_per_s else None,
            "drafting_fires_per_s": round(drafting_per_s, 1) if drafting_per_s else None,
            "drafting_share": round(drafting / fires, 3),
            "floor_per_s": round(floor_per_s, 1), "floor_ratio": round(ratio, 2),
            "plain_floor_ratio": round(floor_plain_per_s / plain_per_s, 2) if plain_per_s and floor_plain_per_s
            else None,
            "drafting_floor_ratio": round(floor_drafting_per_s / drafting_per_s, 2)
            if drafting_per_s and floor_drafting_per_s else None,
            "statements_per_fire": round((plain_q + drafting_q) / fires, 2),
            "plain_statements_per_fire": round(plain_q / plain, 2) if plain else None,
            "drafting_statements_per_fire": round(drafting_q / drafting, 2) if drafting else None,
            "lean_orm_per_s": round(lean_per_s, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, help="legal-aid cases to seed (300; --quick: 30)")
    parser.add_argument("--rounds", type=int, default=10, help="fires per case")
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run: figures are rough)")
    args = parser.parse_args()
    args.cases = args.cases or (30 if args.quick else 300)
    pg_url = os.environ.pop("CASEFLOW_DATABASE_URL", None)  # each run names its database explicitly
    workdir = Path(tempfile.mkdtemp(prefix="caseflow-bench-"))
    try:
        path = workdir / "bench.db"
        app = _app(workdir / "instance", f"sqlite:///{path}")
        ids = seed(app, args.cases)
        with app.app_context():
            db.engine.dispose()
        floor_path, lean_path = workdir / "floor.db", workdir / "lean.db"
        for copy in (floor_path, lean_path):  # identical files: same schema, same seeded rows
            shutil.copyfile(path, copy)
        print(f"seeded {len(ids)} legal-aid cases in a SQLite file through engine.open_case()")
        result = run("sqlite", app, ids, args.rounds, lambda steps: floor_sqlite(floor_path, ids, steps),
                     lambda n: lean_orm(f"sqlite:///{lean_path}", ids, n))

        compiled, naive = bench_decision(app, 2_000 if args.quick else 20_000)
        binding = bench_binding(app, 2_000 if args.quick else 20_000)
        # the decision as a fire makes it: look the transition up, check the role, and let the shared machine
        # execute it on the case (bound, no add_model) -- against a Machine built per case executing it
        decided = compiled + binding["bound_us"] / 1e6
        speedup = naive / decided
        print(f"decision: compiled registry + role check {compiled * 1e6:.2f} us + the shared machine executing "
              f"the transition {binding['bound_us']:.1f} us; a transitions.Machine built per case and executing "
              f"it {naive * 1e6:.0f} us; {speedup:,.0f}x faster (target >= 10x; lookup alone {naive / compiled:,.0f}x)")
        summary = {k: result[k] for k in ("fires_per_s", "plain_fires_per_s", "drafting_fires_per_s",
                                          "drafting_share", "floor_per_s", "floor_ratio", "plain_floor_ratio",
                                          "drafting_floor_ratio", "statements_per_fire", "plain_statements_per_fire",
                                          "drafting_statements_per_fire")}
        summary["decision_speedup"] = round(speedup, 1)
        summary["lookup_speedup"] = round(naive / compiled, 1)
        fire_us = 1e6 / result["fires_per_s"]
        print(f"machine per fire: the engine's bound execution {binding['bound_us']:.1f} us "
              f"({binding['bound_us'] / fire_us:.1%} of a committed fire); add_model + trigger + remove_model "
              f"{binding['add_model_us']:.1f} us; the bare lookup {binding['lookup_us']:.2f} us")
        summary["machine_bind_us"] = round(binding["bound_us"], 2)
        summary["machine_bind_share"] = round(binding["bound_us"] / fire_us, 4)
        summary["add_model_us"] = round(binding["add_model_us"], 2)
        if pg_url:
            summary["postgresql"] = run_postgresql(pg_url, workdir, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(summary))


def run_postgresql(url: str, workdir: Path, args) -> dict:
    """A fresh database on the server of `url`, seeded and measured like the SQLite file, then dropped."""
    from caseflow.config import normalise_database_url

    base = normalise_database_url(url).rsplit("/", 1)[0]
    name = f"caseflow_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        app = _app(workdir / "instance-pg", f"{base}/{name}")
        ids = seed(app, args.cases)
        print(f"seeded {len(ids)} legal-aid cases in PostgreSQL database {name}")
        result = run("postgresql", app, ids, args.rounds, lambda steps: floor_postgresql(f"{base}/{name}", ids, steps),
                     lambda n: lean_orm(f"{base}/{name}", ids, n))
        with app.app_context():
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return result


if __name__ == "__main__":
    main()
