"""On PostgreSQL the database itself refuses a change to a published (or retired) version's content,
as ProcedureVersion.save() does: a QuerySet.update() or direct SQL went around save(). Only the
lifecycle columns (status, published_at, retired_at) and the creator (kept when a user is deleted) may
change once a version is out of draft."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION procedure_version_read_only() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'draft' AND (
        to_jsonb(NEW) - 'status' - 'published_at' - 'retired_at' - 'created_by_id'
    ) IS DISTINCT FROM (
        to_jsonb(OLD) - 'status' - 'published_at' - 'retired_at' - 'created_by_id'
    ) THEN
        RAISE EXCEPTION 'procedures_procedureversion %: a published version is read-only', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER procedure_version_read_only
BEFORE UPDATE ON procedures_procedureversion
FOR EACH ROW EXECUTE FUNCTION procedure_version_read_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute("DROP TRIGGER IF EXISTS procedure_version_read_only ON procedures_procedureversion")
    schema_editor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS procedure_version_read_only ON procedures_procedureversion")
    schema_editor.execute("DROP FUNCTION IF EXISTS procedure_version_read_only()")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_version_result_document")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
