from django.db import migrations


def canonical_phones(apps, schema_editor):
    """Accounts saved as +84… take the 0… spelling the portal now stores. Where another account
    already has that spelling the two are one number on two accounts: left as they are, for a
    superuser to settle (the login finds both spellings)."""
    User = apps.get_model("portal", "User")
    for user in User.objects.filter(phone__startswith="+84").only("id", "phone"):
        canonical = "0" + user.phone[3:]
        if not User.objects.filter(phone=canonical).exists():
            User.objects.filter(pk=user.pk).update(phone=canonical)


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_personal_data_access")]

    operations = [migrations.RunPython(canonical_phones, migrations.RunPython.noop)]
