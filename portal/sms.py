"""SMS backends. settings.SMS_BACKEND names the class; a real gateway is a new class with the same
`send(phone, text, notification=None)` method (and raises on failure so the outbox retries)."""

from django.utils.module_loading import import_string


class DatabaseSmsBackend:
    """Records each message in SmsMessage (admin: "Tin nhắn SMS") instead of sending it."""

    def send(self, phone: str, text: str, notification=None) -> None:
        from portal.models import SmsMessage

        if notification is None:
            SmsMessage.objects.create(phone=phone, text=text)
        else:  # a redelivery of the same notification records one message, not two
            SmsMessage.objects.update_or_create(notification=notification, defaults={"phone": phone, "text": text})


def get_backend():
    from django.conf import settings

    return import_string(settings.SMS_BACKEND)()
