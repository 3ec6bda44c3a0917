from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Cổng dịch vụ công")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from portal import converters  # noqa: F401 (registers <id:...> for the URL patterns)
        from portal.middleware import stamp_session

        user_logged_in.connect(stamp_session, dispatch_uid="portal.stamp_session")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Installed in place of django.contrib.admin, so `admin.site` is the portal's site
    (portal/admin_site.py). Not the portal app's own config: that stays PortalConfig."""

    default = False
    default_site = "portal.admin_site.PortalAdminSite"
