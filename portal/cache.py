"""Reference data kept briefly in each process: lists every page shows (a filter's choices, the end
of the next working day) that change a few times a year and cost a query or two to build.

Kept in process memory rather than the shared cache: a round trip to Redis costs about as much as
the query it would save, and each process building a list once a minute costs nothing."""

import threading
import time

from django.conf import settings

_values: dict[str, tuple[float, object]] = {}
_lock = threading.Lock()


def reference(key: str, build, keep=None, seconds=None):
    """The kept value of `key`, built (and kept for `seconds`, by default PORTAL_REFERENCE_SECONDS)
    when missing or old. A change to the catalog or the calendar shows on these lists within that
    time; nothing that decides a deadline or an access reads from here. A value for which
    `keep(value)` is false is not kept."""
    now = time.monotonic()
    kept = _values.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    value = build()
    if keep is not None and not keep(value):
        return value
    with _lock:
        if len(_values) > 10_000:  # keys carry a date or an agency: drop the old ones now and then
            for old in [k for k, (expires, _) in _values.items() if expires <= now]:
                del _values[old]
        _values[key] = (now + (settings.PORTAL_REFERENCE_SECONDS if seconds is None else seconds), value)
    return value


def forget() -> None:
    """Drop every kept value (each test starts without them)."""
    with _lock:
        _values.clear()
