"""Helpers importable by test worker subprocesses as well (by dotted path)."""

import os
import time
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend


class FailingEmailBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class SlowFileEmailBackend(FileEmailBackend):
    """Waits before writing each message to its own file, so a test can kill the worker mid-delivery."""

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "4")))
        for message in email_messages:
            self._fname = None
            super().send_messages([message])
        return len(email_messages)


def second_factor_pass(client, user):
    """Mark a test client's session as having passed the second factor, for a staff member or
    superuser (with a confirmed authenticator device made for them if they have none)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.models import User
    from portal.two_factor import two_factor_required

    fresh = User.objects.get(pk=user.pk)  # memberships granted after the object was read count too
    if not two_factor_required(user=fresh):
        return None
    device = TOTPDevice.objects.filter(user=fresh, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=fresh, name="Test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def totp_code(device) -> str:
    """A code the device accepts now: the current step's, or the next one's when the current code was
    just used (django-otp refuses a code twice; it accepts one step either side)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    if step > totp.t() + device.tolerance:
        time.sleep(device.step - time.time() % device.step + 0.1)
        return totp_code(device)
    totp.time = step * device.step + device.t0
    return f"{totp.token():0{device.digits}d}"
