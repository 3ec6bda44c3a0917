from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")
    CATALOG_ADMIN = "catalog_admin", _("Quản trị danh mục")


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    DEPARTMENT = "department", _("Phòng, ban chuyên môn")


class AccessReason(models.TextChoices):
    COUNTER_LOOKUP = "counter_lookup", _("Tra cứu CCCD tại quầy")
    DOSSIER_PAGE = "dossier_page", _("Xem trang hồ sơ")
    FILE = "file", _("Tải giấy tờ của hồ sơ")
    PARTNER_API = "partner_api", _("Hệ thống đối tác đọc hồ sơ")
