class ApplicationError(Exception):
    """A refusal a user can act on. Services raise it; views turn it into a message or form error,
    the API into one JSON error shape. `field` names the input it concerns, when one does."""

    def __init__(self, message, *, field=None, code="invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
