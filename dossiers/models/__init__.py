from .attachments import Attachment
from .dossier import Dossier, DossierSequence
from .events import DossierEvent
from .figures import DailyFigures, IndicatorTarget
from .forms import IssuedDocument
from .payments import FeeAssessment, Payment, PaymentOrder, StatementLine
from .processing import ExtensionLetter, InterAgencyTask
from .queue import QueueCounter
from .ratings import Rating
from .submission_keys import SubmissionKey
from .supplements import SupplementRequest

__all__ = [
    "Attachment",
    "DailyFigures",
    "Dossier",
    "DossierEvent",
    "DossierSequence",
    "ExtensionLetter",
    "FeeAssessment",
    "IndicatorTarget",
    "IssuedDocument",
    "InterAgencyTask",
    "Payment",
    "PaymentOrder",
    "QueueCounter",
    "Rating",
    "StatementLine",
    "SubmissionKey",
    "SupplementRequest",
]
