"""Staff actions through the API: each is the desk page's form for it, checked the same way, run by
the same service (dossiers.services.desk.dossier_act) through the one transition table. The stage the
caller saw is required: when another officer moved the dossier first, the answer is 409."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser

from dossiers import selectors
from dossiers.api.serializers import DossierDetailSerializer
from dossiers.api.views import staff_detail_response
from dossiers.constants import Action, Stage
from dossiers.desk_forms import FORM_CLASSES, action_form
from dossiers.services import desk

STAFF_ACTIONS = [a for a in Action.values if a in FORM_CLASSES or a == Action.REQUEST_SUPPLEMENT]


class SupplementItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["component", "field"])
    ref = serializers.CharField(max_length=100, help_text="The component's id, or the form field's key.")
    reason = serializers.CharField(max_length=2000, help_text="Why it is needed, as the citizen will read it.")


class ActionSerializer(serializers.Serializer):
    """The fields of every action; each action reads its own (the desk page's form for it)."""

    expected_stage = serializers.ChoiceField(
        choices=Stage.choices, help_text="The dossier's stage as the caller saw it; 409 when it has moved since."
    )
    reason = serializers.CharField(
        required=False,
        max_length=2000,
        help_text="refuse, return_for_rework, refuse_after_appraisal, stop_processing, the extensions.",
    )
    note = serializers.CharField(
        required=False, max_length=5000, help_text="appraise (the appraisal), request_supplement (a covering note)."
    )
    assignee = serializers.IntegerField(required=False, help_text="assign: the specialist's user id.")
    agency = serializers.IntegerField(required=False, help_text="forward: the partner agency's id.")
    task = serializers.CharField(
        required=False, max_length=2000, help_text="forward: what is asked; record_reply: the task's id."
    )
    deadline = serializers.DateField(required=False, help_text="forward: the date a reply is due.")
    reply = serializers.CharField(required=False, max_length=5000, help_text="record_reply: the partner's reply.")
    how = serializers.CharField(required=False, max_length=255, help_text="return_result: how the result was given.")
    new_date = serializers.DateField(required=False, help_text="draft_extension, issue_extension: the new date.")
    result_file = serializers.FileField(
        required=False, help_text="appraise (draft result), approve (signed result), return_result (scan); multipart."
    )
    items = SupplementItemSerializer(many=True, required=False, help_text="request_supplement: everything missing.")


class DeskAction(GenericAPIView):
    serializer_class = ActionSerializer
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=STAFF_ACTIONS)],
        request={"application/json": ActionSerializer, "multipart/form-data": ActionSerializer},
        responses=DossierDetailSerializer,
    )
    def post(self, request, code, action):
        """Act on a dossier as on its desk page (the detail's `actions` lists what the caller may do
        now); the answer is the dossier after the action."""
        if action not in STAFF_ACTIONS:
            raise NotFound()
        dossier = selectors.dossier_get_for_staff(user=request.user, code=code)
        if dossier is None:
            raise NotFound()
        checked = ActionSerializer(data=request.data)
        checked.is_valid(raise_exception=True)
        data = checked.validated_data
        if action == Action.REQUEST_SUPPLEMENT:
            desk.dossier_request_supplement(
                dossier=dossier,
                actor=request.user,
                note=data.get("note", ""),
                items=[dict(item) for item in data.get("items", [])],
                expected_stage=data["expected_stage"],
            )
        else:
            form = action_form(action, dossier, request.data, request.FILES)
            if not form.is_valid():
                raise ValidationError(
                    {"non_field_errors" if k == "__all__" else k: list(v) for k, v in form.errors.items()}
                )
            desk.dossier_act(action=action, dossier=dossier, actor=request.user, data=form.cleaned_data)
        return staff_detail_response(request, code)
