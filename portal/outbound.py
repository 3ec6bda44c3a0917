"""POSTs the outbox's worker makes to other systems (partners' webhooks, the national portal's sync):
JSON, a short timeout, no redirect followed, and anything but a 2xx raised as DeliveryFailed so the
outbox retries."""

import urllib.error
import urllib.request

TIMEOUT_SECONDS = 10


class DeliveryFailed(Exception):
    """The receiver did not take it (not a 2xx, or unreachable)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx is an answer, not a new address: urllib would follow a 301/302/303 with a GET to wherever
    the receiver points, an address nobody checked (internal services included)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_json(url: str, body: bytes, headers: dict) -> None:
    request = urllib.request.Request(  # noqa: S310  (the URL is a superuser's or the deployment's, http(s))
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **headers}
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise DeliveryFailed(f"HTTP {error.code} from {url}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryFailed(f"{url}: {error}") from error
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status} from {url}")
