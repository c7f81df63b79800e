"""The workflow engine: definitions, compiled machines, and fire() as the only writer of state."""
from caseflow.core.engine.errors import (
                                    Conflict,
                                    DefinitionError,
                                    GuardFailed,
                                    InvalidInput,
                                    InvalidTrigger,
                                    NotFound,
                                    NotPermitted,
                                    WorkflowError,
)
from caseflow.core.engine.fire import (
                                    IMPORTED,
                                    ImportRow,
                                    available_transitions,
                                    fire,
                                    import_case,
                                    import_cases,
                                    open_case,
                                    refresh_search_text,
)
from caseflow.core.engine.hooks import HookSet
from caseflow.core.engine.state import add_hooks, audit_key, current_engine, get_registry, init_app, load_definitions

__all__ = [
                                    "IMPORTED",
                                    "Conflict",
                                    "DefinitionError",
                                    "GuardFailed",
                                    "HookSet",
                                    "ImportRow",
                                    "InvalidInput",
                                    "InvalidTrigger",
                                    "NotFound",
                                    "NotPermitted",
                                    "WorkflowError",
                                    "add_hooks",
                                    "audit_key",
                                    "available_transitions",
                                    "current_engine",
                                    "fire",
                                    "get_registry",
                                    "import_case",
                                    "import_cases",
                                    "init_app",
                                    "load_definitions",
                                    "open_case",
                                    "refresh_search_text",
]
