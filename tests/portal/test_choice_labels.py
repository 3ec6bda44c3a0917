"""The fast choice labels (portal/labels.py) follow the active language
like Django's get_FOO_display(), which pages call hundreds of times."""

from django.utils import translation

from dossiers.constants import Channel, Status
from dossiers.models import Dossier
from portal.labels import label


def test_display_follows_the_active_language_each_call():
    dossier = Dossier(status=Status.DRAFT, channel=Channel.IN_PERSON)
    with translation.override("vi"):
        assert dossier.get_status_display() == "Đang soạn"
        assert label(Channel, dossier.channel) == "Trực tiếp"
    with translation.override("en"):
        assert dossier.get_status_display() == "Draft"
        assert label(Channel, dossier.channel) == "In person"
    with translation.override("vi"):
        assert dossier.get_channel_display() == "Trực tiếp"


def test_a_value_outside_the_choices_shows_as_it_is():
    assert Dossier(status="archived").get_status_display() == "archived"
    assert label(Status, "archived") == "archived"
