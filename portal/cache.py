"""Reference data kept briefly in the shared cache: lists every page shows (a filter's choices, the
end of the next working day) that change a few times a year and cost a query or two to build."""

from django.conf import settings
from django.core.cache import cache


def reference(key: str, build):
    """The cached value of `key`, built (and kept for PORTAL_REFERENCE_SECONDS) when missing. A change
    to the catalog or the calendar shows on these lists within that time; nothing that decides a
    deadline or an access reads from here."""
    return cache.get_or_set(f"reference:{key}", build, timeout=settings.PORTAL_REFERENCE_SECONDS)
