"""Certificate authorities and agency keys made here: the demo authority of `make run` (every name
marked DEMO, refused in production by portal/signing.py) and the tests' own authorities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from portal.signing import DEMO_CA_FILE, DEMO_MARK


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def make_authority(common_name: str, *, organisation: str = "Cổng Dịch vụ công", years: int = 10) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name(common_name, organisation)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(key, certificate)


def make_agency_key(
    authority: Authority,
    common_name: str,
    *,
    password: bytes,
    organisation: str = "Cổng Dịch vụ công",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> bytes:
    """An agency's signing certificate from `authority`, as a PKCS#12 file (key, certificate, chain)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - dt.timedelta(days=1))
        .not_valid_after(not_after or now + dt.timedelta(days=365 * 3))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, certificate, [authority.certificate], serialization.BestAvailableEncryption(password)
    )


def write_demo_keys(directory: Path, agencies, *, password: bytes) -> int:
    """The demo authority and one key per agency that has none yet (`make run`). Every name says DEMO."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_file = directory / DEMO_CA_FILE
    authority_file = directory / "demo-ca.key"
    if ca_file.is_file() and authority_file.is_file():
        key = serialization.load_pem_private_key(authority_file.read_bytes(), password=None)
        authority = Authority(key, x509.load_pem_x509_certificate(ca_file.read_bytes()))
    else:
        authority = make_authority(f"{DEMO_MARK} CA - không có giá trị pháp lý", organisation=f"{DEMO_MARK}")
        authority_file.write_bytes(
            authority.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        authority_file.chmod(0o600)
        ca_file.write_bytes(authority.pem())
    made = 0
    for agency in agencies:
        target = directory / f"{agency.code}.p12"
        if target.exists():
            continue
        target.write_bytes(
            make_agency_key(authority, f"{agency.name} ({DEMO_MARK})", password=password, organisation=DEMO_MARK)
        )
        target.chmod(0o600)
        made += 1
    return made
