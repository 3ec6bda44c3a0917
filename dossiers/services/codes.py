"""Dossier codes `<agency code>-<YYMMDD>-<NNNN>`: a sequence per agency per day, safe when many
submit at once. The UPDATE takes the row lock, so concurrent submitters queue on it and each gets
the next number; the row is created on first use, and a lost race to create it is retried."""

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F

from dossiers.models import DossierSequence

# No 0/O, 1/I/L: read aloud at a desk or typed from paper without confusion.
LOOKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def next_sequence(*, agency, day: dt.date) -> int:
    for _ in range(3):
        updated = DossierSequence.objects.filter(agency=agency, day=day).update(last=F("last") + 1)
        if updated:
            return DossierSequence.objects.filter(agency=agency, day=day).values_list("last", flat=True).get()
        try:
            with transaction.atomic():
                DossierSequence.objects.create(agency=agency, day=day, last=1)
            return 1
        except IntegrityError:
            continue  # another submitter created the row first: take the UPDATE path
    raise RuntimeError("could not allocate a dossier sequence number")


def dossier_code(*, agency, day: dt.date) -> str:
    return f"{agency.code}-{day:%y%m%d}-{next_sequence(agency=agency, day=day):04d}"


def new_lookup_key() -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(6))
