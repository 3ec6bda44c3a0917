from portal.exceptions import ApplicationError


class DossierChanged(ApplicationError):
    """Someone else changed the dossier first; the user should reload it."""


class ActionNotAllowed(ApplicationError):
    """The action is not allowed in the current status or for the user's role."""


class UploadRejected(ApplicationError):
    """An uploaded file was refused (size, type, total); the draft is unchanged."""
