from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.constants import Role
from portal.labels import ChoiceLabels
from portal.validators import validate_national_id, validate_phone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("full_name", "Quản trị hệ thống")
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: citizen or staff. Citizens log in with CCCD, email or phone; staff roles come
    from StaffMembership rows, never from flags on this model."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    national_id = models.CharField(
        _("số CCCD"), max_length=12, unique=True, null=True, blank=True, validators=[validate_national_id]
    )
    phone = models.CharField(
        _("số điện thoại"), max_length=15, unique=True, null=True, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    preferred_language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    notify_by_email = models.BooleanField(_("nhận thông báo qua email"), default=True)
    notify_by_sms = models.BooleanField(_("nhận thông báo qua tin nhắn SMS"), default=True)
    notify_in_app = models.BooleanField(_("nhận thông báo trên cổng"), default=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Kept for Django's own use (createsuperuser sets it). The portal never reads it: who opens
    # /admin/ is portal.selectors.user_may_use_admin (superusers and catalog admins).
    is_staff = models.BooleanField(
        _("cờ quản trị của Django"),
        default=False,
        help_text=_("Cổng không dùng cờ này: chỉ quản trị hệ thống và quản trị danh mục vào trang quản trị."),
    )
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    # Registered online and not yet activated from the emailed link (inactive until then); an account
    # a superuser deactivated is never pending, so a new registration can only replace a pending one.
    registration_pending = models.BooleanField(_("chờ kích hoạt"), default=False, db_default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="user_email_ci_unique", violation_error_message=_("Email này đã được đăng ký.")
            ),
        ]

    def __str__(self):
        return self.full_name or self.email or str(self.pk)

    def clean(self):
        super().clean()
        if self.email:
            self.email = self.email.strip().lower()
        for field in ("national_id", "phone", "email"):
            if getattr(self, field) == "":
                setattr(self, field, None)

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else ""


class StaffMembership(ChoiceLabels, models.Model):
    """A staff role in one agency (and, for desk officers, at one desk)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cán bộ"))
    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cơ quan")
    )
    desk = models.ForeignKey(
        "portal.Desk",
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        verbose_name=_("bộ phận một cửa"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò cán bộ")
        verbose_name_plural = _("vai trò cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                name="membership_unique_role",
                violation_error_message=_("Cán bộ đã có vai trò này tại cơ quan này."),
            ),
        ]
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency}"

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.desk_id and self.agency_id and self.desk.agency_id != self.agency_id:
            raise ValidationError({"desk": _("Bộ phận một cửa phải thuộc đúng cơ quan đã chọn.")})
