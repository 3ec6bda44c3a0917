"""Forms of the staff pages: one per action, each carrying the stage the officer saw."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Action


def _plain_choices(field, queryset, label: str) -> list:
    """The choices of a model choice field read as (id, label) pairs in one plain query. Left to
    itself the field walks its queryset with a server-side cursor (DECLARE ... WITH HOLD) and builds a
    model per row, a sixth of the staff dossier page; it still checks the chosen id against the
    queryset when the form is posted."""
    return [("", field.empty_label), *queryset.values_list("pk", label)]


class ActionForm(forms.Form):
    expected_stage = forms.CharField(widget=forms.HiddenInput)


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Vui lòng nhập lý do.")},
    )


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(
        label=_("Chuyên viên xử lý"),
        queryset=None,
        error_messages={"required": _("Chọn chuyên viên xử lý."), "invalid_choice": _("Chuyên viên không hợp lệ.")},
    )

    def __init__(self, *args, specialists=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = specialists
        field.choices = _plain_choices(field, specialists, "full_name")


class AppraiseForm(ActionForm):
    note = forms.CharField(
        label=_("Ý kiến thẩm định"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Nhập ý kiến thẩm định.")},
    )
    result_file = forms.FileField(
        label=_("Dự thảo kết quả (không bắt buộc)"),
        help_text=_("Chỉ cán bộ xem được dự thảo; văn bản kết quả chính thức do lãnh đạo tải lên khi phê duyệt."),
        required=False,
    )


class ApproveForm(ActionForm):
    result_file = forms.FileField(
        label=_("Văn bản kết quả chính thức (đã ký)"),
        help_text=_(
            "Bắt buộc khi người dân nhận kết quả điện tử. Kết quả giấy có thể ký trên giấy; Bộ phận Một cửa tải bản "
            "chụp lên khi trả kết quả. PDF, DOC, DOCX, JPG hoặc PNG."
        ),
        required=False,
    )


class ForwardForm(ActionForm):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan phối hợp"), queryset=None, error_messages={"required": _("Chọn cơ quan phối hợp.")}
    )
    task = forms.CharField(
        label=_("Nội dung đề nghị"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Nêu nội dung đề nghị.")},
    )
    deadline = forms.DateField(
        label=_("Hạn trả lời"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Chọn hạn trả lời."), "invalid": _("Ngày không hợp lệ, ví dụ 05/12/2026.")},
    )

    def __init__(self, *args, agencies=None, exclude_id=None, **kwargs):
        from portal.selectors import agency_tree

        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = agencies
        # The list offered comes from the agency tree each process keeps (a query and a model per
        # agency otherwise, on every staff dossier page that may forward); a posted choice is still
        # checked against the active agencies as they are now.
        offered = [(pk, name) for pk, (_code, name, _parent) in agency_tree().items() if pk != exclude_id]
        field.choices = [("", field.empty_label), *offered]


class ReplyForm(ActionForm):
    task = forms.IntegerField(widget=forms.HiddenInput)
    reply = forms.CharField(
        label=_("Ý kiến trả lời"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        error_messages={"required": _("Nhập ý kiến trả lời.")},
    )


class ReturnResultForm(ActionForm):
    how = forms.CharField(
        label=_("Cách trả kết quả"),
        max_length=255,
        help_text=_("Ví dụ: trao tận tay tại Bộ phận Một cửa; gửi bưu chính, số vận đơn …"),
        error_messages={"required": _("Ghi cách trả kết quả.")},
    )
    result_file = forms.FileField(
        label=_("Bản chụp văn bản kết quả đã ký"),
        help_text=_("Cần khi hồ sơ chưa có tệp kết quả chính thức (kết quả giấy): bản chụp được lưu vào hồ sơ."),
        required=False,
    )


class ExtensionForm(ActionForm):
    new_date = forms.DateField(
        label=_("Ngày hẹn mới"),
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Chọn ngày hẹn mới."), "invalid": _("Ngày không hợp lệ, ví dụ 05/12/2026.")},
    )
    reason = forms.CharField(
        label=_("Lý do chậm giải quyết"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Nêu lý do chậm giải quyết.")},
    )


class RequestPaymentForm(ActionForm):
    """Ask for the fees: computed from the procedure's fees and the answers, with the exemptions the
    officer grants (checked against the papers), and frozen."""

    fees = forms.TypedMultipleChoiceField(
        label=_("Các khoản phải nộp"),
        help_text=_("Bỏ chọn khoản không áp dụng cho trường hợp này (ví dụ: chỉ có quyền sử dụng đất)."),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Chọn ít nhất một khoản phí, lệ phí phải nộp."),
            "invalid_choice": _("Khoản phí không thuộc thủ tục này."),
        },
    )
    exemptions = forms.TypedMultipleChoiceField(
        label=_("Miễn, giảm phí (nếu người dân thuộc đối tượng)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Đối tượng miễn, giảm không thuộc thủ tục này.")},
    )

    def __init__(self, *args, fees=(), exemptions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fees"].choices = list(fees)
        self.fields["exemptions"].choices = list(exemptions)
        if not exemptions:
            del self.fields["exemptions"]


class RecordPaymentForm(ActionForm):
    amount = forms.IntegerField(
        label=_("Số tiền đã thu (đồng)"),
        min_value=1,
        help_text=_("Thu đúng số phải nộp; biên lai điện tử được lập ngay."),
        error_messages={"required": _("Nhập số tiền đã thu."), "invalid": _("Số tiền phải là số nguyên, ví dụ 15000.")},
    )


FORM_CLASSES = {
    Action.ACCEPT: ActionForm,
    Action.REFUSE: ReasonForm,
    Action.ASSIGN: AssignForm,
    Action.APPRAISE: AppraiseForm,
    Action.FORWARD: ForwardForm,
    Action.RECORD_REPLY: ReplyForm,
    Action.SUBMIT_FOR_APPROVAL: ActionForm,
    Action.APPROVE: ApproveForm,
    Action.RETURN_FOR_REWORK: ReasonForm,
    Action.REFUSE_AFTER_APPRAISAL: ReasonForm,
    Action.RETURN_RESULT: ReturnResultForm,
    Action.CONFIRM_WITHDRAWAL: ActionForm,
    Action.STOP_PROCESSING: ReasonForm,
    Action.DRAFT_EXTENSION: ExtensionForm,
    Action.ISSUE_EXTENSION: ExtensionForm,
    Action.REQUEST_PAYMENT: RequestPaymentForm,
    Action.RECORD_PAYMENT: RecordPaymentForm,
    # REQUEST_SUPPLEMENT is built from the dossier's own components and fields (see views.desk).
}


def action_form(action, dossier, data=None, files=None, **kwargs):
    """The action's form for this dossier, bound to what was posted when `data` is given. Assignment
    and forwarding offer, and check the choice against, the agency's specialists and the partner
    agencies as they are now."""
    from dossiers import selectors

    if action == Action.ASSIGN:
        kwargs["specialists"] = selectors.specialists_of(dossier.agency_id)
    if action == Action.FORWARD:
        kwargs["agencies"] = selectors.partner_agencies(dossier.agency_id)
        kwargs["exclude_id"] = dossier.agency_id
    if action == Action.REQUEST_PAYMENT:
        from dossiers.services.payments import exemptions_of, fees_of

        kwargs["fees"], kwargs["exemptions"] = fees_of(dossier), exemptions_of(dossier)
    return FORM_CLASSES[action](data, files, **kwargs)


def parse_supplement_items(post, dossier) -> list[dict]:
    """Checked items ("component:<id>" / "field:<key>") with their reasons."""
    items = []
    for value in post.getlist("item"):
        kind, _, ref = value.partition(":")
        items.append({"kind": kind, "ref": ref, "reason": post.get(f"reason_{value}", "").strip()})
    return items
