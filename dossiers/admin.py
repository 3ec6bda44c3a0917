from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from dossiers.models import IndicatorTarget, Payment, PaymentOrder, StatementLine
from dossiers.services.reconciliation import statement_import, statement_match
from portal.admin import SuperuserOnlyMixin, SuperuserReadOnlyMixin
from portal.exceptions import ApplicationError
from portal.selectors import agency_fee_accounts

MAX_STATEMENT_BYTES = 5 * 1024 * 1024


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SuperuserOnlyMixin, admin.ModelAdmin):
    list_display = ("agency", "year", "indicator", "percent")
    list_filter = ("year", "indicator")
    search_fields = ("agency__code", "agency__name")
    autocomplete_fields = ("agency",)


# Money records are written by the services (the callback, the desk, the reconciliation), never by hand.
@admin.register(Payment)
class PaymentAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("reference", "source", "method", "amount", "state", "received_at")
    list_filter = ("state", "method", "source")
    search_fields = ("reference", "assessment__dossier__code")
    list_select_related = ("assessment",)
    show_full_result_count = False


@admin.register(PaymentOrder)
class PaymentOrderAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("public_id", "gateway", "amount", "state", "created_at", "expires_at")
    list_filter = ("state", "gateway")
    search_fields = ("assessment__dossier__code",)
    show_full_result_count = False


class StatementImportForm(forms.Form):
    account = forms.ChoiceField(label=_("Tài khoản thu phí"))
    file = forms.FileField(label=_("Tệp sao kê (CSV)"), help_text=_("Dòng đầu: reference, date, amount, content."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [(account, f"{account} · {name}") for account, name in agency_fee_accounts()]


@admin.register(StatementLine)
class StatementLineAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    """Bank statement lines: imported from a CSV (the button above the list), matched to dossiers by
    the reconciliation job (and at once after an import)."""

    list_display = ("booked_on", "account", "reference", "amount", "content", "state", "problem")
    list_filter = ("state", "account")
    search_fields = ("reference", "content")
    show_full_result_count = False
    change_list_template = "admin/dossiers/statementline/change_list.html"

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="dossiers_statementline_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = StatementImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_STATEMENT_BYTES:
                form.add_error("file", _("Tệp sao kê quá lớn (tối đa 5 MB)."))
            else:
                try:
                    added, known, _problems = statement_import(
                        account=form.cleaned_data["account"], content=upload.read(), actor=request.user
                    )
                except ApplicationError as exc:
                    form.add_error("file", exc.message)
                else:
                    done = statement_match()
                    messages.success(
                        request,
                        _("Đã nhập %(added)s dòng (%(known)s dòng đã có); khớp được %(matched)s, chưa khớp %(left)s.")
                        % {"added": added, "known": known, "matched": done["matched"], "left": done["unmatched"]},
                    )
                    return redirect("admin:dossiers_statementline_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "title": _("Nhập sao kê ngân hàng")}
        return render(request, "admin/dossiers/statementline/import.html", context)
