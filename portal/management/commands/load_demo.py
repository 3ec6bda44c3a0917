"""Load the demo province, the seed district (Lạc Thủy), its desks, staff and citizens.

Idempotent: rows are found by their natural keys (agency code, desk code, email) and created only
when missing, so `make run` can call it every time. Other apps add their demo data through
DEMO_LOADERS (a list of dotted callables) so this command stays the single entry point."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from portal import signing
from portal.demo import data
from portal.models import Agency, Desk, StaffMembership, User
from portal.services import (
    agency_create,
    desk_create,
    membership_grant,
    staff_create,
    user_register,
    user_update_profile,
)
from portal.signing_keys import write_demo_keys
from portal.two_factor import demo_device_set

DEMO_LOADERS = [
    "procedures.demo.load_demo_catalog",
    "dossiers.demo.load_demo_dossiers",
]
# A year of generated history (make run): thousands of dossiers, so not for tests or benchmarks.
HISTORY_LOADERS = ["dossiers.demo_history.load_demo_history"]


class Command(BaseCommand):
    help = "Load demo agencies, desks, staff, citizens and catalog (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow loading in production mode.")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")
        parser.add_argument(
            "--history", action="store_true", help="Also load a year of generated history (about 6,000 dossiers)."
        )

    def handle(self, *args, **options):
        if os.environ.get("DJANGO_ENV") == "production" and not options["force"]:
            raise CommandError("Refusing to load demo accounts in production (use --force to insist).")
        with transaction.atomic():
            created = self._load_people_and_places()
            self._demo_signing_keys()
            for dotted in DEMO_LOADERS + (HISTORY_LOADERS if options["history"] else []):
                try:
                    loader = import_string(dotted)
                except ImportError:
                    continue
                created += loader(stdout=self.stdout) or 0
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new rows)."))
        if not options["quiet_logins"]:
            self._print_logins()

    def _demo_signing_keys(self) -> None:
        """A demo certificate authority and a key for each agency (every name marked DEMO), so the
        demo's forms and results are signed; production refuses them (SIGNING_ALLOW_DEMO)."""
        if not settings.SIGNING_ALLOW_DEMO:
            return
        made = write_demo_keys(signing.keys_dir(), Agency.objects.all(), password=signing.DEMO_PASSWORD)
        if made:
            self.stdout.write(f"Demo signing keys: {made} agencies (DEMO, not valid in production).")

    def _load_people_and_places(self) -> int:
        created = 0
        agencies = {}
        for code, name, level, parent_code, address in data.AGENCIES:
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                agency = agency_create(
                    code=code, name=name, level=level, parent=agencies.get(parent_code), address=address
                )
                created += 1
            agencies[code] = agency
            if code in data.FEE_ACCOUNTS and not agency.bank_account:
                agency.bank_bin, agency.bank_account, agency.bank_account_name = data.FEE_ACCOUNTS[code]
                agency.save(update_fields=["bank_bin", "bank_account", "bank_account_name"])
        desks = {}
        for code, agency_code, name, saturday in data.DESKS:
            desk = Desk.objects.filter(code=code).first()
            if desk is None:
                desk = desk_create(
                    agency=agencies[agency_code],
                    code=code,
                    name=name,
                    address=agencies[agency_code].address,
                    opens_saturday_morning=saturday,
                )
                created += 1
            desks[code] = desk
        for email, full_name, national_id, phone, roles in data.STAFF:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = staff_create(
                    full_name=full_name, email=email, password=data.DEMO_PASSWORD, national_id=national_id, phone=phone
                )
                created += 1
            created += demo_device_set(user=user, secret=data.DEMO_TOTP_SECRET)
            for role, agency_code, desk_code in roles:
                if not StaffMembership.objects.filter(user=user, agency=agencies[agency_code], role=role).exists():
                    membership_grant(user=user, agency=agencies[agency_code], role=role, desk=desks.get(desk_code))
                    created += 1
        admin_email, admin_name = data.SUPERUSER
        if not User.objects.filter(email__iexact=admin_email).exists():
            User.objects.create_superuser(admin_email, data.DEMO_PASSWORD, full_name=admin_name)
            created += 1
        created += demo_device_set(user=User.objects.get(email__iexact=admin_email), secret=data.DEMO_TOTP_SECRET)
        for email, full_name, national_id, phone, address in data.CITIZENS:
            if not User.objects.filter(email__iexact=email).exists():
                user = user_register(
                    full_name=full_name, national_id=national_id, phone=phone, email=email, password=data.DEMO_PASSWORD
                )
                user_update_profile(user=user, address=address)
                created += 1
        return created

    def _print_logins(self):
        self.stdout.write(f"  Demo password for every account below: {data.DEMO_PASSWORD}")
        self.stdout.write(
            f"  Staff and superuser then give an authenticator app code; demo key: {data.DEMO_TOTP_SECRET}"
        )
        self.stdout.write("  (or print the current code with: make demo-code)")
        self.stdout.write(f"  {'superuser':<26} {data.SUPERUSER[0]}")
        for email, full_name, _nid, _phone, roles in data.STAFF[:6]:
            label = ", ".join(sorted({r for r, _a, _d in roles}))
            self.stdout.write(f"  {label:<26} {email}  ({full_name})")
        for email, full_name, national_id, _phone, _address in data.CITIZENS[:2]:
            self.stdout.write(f"  {'citizen':<26} {email} or CCCD {national_id}  ({full_name})")
