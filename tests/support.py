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
