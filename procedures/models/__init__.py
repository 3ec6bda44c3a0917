from .catalog import Procedure, ProcedureVersion, Sector
from .parts import DossierComponent, FeeExemption, FeeItem, FormField, FormTemplate, ProcessingStep

__all__ = [
    "DossierComponent",
    "FeeExemption",
    "FeeItem",
    "FormField",
    "FormTemplate",
    "ProcessingStep",
    "Procedure",
    "ProcedureVersion",
    "Sector",
]
