"""Issue 11, item 18: the suite hashes passwords fast; production keeps Django's strong hasher."""

from django.conf import global_settings, settings

from portal.settings import base


def test_the_suite_uses_a_fast_hasher():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_portal_itself_keeps_a_strong_hasher():
    hashers = getattr(base, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    assert hashers[0] in (
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    )
