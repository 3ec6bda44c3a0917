"""A citizen's drafts through the API, for a mobile app: start one, keep its answers and delivery,
attach and remove files, file it (once, however often the app retries), or delete it. Every write is
the same service the filing pages call, with the same checks."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from dossiers import selectors
from dossiers.api.serializers import DossierDetailSerializer, DraftSerializer, FileSerializer
from dossiers.api.views import owner_detail_response
from dossiers.constants import Delivery
from dossiers.services import filing, uploads
from portal.exceptions import ApplicationError
from portal.selectors import agency_get_by_code
from procedures.selectors import procedure_get_published

API_FIELDS = {"address": "delivery_address", "delivery": "delivery"}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The app's key for this submission: a retry with the same key files nothing more; the same "
    "key for another draft is refused (409).",
)


class StartSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=30, help_text="The procedure's code.")
    agency = serializers.CharField(max_length=40, help_text="The code of the agency that handles it.")


class UpdateSerializer(serializers.Serializer):
    answers = serializers.DictField(required=False, help_text="The form's answers by field key (kept as typed).")
    delivery = serializers.ChoiceField(choices=Delivery.choices, required=False)
    delivery_address = serializers.CharField(max_length=500, required=False, allow_blank=True)


class UploadSerializer(serializers.Serializer):
    component = serializers.IntegerField(help_text="The component's id (the procedure's `components`).")
    file = serializers.FileField()


class SubmitSerializer(serializers.Serializer):
    declaration = serializers.BooleanField(help_text="The applicant's declaration that the dossier is true.")


def _draft(request, public_id):
    draft = selectors.draft_get_for_user(user=request.user, public_id=public_id)
    if draft is None:
        raise NotFound()
    return draft


def attach(*, dossier, actor, component, upload):
    """uploads.attachment_add, its refusal (type, size, count) as the `file` field's error."""
    try:
        return uploads.attachment_add(dossier=dossier, actor=actor, component=component, upload=upload)
    except ApplicationError as error:
        raise ValidationError({"file": [str(error.message)]}) from error


def _checked(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class DraftStart(GenericAPIView):
    serializer_class = StartSerializer

    @extend_schema(request=StartSerializer, responses={201: DraftSerializer})
    def post(self, request):
        """Start a draft of a procedure at an agency, with the person's profile as the applicant."""
        data = _checked(StartSerializer, request)
        version = procedure_get_published(code=data["procedure"])
        if version is None:
            raise ValidationError({"procedure": [_("Không có thủ tục đang áp dụng với mã này.")]})
        agency = agency_get_by_code(code=data["agency"])
        if agency is None:
            raise ValidationError({"agency": [_("Không có cơ quan với mã này.")]})
        draft = filing.dossier_start(version=version, actor=request.user, agency=agency)
        draft = selectors.draft_get_for_user(user=request.user, public_id=draft.public_id)
        return Response(DraftSerializer(draft, context=self.get_serializer_context()).data, status=201)


class DraftDetail(GenericAPIView):
    serializer_class = DraftSerializer

    def get(self, request, public_id):
        """The draft: its answers, files, delivery and what is still missing before it can be filed."""
        return Response(DraftSerializer(_draft(request, public_id), context=self.get_serializer_context()).data)

    @extend_schema(request=UpdateSerializer, responses=DraftSerializer)
    def patch(self, request, public_id):
        """Keep answers (as typed: they are checked when filing) and the way to receive the result."""
        draft = _draft(request, public_id)
        data = _checked(UpdateSerializer, request)
        try:
            if "answers" in data:
                draft = filing.dossier_save_answers(dossier=draft, actor=request.user, raw=data["answers"])
            if "delivery" in data:
                address = data.get("delivery_address", "")
                draft = filing.dossier_set_delivery(
                    dossier=draft, actor=request.user, delivery=data["delivery"], address=address
                )
        except ApplicationError as error:
            if not error.field:
                raise
            # The filing pages' field names (f_<key>, address) as this endpoint's.
            raise ValidationError({API_FIELDS.get(error.field, "answers"): [str(error.message)]}) from error
        return self.get(request, public_id)

    @extend_schema(responses={204: None})
    def delete(self, request, public_id):
        """Delete the draft and its files."""
        filing.dossier_delete_draft(dossier=_draft(request, public_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftFiles(GenericAPIView):
    serializer_class = FileSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(request=UploadSerializer, responses={201: FileSerializer})
    def post(self, request, public_id):
        """Attach a file to one of the procedure's components (type sniffed, size and count limited)."""
        draft = _draft(request, public_id)
        data = _checked(UploadSerializer, request)
        component = next((c for c in draft.version.components.all() if c.id == data["component"]), None)
        if component is None:
            raise ValidationError({"component": [_("Thủ tục này không có thành phần hồ sơ này.")]})
        attachment = attach(dossier=draft, actor=request.user, component=component, upload=data["file"])
        return Response(FileSerializer(attachment, context=self.get_serializer_context()).data, status=201)


class DraftFile(GenericAPIView):
    serializer_class = FileSerializer

    @extend_schema(responses={204: None})
    def delete(self, request, public_id, file_id):
        """Remove a file from the draft."""
        draft = _draft(request, public_id)
        attachment = next((a for a in draft.attachments.all() if str(a.public_id) == str(file_id)), None)
        if attachment is None:
            raise NotFound()
        uploads.attachment_remove(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftSubmit(GenericAPIView):
    serializer_class = SubmitSerializer

    @extend_schema(
        request=SubmitSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: DossierDetailSerializer, 200: DossierDetailSerializer},
    )
    def post(self, request, public_id):
        """File the draft: 201 with the filed dossier, or 200 with it when this draft was already filed
        (a retry). What is missing comes back as a 400 listing each problem by step."""
        key = request.headers.get("Idempotency-Key", "")[:100]
        if key:
            filing.submission_key_claim(user=request.user, key=key, draft_id=public_id)
        filed = selectors.dossier_filed_from_draft(user=request.user, public_id=public_id)
        created = filed is None
        if created:
            data = _checked(SubmitSerializer, request)
            filed = filing.dossier_submit(
                dossier=_draft(request, public_id), actor=request.user, declaration=data["declaration"]
            )
        dossier = selectors.dossier_get_for_owner(user=request.user, code=filed.code)
        return owner_detail_response(request, dossier, status=201 if created else 200)
