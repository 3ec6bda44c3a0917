"""The keyset condition states the first field's bound on its own, so PostgreSQL starts the index scan
at the cursor instead of reading every earlier row of the list (EXPLAIN at bench scale: the bound in
the Index Cond). That the pages still hold every row once is walked in test_catalog.py."""

from portal.api.pagination import after


def test_the_first_fields_bound_is_stated_alone_in_either_direction():
    ascending = after(("submitted_at", "id"), ["2026-06-01T00:00:00+00:00", 5])
    assert ascending.children[0] == ("submitted_at__gte", "2026-06-01T00:00:00+00:00")
    descending = after(("-updated_at", "-id"), ["2026-06-01T00:00:00+00:00", 5])
    assert descending.children[0] == ("updated_at__lte", "2026-06-01T00:00:00+00:00")
