"""Online payment gateways behind one interface, chosen by name from settings.PAYMENT_GATEWAYS.

A gateway sends the payer to its page (`checkout`) and later tells us how the order went in a
callback we check and read (`parse_callback`). The sandbox gateway stands in for a real one in
development and tests: its "bank" is a local page that posts signed notices. docs/payments.md."""

import hashlib
import hmac
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True, kw_only=True)
class OrderInfo:
    """What a gateway needs to know of an order; amounts in whole đồng."""

    order_id: str
    amount: int
    currency: str = "VND"
    description: str
    expires_at: datetime


@dataclass(frozen=True)
class Checkout:
    """Where to send the payer."""

    url: str


@dataclass(frozen=True, kw_only=True)
class Notice:
    """A gateway's word on an order: paid, or failed (then `paid_at` is when it failed)."""

    gateway: str
    order_id: str
    amount: int
    currency: str
    transaction_ref: str
    paid: bool
    paid_at: datetime


class UnknownGateway(LookupError):
    """No gateway of that name is configured."""


class CallbackError(Exception):
    """A callback we do not act on."""


class ForgedCallback(CallbackError):
    """The signature is missing or does not hold: not from the gateway, or changed on the way."""


class BadCallback(CallbackError):
    """Signed, but not a notice we can read."""


class Gateway(ABC):
    """A payment gateway. Subclasses set `name` (the default registry name) and implement both methods."""

    name = ""

    def __init__(self, name: str | None = None):
        self.name = name or type(self).name

    @abstractmethod
    def checkout(self, order: OrderInfo, return_url: str) -> Checkout:
        """Open the order at the gateway; the payer goes to the returned URL and comes back to `return_url`."""

    @abstractmethod
    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> Notice:
        """Check and read a callback. Raises ForgedCallback or BadCallback."""


def gateway(name: str) -> Gateway:
    """The gateway configured under `name`. Raises UnknownGateway."""
    path = settings.PAYMENT_GATEWAYS.get(name) if name else None
    if not path:
        raise UnknownGateway(name)
    return import_string(path)(name=name)


def gateway_names() -> list[str]:
    return list(settings.PAYMENT_GATEWAYS)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case (a plain dict or Django's request.headers)."""
    name = name.lower()
    return next((value for key, value in headers.items() if key.lower() == name), None)


class SandboxGateway(Gateway):
    """A pretend gateway: its page is ours (`payments:sandbox_pay`, in the dossiers app) and its
    notices are JSON signed with HMAC-SHA256 under settings.PAYMENT_SANDBOX_SECRET, hex, in the
    X-Sandbox-Signature header."""

    name = "sandbox"
    SIGNATURE_HEADER = "X-Sandbox-Signature"
    FIELDS = ("order_id", "amount", "currency", "transaction_ref", "status", "paid_at")
    STATUSES = ("paid", "failed")

    def checkout(self, order: OrderInfo, return_url: str) -> Checkout:
        # The sandbox page finds the order itself and returns the payer to it; a real gateway gets return_url.
        return Checkout(url=reverse("payments:sandbox_pay", kwargs={"order_id": order.order_id}))

    @classmethod
    def secret(cls) -> bytes:
        secret = settings.PAYMENT_SANDBOX_SECRET
        if not secret:
            raise ImproperlyConfigured("PAYMENT_SANDBOX_SECRET is empty.")
        if secret == settings.PAYMENT_SANDBOX_DEMO_SECRET and settings.DJANGO_ENV == "production":
            raise ImproperlyConfigured("The published demo PAYMENT_SANDBOX_SECRET is refused in production.")
        return secret.encode()

    @classmethod
    def sign(cls, body: bytes) -> str:
        return hmac.new(cls.secret(), body, hashlib.sha256).hexdigest()

    @classmethod
    def notice_body(
        cls,
        order_id: str,
        amount: int,
        transaction_ref: str,
        status: str = "paid",
        currency: str = "VND",
        paid_at: datetime | None = None,
    ) -> bytes:
        """What the sandbox "bank" posts; send it with {SIGNATURE_HEADER: sign(body)}."""
        notice = {
            "order_id": str(order_id),
            "amount": amount,
            "currency": currency,
            "transaction_ref": transaction_ref,
            "status": status,
            "paid_at": (paid_at or timezone.now()).isoformat(),
        }
        return json.dumps(notice).encode()

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> Notice:
        given = header(headers, self.SIGNATURE_HEADER) or ""
        if not re.fullmatch(r"[0-9a-fA-F]{64}", given.strip()):
            raise ForgedCallback("missing or malformed signature")
        if not hmac.compare_digest(self.sign(body), given.strip().lower()):
            raise ForgedCallback("signature does not match")
        try:
            data = json.loads(body)
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
            raise BadCallback("not JSON") from exc
        if not isinstance(data, dict):
            raise BadCallback("not a JSON object")
        missing = [key for key in self.FIELDS if key not in data]
        if missing:
            raise BadCallback(f"missing {', '.join(missing)}")
        amount = data["amount"]
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise BadCallback("amount is not a whole number of đồng")
        texts = {key: data[key] for key in ("order_id", "currency", "transaction_ref", "status", "paid_at")}
        empty = [key for key, value in texts.items() if not isinstance(value, str) or not value]
        if empty:
            raise BadCallback(f"not a text: {', '.join(empty)}")
        if data["status"] not in self.STATUSES:
            raise BadCallback("status is neither paid nor failed")
        try:
            paid_at = datetime.fromisoformat(data["paid_at"])
        except ValueError as exc:
            raise BadCallback("paid_at is not an ISO 8601 time") from exc
        if timezone.is_naive(paid_at):
            raise BadCallback("paid_at has no time zone")
        return Notice(
            gateway=self.name,
            order_id=data["order_id"],
            amount=amount,
            currency=data["currency"],
            transaction_ref=data["transaction_ref"],
            paid=data["status"] == "paid",
            paid_at=paid_at,
        )
