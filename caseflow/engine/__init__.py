"""The workflow engine: definitions, compiled machines, and fire() as the only writer of state."""
from caseflow.engine.errors import (
                                    Conflict,
                                    DefinitionError,
                                    GuardFailed,
                                    InvalidInput,
                                    InvalidTrigger,
                                    NotFound,
                                    NotPermitted,
                                    WorkflowError,
)
from caseflow.engine.fire import (
                                    IMPORTED,
                                    available_transitions,
                                    configure,
                                    fire,
                                    import_case,
                                    local_today,
                                    open_case,
                                    refresh_search_text,
)
from caseflow.engine.registry import get_registry, load_registry

__all__ = [
    "Conflict", "DefinitionError", "GuardFailed", "InvalidInput", "InvalidTrigger", "NotFound", "NotPermitted",
    "WorkflowError", "IMPORTED", "available_transitions", "configure", "fire", "get_registry", "import_case",
    "load_registry", "local_today", "open_case", "refresh_search_text",
]
