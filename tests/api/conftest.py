"""The API's tests use the dossier tests' fixtures: a published procedure, a citizen, a filed dossier
and the staff of its agency."""

from tests.dossiers.conftest import agency, citizen, filed, ready_draft, staff, version  # noqa: F401
