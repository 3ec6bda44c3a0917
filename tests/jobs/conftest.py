from tests.dossiers.conftest import (  # noqa: F401  (the dossier fixtures, shared)
    agency,
    citizen,
    filed,
    ready_draft,
    staff,
    version,
)
