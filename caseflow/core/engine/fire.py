"""fire(): the only writer of Case.state. Permission-checked, guarded, executed by the workflow's shared
`transitions` machine, audited, atomic, optimistically locked."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session, scoped_session
from sqlalchemy.orm.exc import StaleDataError

from caseflow.core import clock
from caseflow.core.engine.audit import append_case_events, append_event
from caseflow.core.engine.context import FireContext
from caseflow.core.engine.definition import Definition, EffectRef, ImportSpec
from caseflow.core.engine.errors import Conflict, GuardFailed, InvalidInput, InvalidTrigger, NotPermitted
from caseflow.core.engine.fields import to_payload, validate
from caseflow.core.engine.hooks import reasons_of
from caseflow.core.engine.machine import bind_effects, perform, run_transition
from caseflow.core.engine.state import current_engine, get_registry
from caseflow.core.engine.write import write_case
from caseflow.core.i18n import _, label
from caseflow.core.models import Case, CaseEvent, Party, Unit, User, next_value
from caseflow.core.models.case import engine_writes_state
from caseflow.core.models.sequence import raise_to, reserve_ids, take_block
from caseflow.core.policy import can_see, roles_on
from caseflow.core.text import fold, nfc

LOCAL_TZ = clock.LOCAL_TZ


def available_transitions(session: Session, case: Case, actor: User):
    """Transitions the actor could try from the case's state (guards are checked when fired)."""
    definition = get_registry().get(case.workflow, case.workflow_version)
    roles = roles_on(session, actor, case.unit)
    return [t for t in definition.transitions_from(case.state) if roles.intersection(t.roles)]


def _check(ctx: FireContext, guards: Iterable[EffectRef]) -> None:
    """Every check of the app's features, then the step's own guards: all reasons at once, nothing written."""
    hooks = ctx.engine.hooks
    reasons: list[str] = []
    with ctx.session.no_autoflush:
        for check in hooks.checks:
            reasons += reasons_of(check(ctx))
        for ref in guards:
            reasons += reasons_of(hooks.guards[ref.name](ctx, **ref.args))
    if reasons:
        raise GuardFailed(_("The action is not allowed now."), reasons)


def _listen(ctx: FireContext) -> None:
    """The features' after-fire listeners; without autoflush, so the fire's rows stay pending for one flush."""
    with ctx.session.no_autoflush:
        for listener in ctx.engine.hooks.listeners:
            listener(ctx)


def _commit_keeping_state(session: Session) -> None:
    """Commit without expiring the session's objects. What the flush wrote is what the row now holds
    (the version check proved nobody wrote it in between), so the next fire on this case needs no
    re-read of the case, its unit, the actor or the detail row; a row changed elsewhere meanwhile still
    fails that version check (Conflict), and a refusal rolls back, which expires everything as usual."""
    if isinstance(session, scoped_session):
        session = session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


@contextmanager
def atomic(session: Session, rollback: bool = True):
    """Any failure undoes the whole fire; a stale version or a clashing row, wherever a flush meets it
    (guards, effects and listeners may flush too), is a Conflict, never a raw database error."""
    try:
        yield
    except (StaleDataError, IntegrityError) as exc:
        session.rollback()
        raise Conflict(_("The case was changed by someone else meanwhile. Reload it and try again.")) from exc
    except BaseException:
        if rollback:
            session.rollback()
        raise


def _commit(session: Session, commit: bool) -> None:
    with atomic(session):
        session.flush()
        if commit:
            _commit_keeping_state(session)


def fire(case: Case, trigger: str, actor: User, data: dict[str, Any] | None = None, *, comment: str = "",
         expected_version: int | None = None, session: Session | None = None, commit: bool = True) -> CaseEvent:
    """Fire `trigger` on `case` as `actor`; returns the audit event. Refusals raise and change nothing."""
    session = session or object_session(case)
    engine = current_engine()
    registry = get_registry()
    definition = registry.get(case.workflow, case.workflow_version)
    source = case.state
    transition = registry.decide(case.workflow, case.workflow_version, trigger, source)
    if transition is None:
        if trigger not in definition.triggers:
            raise InvalidTrigger(_("Unknown action “%(trigger)s”.", trigger=trigger))
        raise InvalidTrigger(_("This action is not available in state “%(state)s”.",
                               state=label(definition.states[source].label)))
    if not actor.active or not can_see(session, actor, case):
        raise NotPermitted(_("You may not act on this case."))
    if not roles_on(session, actor, case.unit).intersection(transition.roles):
        raise NotPermitted(_("Your role does not allow “%(action)s” on this case.", action=label(transition.label)))
    if expected_version is not None and expected_version != case.version:
        raise Conflict(_("The case was changed by someone else meanwhile. Reload it and try again."))
    clean = validate(transition.fields, data)
    comment = nfc(comment)
    if transition.comment == "required" and not comment:
        raise InvalidInput(_("Some fields are not valid."), {"comment": _("Please give a reason.")})
    now, today = clock.now_and_today()
    dest = transition.dest_from(source)
    version = case.version
    ctx = FireContext(session=session, engine=engine, case=case, actor=actor, definition=definition,
                      transition=transition, trigger=trigger, source=source, dest=dest, data=clean,
                      comment=comment, now=now, today=today)
    with atomic(session):
        _check(ctx, transition.guards)
        # the machine stores the fields, runs the effects (its `before` callbacks), moves the state and,
        # entering a final state, closes the case
        run_transition(registry.machine(case.workflow, case.workflow_version), ctx)
        case.updated_dt = now
        _listen(ctx)
        payload = {**to_payload(transition.fields, clean), **ctx.payload}
        event = append_event(session, engine.audit_key, case, actor_id=actor.id, trigger=trigger,
                             from_state=source, to_state=dest, comment=comment, payload=payload, now=now)
        write_case(session, case, version)
    _commit(session, commit)
    return event


def refresh_search_text(case: Case, parties: Iterable[Party] | None = None) -> None:
    """Search ignores diacritics; confidential identities never enter the search text."""
    parts = [case.code, case.title]
    parts += [p.full_name for p in (parties if parties is not None else case.parties) if not p.confidential]
    case.search_text = fold(" ".join(x for x in parts if x))


def _add_case(session: Session, case: Case, parties: list[dict] | None) -> None:
    """Attach the parties (text in NFC), fill the search text, and flush: the audit digest needs the id."""
    party_rows = [Party(**{k: (nfc(v) if isinstance(v, str) else v) for k, v in p.items()}) for p in (parties or [])]
    case.parties = party_rows
    refresh_search_text(case, party_rows)
    session.add(case)
    session.flush()


def open_case(session: Session, workflow: str, unit: Unit, actor: User, data: dict[str, Any] | None = None, *,
              title: str, parties: list[dict] | None = None, received_date: date | None = None,
              assignee: User | None = None, commit: bool = True, version: int | None = None,
              complete: Callable[[FireContext], None] | None = None, flush: bool = True) -> Case:
    """Open a case in the workflow's initial state: the intake is the chain's first audit event.

    `complete(ctx)` runs after the intake's effects, before the listeners: a caller filling more of the new
    case's rows (open_drafts: the draft's source step and prefilled fields) does it before they are first
    written, in the same flush. `flush=False` (with commit=False) leaves the rows pending for the caller's
    own flush, inside its transaction: a fire opening a case flushes once, not once per case it opens."""
    engine = current_engine()
    definition: Definition = get_registry().get(workflow, version)
    if not actor.active or not roles_on(session, actor, unit).intersection(definition.intake_roles):
        raise NotPermitted(_("Your role does not allow opening this kind of case in this unit."))
    clean = validate(definition.intake_fields, data)
    title = nfc(title)
    if not title:
        raise InvalidInput(_("Some fields are not valid."), {"title": _("This field is required.")})
    now, today = clock.now_and_today()
    received_date = received_date or today
    if received_date > today:
        raise InvalidInput(_("Some fields are not valid."), {"received_date": _("The date cannot be in the future.")})
    with atomic(session):
        seq = next_value(session, f"case:{definition.code_prefix}:{received_date.year}")
        with engine_writes_state():
            case = Case(code=f"{definition.code_prefix}-{received_date.year}-{seq:04d}", kind=definition.kind,
                        workflow=definition.name, workflow_version=definition.version, state=definition.initial,
                        unit=unit, assignee=assignee, title=title[:500], received_date=received_date,
                        opened_dt=now, updated_dt=now, data={})
        _add_case(session, case, parties)
        ctx = FireContext(session=session, engine=engine, case=case, actor=actor, definition=definition,
                          transition=None, trigger="open", source=None, dest=definition.initial, data=clean,
                          comment="", now=now, today=today, new_case=True)
        _check(ctx, ())
        perform(ctx, definition.intake_fields, bind_effects(definition.intake_effects, engine.hooks.effects))
        if complete is not None:
            complete(ctx)
        _listen(ctx)
        payload = {**to_payload(definition.intake_fields, clean), **ctx.payload}
        append_event(session, engine.audit_key, case, actor_id=actor.id, trigger="open", from_state=None,
                     to_state=definition.initial, comment="", payload=payload, now=now)
    if flush or commit:
        _commit(session, commit)
    return case


#: the audit trigger of a case that entered the workflow through import_case
IMPORTED = "imported"


def import_spec(definition: Definition) -> ImportSpec:
    """The definition's `import:` section, parsed and checked when the registry loaded it."""
    return get_registry().import_specs[(definition.name, definition.version)]


@dataclass(frozen=True)
class ImportRow:
    """One case kept elsewhere (a row of a paper or spreadsheet register), as import_cases takes it."""

    unit: Unit
    data: dict[str, Any] | None
    state: str
    title: str
    received_date: date
    parties: list[dict] | None = None
    #: the register's own code, kept; None: the next code of the received year
    code: str | None = None
    closed_dt: datetime | None = None
    #: where it came from (file#row), in the audit event's payload
    source: str = ""


def import_case(session: Session, workflow: str, unit: Unit, actor: User, data: dict[str, Any] | None = None, *,
                state: str, title: str, received_date: date, parties: list[dict] | None = None,
                code: str | None = None, closed_dt: datetime | None = None, source: str = "",
                commit: bool = True, version: int | None = None) -> Case:
    """Bring one case kept elsewhere into the workflow at `state`: import_cases with one row, committed
    unless commit=False (then its rows are written, in the caller's transaction)."""
    imports = _prepare_imports(session, workflow, actor, [ImportRow(unit, data, state, title, received_date, parties,
                                                                    code, closed_dt, source)], version)
    with atomic(session, rollback=commit):
        case, = _write_imports(session, imports, actor, 1, None)
    if commit:
        _commit(session, commit)
    return case


def import_cases(session: Session, workflow: str, actor: User, rows: Sequence[ImportRow], *,
                 version: int | None = None, batch: int = 500,
                 progress: Callable[[int, int], None] | None = None) -> list[Case]:
    """Bring cases kept elsewhere into the workflow, each at its row's `state`, in the caller's transaction
    (nothing is committed here: the caller commits all of them or rolls back).

    Each case gets the same checks as a fire (roles, typed fields, the features' checks and the import's
    named guards), its effects and listeners, then ONE audit event "imported" (from nothing to its state)
    saying where it came from: the engine stays the only writer of state. The rows are written `batch` cases
    at a time: codes taken in blocks, ids reserved, the batch's rows in one flush (each case row goes in
    with its chain head on it) and its events in one INSERT. `progress(done, total)` after each batch;
    whatever it raises, as any refusal, propagates (the caller rolls back: nothing is written)."""
    imports = _prepare_imports(session, workflow, actor, rows, version)
    with atomic(session, rollback=False):
        return _write_imports(session, imports, actor, batch, progress)


@dataclass
class _Imports:
    """What import_cases checked before writing anything: the rows with their typed data and titles."""

    engine: Any
    definition: Definition
    spec: ImportSpec
    #: (row, typed data, title, final state?)
    rows: list[tuple[ImportRow, dict[str, Any], str, bool]]


def _prepare_imports(session: Session, workflow: str, actor: User, rows: Sequence[ImportRow],
                     version: int | None) -> _Imports:
    """Every refusal that needs no row written (roles on each unit, states, typed fields, dates), for all rows."""
    definition: Definition = get_registry().get(workflow, version)
    spec = import_spec(definition)
    today = clock.now_and_today()[1]
    allowed: dict[int, bool] = {}
    prepared = []
    for row in rows:
        unit_key = row.unit.id if row.unit.id is not None else id(row.unit)
        if unit_key not in allowed:  # roles once per unit, not once per row
            allowed[unit_key] = bool(actor.active and roles_on(session, actor, row.unit).intersection(spec.roles))
        if not allowed[unit_key]:
            raise NotPermitted(_("Your role does not allow importing this kind of case in this unit."))
        if row.state not in spec.states:
            raise InvalidInput(_("Some fields are not valid."), {"state": _("Not a valid choice.")})
        clean = validate(spec.fields, row.data)
        title = nfc(row.title)
        errors = {}
        if not title:
            errors["title"] = _("This field is required.")
        if row.received_date > today:
            errors["received_date"] = _("The date cannot be in the future.")
        final = definition.is_final(row.state)
        if row.closed_dt is not None and (not final or row.closed_dt.astimezone(LOCAL_TZ).date() < row.received_date):
            errors["closed_dt"] = _("A closing date needs a final state and cannot precede the date received.")
        if errors:
            raise InvalidInput(_("Some fields are not valid."), errors)
        prepared.append((row, clean, title, final))
    return _Imports(current_engine(), definition, spec, prepared)


def _write_imports(session: Session, imports: _Imports, actor: User, batch: int,
                   progress: Callable[[int, int], None] | None) -> list[Case]:
    _raise_counters(session, imports.definition, [row for row, *_rest in imports.rows])
    effects = bind_effects(imports.spec.effects, imports.engine.hooks.effects)
    cases: list[Case] = []
    total = len(imports.rows)
    for start in range(0, total, batch):
        cases += _import_batch(session, imports, effects, actor, imports.rows[start:start + batch])
        if progress is not None:
            progress(len(cases), total)
    return cases


def _counter(definition: Definition, year: int | str) -> str:
    return f"case:{definition.code_prefix}:{year}"


def _raise_counters(session: Session, definition: Definition, rows: Sequence[ImportRow]) -> None:
    """The register's own codes of the procedure's pattern (<prefix>-<year>-<seq>) move the year's counter past
    them, once per year for the whole import: a code taken for a row without one never meets a later row's."""
    highest: dict[str, int] = {}
    for row in rows:
        if not row.code:
            continue
        prefix, _sep, rest = nfc(row.code).rpartition("-")
        year = prefix[-4:]
        if rest.isdigit() and year.isdigit() and prefix == f"{definition.code_prefix}-{year}":
            name = _counter(definition, year)
            highest[name] = max(highest.get(name, 0), int(rest))
    for name, value in highest.items():
        raise_to(session, name, value)


def _import_batch(session: Session, imports: _Imports, effects, actor: User,
                  prepared: list[tuple[ImportRow, dict[str, Any], str, bool]]) -> list[Case]:
    """One batch of import_cases: codes and ids taken at once, every case's hooks run, its rows and audit
    events written together."""
    engine, definition, spec = imports.engine, imports.definition, imports.spec
    now, today = clock.now_and_today()
    rows = [row for row, *_rest in prepared]
    # codes of rows without one: one block per year; ids: one reservation for the batch
    wanted: dict[int, int] = {}
    for row in rows:
        if not row.code:
            wanted[row.received_date.year] = wanted.get(row.received_date.year, 0) + 1
    next_seq = {year: take_block(session, _counter(definition, year), count) for year, count in wanted.items()}
    ids = reserve_ids(session, Case.__table__, len(rows))
    # the parties' ids too: rows whose keys are known go in as one executemany (no RETURNING row by row)
    party_ids = iter(reserve_ids(session, Party.__table__, sum(len(row.parties or ()) for row in rows)))
    cases, events = [], []
    with session.no_autoflush:  # the batch's rows are written together, once complete (heads on them)
        for (row, clean, title, final), case_id in zip(prepared, ids, strict=True):
            if row.code:
                code = nfc(row.code)
            else:
                year = row.received_date.year
                code, next_seq[year] = f"{definition.code_prefix}-{year}-{next_seq[year]:04d}", next_seq[year] + 1
            with engine_writes_state():
                case = Case(id=case_id, code=code, kind=definition.kind, workflow=definition.name,
                            workflow_version=definition.version, state=row.state, unit=row.unit, title=title[:500],
                            received_date=row.received_date, opened_dt=now, updated_dt=now,
                            closed_dt=(row.closed_dt or now) if final else None, data={})
            parties = [Party(id=next(party_ids), **{k: (nfc(v) if isinstance(v, str) else v) for k, v in p.items()})
                       for p in (row.parties or [])]
            case.parties = parties
            refresh_search_text(case, parties)
            session.add(case)
            ctx = FireContext(session=session, engine=engine, case=case, actor=actor, definition=definition,
                              transition=None, trigger=IMPORTED, source=None, dest=row.state, data=clean,
                              comment="", now=now, today=today, new_case=True)
            _check(ctx, spec.guards)
            perform(ctx, spec.fields, effects)
            _listen(ctx)
            payload = {**to_payload(spec.fields, clean), **ctx.payload,
                       "imported": {"source": row.source, "code": code}}
            cases.append(case)
            events.append((case, {"actor_id": actor.id, "trigger": IMPORTED, "from_state": None,
                                  "to_state": row.state, "comment": "", "payload": payload}))
    # the batch's rows (cases with their heads, parties, details) in one flush, then its events in one INSERT
    append_case_events(session, engine.audit_key, events, now=now)
    return cases
