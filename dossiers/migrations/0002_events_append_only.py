"""On PostgreSQL the database itself refuses UPDATE and DELETE on dossier events, so the audit
trail cannot be edited even with direct SQL by the application's role. The one exception: the
events of a draft go with the draft when its owner deletes it or it expires (it was never filed)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION dossier_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (
        SELECT 1 FROM dossiers_dossier WHERE id = OLD.dossier_id AND status = 'draft'
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'dossiers_dossierevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER dossier_event_append_only
BEFORE UPDATE OR DELETE ON dossiers_dossierevent
FOR EACH ROW EXECUTE FUNCTION dossier_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute("DROP TRIGGER IF EXISTS dossier_event_append_only ON dossiers_dossierevent")
    schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS dossier_event_append_only ON dossiers_dossierevent")
    schema_editor.execute("DROP FUNCTION IF EXISTS dossier_event_append_only()")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
