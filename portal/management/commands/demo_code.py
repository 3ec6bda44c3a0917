"""Print the code the demo staff accounts' authenticator app would show now, for trying the demo
without a phone. Refused in production, where the demo secret opens nothing anyway."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from portal.demo.data import DEMO_TOTP_SECRET
from portal.two_factor import hex_key


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff accounts."

    def handle(self, *args, **options):
        if not settings.PORTAL_DEMO_TOTP_ALLOWED:
            raise CommandError("The demo two-factor secret is not accepted here (production).")
        totp = TOTP(bytes.fromhex(hex_key(DEMO_TOTP_SECRET)))
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{totp.token():06d}  (valid for {left} more seconds, key {DEMO_TOTP_SECRET})")
