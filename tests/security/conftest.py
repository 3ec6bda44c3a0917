from tests.dossiers.conftest import *  # noqa: F403  (the dossier fixtures: agency, version, citizen, filed, staff)
