"""The JSON API's request bodies: read through the bounded parser (size, depth) and checked by schema.

A body that is not JSON, too large or too deep is a 400 with its reason; JSON of the wrong shape is a 422
naming each field. Nothing a client sends reaches the engine untyped."""
from __future__ import annotations

from typing import Annotated, Any

from flask import request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError

from caseflow.core import jsontext
from caseflow.core.i18n import _
from caseflow.web.errors import error_response

#: an API body is small (a trigger, a few fields, a comment); a document draft travels in `data.draft`
MAX_BODY_BYTES = 512 * 1024
MAX_BODY_DEPTH = 8

Scalar = StrictStr | StrictBool | StrictInt | StrictFloat | None


class FireBody(BaseModel):
    """POST /api/cases/<id>/fire."""

    model_config = ConfigDict(extra="forbid")

    trigger: Annotated[StrictStr, Field(min_length=1, max_length=60)]
    #: the transition's fields by name; values are scalars (the engine types them by the definition)
    data: dict[Annotated[str, Field(max_length=60)], Scalar] = Field(default_factory=dict, max_length=100)
    comment: StrictStr | None = Field(default="", max_length=20000)
    #: the lock is not optional here: a client always says which version it read
    expected_version: StrictInt


class BodyRefused(Exception):
    """Carries the 4xx answer for a refused body."""

    def __init__(self, response):
        super().__init__("body refused")
        self.response = response


def _messages() -> dict[str, str]:
    return {"missing": _("This field is required."), "extra_forbidden": _("Unknown field."),
            "dict_type": _("Must be an object."), "string_type": _("Must be a text."),
            "int_type": _("Must be an integer."), "too_long": _("Too long."),
            "string_too_short": _("This field is required."), "string_too_long": _("Too long.")}


def _field_errors(exc: ValidationError) -> dict[str, str]:
    messages, errors = _messages(), {}
    for err in exc.errors():
        loc = [str(part) for part in err["loc"]]
        name = loc[0] if loc else "body"
        if name == "expected_version":
            errors[name] = _("The version of the case you read is required (an integer).")
        else:
            errors.setdefault(".".join(loc[:2]) if name == "data" and len(loc) > 1 else name,
                              messages.get(err["type"], _("Not a valid value.")))
    return errors


def parse(model: type[BaseModel]) -> Any:
    """The request's body as `model`, or BodyRefused with a 400 (not JSON) or a 422 (wrong shape)."""
    raw = request.get_data(cache=True)
    try:
        value = jsontext.loads(raw, max_depth=MAX_BODY_DEPTH, max_bytes=MAX_BODY_BYTES)
    except jsontext.JSONRejected as exc:
        message = {"too_large": _("The request body is too large."),
                   "too_deep": _("The request body is nested too deeply.")}.get(exc.reason,
                                                                                 _("The request body is not valid JSON."))
        raise BodyRefused(error_response(413 if exc.reason == "too_large" else 400, message, exc.reason)) from None
    if not isinstance(value, dict):
        raise BodyRefused(error_response(400, _("The request body must be a JSON object."), "not_an_object"))
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise BodyRefused(error_response(422, _("Some fields are not valid."), "invalid_input",
                                         errors=_field_errors(exc))) from None
