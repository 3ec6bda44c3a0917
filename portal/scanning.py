"""Malware scanning of uploads, pluggable by PORTAL_MALWARE_SCANNER (a class path):

- `portal.scanning.NoScanner` (the default): scans nothing. Fine for a demo; a province runs ClamAV.
- `portal.scanning.ClamdScanner`: streams each file to a ClamAV daemon (clamd) with its INSTREAM
  command, at PORTAL_CLAMD_ADDRESS (`host:port`, or a Unix socket path). A daemon that cannot be
  reached refuses the upload (fail closed) rather than letting an unscanned file in.

The clamd protocol is three lines of framing, written here: the Python clamd clients on PyPI are
unmaintained since 2014."""

import socket
import struct

from django.conf import settings
from django.utils.module_loading import import_string

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """The scanner could not give an answer; the upload is refused."""


class NoScanner:
    def scan(self, stream) -> str | None:
        return None


class ClamdScanner:
    def __init__(self, address: str | None = None, timeout: float | None = None):
        self.address = address or settings.PORTAL_CLAMD_ADDRESS
        self.timeout = timeout or settings.PORTAL_CLAMD_TIMEOUT_SECONDS

    def _connect(self) -> socket.socket:
        if self.address.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            target = self.address
        else:
            host, _, port = self.address.rpartition(":")
            sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
            target = (host.strip("[]"), int(port))
        sock.settimeout(self.timeout)
        sock.connect(target)
        return sock

    def scan(self, stream) -> str | None:
        """The name of what clamd found in `stream` (read from its start), or None when clean."""
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                stream.seek(0)
                while chunk := stream.read(CHUNK):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    part = sock.recv(4096)
                    if not part:
                        break
                    reply += part
        except OSError as exc:
            raise ScannerUnavailable(str(exc)) from exc
        finally:
            stream.seek(0)
        answer = reply.rstrip(b"\0").decode("utf-8", "replace")  # "stream: OK" / "stream: <name> FOUND"
        if answer.endswith(" FOUND"):
            return answer.removeprefix("stream:").removesuffix(" FOUND").strip()
        if answer.endswith(" OK"):
            return None
        raise ScannerUnavailable(answer or "no answer")


def scanner():
    return import_string(settings.PORTAL_MALWARE_SCANNER)()
