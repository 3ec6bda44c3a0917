from django.db import models


class SubmissionKey(models.Model):
    """An app's Idempotency-Key for filing a draft through the API: the first draft it was used for.
    A retry with the key files nothing more; the key for another draft is refused. Kept a day
    (dossiers.services.housekeeping), in the database so every web process sees it."""

    user = models.ForeignKey("portal.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    draft = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="submission_key_once")]

    def __str__(self):
        return f"{self.key} -> {self.draft}"
