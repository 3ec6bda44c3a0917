from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityTeam(models.Model):
    """A community digital team (tổ công nghệ số cộng đồng) of a commune: volunteers who file
    dossiers online on citizens' behalf (the filer relation "community_helper")."""

    agency = models.ForeignKey(
        "portal.Agency", on_delete=models.PROTECT, related_name="community_teams", verbose_name=_("xã, thị trấn")
    )
    name = models.CharField(_("tên tổ"), max_length=200)
    members = models.ManyToManyField(
        "portal.User", related_name="community_teams", blank=True, verbose_name=_("thành viên")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        ordering = ["agency__code", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="community_team_unique_name")]

    def __str__(self):
        return self.name
