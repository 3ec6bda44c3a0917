"""Dossiers as the API gives them: a line of a list, and one dossier with its files and history."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dossiers.constants import Action, Channel, Delivery, Outcome, Stage, Status
from dossiers.models import Attachment, Dossier
from dossiers.selectors import current_files_for
from portal.api.links import absolute


class NamedSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DossierSerializer(serializers.ModelSerializer):
    """A line of the person's dossiers. A draft has no code yet and no detail URL here."""

    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    channel = serializers.ChoiceField(choices=Channel.choices)
    procedure = NamedSerializer(source="version.procedure")
    agency = NamedSerializer()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "public_id",
            "status",
            "status_label",
            "channel",
            "procedure",
            "agency",
            "submitted_at",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, dossier) -> str | None:
        if not dossier.code or dossier.status == Status.DRAFT:
            return None
        return absolute(self.context, reverse("api-dossier", args=[dossier.code]))


class FileSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="original_name")
    component = serializers.CharField(source="component.name", allow_null=True, default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "component", "size", "content_type", "is_result", "created_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment) -> str:
        return absolute(self.context, reverse("dossiers:file", args=[attachment.public_id]))


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    step = serializers.CharField(source="step_label")
    status = serializers.CharField(source="to_status", allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(source="actor_name", allow_blank=True, help_text="Staff only; empty for citizens.")


class DossierFeeLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    unit_amount = serializers.IntegerField(help_text="đồng")
    quantity = serializers.IntegerField()
    amount = serializers.IntegerField(help_text="đồng, after the exemption")
    exemption_category = serializers.CharField(allow_blank=True, default="")
    exemption_percent = serializers.IntegerField(default=0)


class DossierTransferSerializer(serializers.Serializer):
    bank_bin = serializers.CharField()
    account = serializers.CharField()
    account_name = serializers.CharField()
    amount = serializers.IntegerField()
    content = serializers.CharField(help_text="The transfer content the reconciliation matches: keep it as it is.")
    payload = serializers.CharField(help_text="The NAPAS VietQR string (EMVCo) a banking app reads.")


class DossierPaymentSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    method = serializers.CharField()
    state = serializers.CharField()
    received_at = serializers.DateTimeField()
    refund_reason = serializers.CharField(allow_blank=True)
    receipt_url = serializers.CharField(allow_null=True)


class DossierFeeSerializer(serializers.Serializer):
    """The dossier's fees as they were asked (docs/payments.md): null when none was asked."""

    amount = serializers.IntegerField(source="assessment.amount", help_text="đồng")
    state = serializers.CharField(source="assessment.state", help_text="due, paid or cancelled")
    requested_at = serializers.DateTimeField(source="assessment.requested_at")
    lines = DossierFeeLineSerializer(source="assessment.lines", many=True)
    transfer = DossierTransferSerializer(allow_null=True, help_text="While due, where the agency has a fee account.")
    pay_url = serializers.CharField(allow_null=True, help_text="While due: the dossier's page, where the owner pays.")
    payments = DossierPaymentSerializer(many=True)


class DossierDetailSerializer(DossierSerializer):
    """One dossier: for its owner, the public history; for staff of its agency, the whole one with
    who acted, and the internal stage."""

    stage = serializers.SerializerMethodField()
    delivery = serializers.ChoiceField(choices=Delivery.choices, allow_blank=True, read_only=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    answers = serializers.JSONField()
    applicant = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    fee = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "stage",
            "delivery",
            "answers",
            "applicant",
            "outcome",
            "result_note",
            "files",
            "timeline",
            "actions",
            "fee",
        ]
        read_only_fields = fields

    @extend_schema_field(DossierFeeSerializer(allow_null=True))
    def get_fee(self, dossier):
        from dossiers.fees import fee_panel

        panel = fee_panel(dossier)
        if panel is None:
            return None
        form = "dossiers:desk_form" if self.context.get("staff") else "dossiers:citizen_form"
        receipt = reverse(form, args=[dossier.code, "receipt"])
        data = {
            "assessment": panel.assessment,
            "transfer": panel.transfer and vars(panel.transfer),
            "pay_url": absolute(self.context, reverse("dossiers:detail", args=[dossier.code]))
            if panel.due and not self.context.get("staff")
            else None,
            "payments": [
                {
                    "amount": p.amount,
                    "method": p.method,
                    "state": p.state,
                    "received_at": p.received_at,
                    "refund_reason": p.refund_reason,
                    "receipt_url": absolute(self.context, f"{receipt}?n={n}") if p.receipt_id else None,
                }
                for n, p in enumerate(panel.payments, start=1)
            ],
        }
        return DossierFeeSerializer(data).data

    @extend_schema_field(serializers.ChoiceField(choices=Stage.choices, allow_null=True, help_text="Staff only."))
    def get_stage(self, dossier):
        return dossier.stage if self.context.get("staff") else None

    def get_applicant(self, dossier) -> dict[str, str]:
        snapshot = dossier.applicant_snapshot or {}
        return {key: str(snapshot.get(key) or "") for key in ("full_name", "national_id", "phone", "address")}

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, dossier):
        files = current_files_for(dossier, staff=bool(self.context.get("staff")))
        return FileSerializer(files, many=True, context=self.context).data

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, dossier):
        return EventSerializer(self.context["timeline"], many=True).data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=Action.choices),
            help_text="What the reader may do now: the owner's (supplement, withdraw, rate) or the staff's.",
        )
    )
    def get_actions(self, dossier):
        return list(self.context.get("actions", []))


class QueueRowSerializer(serializers.Serializer):
    """A queue row (dossiers.queues.QueueRow) with its urgency and link, as the desk page shows it."""

    # The context gives `now`, `soon` (queues.due_soon_limit) and `detail`, the dossier link's prefix.

    code = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_label = serializers.CharField()
    due_at = serializers.DateTimeField(source="priority_at", allow_null=True)
    urgency = serializers.SerializerMethodField()
    applicant = serializers.CharField(source="applicant_name", allow_blank=True)
    procedure = serializers.CharField(source="procedure_name", allow_blank=True)
    assignee = serializers.CharField(source="assignee_name", allow_blank=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=["", "soon", "overdue"], allow_blank=True))
    def get_urgency(self, row):
        from dossiers.queues import urgency

        return urgency(row, now=self.context["now"], soon=self.context["soon"])

    def get_url(self, row) -> str:
        return f"{self.context['detail']}{row.code}/"

    def to_representation(self, row):
        """The declared fields' representation, written out: a page of 25 rows through them (copied
        per request, then read one attribute at a time) cost more than the rest of the endpoint.
        The fields stay for the schema; tests/api/test_desk_queue.py holds the two equal."""
        from dossiers.queues import urgency

        context = self.context
        return {
            "code": row.code,
            "channel": row.channel,
            "status": row.status,
            "stage": row.stage,
            "stage_label": str(row.stage_label),
            "due_at": None if row.priority_at is None else _DATETIME.to_representation(row.priority_at),
            "urgency": urgency(row, now=context["now"], soon=context["soon"]),
            "applicant": row.applicant_name,
            "procedure": row.procedure_name,
            "assignee": row.assignee_name,
            "url": f"{context['detail']}{row.code}/",
        }


_DATETIME = serializers.DateTimeField()  # its to_representation: the time zone and ISO 8601 of the API


class TabSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class QueuePageSerializer(serializers.Serializer):
    tab = serializers.CharField()
    tabs = TabSerializer(many=True)
    next = serializers.URLField(allow_null=True)
    results = QueueRowSerializer(many=True)


class ProblemSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["applicant", "form", "documents", "delivery", "check"])
    message = serializers.CharField()


class DraftSerializer(serializers.ModelSerializer):
    """A draft as its filer edits it, with what is still missing before it can be filed."""

    procedure = NamedSerializer(source="version.procedure")
    agency = NamedSerializer()
    delivery = serializers.ChoiceField(choices=Delivery.choices, allow_blank=True, read_only=True)
    answers = serializers.JSONField(read_only=True)
    files = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "public_id",
            "procedure",
            "agency",
            "answers",
            "delivery",
            "delivery_address",
            "files",
            "missing",
            "updated_at",
            "expires_at",
        ]
        read_only_fields = fields

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, draft):
        return FileSerializer(
            [a for a in draft.attachments.all() if a.is_current], many=True, context=self.context
        ).data

    @extend_schema_field(ProblemSerializer(many=True))
    def get_missing(self, draft):
        from dossiers.services.filing import submission_problems

        return [{"step": p.step, "message": str(p.message)} for p in submission_problems(draft)]

    @extend_schema_field(serializers.DateTimeField())
    def get_expires_at(self, draft):
        from dossiers.selectors import draft_expiry

        return draft_expiry(draft).isoformat()
