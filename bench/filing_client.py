"""Citizens filing dossiers through the real pages, over HTTP, many at once.

Each citizen logs in on the login page, starts a draft of a procedure, fills every step from the
forms the pages render (the way tests/e2e/helpers.fill_section fills them in a browser), uploads a
PDF for each required component, chooses a delivery and submits. Nothing here reads the database:
what a citizen cannot see on a page, this client does not know. bench/bench_embedded.py and the web
benchmark import `file_dossiers`."""

import contextlib
import http.client
import re
import statistics
import threading
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

DEFAULT_PROCEDURE = "1.001193"  # Đăng ký khai sinh: offered by ten communes (one document asked online)
REQUEST_TIMEOUT = 180
# Valid values by field kind and candidates for patterns, as tests/e2e/helpers.py and dossiers/demo.py use.
VALUES = {
    "text": "Nguyễn Bảo An",
    "date": "2026-11-20",
    "cccd": "017199000123",
    "phone": "0912345678",
    "email": "an@example.vn",
    "number": "1",
    "address": "Thôn 3, xã Phú Nghĩa",
    "long_text": "Không",
}
PATTERN_CANDIDATES = ["C1234567", "123", "12", "1", "A1", "AB123456", "0912345678"]
# The applicant step's fields carry no data-kind; an empty one is filled as a citizen would.
PLAIN_FIELDS = {
    "full_name": "Nguyễn Bảo An",
    "national_id": "017199000123",
    "phone": "0912345678",
    "address": "Thôn 3, xã Phú Nghĩa, huyện Lạc Thủy",
}


def make_pdf(size: int) -> bytes:
    """A PDF of exactly `size` bytes (padded with a comment), accepted by the content sniffing."""
    head, tail = b"%PDF-1.4\n1 0 obj<<>>endobj\n%", b"\ntrailer<<>>\n%%EOF\n"
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


class FlowError(Exception):
    """A step did not do what the page promised; `page` is where it happened."""

    def __init__(self, page: str, status: int, detail: str):
        super().__init__(f"{page}: HTTP {status}: {detail}")
        self.page, self.status, self.detail = page, status, detail


class _Forms(HTMLParser):
    """Every <form> of a page with its fields, in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"attrs": a, "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form["fields"].append({"tag": "input", **a})
        elif tag == "select":
            self._select = {"tag": "select", "options": [], **a}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a)
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "value": "", **a}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def main_form(html: str, page: str) -> dict:
    """The page's own form: the first one posting to the page itself (not logout or delete)."""
    for form in page_forms(html):
        if form["attrs"].get("method", "").lower() == "post" and not form["attrs"].get("action"):
            return form
    raise FlowError(page, 200, "no form on the page")


def _value_for(field: dict) -> str:
    kind = field.get("data-kind", "")
    if field.get("data-pattern"):
        return next((c for c in PATTERN_CANDIDATES if re.search(field["data-pattern"], c)), "C1234567")
    if kind == "number" and field.get("min"):
        return field["min"]
    return VALUES.get(kind) or PLAIN_FIELDS.get(field.get("name", ""), "Có")


def fill(form: dict, choose: dict | None = None) -> list[tuple[str, str]]:
    """What a browser posts after the citizen fills every empty field: prefilled values are kept,
    the first option of a radio group or select is taken unless `choose` names one, checkboxes are
    ticked. Returns (name, value) pairs (repeated names for multiple choices)."""
    choose = choose or {}
    pairs, radios_done = [], set()
    for field in form["fields"]:
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        kind = field.get("type", "text") if field["tag"] == "input" else field["tag"]
        if kind == "radio":
            group = [f for f in form["fields"] if f.get("name") == name and f.get("type") == "radio"]
            if name not in radios_done:
                wanted = choose.get(name)
                picked = next((f for f in group if f.get("value") == wanted), None) if wanted else None
                picked = picked or next((f for f in group if "checked" in f), group[0])
                pairs.append((name, picked.get("value", "on")))
                radios_done.add(name)
        elif kind == "checkbox":
            pairs.append((name, field.get("value") or "on"))
        elif kind == "select":
            options = field["options"]
            wanted = choose.get(name)
            picked = next((o for o in options if o.get("value") == wanted), None) if wanted else None
            picked = picked or next((o for o in options if "selected" in o), None) or (options[0] if options else {})
            pairs.append((name, picked.get("value", "")))
        else:
            value = field.get("value", "")
            if name in choose:
                value = choose[name]
            elif not value and kind != "hidden":
                value = _value_for(field)
            pairs.append((name, value))
    return pairs


def _multipart(pairs: list[tuple[str, str]], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in pairs:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One citizen's browser: a keep-alive connection, cookies, the CSRF token, no JavaScript.
    Redirects are not followed blindly: each step checks where it was sent."""

    def __init__(self, base_url: str, stats: "Stats", *, forwarded_https: bool = False):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.netloc = parts.netloc
        self.origin = f"{'https' if forwarded_https else parts.scheme}://{parts.netloc}"
        self.forwarded_https, self.stats = forwarded_https, stats
        self.cookies: dict[str, str] = {}
        self.conn = None

    def request(
        self, method: str, path: str, *, body: bytes | None = None, content_type: str | None = None, page: str
    ) -> tuple[int, dict, str]:
        headers = {
            "Host": self.netloc,
            "User-Agent": "bench-filing-client",
            "Accept": "text/html",
            "Referer": self.origin + path,
        }
        if self.forwarded_https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        for attempt in (1, 2):
            reused = self.conn is not None
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                # A keep-alive connection the server closed while idle: one fresh try, as browsers do.
                if attempt == 2 or not reused:
                    raise
        self.stats.record(page, response.status, time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.headers.get("Connection", "").lower() == "close":
            self.close()
        return response.status, dict(response.headers), text

    def get(self, path: str, *, page: str, expect: int = 200) -> str:
        status, headers, text = self.request("GET", path, page=page)
        if status != expect:
            raise FlowError(page, status, _summary(text, headers))
        return text

    def post(self, path: str, pairs, *, page: str, file: tuple[str, str, bytes] | None = None) -> tuple[int, str]:
        """POST a form; returns (status, redirect target or page text)."""
        if file:
            body, content_type = _multipart(pairs, *file)
        else:
            body, content_type = urlencode(pairs).encode(), "application/x-www-form-urlencoded"
        status, headers, text = self.request("POST", path, body=body, content_type=content_type, page=page)
        if status in (301, 302, 303):
            return status, urlsplit(urljoin(self.origin + path, headers.get("Location", ""))).path
        return status, text

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _summary(text: str, headers: dict | None = None) -> str:
    """What went wrong, shortly: an alert on the page, else the page title, else the start of the body."""
    for pattern in (
        r'class="alert alert-danger[^"]*"[^>]*>(.*?)</div>',
        r'class="invalid-feedback[^"]*"[^>]*>(.*?)<',
        r"<title>(.*?)</title>",
    ):
        match = re.search(pattern, text, re.S)
        if match:
            return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()[:300]
    location = (headers or {}).get("Location")
    return f"redirected to {location}" if location else text[:300]


class Stats:
    """Shared by the citizens' threads: status counts, latencies per page, errors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: dict[int, int] = {}
        self.latencies: dict[str, list[float]] = {}
        self.errors: list[dict] = []
        self.filed: list[str] = []
        self.uploads = self.uploads_not_stuck = self.prepared = 0

    def record(self, page: str, status: int, seconds: float):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.setdefault(page, []).append(seconds)

    def add(self, **fields):
        with self.lock:
            for key, value in fields.items():
                if key == "error":
                    self.errors.append(value)
                elif key == "code":
                    self.filed.append(value)
                else:
                    setattr(self, key, getattr(self, key) + value)


def login(browser: Browser, username: str, password: str) -> None:
    html = browser.get("/accounts/login/", page="login")
    pairs = [(n, v) for n, v in fill(main_form(html, "login")) if n not in ("username", "password")]
    status, target = browser.post(
        "/accounts/login/", [*pairs, ("username", username), ("password", password)], page="login"
    )
    if status != 302:
        raise FlowError("login", status, _summary(target))


def _step(browser: Browser, path: str, page: str, choose: dict | None = None) -> str:
    """GET a step, post its form filled in, and return where the page redirected to."""
    html = browser.get(path, page=page)
    status, target = browser.post(path, fill(main_form(html, page), choose), page=page)
    if status != 302:
        raise FlowError(page, status, _summary(target))
    return target


def _required_components(html: str) -> list[str]:
    """Component ids of the upload forms marked required ("bắt buộc" badge) on the documents page."""
    ids = []
    for section in re.split(r'<section [^>]*class="[^"]*\bcomponent\b', html)[1:]:
        match = re.search(r'name="component" value="(\d+)"', section)
        if match and "text-bg-danger" in section.split("</h2>", 1)[0]:
            ids.append(match.group(1))
    return ids


def _listed(html: str, component: str, filename: str) -> bool:
    match = re.search(rf'<section [^>]*id="component-{component}"(.*?)</section>', html, re.S)
    return bool(match) and f">{filename}</a>" in match.group(1)


@dataclass
class Draft:
    """A draft filled in up to its last upload: what finish() needs to upload that file and submit."""

    url: str
    component: str
    csrf: list
    check: list


def prepare(browser: Browser, procedure: str, pdf_bytes: bytes, agency: str | None = None) -> Draft:
    """Start a draft and fill it in: the applicant, every form section, every required file but the
    last one, the delivery; read the check page's form. Only the last upload and submission are left."""
    start = f"/dossiers/new/{procedure}/"
    draft = _step(browser, start, "start", {"agency": agency} if agency else None)
    if not re.fullmatch(r"/dossiers/drafts/[0-9a-f-]+/", draft):
        raise FlowError("start", 302, f"redirected to {draft}")
    tasks = dict(re.findall(r'href="([^"]+)" id="task-([\w-]+)"', browser.get(draft, page="task list")))
    by_key = {key: url for url, key in tasks.items()}
    _step(browser, by_key["applicant"], "applicant")
    target, sections = by_key["form-0"], 0
    while "/form/" in target:
        target = _step(browser, target, "form section")
        sections += 1
        if sections > 20:
            raise FlowError("form section", 200, "the form never ends")
    if target != draft:
        raise FlowError("form section", 302, f"redirected to {target}")
    documents = draft + "documents/"
    html = browser.get(documents, page="documents")
    upload_form = next(f for f in page_forms(html) if "upload-form" in f["attrs"].get("class", ""))
    csrf = [(n, v) for n, v in fill(upload_form) if n == "csrfmiddlewaretoken"]
    required = _required_components(html)
    if not required:
        raise FlowError("documents", 200, "the procedure asks for no file")
    for component in required[:-1]:
        _upload(browser, documents, csrf, component, pdf_bytes)
    _step(browser, draft + "delivery/", "delivery", {"delivery": "desk"})
    check = fill(main_form(browser.get(draft + "check/", page="check"), "check"))
    return Draft(url=draft, component=required[-1], csrf=csrf, check=check)


def _upload(browser: Browser, documents: str, csrf: list, component: str, pdf_bytes: bytes) -> None:
    filename = f"ban-quet-{component}-{uuid.uuid4().hex[:8]}.pdf"
    status, target = browser.post(
        documents, [*csrf, ("component", component)], page="upload", file=("file", filename, pdf_bytes)
    )
    browser.stats.add(uploads=1)
    html = browser.get(documents, page="documents") if status == 302 else target
    if not _listed(html, component, filename):
        browser.stats.add(uploads_not_stuck=1)
        raise FlowError("upload", status, f"component {component}: {_summary(html)}")


def finish(browser: Browser, draft: Draft, pdf_bytes: bytes, *, check_upload: bool = True) -> str:
    """Upload the last file and submit; returns the dossier's code. Without check_upload the upload is
    not read back here (the benchmark's timed part: the files are checked afterwards, from the database
    and the disk)."""
    documents = draft.url + "documents/"
    if check_upload:
        _upload(browser, documents, draft.csrf, draft.component, pdf_bytes)
    else:
        filename = f"ban-quet-{draft.component}-{uuid.uuid4().hex[:8]}.pdf"
        status, target = browser.post(
            documents, [*draft.csrf, ("component", draft.component)], page="upload", file=("file", filename, pdf_bytes)
        )
        browser.stats.add(uploads=1)
        if status != 302:
            raise FlowError("upload", status, _summary(target))
    status, target = browser.post(draft.url + "check/", draft.check, page="submit")
    match = re.fullmatch(r"/dossiers/([^/]+)/submitted/", target) if status == 302 else None
    if not match:
        raise FlowError("submit", status, _summary(target) if status != 302 else f"redirected to {target}")
    return match.group(1)


def file_one(browser: Browser, procedure: str, pdf_bytes: bytes, agency: str | None = None) -> str:
    """One dossier from start to submission, and its confirmation page; returns its code."""
    code = finish(browser, prepare(browser, procedure, pdf_bytes, agency), pdf_bytes)
    if code not in browser.get(f"/dossiers/{code}/submitted/", page="confirmation"):
        raise FlowError("confirmation", 200, "the code is not on the confirmation page")
    return code


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else ordered * 99
    return {
        "count": len(ordered),
        "p50_ms": round(q[49] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def file_dossiers(
    base_url: str,
    citizens: list[tuple[str, str]],
    per_citizen: int,
    concurrency: int,
    pdf_bytes: bytes,
    forwarded_https: bool = False,
    *,
    procedure: str = DEFAULT_PROCEDURE,
    agency: str | None = None,
    timed: str = "whole",
) -> dict:
    """`concurrency` threads, each a citizen's browser (citizens beyond that wait for a free thread),
    each filing `per_citizen` dossiers one after another. All threads log in first and start filing
    together. A failed dossier is recorded with its page and the citizen goes on to the next one.

    timed="whole" times every page of the filing; timed="finish" prepares every draft first (all but
    the last upload, see prepare()) and times only the last 1 MB upload and the submission, the unit
    of work the bare upload view is compared with."""
    if timed not in ("whole", "finish"):
        raise ValueError(timed)
    stats = Stats()
    preparing = Stats()  # the pages before the timed part in timed="finish"
    concurrency = max(1, min(concurrency, len(citizens)))
    lanes = [citizens[i::concurrency] for i in range(concurrency)]
    ready = threading.Barrier(concurrency + 1)

    def lane(assigned):
        if timed == "finish":
            return finish_lane(assigned)
        for position, (username, password) in enumerate(assigned):
            browser = _logged_in(username, password)
            if position == 0:
                _wait(ready)
            for _ in range(per_citizen if browser else 0):
                try:
                    stats.add(code=file_one(browser, procedure, pdf_bytes, agency))
                except (FlowError, OSError, http.client.HTTPException, KeyError, StopIteration) as exc:
                    stats.add(error=_error(username, getattr(exc, "page", "connection"), exc))
                    browser.close()
            if browser:
                browser.close()

    def finish_lane(assigned):
        drafts = []  # (username, browser, draft)
        for username, password in assigned:
            browser = _logged_in(username, password, preparing)
            for _ in range(per_citizen if browser else 0):
                try:
                    drafts.append((username, browser, prepare(browser, procedure, pdf_bytes, agency)))
                except (FlowError, OSError, http.client.HTTPException, KeyError, StopIteration) as exc:
                    stats.add(error=_error(username, getattr(exc, "page", "connection"), exc))
                    browser.close()
        stats.add(prepared=len(drafts))
        _wait(ready)
        for username, browser, draft in drafts:
            browser.stats = stats  # from here on, the timed part
            try:
                stats.add(code=finish(browser, draft, pdf_bytes, check_upload=False))
            except (FlowError, OSError, http.client.HTTPException) as exc:
                stats.add(error=_error(username, getattr(exc, "page", "connection"), exc))
                browser.close()
        for browser in {id(b): b for _u, b, _d in drafts}.values():
            browser.close()

    def _logged_in(username, password, into=stats):
        browser = Browser(base_url, into, forwarded_https=forwarded_https)
        try:
            login(browser, username, password)
        except (FlowError, OSError, http.client.HTTPException) as exc:
            stats.add(error=_error(username, "login", exc))
            return None
        return browser

    threads = [threading.Thread(target=lane, args=(assigned,), daemon=True) for assigned in lanes]
    for thread in threads:
        thread.start()
    _wait(ready)
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    expected = len(citizens) * per_citizen
    return {
        "expected": expected,
        "filed": sorted(stats.filed),
        "filed_count": len(stats.filed),
        "distinct_codes": len(set(stats.filed)),
        "statuses": {str(k): v for k, v in sorted(stats.statuses.items())},
        "server_errors": sum(v for k, v in [*stats.statuses.items(), *preparing.statuses.items()] if k >= 500),
        "errors": stats.errors,
        "uploads": stats.uploads,
        "uploads_not_stuck": stats.uploads_not_stuck,
        "elapsed_seconds": round(elapsed, 2),
        "dossiers_per_second": round(len(stats.filed) / elapsed, 2),
        "latency": {page: _percentiles(values) for page, values in sorted(stats.latencies.items())},
        "concurrency": concurrency,
        "per_citizen": per_citizen,
        "pdf_bytes": len(pdf_bytes),
        "timed": timed,
        "prepared": stats.prepared if timed == "finish" else None,
        "prepare_statuses": {str(k): v for k, v in sorted(preparing.statuses.items())},
        "prepare_errors": preparing.errors,
    }


def _wait(barrier: threading.Barrier) -> None:
    # A lane that never got there breaks the barrier: the others file anyway, and its errors are recorded.
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=600)


def _error(citizen: str, page: str, exc: Exception) -> dict:
    return {
        "citizen": citizen,
        "page": page,
        "status": getattr(exc, "status", None),
        "detail": getattr(exc, "detail", None) or f"{exc.__class__.__name__}: {exc}",
    }
