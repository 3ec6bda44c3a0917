"""What the web benchmark loads: the logged-in users (real session rows, as a login leaves them) and the
pages of the portal with the role that opens each, taken from the code as it is (the desk tabs from
dossiers.queues.tabs_for, the URLs from the URL names)."""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from bench import fixtures

# Pages whose ratios the acceptance checks (besides every desk tab).
ACCEPTANCE = {
    "staff dossier page",
    "my dossiers",
    "citizen dossier page",
    "catalog list",
    "catalog search",
    "procedure detail",
    # Issue 12: the same ratio for the indicators.
    "statistics",
    "leader dashboard",
}
SEARCH_WORD = "Khánh"  # a given name: a desk officer searching a citizen over the whole history
CATALOG_QUERY = "khai sinh"


@dataclass
class Page:
    name: str
    path: str
    users: str  # key of the cookie file: "officer", "specialist", "leader", "citizen", "anonymous", "worst-..."
    group: str  # "desk", "dossier", "citizen", "public"
    tab: str = ""
    rotate_address: bool = False
    allowed_during_load: set = field(default_factory=set)

    @property
    def acceptance(self) -> bool:
        return self.group == "desk" or self.name in ACCEPTANCE


def session_cookie_lines(user_ids: list[int]) -> list[str]:
    """A session for each user as a completed login stores it (staff: with the second factor passed,
    on an authenticator device made for them), and the Cookie header value."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.models import User
    from portal.two_factor import two_factor_required

    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())
    users = User.objects.in_bulk(user_ids)
    lines = []
    for user in (users[pk] for pk in user_ids):
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if two_factor_required(user=user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        lines.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return lines


def write_cookie_files(directory: Path, users: dict[str, list[int]]) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    files = {}
    for key, ids in users.items():
        path = directory / f"{key}.cookies"
        path.write_text("\n".join(session_cookie_lines(ids)) + "\n", encoding="utf-8")
        files[key] = path
    return files


def staff_users(agency: dict, prefix: str = "") -> dict[str, list[int]]:
    return {
        f"{prefix}officer": agency["officers"],
        f"{prefix}specialist": agency["specialists"],
        f"{prefix}leader": agency["leaders"],
    }


def _user(pk):
    from portal.models import User

    return User.objects.get(pk=pk)


def tabs_of(user_id: int) -> list[str]:
    from dossiers import queues

    return [t.key for t in queues.tabs_for(queues.staff_memberships(_user(user_id)))]


def desk_pages(agency: dict, prefix: str = "") -> list[Page]:
    from django.urls import reverse

    queue = reverse("dossiers:desk_queue")
    pages = []
    for role in ("officer", "specialist", "leader"):
        for key in tabs_of(agency[f"{role}s"][0]):
            pages.append(Page(f"{prefix}desk {role} tab={key}", f"{queue}?tab={key}", f"{prefix}{role}", "desk", key))
    return pages


def other_pages(special: dict) -> list[Page]:
    from django.urls import reverse

    code = special["code"]
    queue = reverse("dossiers:desk_queue")
    return [
        Page("desk officer search", f"{queue}?tab=all&q={quote(SEARCH_WORD)}", "officer", "desk", "all"),
        # The next page's URL comes from the first page's "next" link (bench_web.next_page_path).
        Page("desk officer next page", f"{queue}?tab=all", "officer", "desk", "all"),
        # Issue 13: the API's queue endpoint, the same keyset read as the page's history tab.
        Page("api desk queue tab=all", f"{reverse('api-desk-queue')}?tab=all", "officer", "desk", "all"),
        Page("staff dossier page", reverse("dossiers:desk_dossier", args=[code]), "specialist", "dossier"),
        Page("form 01 (PDF)", reverse("dossiers:desk_form", args=[code, "01"]), "officer", "dossier"),
        Page("register (form 06)", reverse("dossiers:desk_register"), "officer", "dossier"),
        Page("my dossiers", reverse("dossiers:mine"), "citizen", "citizen"),
        Page("citizen dossier page", reverse("dossiers:detail", args=[code]), "citizen", "citizen"),
        # One address gets 20 look-ups a minute: wrk sends each request as another address (X-Forwarded-For);
        # where the portal does not trust that header the 429s are counted and reported, not failed.
        Page(
            "public tracking",
            f"{reverse('dossiers:track')}?code={code}&key={special['lookup_key']}",
            "anonymous",
            "public",
            rotate_address=True,
            allowed_during_load={429},
        ),
        Page("catalog list", reverse("procedures:list"), "anonymous", "public"),
        Page(
            "catalog search", f"{reverse('procedures:list')}?q={CATALOG_QUERY.replace(' ', '+')}", "anonymous", "public"
        ),
        Page("procedure detail", reverse("procedures:detail", args=["1.001193"]), "anonymous", "public"),
        Page("home", reverse("portal:home"), "anonymous", "public"),
        Page("statistics", reverse("dossiers:statistics"), "anonymous", "public"),
        Page(
            "statistics json",
            f"{reverse('dossiers:indicators_json')}?agency={fixtures.BENCH_COMMUNE}",
            "anonymous",
            "public",
        ),
        Page("leader dashboard", reverse("dossiers:desk_indicators"), "leader", "indicators"),
        # A drill-down: the period's dossiers read by dossier_received_idx, not the agency's history.
        Page(
            "leader drill-down (received)",
            f"{reverse('dossiers:desk_indicator_dossiers', args=['received'])}?period=year",
            "leader",
            "indicators",
        ),
    ]


def next_page_path(html: str) -> str | None:
    """The href of the queue's rel="next" link (the keyset cursor)."""
    match = re.search(r'<a[^>]*rel="next"[^>]*href="([^"]+)"', html) or re.search(
        r'<a[^>]*href="([^"]+)"[^>]*rel="next"', html
    )
    return match.group(1).replace("&amp;", "&") if match else None


def heavy_citizen(people: dict) -> list[int]:
    # Sixteen sessions of the same citizen: one person's pages, opened from 16 browsers at once.
    return [people["heavy_citizen"]] * fixtures.ROTATION
