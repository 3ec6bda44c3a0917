"""Path converters: `<id:pk>` takes the ids the database can hold (a 64-bit integer, at most 18
digits here), so a longer number in a URL is a 404 like any other unknown id instead of an overflow
in the database driver (a 500)."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
