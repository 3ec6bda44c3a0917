import pytest

from tests.dossiers.conftest import (  # noqa: F401  (the dossier fixtures, shared)
    agency,
    citizen,
    filed,
    ready_draft,
    staff,
    version,
)


@pytest.fixture(autouse=True)
def _no_wake_key_from_an_earlier_test():
    """A window key left on Redis by the previous test (its task went to that test's queue) would make
    this test's first notification wait for a task no worker here reads."""
    from django.core.cache import cache

    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(match="*notifications:wake:*"):
            client.delete(key)
    yield
