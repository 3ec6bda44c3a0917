"""Writes of the dossiers app, one module per concern."""
