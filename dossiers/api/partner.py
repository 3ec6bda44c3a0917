"""What partner systems read with an OAuth2 token (portal/api/partners.py): the dossiers of the
agencies their client was given (`dossiers:read`; reading one is logged under the client's
responsible officer) and the feed of status changes (`status:sync`), in the shared status list's
numbers; and, for a consulted agency's system (`exchange`), the inter-agency tasks sent to its
agencies, each with the dossier it concerns, and the reply, which goes through the same service and
transition table as a specialist's. Each list is a keyset walk of one index, a page at a time, however
long the history."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from dossiers import selectors
from dossiers.api.serializers import DossierDetailSerializer, NamedSerializer
from dossiers.constants import STATUS_NUMBER, Channel, Status
from dossiers.models import Dossier, DossierEvent, InterAgencyTask
from dossiers.services.access_log import dossier_read_record
from dossiers.services.desk import dossier_record_reply
from portal.api.partners import PartnerAuthentication, PartnerScope, PartnerThrottle
from portal.constants import AccessReason
from portal.selectors import staff_memberships_of

AGENCY = OpenApiParameter(
    "agency", str, OpenApiParameter.QUERY, description="An agency's code among the client's (optional with one)."
)


class PartnerView:
    authentication_classes = [PartnerAuthentication]
    permission_classes = [PartnerScope]
    throttle_classes = [PartnerThrottle]
    filter_backends = []

    def agency_id(self) -> int:
        """The asked agency among the client's; with one agency it may go unsaid."""
        agencies = {a.code: a.pk for a in self.request.partner.agencies.all()}
        code = self.request.query_params.get("agency", "")
        if not code and len(agencies) == 1:
            return next(iter(agencies.values()))
        if code not in agencies:
            raise ValidationError({"agency": [_("Chọn một cơ quan được giao cho hệ thống này.")]})
        return agencies[code]


class PartnerDossierSerializer(serializers.ModelSerializer):
    status_number = serializers.SerializerMethodField()
    procedure = NamedSerializer(source="version.procedure")
    agency = NamedSerializer()
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=Status.choices)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "status",
            "status_number",
            "channel",
            "procedure",
            "agency",
            "submitted_at",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_status_number(self, dossier) -> int:
        return STATUS_NUMBER[dossier.status]


class StatusChangeSerializer(serializers.ModelSerializer):
    """A status change in the shared list's terms (docs/api.md gives the mapping)."""

    code = serializers.CharField(source="dossier.code")
    procedure = serializers.CharField(source="dossier.version.procedure.code")
    agency = serializers.CharField(source="dossier.agency.code")
    channel = serializers.ChoiceField(source="dossier.channel", choices=Channel.choices)
    status = serializers.ChoiceField(source="to_status", choices=Status.choices)
    status_number = serializers.SerializerMethodField()
    received_at = serializers.DateTimeField(source="dossier.received_at", allow_null=True)
    due_at = serializers.DateTimeField(source="dossier.due_at", allow_null=True)
    finished_at = serializers.DateTimeField(source="dossier.finished_at", allow_null=True)

    class Meta:
        model = DossierEvent
        fields = [
            "id",
            "code",
            "procedure",
            "agency",
            "channel",
            "status",
            "status_number",
            "created_at",
            "received_at",
            "due_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_status_number(self, event) -> int:
        return STATUS_NUMBER[event.to_status]


@extend_schema(parameters=[AGENCY])
class PartnerDossiers(PartnerView, generics.ListAPIView):
    """The agency's filed dossiers, oldest filing first (by `dossier_register_idx`)."""

    partner_scope = "dossiers:read"
    serializer_class = PartnerDossierSerializer
    keyset_ordering = ("submitted_at", "id")

    def get_queryset(self):
        return (
            Dossier.objects.filter(agency_id=self.agency_id(), submitted_at__isnull=False)
            .exclude(status=Status.DRAFT)
            .select_related("version__procedure", "agency")
        )


class PartnerDossier(PartnerView, generics.GenericAPIView):
    partner_scope = "dossiers:read"
    serializer_class = DossierDetailSerializer

    def get(self, request, code):
        """One dossier of the client's agencies with its public history; the read is logged under the
        client's responsible officer."""
        access = request.partner
        dossier = selectors.dossier_get_for_agencies(code=code, agency_ids=[a.pk for a in access.agencies.all()])
        if dossier is None:
            raise NotFound()
        dossier_read_record(dossier=dossier, actor=access.responsible, request=request, reason=AccessReason.PARTNER_API)
        context = {"request": request, "timeline": selectors.timeline(dossier, public_only=True)}
        return Response(DossierDetailSerializer(dossier, context=context).data)


@extend_schema(parameters=[AGENCY])
class PartnerStatusChanges(PartnerView, generics.ListAPIView):
    """Every status change of the agency's dossiers, oldest first: a partner keeps the last `next`
    and asks again from it."""

    partner_scope = "status:sync"
    serializer_class = StatusChangeSerializer
    keyset_ordering = ("id",)

    def get_queryset(self):
        return (
            DossierEvent.objects.filter(dossier__agency_id=self.agency_id())
            .exclude(to_status="")
            .exclude(to_status=Status.DRAFT)
            .select_related("dossier__version__procedure", "dossier__agency")
        )


class TaskSerializer(serializers.ModelSerializer):
    """A task sent to a consulted agency, with the dossier it concerns (no personal data here)."""

    dossier = PartnerDossierSerializer()
    agency = NamedSerializer(help_text="The consulted agency.")

    class Meta:
        model = InterAgencyTask
        fields = ["id", "dossier", "agency", "task", "deadline", "sent_at", "reply", "replied_at"]
        read_only_fields = fields


class TaskDetailSerializer(TaskSerializer):
    """The task with the dossier's detail: the applicant's answers and the files' names, which the
    consulted agency needs for its opinion (the read is logged)."""

    dossier = serializers.SerializerMethodField()

    @extend_schema_field(DossierDetailSerializer)
    def get_dossier(self, task):
        return DossierDetailSerializer(task.dossier, context=self.context).data


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=5000, help_text="The consulted agency's opinion.")


STATE = OpenApiParameter(
    "state", str, OpenApiParameter.QUERY, enum=["open", "all"], description="open (default): not yet replied."
)


@extend_schema(parameters=[AGENCY, STATE])
class PartnerTasks(PartnerView, generics.ListAPIView):
    """The inter-agency tasks sent to the agency, oldest first: a consulted agency's system asks for
    the open ones, replies to each, and asks again."""

    partner_scope = "exchange"
    serializer_class = TaskSerializer
    keyset_ordering = ("sent_at", "id")

    def get_queryset(self):
        state = self.request.query_params.get("state", "open")
        if state not in ("open", "all"):
            raise ValidationError({"state": [_("Chọn open hoặc all.")]})
        return selectors.tasks_sent_to(agency_id=self.agency_id(), open_only=state == "open")


class PartnerTaskView(PartnerView, generics.GenericAPIView):
    partner_scope = "exchange"

    def task(self, task_id: int) -> InterAgencyTask:
        access = self.request.partner
        task = selectors.task_get_for_agencies(task_id=task_id, agency_ids=[a.pk for a in access.agencies.all()])
        if task is None:
            raise NotFound()
        return task

    def detail_response(self, task: InterAgencyTask) -> Response:
        access = self.request.partner
        dossier = selectors.dossier_get_for_agencies(code=task.dossier.code, agency_ids=[task.dossier.agency_id])
        dossier_read_record(
            dossier=dossier, actor=access.responsible, request=self.request, reason=AccessReason.PARTNER_API
        )
        task.dossier = dossier
        context = {"request": self.request, "timeline": selectors.timeline(dossier, public_only=True)}
        return Response(TaskDetailSerializer(task, context=context).data)


class PartnerTask(PartnerTaskView):
    serializer_class = TaskDetailSerializer

    def get(self, request, task_id):
        """One task sent to the client's agencies, with the dossier's answers, applicant and files;
        the read is logged under the client's responsible officer."""
        return self.detail_response(self.task(task_id))


class PartnerTaskReply(PartnerTaskView):
    serializer_class = ReplySerializer
    parser_classes = [JSONParser]

    @extend_schema(request=ReplySerializer, responses=TaskDetailSerializer)
    def post(self, request, task_id):
        """The consulted agency's reply, recorded as its responsible officer's (who must be staff of the
        agency); with the last open task's reply the dossier goes back to appraisal. A task already
        replied to is a 409."""
        task = self.task(task_id)
        checked = ReplySerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        officer = request.partner.responsible
        if task.agency_id not in {m.agency_id for m in staff_memberships_of(user=officer)}:
            raise PermissionDenied(_("Cán bộ phụ trách của hệ thống này không thuộc cơ quan được hỏi ý kiến."))
        dossier_record_reply(dossier=task.dossier, actor=officer, task=task, reply=checked.validated_data["reply"])
        task.refresh_from_db()
        return self.detail_response(task)
