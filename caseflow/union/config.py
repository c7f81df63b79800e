"""Values a workflow declares as configuration (its `settings:` and `dossier:` keys), with their legal
basis and certainty; an admin overrides [R]/[U] values in `procedure_settings` without code."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.core.engine.definition import Definition
from caseflow.core.engine.errors import DefinitionError
from caseflow.core.models import User, utcnow
from caseflow.union.models import ProcedureSetting
from caseflow.union.schema import validate_dossier, validate_settings


@dataclass(frozen=True)
class Setting:
    key: str
    label: Mapping[str, str]
    value: Any
    type: str
    basis: str
    certainty: str
    #: True when an admin changed the definition's value
    overridden: bool = False

    @property
    def editable(self) -> bool:
        """Only values not checked against the law's text may be changed by an admin."""
        return self.certainty != "V"


@dataclass(frozen=True)
class DossierItem:
    key: str
    label: Mapping[str, str]
    basis: str
    certainty: str
    required: bool = True
    overridden: bool = False


def declared_settings(definition: Definition) -> dict[str, dict]:
    return dict(definition.extra.get("settings") or {})


def declared_dossier(definition: Definition) -> dict[str, dict]:
    return {item["key"]: item for item in definition.extra.get("dossier") or []}


def check_definition(definition: Definition) -> None:
    """Validate `settings:`, `dossier:` and every transition's `dossier_required:` (file and item named)."""
    file = definition.source_file
    validate_settings(definition.extra.get("settings") or {}, file)
    seen = {item.key for item in validate_dossier(definition.extra.get("dossier") or [], file)}
    for t in definition.transitions:
        required = t.extra.get("dossier_required")
        if required is None:
            continue
        for key in required:
            if key not in seen:
                raise DefinitionError(file, f"{t.trigger}.dossier_required", f"unknown dossier item '{key}'")
        if not any(g.name == "dossier_complete" for g in t.guards):
            raise DefinitionError(file, f"{t.trigger}.dossier_required", "needs the guard dossier_complete")


def _overrides(session: Session, workflow: str) -> dict[str, ProcedureSetting]:
    rows = session.scalars(select(ProcedureSetting).where(ProcedureSetting.workflow == workflow))
    return {row.key: row for row in rows}


def settings_of(session: Session, definition: Definition) -> list[Setting]:
    overrides = _overrides(session, definition.name)
    result = []
    for key, spec in declared_settings(definition).items():
        row = overrides.get(key)
        result.append(Setting(
            key=key, label=spec.get("label") or {"vi": key}, type=spec.get("type", "int"),
            value=row.value.get("value") if row else spec["value"],
            basis=(row.basis if row and row.basis else spec["basis"]), certainty=spec["certainty"],
            overridden=row is not None))
    return result


def setting(session: Session, definition: Definition, key: str) -> Any:
    """The value in force: the admin's override, else the definition's."""
    spec = declared_settings(definition)[key]
    row = session.scalar(select(ProcedureSetting).where(ProcedureSetting.workflow == definition.name,
                                                        ProcedureSetting.key == key))
    return row.value.get("value") if row is not None else spec["value"]


def dossier_items(session: Session, definition: Definition) -> list[DossierItem]:
    overrides = _overrides(session, definition.name)
    items = []
    for key, spec in declared_dossier(definition).items():
        row = overrides.get(f"dossier:{key}")
        items.append(DossierItem(
            key=key, label=spec["label"], certainty=spec["certainty"],
            basis=(row.basis if row and row.basis else spec["basis"]),
            required=bool(row.value.get("required")) if row else bool(spec.get("required", True)),
            overridden=row is not None))
    return items


def override(session: Session, definition: Definition, key: str, value: dict, basis: str, actor: User) -> None:
    """Record an admin's override (a setting's {"value": ...} or a dossier item's {"required": ...})."""
    row = session.scalar(select(ProcedureSetting).where(ProcedureSetting.workflow == definition.name,
                                                        ProcedureSetting.key == key))
    if row is None:
        row = ProcedureSetting(workflow=definition.name, key=key)
        session.add(row)
    row.value, row.basis, row.updated_by_id, row.updated_dt = value, basis, actor.id, utcnow()
