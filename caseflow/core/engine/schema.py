"""The shape of a workflow file (workflows/**/*.yaml), declared as pydantic models.

The schema checks what one entry can say about itself (types, required keys, allowed values, labels);
`definition.py` then checks what needs the whole file (states that exist, reachability, duplicates) and
the hook names. Every error names the file and the item, as `caseflow workflows check` prints it."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from caseflow.core.engine.errors import DefinitionError

#: how sure a legal value in a workflow file is (DOMAIN.md): V checked against the law's own text, R reported
#: by a secondary source, U best understanding; R and U values are configuration an admin may correct
CERTAINTIES = ("V", "R", "U")
FIELD_TYPES = ("text", "textarea", "select", "bool", "date", "int", "money", "user")
LANGS = ("vi", "en")


def _labels(raw: Any) -> dict[str, str]:
    """`label: Tiếng Việt` or `label: {vi: ..., en: ...}`; the Vietnamese one is required."""
    if isinstance(raw, str):
        raw = {"vi": raw}
    if not isinstance(raw, dict) or not str(raw.get("vi") or "").strip():
        raise ValueError("missing vi label")
    return {k: str(v) for k, v in raw.items() if k in LANGS}


Labels = Annotated[dict[str, str], BeforeValidator(_labels)]


def _listed(raw: Any) -> list:
    return [raw] if isinstance(raw, str) else list(raw or [])


def hook_ref(raw: Any) -> tuple[str, dict[str, Any]]:
    """`name` or `{name: {argument: value}}`."""
    if isinstance(raw, str):
        return raw, {}
    if isinstance(raw, dict) and len(raw) == 1:
        (name, args), = raw.items()
        if args is None or isinstance(args, dict):
            return str(name), dict(args or {})
    raise ValueError(f"bad hook entry {raw!r}: a name, or {{name: {{argument: value}}}}")


HookRef = Annotated[tuple[str, dict[str, Any]], BeforeValidator(hook_ref)]
HookRefs = Annotated[list[HookRef], BeforeValidator(lambda v: v or [])]


class FieldSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    type: Literal[FIELD_TYPES] = "text"  # type: ignore[valid-type]
    label: Labels
    required: bool = False
    #: for select: value -> labels
    choices: dict[str, Labels] = Field(default_factory=dict)
    store: str = "payload"
    max_length: int | None = Field(default=None, gt=0)
    confidential: bool = False
    #: the timeline shows the value only when set (a box for one kind of letter says nothing when unticked)
    shown_when_set: bool = False

    @model_validator(mode="before")
    @classmethod
    def _choice_keys_as_text(cls, raw: Any) -> Any:
        if isinstance(raw, dict) and isinstance(raw.get("choices"), dict):
            raw = {**raw, "choices": {str(k): v for k, v in raw["choices"].items()}}
        return raw

    @model_validator(mode="after")
    def _select_has_choices(self) -> FieldSchema:
        if self.type == "select" and not self.choices:
            raise ValueError("a select field needs choices")
        return self


Fields = Annotated[list[FieldSchema], BeforeValidator(lambda v: v or [])]


class StateSchema(BaseModel):
    model_config = ConfigDict(extra="allow")  # keys for subsystems

    label: Labels
    final: bool = False


class TransitionSchema(BaseModel):
    model_config = ConfigDict(extra="allow")  # keys for subsystems (dossier_required, own_form, ...)

    trigger: str = Field(min_length=1)
    #: a state, a list of states, or "*" (every state)
    source: Annotated[list[str], BeforeValidator(_listed)] = Field(min_length=1)
    #: a state, or "=" (the case stays where it is: an audited action that moves nothing)
    dest: str
    roles: Annotated[list[str], BeforeValidator(_listed)] = Field(min_length=1)
    label: Labels
    guards: HookRefs = Field(default_factory=list)
    effects: HookRefs = Field(default_factory=list)
    fields: Fields = Field(default_factory=list)
    comment: Literal["required", "optional", "none"] = "optional"
    documents: Annotated[list[str], BeforeValidator(lambda v: v or [])] = Field(default_factory=list)
    style: str = "primary"


class IntakeSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: Annotated[list[str], BeforeValidator(_listed)] = Field(default_factory=list)
    fields: Fields = Field(default_factory=list)
    effects: HookRefs = Field(default_factory=list)


class WorkflowSchema(BaseModel):
    model_config = ConfigDict(extra="allow")  # sections of the features (deadlines, dossier, settings ...)

    name: str
    version: int
    kind: str
    code_prefix: str
    label: Labels
    initial: str
    states: dict[str, StateSchema] = Field(min_length=1)
    transitions: list[TransitionSchema] = Field(min_length=1)
    intake: IntakeSchema = Field(default_factory=IntakeSchema)

    @model_validator(mode="before")
    @classmethod
    def _empty_sections(cls, raw: Any) -> Any:
        if isinstance(raw, dict):
            raw = dict(raw)
            if raw.get("intake") is None:
                raw.pop("intake", None)
            if isinstance(raw.get("states"), dict):  # `received:` with nothing under it is a state too
                raw["states"] = {k: (v or {}) for k, v in raw["states"].items()}
        return raw


def validate_workflow(raw: Any, file: str) -> WorkflowSchema:
    """The file's content as a WorkflowSchema, or the first error as DefinitionError(file, item, problem)."""
    if not isinstance(raw, dict):
        raise DefinitionError(file, "<root>", "not a mapping")
    try:
        return WorkflowSchema.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise DefinitionError(file, _item(error["loc"], raw), _problem(error)) from None


def _item(loc: tuple, raw: dict) -> str:
    """A pydantic location as the item names of the workflow files: transitions[3] (accept).fields[0] ..."""
    parts: list[str] = []
    path = list(loc)
    if path and path[-1] == "label":  # a label belongs to what it labels
        path.pop()
    node: Any = raw
    for i, key in enumerate(path):
        if isinstance(key, int):
            parts[-1] = f"{parts[-1]}[{key}]"
            node = node[key] if isinstance(node, list) and key < len(node) else {}
            if i == 1 and loc[0] == "transitions" and isinstance(node, dict) and node.get("trigger"):
                parts[-1] += f" ({node['trigger']})"
        else:
            parts.append(str(key))
            node = node.get(key, {}) if isinstance(node, dict) else {}
    return ".".join(parts) or "<root>"


def reason_of(error: Mapping[str, Any]) -> str:
    """A pydantic error as the project words it: a validator's own message without pydantic's prefix."""
    return str(error["msg"]).removeprefix("Value error, ")


def _problem(error: Mapping[str, Any]) -> str:
    return "missing" if error["type"] == "missing" else reason_of(error)
