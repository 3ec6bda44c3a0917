from .attachments import Attachment
from .dossier import Dossier, DossierSequence
from .events import DossierEvent
from .ratings import Rating
from .supplements import SupplementRequest

__all__ = ["Attachment", "Dossier", "DossierEvent", "DossierSequence", "Rating", "SupplementRequest"]
