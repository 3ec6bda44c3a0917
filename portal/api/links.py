"""Links in API responses: absolute URLs on the request's host, as clients follow them."""


def absolute(context, path: str) -> str:
    """`path` as an absolute URL for the request in a serializer's context (the path alone without one)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path
