"""Deadlines driven by the engine: rules validated when definitions load, and one after-fire listener
that opens, meets, pauses, resumes, extends and cancels deadline rows inside the firing transaction,
recording each change in the audit event's payload (ctx.payload["deadlines"])."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from caseflow.core.engine.hooks import HookSet
from caseflow.core.i18n import _
from caseflow.deadlines import service
from caseflow.deadlines.coverage import catalogue_problems
from caseflow.deadlines.models import ACTIVE_STATUSES, Deadline
from caseflow.deadlines.rules import INTAKE_TRIGGER, Rule, parse_rules

hooks = HookSet("deadlines")


@hooks.validator
def validate_deadline_rules(definition) -> None:
    """Negative days, unknown unit, unknown pause state, unknown trigger ... -> DefinitionError naming the item."""
    parse_rules(definition.extra.get("deadlines"), definition.source_file, definition.triggers, definition.states)
    service.forget_rules()


hooks.set_check(catalogue_problems)


def _flag(ctx, name: str) -> bool:
    """A variant is chosen by a case flag of its name (a true bool field, or a choice whose value is the name,
    e.g. complexity: especially_complex) in this step's data, the case's data, or a detail row."""
    for data in (ctx.data, ctx.case.data or {}):
        if data.get(name) is True or (data.get(name) and not isinstance(data.get(name), str)) or \
                name in [v for v in data.values() if isinstance(v, str)]:
            return True
    for table, model in ctx.detail_models.items():
        if hasattr(model, name):
            row = ctx.loaded_detail(table)
            if row is not None and getattr(row, name, None):
                return True
    return False


def _setting(ctx, rule: Rule, variant: str | None) -> tuple | None:
    """The admin-set value of an [R]/[U] rule (or of its variant: a collective dispute's own article is set
    apart from the individual's) in force when the case was received (None: the rule's own)."""
    if not rule.configurable:
        return None
    with ctx.session.no_autoflush:
        return service.setting_in_force(ctx.session, rule.setting_key_for(variant), ctx.case.received_date)


def _variant(ctx, rule: Rule) -> str | None:
    chosen = [name for name in rule.variants if _flag(ctx, name)]
    return chosen[-1] if chosen else None  # the last listed wins (e.g. remote_area_complex after complex)


def _start_date(ctx, rule: Rule) -> date | None:
    if rule.start_field:
        value = ctx.data.get(rule.start_field)
        if value is None:
            for table, model in ctx.detail_models.items():
                if hasattr(model, rule.start_field):
                    row = ctx.loaded_detail(table)
                    value = getattr(row, rule.start_field, None) if row is not None else None
                    if value is not None:
                        break
        return value if isinstance(value, date) else None
    # the day of the event is not counted; the intake runs from the day the request was received
    return ctx.case.received_date if ctx.trigger == INTAKE_TRIGGER else ctx.today


def _touches(rules: dict[str, Rule], ctx) -> bool:
    names = set(ctx.data) | {v for v in ctx.data.values() if isinstance(v, str)}
    for r in rules.values():
        if r.variants and names.intersection(r.variants):
            return True
        if ctx.trigger in r.start_on or ctx.trigger in r.met_on or ctx.trigger in r.cancel_on:
            return True
        if r.extendable and r.extendable.on == ctx.trigger:
            return True
        if r.pause_in and (ctx.dest in r.pause_in or ctx.source in r.pause_in):
            return True
    return ctx.definition.is_final(ctx.dest)


@hooks.guard("deadline_extension_allowed")
def deadline_extension_allowed(ctx, rule: str):
    """Refuse an extension beyond the law's limit (e.g. Luật Tố cáo 2018, Art. 30: one for a complex case)."""
    row = ctx.session.scalars(select(Deadline).where(Deadline.case_id == ctx.case.id, Deadline.rule_key == rule,
                                                     Deadline.status.in_(ACTIVE_STATUSES + ("breached",)))).first()
    if row is None:
        return _("There is no open deadline to extend.")
    return service.extension_refusal(row)


@hooks.guard("deadline_open")
def deadline_open(ctx, rule: str):
    """A step that answers a deadline (e.g. a notice) is offered only while that deadline runs."""
    row = ctx.session.scalars(select(Deadline.id).where(Deadline.case_id == ctx.case.id, Deadline.rule_key == rule,
                                                        Deadline.status.in_(ACTIVE_STATUSES + ("breached",)))).first()
    return None if row is not None else _("Nothing is waiting for this step.")


@hooks.guard("limitation_not_expired")
def limitation_not_expired(ctx, rule: str):
    """A step the law bars once a limitation period has run out (e.g. a disciplinary decision after the
    thời hiệu): refused after the period's due date, naming the period, its end and its basis."""
    row = ctx.session.scalars(select(Deadline).where(Deadline.case_id == ctx.case.id, Deadline.rule_key == rule)
                              .order_by(Deadline.id.desc())).first()
    if row is None:
        return _("The limitation period cannot be checked: the date it runs from is not recorded.")
    if ctx.today > row.due_date:
        return _("%(label)s ended on %(day)s (%(basis)s): this step can no longer be taken.", label=row.label,
                 day=row.due_date.strftime("%d/%m/%Y"), basis=row.basis)
    return None


@hooks.check
def extensions_within_limits(ctx) -> list[str]:
    """A step that extends a deadline is refused beyond the law's number of extensions (with the limits of
    the variant the same step finds, e.g. complex), before it writes anything."""
    rules = service.rules_of(ctx.definition)
    if not rules or ctx.transition is None:
        return []
    extending = [r for r in rules.values() if r.extendable and r.extendable.on == ctx.trigger]
    if not extending:
        return []
    rows = ctx.session.scalars(select(Deadline).where(Deadline.case_id == ctx.case.id,
                                                      Deadline.status.in_(ACTIVE_STATUSES),
                                                      Deadline.rule_key.in_([r.key for r in extending])))
    reasons = []
    for row in rows:
        rule = rules[row.rule_key]
        if ctx.trigger in rule.met_on or ctx.trigger in rule.cancel_on or ctx.definition.is_final(ctx.dest):
            continue
        chosen = _variant(ctx, rule) if rule.variants else None
        snap = None
        if chosen and chosen != row.variant:
            snap = service.variant_snapshot(row, rule, chosen, _setting(ctx, rule, chosen))
        refusal = service.extension_refusal(row, snap)
        if refusal:
            reasons.append(refusal)
    return reasons


@hooks.after_fire
def drive_deadlines(ctx) -> None:
    rules = service.rules_of(ctx.definition)
    if not rules or not _touches(rules, ctx):
        return
    session, case, today, now = ctx.session, ctx.case, ctx.today, ctx.now
    loaded: list = []

    def calendar():  # loaded only when a due date is computed (most fires compute none)
        if not loaded:
            with session.no_autoflush:
                loaded.append(service.load_calendar(session))
        return loaded[0]

    changes: list[service.Change] = []
    rows: list[Deadline] = []
    if ctx.trigger != INTAKE_TRIGGER and not ctx.new_case:  # a case being opened or imported has none yet
        with session.no_autoflush:
            rows = list(session.scalars(select(Deadline).where(
                Deadline.case_id == case.id, Deadline.status.in_(ACTIVE_STATUSES + ("breached",)))
                .order_by(Deadline.id)))
    final = ctx.definition.is_final(ctx.dest)
    for row in rows:
        rule = rules.get(row.rule_key)
        if rule is None:
            continue
        if ctx.trigger in rule.met_on:
            changes.append(service.Change(row, service.meet(row, today, now), {}))
            continue
        if row.status == "breached":
            continue
        if ctx.trigger in rule.cancel_on or final:
            service.cancel(row, now)
            changes.append(service.Change(row, "cancelled", {}))
            continue
        chosen = _variant(ctx, rule) if rule.variants else None
        if chosen and chosen != row.variant:  # e.g. found complex later: the variant's period and limits apply
            service.revariant(calendar(), row, rule, chosen, _setting(ctx, rule, chosen), today)
            changes.append(service.Change(row, "variant", {"variant": chosen, "days": row.days}))
        on = ((row.rule or {}).get("extendable") or {}).get("on")
        if on and on == ctx.trigger:  # within the law's limit: extensions_within_limits checked it
            added = service.extend(calendar(), row, today)
            changes.append(service.Change(row, "extended", {"days": added, "times": row.extensions}))
        pause_in = (row.rule or {}).get("pause_in") or []
        if row.status == "open" and ctx.dest in pause_in:
            service.pause(row, today)
            changes.append(service.Change(row, "paused", {}))
        elif row.status == "paused" and ctx.dest not in pause_in:
            service.resume(calendar(), row, today)
            changes.append(service.Change(row, "resumed", {}))
    active = {r.rule_key for r in rows if r.status in ACTIVE_STATUSES}
    for rule in rules.values():
        if ctx.trigger not in rule.start_on or rule.key in active or final:
            continue
        start = _start_date(ctx, rule)
        if start is None:
            continue
        variant = _variant(ctx, rule)
        row = service.new_deadline(calendar(), case.id, rule, start, workflow=ctx.definition.name,
                                   version=ctx.definition.version, variant=variant,
                                   setting=_setting(ctx, rule, variant), now=now)
        session.add(row)
        changes.append(service.Change(row, "opened", {"start": start.isoformat(), "days": row.days,
                                                      "unit": row.day_unit, "basis": row.basis}))
    if changes:
        ctx.payload.setdefault("deadlines", []).extend(c.as_payload() for c in changes)
