"""Production settings start with no payment gateway and refuse a sandbox without a secret of its own."""

import subprocess
import sys

import pytest
from django.conf import settings

from portal.settings.base import PAYMENT_SANDBOX_DEMO_SECRET

SANDBOX = '{"sandbox": "portal.payments.gateways.SandboxGateway"}'
CODE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(sorted(s.PAYMENT_GATEWAYS), repr(s.PAYMENT_DEFAULT_GATEWAY), s.PAYMENT_ORDER_MINUTES)"
)


def production(**environment):
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k" * 20 + "abcdefghij" * 4,
        "DJANGO_ALLOWED_HOSTS": "portal.example.vn",
        "PATH": "/usr/bin:/bin",
        **environment,
    }
    return subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True)


def test_development_and_tests_pay_through_the_sandbox():
    assert settings.PAYMENT_GATEWAYS == {"sandbox": "portal.payments.gateways.SandboxGateway"}
    assert settings.PAYMENT_DEFAULT_GATEWAY == "sandbox" and settings.PAYMENT_ORDER_MINUTES == 15


def test_production_has_no_gateway_unless_configured():
    run = production()
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["[]", "''", "15"]


@pytest.mark.parametrize(
    "secret",
    [None, "", PAYMENT_SANDBOX_DEMO_SECRET, "short secret"],
    ids=["unset", "empty", "demo", "short"],
)
def test_production_refuses_the_sandbox_without_a_secret_of_its_own(secret):
    environment = {"PAYMENT_GATEWAYS": SANDBOX} | ({} if secret is None else {"PAYMENT_SANDBOX_SECRET": secret})
    run = production(**environment)
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr and "PAYMENT_SANDBOX_SECRET" in run.stderr


def test_production_runs_the_sandbox_with_its_own_secret():
    run = production(PAYMENT_GATEWAYS=SANDBOX, PAYMENT_SANDBOX_SECRET="s3cr3t-of-this-staging-install-0123456789")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["['sandbox']", "'sandbox'", "15"]


def test_production_refuses_a_default_gateway_that_is_not_configured():
    run = production(PAYMENT_DEFAULT_GATEWAY="sandbox")
    assert run.returncode != 0 and "PAYMENT_DEFAULT_GATEWAY" in run.stderr
