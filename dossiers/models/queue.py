from django.db import models


class QueueCounter(models.Model):
    """How many dossiers sit in one queue cell: agency x desk x stage (x came back from a supplement,
    x assignee where a tab asks for them). Moved in the same transaction as the dossier, so the queue
    tabs count from a few rows instead of scanning an agency's history.

    `desk_id` and `assignee_id` are plain integers with 0 for "none" rather than nullable keys: the
    unique constraint, and the upsert that relies on it, treat NULLs as distinct."""

    agency = models.ForeignKey("portal.Agency", on_delete=models.CASCADE, related_name="+")
    desk_id = models.BigIntegerField(default=0)
    stage = models.CharField(max_length=24)
    resupplied = models.BooleanField(default=False)
    assignee_id = models.BigIntegerField(default=0)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "desk_id", "stage", "resupplied", "assignee_id"], name="queuecounter_cell_unique"
            ),
        ]

    def __str__(self):
        return f"{self.agency_id}/{self.desk_id}/{self.stage}/{self.resupplied}/{self.assignee_id}: {self.n}"
