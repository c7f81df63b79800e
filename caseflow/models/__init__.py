"""All models, imported here so that Alembic and the app see every table."""
from caseflow.models.attachment import Attachment
from caseflow.models.audit import CaseEvent
from caseflow.models.base import Base, utcnow
from caseflow.models.case import Case, LegalAidDetail, LegalAidHearing
from caseflow.models.inspection import (
                                        ComplaintDetail,
                                        ConflictDeclaration,
                                        DenunciationDetail,
                                        IdentityAccessLog,
                                        IdentityGrant,
                                        LetterDetail,
                                        ProtectedIdentity,
                                        ProtectedScan,
)
from caseflow.models.org import ROLES, UNIT_KINDS, RoleAssignment, Unit, User
from caseflow.models.party import Party
from caseflow.models.report import ConflictLink, RepresentationTarget
from caseflow.models.sequence import Sequence, next_value

__all__ = [
                                        "ROLES",
                                        "UNIT_KINDS",
                                        "Attachment",
                                        "Base",
                                        "Case",
                                        "CaseEvent",
                                        "ComplaintDetail",
                                        "ConflictDeclaration",
                                        "ConflictLink",
                                        "DenunciationDetail",
                                        "IdentityAccessLog",
                                        "IdentityGrant",
                                        "LegalAidDetail",
                                        "LegalAidHearing",
                                        "LetterDetail",
                                        "Party",
                                        "ProtectedIdentity",
                                        "ProtectedScan",
                                        "RepresentationTarget",
                                        "RoleAssignment",
                                        "Sequence",
                                        "Unit",
                                        "User",
                                        "next_value",
                                        "utcnow",
]
