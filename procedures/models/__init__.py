from .catalog import Procedure, ProcedureVersion, Sector
from .parts import DossierComponent, FeeItem, FormField, FormTemplate, ProcessingStep

__all__ = [
    "DossierComponent",
    "FeeItem",
    "FormField",
    "FormTemplate",
    "ProcessingStep",
    "Procedure",
    "ProcedureVersion",
    "Sector",
]
