"""A person's in-app notifications through the API (the bell's inbox): newest first in keyset pages,
and marking one read. Nobody reaches another person's."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from portal.api.links import absolute
from portal.models import Notification
from portal.selectors import inbox_for_user
from portal.services import notifications_mark_read


class NotificationSerializer(serializers.ModelSerializer):
    link = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "subject", "body", "link", "created_at", "read_at"]
        read_only_fields = fields

    def get_link(self, notification) -> str:
        return absolute(self.context, notification.link) if notification.link else ""


class NotificationList(generics.ListAPIView):
    """The person's notifications, newest first (`read_at` is empty while unread)."""

    serializer_class = NotificationSerializer
    keyset_ordering = ("-created_at", "-id")
    filter_backends = []

    def get_queryset(self):
        return inbox_for_user(user=self.request.user)


class NotificationRead(GenericAPIView):
    serializer_class = NotificationSerializer

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk):
        """Mark the notification read (again is harmless)."""
        notifications_mark_read(user=request.user, ids=[pk])
        notification = inbox_for_user(user=request.user).filter(pk=pk).first()
        if notification is None:
            raise NotFound()
        return Response(NotificationSerializer(notification, context={"request": request}).data)
