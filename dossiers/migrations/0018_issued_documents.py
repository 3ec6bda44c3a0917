import uuid

import django.db.models.deletion
from django.db import migrations, models

import dossiers.models.forms


def fill(apps, schema_editor):
    """Each kept form gets its own public id, and the agency of its dossier as its issuer."""
    IssuedDocument = apps.get_model("dossiers", "IssuedDocument")
    for doc in IssuedDocument.objects.select_related("dossier").only("pk", "dossier__agency_id").iterator():
        IssuedDocument.objects.filter(pk=doc.pk).update(public_id=uuid.uuid4(), agency_id=doc.dossier.agency_id)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0017_inter_agency_task_indexes"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel("IssuedForm", "IssuedDocument"),
        migrations.AlterModelOptions(
            name="issueddocument",
            options={"verbose_name": "văn bản đã phát hành", "verbose_name_plural": "văn bản đã phát hành"},
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="agency",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="portal.agency"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="issueddocument",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="lý do phát hành lại"),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="attachment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="dossiers.attachment",
            ),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="signature",
            field=models.CharField(
                choices=[
                    ("unsigned", "Không ký số"),
                    ("pending", "Đang ký số"),
                    ("signed", "Đã ký số"),
                    ("failed", "Ký số không thành công"),
                ],
                default="unsigned",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="signer",
            field=models.CharField(blank=True, max_length=255, verbose_name="người ký"),
        ),
        migrations.AddField(
            model_name="issueddocument",
            name="signed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="issueddocument",
            name="sha256",
            field=models.CharField(db_index=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="issueddocument",
            name="file",
            field=models.FileField(max_length=255, upload_to=dossiers.models.forms.issued_form_path),
        ),
    ]
