from portal.exceptions import ApplicationError


class VersionStateError(ApplicationError):
    """The version is not in a state that allows this action."""
