from .attachments import Attachment
from .dossier import Dossier, DossierSequence
from .events import DossierEvent
from .figures import DailyFigures, IndicatorTarget
from .forms import IssuedDocument
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
    "IndicatorTarget",
    "IssuedDocument",
    "InterAgencyTask",
    "QueueCounter",
    "Rating",
    "SubmissionKey",
    "SupplementRequest",
]
