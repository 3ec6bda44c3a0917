import pytest

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh context at a viewport and language; closes it afterwards."""
    contexts = []

    def make(viewport="desktop", language="vi"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="vi-VN" if language == "vi" else "en-US")
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()


def axe_blocking_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in BLOCKING_IMPACTS
    ]
