"""The core models, imported here so that Alembic and the app see their tables; a feature's own models live in
caseflow/<feature>/models.py and are imported by its setup(app) (through its hooks) before mappers configure."""
from caseflow.core.models.attachment import Attachment
from caseflow.core.models.audit import AdminEvent, CaseEvent
from caseflow.core.models.base import Base, utcnow
from caseflow.core.models.case import Case
from caseflow.core.models.org import ROLES, UNIT_KINDS, RoleAssignment, Unit, User
from caseflow.core.models.party import Party
from caseflow.core.models.sequence import Sequence, next_value

__all__ = [
                                        "ROLES",
                                        "UNIT_KINDS",
                                        "AdminEvent",
                                        "Attachment",
                                        "Base",
                                        "Case",
                                        "CaseEvent",
                                        "Party",
                                        "RoleAssignment",
                                        "Sequence",
                                        "Unit",
                                        "User",
                                        "next_value",
                                        "utcnow",
]
