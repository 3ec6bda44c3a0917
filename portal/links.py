"""Links of list pages: a row's URL as one reversed prefix plus the row's own code."""

from django.urls import reverse


def url_prefix(name: str, sample) -> str:
    """`name`'s URL up to the argument `sample` stands for, so a page of rows reverses once and each
    row appends its code and "/" (the routes end with the argument)."""
    return reverse(name, args=[sample]).removesuffix(f"{sample}/")
