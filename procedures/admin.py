"""The catalog admin: catalog admins and superusers (the only people who open /admin/) edit. Life-cycle moves
(clone, publish, retire) go through the services, from list actions or buttons on a version."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.exceptions import ApplicationError
from portal.selectors import user_is_catalog_admin, user_may_use_admin
from procedures.constants import VersionStatus
from procedures.models import (
    DossierComponent,
    FeeExemption,
    FeeItem,
    FormField,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    ProcessingStep,
    Sector,
)
from procedures.services import (
    VERSION_CONTENT_FIELDS,
    procedure_refresh_search,
    procedure_version_clone,
    procedure_version_publish,
    procedure_version_retire,
)


class CatalogPermissions:
    def has_view_permission(self, request, obj=None):
        return user_may_use_admin(user=request.user)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request, *args):
        return user_is_catalog_admin(user=request.user)

    def has_change_permission(self, request, obj=None):
        return user_is_catalog_admin(user=request.user)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Sector)
class SectorAdmin(CatalogPermissions, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class VersionReadOnlyInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["link", "status", "published_at", "retired_at", "change_note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=_("phiên bản"))
    def link(self, obj):
        url = reverse("admin:procedures_procedureversion_change", args=[obj.pk])
        return format_html('<a href="{}">v{}</a>', url, obj.number)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(CatalogPermissions, SimpleHistoryAdmin):
    list_display = ["code", "name", "sector", "level"]
    list_filter = ["sector", "level"]
    search_fields = ["code", "name", "search_text"]
    filter_horizontal = ["agencies"]
    list_select_related = ["sector"]
    inlines = [VersionReadOnlyInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        procedure_refresh_search(procedure=form.instance)


class DraftOnlyInline:
    extra = 0

    def _version(self, parent):
        return parent

    def _editable(self, request, obj):
        return user_is_catalog_admin(user=request.user) and (
            obj is None or self._version(obj).status == VersionStatus.DRAFT
        )

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_view_permission(self, request, obj=None):
        return user_may_use_admin(user=request.user)


class ComponentInline(DraftOnlyInline, admin.StackedInline):
    model = DossierComponent
    fields = [
        ("order", "name", "required", "replaced_by_eform"),
        ("originals", "certified_copies", "photocopies"),
        ("accepted_types", "max_size_mb"),
        "note",
        "template_file",
    ]


class FieldInline(DraftOnlyInline, admin.StackedInline):
    model = FormField
    fields = [
        ("order", "key", "field_type", "required"),
        ("label_vi", "label_en"),
        ("help_vi", "help_en"),
        ("section_vi", "section_en"),
        "choices",
        ("min_value", "max_value", "pattern"),
    ]


class StepInline(DraftOnlyInline, admin.TabularInline):
    model = ProcessingStep
    fields = ["order", "name", "role", "share"]


# The prefix of the version page's form-field rows (FieldInline: the related name).
FIELDS_PREFIX = "fields"


def posted_field_kinds(data, prefix=FIELDS_PREFIX) -> dict[str, str] | None:
    """{key: field type} of the form-field rows posted with the version page (rows marked for deletion
    left out), or None when the page posted none."""
    try:
        total = min(int(data[f"{prefix}-TOTAL_FORMS"]), 1000)
    except (KeyError, TypeError, ValueError):
        return None
    kinds = {}
    for i in range(total):
        key = str(data.get(f"{prefix}-{i}-key", "")).strip()
        if key and not data.get(f"{prefix}-{i}-DELETE"):
            kinds[key] = data.get(f"{prefix}-{i}-field_type", "")
    return kinds


class FeeForm(forms.ModelForm):
    def __init__(self, *args, field_kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.field_kinds = field_kinds


class FeeFormSet(BaseInlineFormSet):
    """A fee may be charged per unit of a number field added or retyped in the same save: its check
    reads the fields as posted beside it, not only the stored ones."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if self.is_bound:
            kwargs["field_kinds"] = posted_field_kinds(self.data)
        return kwargs


class FeeInline(DraftOnlyInline, admin.TabularInline):
    model = FeeItem
    form = FeeForm
    formset = FeeFormSet
    fields = ["order", "name", "amount", "quantity_field", "note", "exemption_list"]
    readonly_fields = ["exemption_list"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("exemptions")

    @admin.display(description=_("miễn, giảm"))
    def exemption_list(self, fee):
        if not fee.pk:
            return _("Lưu khoản phí rồi mở lại để thêm miễn, giảm.")
        listed = "; ".join(f"{e.category}: {e.percent}%" for e in fee.exemptions.all()) or _("Không có")
        url = reverse("admin:procedures_feeitem_change", args=[fee.pk])
        return format_html('{} · <a href="{}">{}</a>', listed, url, _("Miễn, giảm…"))


class ExemptionInline(DraftOnlyInline, admin.TabularInline):
    model = FeeExemption
    fields = ["category", "percent", "reason"]

    def _version(self, fee):
        return fee.version


@admin.register(FeeItem)
class FeeItemAdmin(CatalogPermissions, admin.ModelAdmin):
    """A fee's own page, opened from its version's fee list, edits the fee's exemptions (Django's admin
    has no inline within an inline). Fees themselves are added and removed on the version's page, and
    a published version's fees and exemptions are read-only here too."""

    fields = ["version", "name", "amount", "quantity_field", "note"]
    readonly_fields = ["version"]
    list_display = ["name", "version", "amount", "quantity_field"]
    list_select_related = ["version__procedure"]
    search_fields = ["name", "version__procedure__code"]
    inlines = [ExemptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version__procedure")

    def get_model_perms(self, request):
        return {}  # not listed on the admin index: reached from a version's fees

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.version.is_draft)

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        self.message_user(request, _("Đã lưu khoản phí “%(name)s”.") % {"name": obj.name}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:procedures_procedureversion_change", args=[obj.version_id]))


class TemplateInline(DraftOnlyInline, admin.TabularInline):
    model = FormTemplate
    fields = ["order", "name", "file"]


class VersionAdminForm(forms.ModelForm):
    class Meta:
        model = ProcedureVersion
        fields = ["procedure", "change_note", *VERSION_CONTENT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        procedure = cleaned.get("procedure")
        if self.instance.pk is None and procedure and procedure.versions.filter(status=VersionStatus.DRAFT).exists():
            raise forms.ValidationError(_("Thủ tục này đã có một bản nháp: hãy sửa bản nháp đó."))
        return cleaned

    def validate_unique(self):
        # number is assigned in save_model; the (procedure, number) check would run too early.
        pass


def _run(modeladmin, request, service, queryset, success):
    done = 0
    for version in queryset:
        try:
            service(version=version, actor=request.user)
            done += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{version}: {exc.message}", messages.ERROR)
    if done:
        modeladmin.message_user(request, success % {"n": done}, messages.SUCCESS)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(CatalogPermissions, SimpleHistoryAdmin):
    list_display = ["procedure", "number", "status", "online_level", "published_at", "retired_at"]
    list_filter = ["status", "online_level", "procedure__sector"]
    search_fields = ["procedure__code", "procedure__name"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure"]
    inlines = [ComponentInline, FieldInline, StepInline, FeeInline, TemplateInline]
    actions = ["clone_to_draft", "publish", "retire"]
    change_form_template = "admin/procedures/procedureversion/change_form.html"
    fieldsets = (
        (None, {"fields": ("procedure", "number", "status", "preview_link", "change_note")}),
        (
            _("Nội dung"),
            {
                "fields": (
                    "description",
                    "applicants",
                    "steps",
                    "conditions",
                    "result",
                    "result_document",
                    "legal_basis",
                )
            },
        ),
        (
            _("Cách thức, thời hạn"),
            {
                "fields": (
                    ("accepts_in_person", "accepts_post", "accepts_online"),
                    ("processing_time_value", "processing_time_unit"),
                    ("online_level", "partial_reason"),
                )
            },
        ),
        (_("Phí, lệ phí"), {"fields": ("payment_stage",)}),
        (_("Thời điểm"), {"fields": ("created_by", "created_at", "published_at", "retired_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        fixed = ["number", "status", "preview_link", "created_by", "created_at", "published_at", "retired_at"]
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return [
                f
                for fs in self.fieldsets
                for row in fs[1]["fields"]
                for f in (row if isinstance(row, tuple) else (row,))
            ]
        if obj is not None:
            fixed.append("procedure")
        return fixed

    @admin.display(description=_("xem trước tờ khai"))
    def preview_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("procedures:preview", args=[obj.pk]),
            _("Mở tờ khai mà công dân sẽ thấy"),
        )

    form = VersionAdminForm

    def save_model(self, request, obj, form, change):
        if change and obj.status != VersionStatus.DRAFT:
            return  # a published or retired version has nothing editable; buttons act in response_change
        if not change:
            last = obj.procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
            obj.number, obj.status, obj.created_by = last + 1, VersionStatus.DRAFT, request.user
        super().save_model(request, obj, form, change)

    BUTTONS = {
        "_publish": (procedure_version_publish, _("Đã công bố phiên bản; phiên bản cũ đã hết hiệu lực.")),
        "_clone": (procedure_version_clone, _("Đã tạo bản nháp mới: hãy sửa rồi công bố.")),
        "_retire": (procedure_version_retire, _("Đã ngừng áp dụng phiên bản.")),
    }

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Clone and retire need no form data: act at once. Publish first saves the draft's edits.
        if request.method == "POST" and object_id and ("_clone" in request.POST or "_retire" in request.POST):
            obj = self.get_object(request, object_id)
            if obj is not None:
                return self._button(request, obj)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            return self._button(request, obj)
        return super().response_change(request, obj)

    def _button(self, request, obj):
        name = next(b for b in self.BUTTONS if b in request.POST)
        service, success = self.BUTTONS[name]
        if not user_is_catalog_admin(user=request.user):
            self.message_user(request, _("Bạn không có quyền sửa danh mục."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        try:
            result = service(version=obj, actor=request.user)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, success, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:procedures_procedureversion_change", args=[result.pk]))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not user_is_catalog_admin(user=request.user):
            for name in ("clone_to_draft", "publish", "retire"):
                actions.pop(name, None)
        return actions

    @admin.action(description=_("Tạo bản nháp mới từ phiên bản đã chọn"))
    def clone_to_draft(self, request, queryset):
        _run(self, request, procedure_version_clone, queryset, _("Đã tạo %(n)s bản nháp."))

    @admin.action(description=_("Công bố bản nháp đã chọn"))
    def publish(self, request, queryset):
        _run(self, request, procedure_version_publish, queryset, _("Đã công bố %(n)s phiên bản."))

    @admin.action(description=_("Ngừng áp dụng phiên bản đã chọn"))
    def retire(self, request, queryset):
        _run(self, request, procedure_version_retire, queryset, _("Đã ngừng áp dụng %(n)s phiên bản."))
