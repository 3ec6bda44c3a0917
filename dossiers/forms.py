from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dossiers.constants import Delivery, FilerRelation, Satisfaction
from dossiers.models.ratings import SCORE


class StartForm(forms.Form):
    agency = forms.ChoiceField(
        label=_("Cơ quan giải quyết"),
        error_messages={
            "required": _("Hãy chọn cơ quan nhận hồ sơ."),
            "invalid_choice": _("Cơ quan đã chọn không hợp lệ."),
        },
    )

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]


class ApplicantForm(forms.Form):
    relation = forms.ChoiceField(
        label=_("Bạn nộp hồ sơ này cho ai?"),
        choices=FilerRelation.choices,
        widget=forms.RadioSelect,
        initial=FilerRelation.SELF,
    )
    full_name = forms.CharField(label=_("Họ và tên người yêu cầu"), max_length=150, required=False)
    national_id = forms.CharField(
        label=_("Số CCCD"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    phone = forms.CharField(
        label=_("Số điện thoại"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.EmailField(
        label=_("Email (không bắt buộc)"),
        required=False,
        error_messages={"invalid": _("Email không hợp lệ, ví dụ: ten@example.com.")},
    )
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=255, required=False)


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Bạn muốn nhận kết quả bằng cách nào?"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn một cách nhận kết quả.")},
    )
    address = forms.CharField(
        label=_("Địa chỉ nhận qua bưu chính"),
        max_length=500,
        required=False,
        help_text=_("Chỉ cần khi chọn nhận qua bưu chính."),
    )


class UploadForm(forms.Form):
    component = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Chọn tệp"), error_messages={"required": _("Hãy chọn một tệp để tải lên.")})
    replace = forms.UUIDField(required=False, widget=forms.HiddenInput)


class SubmitForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("Tôi cam đoan những thông tin đã khai là đúng sự thật và chịu trách nhiệm trước pháp luật."),
        required=False,
    )
    # Offered where the fee is paid on filing and the procedure lists exemptions: the desk checks the
    # claim against the papers (a false one is refused or asked to be supplemented).
    exemptions = forms.TypedMultipleChoiceField(
        label=_("Tôi thuộc đối tượng được miễn, giảm phí, lệ phí (kèm giấy tờ chứng minh)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Đối tượng miễn, giảm không thuộc thủ tục này.")},
    )

    def __init__(self, *args, exemptions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exemptions"].choices = list(exemptions)
        if not exemptions:
            del self.fields["exemptions"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Vui lòng nêu lý do rút hồ sơ.")},
    )


class RatingForm(forms.Form):
    timeliness = forms.TypedChoiceField(
        label=_("Thời gian giải quyết so với quy định"), choices=SCORE, coerce=int, widget=forms.RadioSelect
    )
    contacts = forms.TypedChoiceField(
        label=_("Số lần phải liên hệ, đi lại"), choices=SCORE, coerce=int, widget=forms.RadioSelect
    )
    information_accuracy = forms.TypedChoiceField(
        label=_("Độ chính xác của thông tin thủ tục được công khai"),
        choices=SCORE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    staff_attitude = forms.TypedChoiceField(
        label=_("Thái độ của cán bộ"), choices=SCORE, coerce=int, widget=forms.RadioSelect
    )
    cost = forms.TypedChoiceField(
        label=_("Chi phí (kể cả chi phí không chính thức)"), choices=SCORE, coerce=int, widget=forms.RadioSelect
    )
    complaint_made = forms.TypedChoiceField(
        label=_("Trong quá trình giải quyết, bạn có phản ánh, kiến nghị nào không?"),
        choices=[("no", _("Không")), ("yes", _("Có"))],
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect,
    )
    complaint_handling = forms.TypedChoiceField(
        label=_("Việc tiếp nhận, xử lý phản ánh, kiến nghị của bạn"),
        help_text=_("Chỉ trả lời nếu bạn có phản ánh, kiến nghị."),
        choices=SCORE,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    overall = forms.ChoiceField(
        label=_("Nhìn chung, bạn có hài lòng không?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Vui lòng chọn một mức đánh giá.")

    def clean(self):
        cleaned = super().clean()
        made, handling = cleaned.get("complaint_made"), cleaned.get("complaint_handling")
        if made and handling is None:
            self.add_error("complaint_handling", _("Hãy đánh giá việc tiếp nhận, xử lý phản ánh, kiến nghị của bạn."))
        if made is False:
            cleaned["complaint_handling"] = None
        return cleaned


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"), max_length=40, error_messages={"required": _("Nhập mã hồ sơ in trên giấy tiếp nhận.")}
    )
    key = forms.CharField(
        label=_("Mã tra cứu"), max_length=8, error_messages={"required": _("Nhập mã tra cứu gồm 6 ký tự.")}
    )


class VerifyForm(forms.Form):
    """A PDF to check: its signatures, and whether this portal issued it (by its SHA-256)."""

    file = forms.FileField(
        label=_("Tệp PDF cần kiểm tra"),
        error_messages={"required": _("Chọn tệp PDF cần kiểm tra."), "empty": _("Tệp đã chọn rỗng.")},
    )

    def clean_file(self):
        from dossiers.services.uploads import sniff

        upload = self.cleaned_data["file"]
        limit = settings.VERIFY_MAX_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(_("Tệp lớn hơn %(mb)s MB.") % {"mb": limit}, code="too_large")
        upload.seek(0)
        if sniff(upload.read(8192)) != "pdf":
            raise forms.ValidationError(_("Chỉ kiểm tra được tệp PDF."), code="bad_type")
        upload.seek(0)
        return upload


class StatisticsForm(forms.Form):
    """The public statistics' period (a year, or a month of it) and agency (its code)."""

    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=_("Tháng"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Cả năm"))] + [(m, _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)],
    )
    agency = forms.ChoiceField(label=_("Cơ quan"), required=False)

    def __init__(self, *args, **kwargs):
        from django.utils import timezone

        from portal.selectors import agency_tree

        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 6, -1)]
        self.fields["agency"].choices = [("", _("Toàn tỉnh"))] + [
            (code, name) for code, name, _parent in agency_tree().values()
        ]


class DashboardForm(forms.Form):
    """The leader dashboard's period (a month, a quarter, a year, or dates), agency and breakdown."""

    PERIODS = [("month", _("Tháng")), ("quarter", _("Quý")), ("year", _("Năm")), ("custom", _("Tùy chọn"))]
    BREAKDOWNS = [
        ("agency", _("Cơ quan")),
        ("desk", _("Bộ phận Một cửa")),
        ("sector", _("Lĩnh vực")),
        ("procedure", _("Thủ tục")),
        ("channel", _("Kênh nộp")),
    ]

    period = forms.ChoiceField(label=_("Kỳ"), choices=PERIODS, required=False)
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=_("Tháng"), coerce=int, required=False, choices=[(m, str(m)) for m in range(1, 13)]
    )
    quarter = forms.TypedChoiceField(
        label=_("Quý"), coerce=int, required=False, choices=[(q, f"{q}") for q in range(1, 5)]
    )
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    agency = forms.ChoiceField(label=_("Cơ quan"), required=False)
    by = forms.ChoiceField(label=_("Chia theo"), choices=BREAKDOWNS, required=False)

    def __init__(self, *args, agencies=(), **kwargs):
        from django.utils import timezone

        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].choices = [(y, str(y)) for y in range(today.year, today.year - 6, -1)]
        self.fields["agency"].choices = [("", _("Tất cả cơ quan của tôi"))] + list(agencies)

    def clean(self):
        from django.utils import timezone

        from dossiers.figures import months_span

        data = super().clean()
        today = timezone.localdate()
        period, year = data.get("period") or "month", data.get("year") or today.year
        if period == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Chọn cả ngày bắt đầu và ngày kết thúc."))
            if start > end:
                self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
            elif (end - start).days > 3 * 366:
                self.add_error("end", _("Chọn một khoảng không quá 3 năm."))
        elif period == "year":
            start, end = months_span(year, 1, 12)
        elif period == "quarter":
            quarter = data.get("quarter") or (today.month - 1) // 3 + 1
            start, end = months_span(year, 3 * quarter - 2, 3)
        else:
            start, end = months_span(year, data.get("month") or today.month, 1)
        data.update(period=period, year=year, start=start, end=end, by=data.get("by") or "agency")
        return data
