from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đang áp dụng")
    RETIRED = "retired", _("Hết hiệu lực")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    MONTHS = "months", _("tháng")
    SAME_DAY = "same_day", _("trong ngày")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")


class Method(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    POST = "post", _("Bưu chính")
    ONLINE = "online", _("Trực tuyến")


class FieldType(models.TextChoices):
    TEXT = "text", _("Văn bản ngắn")
    LONG_TEXT = "long_text", _("Văn bản dài")
    NUMBER = "number", _("Số")
    DATE = "date", _("Ngày")
    SINGLE_CHOICE = "single_choice", _("Chọn một")
    MULTIPLE_CHOICE = "multiple_choice", _("Chọn nhiều")
    CHECKBOX = "checkbox", _("Ô đánh dấu")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Số điện thoại")
    CCCD = "cccd", _("Số CCCD")
    ADDRESS = "address", _("Địa chỉ")


CHOICE_TYPES = {FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE}

FILE_TYPES = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx"]


class StepRole(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")


class PaymentStage(models.TextChoices):
    """When a fee-bearing procedure asks for payment; a version that charges nothing never asks."""

    ON_SUBMISSION = "on_submission", _("Nộp phí khi nộp hồ sơ")
    AFTER_APPRAISAL = "after_appraisal", _("Nộp phí sau khi thẩm định")
