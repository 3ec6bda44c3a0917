"""A citizen's actions on a filed dossier through the API, as on its pages: answer a supplement
request (see it, keep answers, attach files, send it), ask to withdraw, rate. The same forms check the
input and the same services (dossiers.services.citizen) act; only the dossier's owner reaches them."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from dossiers import selectors
from dossiers.api.drafts import attach
from dossiers.api.serializers import DossierDetailSerializer, FileSerializer
from dossiers.api.views import owner_detail_response
from dossiers.constants import Satisfaction
from dossiers.forms import RatingForm
from dossiers.models.ratings import SCORE
from dossiers.services import citizen
from portal.exceptions import ApplicationError


def _owned(request, code):
    dossier = selectors.dossier_get_for_owner(user=request.user, code=code)
    if dossier is None:
        raise NotFound()
    return dossier


def _form_errors(form) -> dict:
    return {"non_field_errors" if k == "__all__" else k: list(v) for k, v in form.errors.items()}


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the dossier is withdrawn.")


class RatingSerializer(serializers.Serializer):
    """Decision 766's criteria, each 1 (very poor) to 5 (very good)."""

    timeliness = serializers.ChoiceField(choices=SCORE)
    contacts = serializers.ChoiceField(choices=SCORE)
    information_accuracy = serializers.ChoiceField(choices=SCORE)
    staff_attitude = serializers.ChoiceField(choices=SCORE)
    cost = serializers.ChoiceField(choices=SCORE)
    complaint_made = serializers.ChoiceField(choices=["no", "yes"], help_text="Whether a complaint was made.")
    complaint_handling = serializers.ChoiceField(
        choices=SCORE, required=False, allow_null=True, help_text="Required when a complaint was made."
    )
    overall = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RequestedItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["component", "field"])
    ref = serializers.CharField(help_text="The component's id, or the form field's key.")
    label = serializers.CharField()
    reason = serializers.CharField()


class SupplementSerializer(serializers.Serializer):
    """The open supplement request: what is asked and why, the answers so far, the files sent since."""

    requested_at = serializers.DateTimeField(source="request.created_at")
    note = serializers.CharField(source="request.note", allow_blank=True)
    items = RequestedItemSerializer(source="request.items", many=True)
    answers = serializers.DictField(help_text="The asked fields' current answers, by key.")
    files = FileSerializer(many=True, help_text="Files attached since the request.")


class SupplementAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="Answers to the asked fields, by key (kept as typed).")


class SupplementUploadSerializer(serializers.Serializer):
    component = serializers.IntegerField(help_text="An asked component's id.")
    file = serializers.FileField()


def _supplement(request, code):
    dossier = _owned(request, code)
    asked = selectors.open_supplement(dossier)
    if asked is None:
        raise NotFound(_("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
    return dossier, asked


def _supplement_view(request, dossier, asked) -> dict:
    keys = asked.field_keys()
    return {
        "request": asked,
        "answers": {k: v for k, v in dossier.answers.items() if k in keys},
        "files": [a for a in dossier.attachments.all() if a.is_current and a.created_at >= asked.created_at],
    }


class Withdraw(GenericAPIView):
    serializer_class = WithdrawSerializer

    @extend_schema(request=WithdrawSerializer, responses=DossierDetailSerializer)
    def post(self, request, code):
        """Ask the agency to withdraw the dossier; it stops when the desk confirms."""
        dossier = _owned(request, code)
        checked = WithdrawSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        citizen.dossier_request_withdrawal(dossier=dossier, actor=request.user, reason=checked.validated_data["reason"])
        return owner_detail_response(request, _owned(request, code))


class Rate(GenericAPIView):
    serializer_class = RatingSerializer

    @extend_schema(request=RatingSerializer, responses={201: DossierDetailSerializer})
    def post(self, request, code):
        """Rate a dossier that has its result, once."""
        dossier = _owned(request, code)
        RatingSerializer(data=request.data).is_valid(raise_exception=True)
        form = RatingForm({k: v for k, v in request.data.items() if v is not None})
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        citizen.dossier_rate(dossier=dossier, actor=request.user, **form.cleaned_data)
        return owner_detail_response(request, _owned(request, code), status=201)


class Supplement(GenericAPIView):
    serializer_class = SupplementSerializer

    def get(self, request, code):
        """The open supplement request (404 when there is none)."""
        dossier, asked = _supplement(request, code)
        return Response(
            SupplementSerializer(_supplement_view(request, dossier, asked), context={"request": request}).data
        )

    @extend_schema(request=SupplementAnswersSerializer, responses=SupplementSerializer)
    def patch(self, request, code):
        """Keep answers to the asked fields (checked when the supplement is sent)."""
        dossier, _asked = _supplement(request, code)
        checked = SupplementAnswersSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        raw = {k: v if isinstance(v, str) else str(v) for k, v in checked.validated_data["answers"].items()}
        try:
            citizen.dossier_save_supplement_answers(dossier=dossier, actor=request.user, raw=raw)
        except ApplicationError as error:
            if error.code == "tampered":
                raise ValidationError({"answers": [str(error.message)]}) from error
            raise
        return self.get(request, code)


class SupplementFiles(GenericAPIView):
    serializer_class = FileSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(request=SupplementUploadSerializer, responses={201: FileSerializer})
    def post(self, request, code):
        """Attach a file for an asked component (sniffed, size-limited as on the pages)."""
        dossier, asked = _supplement(request, code)
        checked = SupplementUploadSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        data = checked.validated_data
        component = next(
            (
                c
                for c in dossier.version.components.all()
                if c.id == data["component"] and c.id in asked.component_ids()
            ),
            None,
        )
        if component is None:
            raise ValidationError({"component": [_("Hãy chọn tệp cho một giấy tờ được yêu cầu bổ sung.")]})
        attachment = attach(dossier=dossier, actor=request.user, component=component, upload=data["file"])
        return Response(FileSerializer(attachment, context={"request": request}).data, status=201)


class SupplementSend(GenericAPIView):
    serializer_class = DossierDetailSerializer

    @extend_schema(request=None, responses=DossierDetailSerializer)
    def post(self, request, code):
        """Send the supplement: every asked file attached since the request, every asked field valid;
        what is missing is a 400 naming it. The dossier goes back to where it was."""
        dossier, _asked = _supplement(request, code)
        citizen.dossier_submit_supplement(dossier=dossier, actor=request.user)
        return owner_detail_response(request, _owned(request, code))
