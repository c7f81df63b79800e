"""Admin-set values of [R]/[U] deadline rules (DOMAIN.md: "configuration with its legal basis")."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.deadlines.errors import DeadlineInputError
from caseflow.deadlines.models import DeadlineSetting
from caseflow.deadlines.rules import catalogue
from caseflow.deadlines.service import rules_of

#: a refused rule value; `field` names the item (key, days, basis, effective_from_date)
SettingError = DeadlineInputError


@dataclass
class Configurable:
    key: str
    label: dict
    days: int
    unit: str
    basis: str
    certainty: str
    used_by: list[str] = field(default_factory=list)
    history: list[DeadlineSetting] = field(default_factory=list)


def configurable_rules(session: Session, registry) -> list[Configurable]:
    """Every [R]/[U] rule: catalogue entries and workflow rules of their own, with their settings history."""
    found: dict[str, Configurable] = {}
    for key, spec in catalogue().items():
        if spec.get("certainty") in ("R", "U"):
            lab = spec["label"]
            found[key] = Configurable(key, lab if isinstance(lab, dict) else {"vi": lab}, spec["days"],
                                      spec["unit"], spec["basis"], spec["certainty"])
    for definition in registry:
        for rule in rules_of(definition).values():
            if not rule.configurable:
                continue
            entry = found.setdefault(rule.setting_key, Configurable(rule.setting_key, dict(rule.label), rule.days,
                                                                    rule.unit, rule.basis, rule.certainty))
            entry.used_by.append(f"{definition.name} v{definition.version}")
            for variant, over in rule.variants.items():
                key = rule.setting_key_for(variant)
                entry = found.setdefault(key, Configurable(
                    key, dict(over.get("label") or rule.label), over.get("days", rule.days), over.get("unit", rule.unit),
                    over.get("basis", rule.basis), rule.certainty))
                entry.used_by.append(f"{definition.name} v{definition.version} ({variant})")
    rows = session.scalars(select(DeadlineSetting).where(DeadlineSetting.key.in_(list(found)))
                           .order_by(DeadlineSetting.effective_from_date.desc())).all()
    for row in rows:
        found[row.key].history.append(row)
    return sorted(found.values(), key=lambda c: c.key)


def add_setting(session: Session, known: set[str], *, key: str, days: int | None, basis: str,
                effective_from: date | None, note: str, actor_id: int | None, now: datetime) -> DeadlineSetting:
    if key not in known:
        raise SettingError("key", f"“{key}” không phải quy định có thể điều chỉnh ([R]/[U])")
    if days is None or days < 0:
        raise SettingError("days", "số ngày phải là số nguyên không âm")
    if not basis.strip():
        raise SettingError("basis", "ghi căn cứ pháp lý của giá trị mới")
    if effective_from is None:
        raise SettingError("effective_from_date", "ghi ngày áp dụng")
    if session.scalar(select(DeadlineSetting.id).where(DeadlineSetting.key == key,
                                                       DeadlineSetting.effective_from_date == effective_from)):
        raise SettingError("effective_from_date", f"đã có giá trị áp dụng từ {effective_from:%d/%m/%Y}")
    row = DeadlineSetting(key=key, days=days, basis=basis.strip(), effective_from_date=effective_from,
                          note=note.strip(), created_by_id=actor_id, created_dt=now)
    session.add(row)
    session.commit()
    return row
