"""Disclosure models, split by concept; import them from here."""

from enforcement.disclosure.models.cases import CaseAssignment, CaseParticipation
from enforcement.disclosure.models.counts import DecisionListCount
from enforcement.disclosure.models.decisions import (
    Decision,
    DecisionPublicRow,
    LegalReview,
    ProcessRecord,
    Recusal,
    decision_officers,
    decision_powers,
)
from enforcement.disclosure.models.laws import Law, LawArticle
from enforcement.disclosure.models.subjects import (
    Agency,
    InspectionItem,
    Officer,
    Power,
    PowerBasis,
    ProcedureGuide,
    ProcedureStep,
)

__all__ = [
    "Agency",
    "CaseAssignment",
    "CaseParticipation",
    "Decision",
    "DecisionListCount",
    "DecisionPublicRow",
    "InspectionItem",
    "Law",
    "LawArticle",
    "LegalReview",
    "Officer",
    "Power",
    "PowerBasis",
    "ProcedureGuide",
    "ProcedureStep",
    "ProcessRecord",
    "Recusal",
    "decision_officers",
    "decision_powers",
]
