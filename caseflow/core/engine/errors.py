"""Typed refusals of the engine; the web layer maps them to a message (HTML) or a status (JSON)."""


class WorkflowError(Exception):
    """Base class: `status` is the HTTP status for JSON clients, `code` a stable machine name."""

    status = 400
    code = "workflow_error"

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def to_json(self) -> dict:
        return {"error": self.code, "message": self.message, **self.details}


class NotPermitted(WorkflowError):
    status = 403
    code = "not_permitted"


class NotFound(WorkflowError):
    status = 404
    code = "not_found"


class InvalidTrigger(WorkflowError):
    status = 422
    code = "invalid_trigger"


class InvalidInput(WorkflowError):
    """Field-level errors: {field name: message}."""

    status = 422
    code = "invalid_input"

    def __init__(self, message: str, errors: dict[str, str]):
        super().__init__(message, errors=errors)
        self.errors = errors


class GuardFailed(WorkflowError):
    """One or more named guards refused, each with its reason."""

    status = 422
    code = "guard_failed"

    def __init__(self, message: str, reasons: list[str]):
        super().__init__(message, reasons=reasons)
        self.reasons = reasons


class Conflict(WorkflowError):
    """The case changed since it was read: a stale write is refused, never silently applied."""

    status = 409
    code = "conflict"


class DefinitionError(Exception):
    """A workflow file is invalid; the message names the file and the item."""

    def __init__(self, file: str, item: str, problem: str):
        super().__init__(f"{file}: {item}: {problem}")
        self.file, self.item, self.problem = file, item, problem
