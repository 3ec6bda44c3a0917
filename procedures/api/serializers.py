"""The catalog as the API gives it: a procedure's published version, its parts and who offers it."""

from django.urls import reverse
from django.utils.text import capfirst
from rest_framework import serializers

from portal.api.links import absolute
from portal.constants import AgencyLevel
from procedures.constants import Level, TimeUnit
from procedures.models import (
    DossierComponent,
    FeeExemption,
    FeeItem,
    FormField,
    FormTemplate,
    ProcedureVersion,
    ProcessingStep,
    Sector,
)


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]
        read_only_fields = fields


class AgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=AgencyLevel.choices)
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    address = serializers.CharField()
    phone = serializers.CharField()


class ProcessingTimeSerializer(serializers.Serializer):
    value = serializers.DecimalField(source="processing_time_value", max_digits=7, decimal_places=2)
    unit = serializers.ChoiceField(source="processing_time_unit", choices=TimeUnit.choices)
    text = serializers.CharField(source="processing_time_text", help_text="In words, in the request's language.")


class ProcedureSerializer(serializers.ModelSerializer):
    """A line of the catalog: the procedure and its published version's headline facts."""

    code = serializers.CharField(source="procedure.code")
    name = serializers.CharField(source="procedure.name")
    sector = SectorSerializer(source="procedure.sector")
    level = serializers.ChoiceField(source="procedure.level", choices=Level.choices)
    version = serializers.IntegerField(source="number")
    processing_time = ProcessingTimeSerializer(source="*")
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "name",
            "sector",
            "level",
            "version",
            "online_level",
            "accepts_online",
            "accepts_in_person",
            "accepts_post",
            "processing_time",
            "url",
            "page",
        ]
        read_only_fields = fields

    def get_url(self, version) -> str:
        return absolute(self.context, reverse("api-procedure", args=[version.procedure.code]))

    def get_page(self, version) -> str:
        return absolute(self.context, reverse("procedures:detail", args=[version.procedure.code]))


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierComponent
        fields = [
            "id",
            "name",
            "required",
            "originals",
            "certified_copies",
            "photocopies",
            "replaced_by_eform",
            "accepted_types",
            "max_size_mb",
            "note",
        ]
        read_only_fields = fields


class FieldSerializer(serializers.ModelSerializer):
    choices = serializers.SerializerMethodField()

    class Meta:
        model = FormField
        fields = [
            "key",
            "label_vi",
            "label_en",
            "field_type",
            "required",
            "help_vi",
            "help_en",
            "choices",
            "min_value",
            "max_value",
            "pattern",
            "section_vi",
            "section_en",
        ]
        read_only_fields = fields

    def get_choices(self, field) -> list[dict[str, str]]:
        return [{"value": str(value), "label": str(label)} for value, label in field.choice_pairs()]


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessingStep
        fields = ["name", "role", "share"]
        read_only_fields = fields


class ExemptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeExemption
        fields = ["id", "category", "percent", "reason"]
        read_only_fields = fields


class FeeSerializer(serializers.ModelSerializer):
    # A slug or "" (a fixed fee): a plain string, since a slug field's pattern refuses "".
    quantity_field = serializers.CharField(
        read_only=True,
        label=capfirst(FeeItem._meta.get_field("quantity_field").verbose_name),
        help_text=FeeItem._meta.get_field("quantity_field").help_text,
    )
    exemptions = ExemptionSerializer(many=True, source="exemptions.all")

    class Meta:
        model = FeeItem
        fields = ["name", "amount", "quantity_field", "note", "exemptions"]
        read_only_fields = fields


class TemplateSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = FormTemplate
        fields = ["name", "url"]
        read_only_fields = fields

    def get_url(self, template) -> str:
        return absolute(self.context, reverse("procedures:template", args=[template.pk]))


class ProcedureDetailSerializer(ProcedureSerializer):
    """The procedure as its public page shows it: the published version's text and every part."""

    components = ComponentSerializer(many=True)
    fields = FieldSerializer(many=True, source="fields.all")
    steps_detail = StepSerializer(many=True, source="processing_steps.all")
    fees = FeeSerializer(many=True, source="fees.all")
    templates = TemplateSerializer(many=True, source="templates.all")
    agencies = AgencySerializer(many=True, source="procedure.agencies.all")

    class Meta(ProcedureSerializer.Meta):
        fields = [
            *ProcedureSerializer.Meta.fields,
            "published_at",
            "description",
            "applicants",
            "steps",
            "conditions",
            "result",
            "legal_basis",
            "payment_stage",
            "components",
            "fields",
            "steps_detail",
            "fees",
            "templates",
            "agencies",
        ]
        read_only_fields = fields
