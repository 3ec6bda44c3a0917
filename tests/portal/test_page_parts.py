"""The parts of every page that are rendered once per process and language ({% constant %}) and the
filter options built in one go ({% options %}): what differs between two visitors or two requests
must never come from the kept copy."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from portal.templatetags.portal_tags import forget_constants
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visitor():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


def render(text, **context):
    return Template("{% load portal_tags %}" + text).render(Context(context))


def test_options_escape_every_value_and_select_the_chosen_one():
    html = render(
        "{% options choices chosen %}",
        choices=[("a", "Một"), ('"><script>', "<b>Hai</b>"), (3, "Ba")],
        chosen="3",
    )
    assert html == (
        '<option value="a">Một</option>'
        '<option value="&quot;&gt;&lt;script&gt;">&lt;b&gt;Hai&lt;/b&gt;</option>'
        '<option value="3" selected>Ba</option>'
    )


def test_options_with_nothing_chosen_select_nothing():
    assert "selected" not in render("{% options choices '' %}", choices=[("a", "A"), ("x", "X")])


def test_a_constant_block_is_rendered_once_per_language():
    template = Template(
        '{% load i18n portal_tags %}{% constant "t" %}{% translate "Đăng xuất" %} {{ n }}{% endconstant %}'
    )
    request = visitor()

    def page(n):
        return template.render(RequestContext(request, {"n": n}))

    with translation.override("vi"):
        assert page(1) == "Đăng xuất 1"
        # Kept: the second visitor gets the first rendering (the block may not read per-visitor values).
        assert page(2) == "Đăng xuất 1"
    with translation.override("en"):
        assert page(3) == "Log out 3"
    forget_constants()
    with translation.override("vi"):
        assert page(4) == "Đăng xuất 4"


def test_a_constant_block_outside_a_request_is_never_kept():
    """A template rendered without the request's context processors (the settings and links the
    block shows are missing) must not become every later page's header."""
    template = Template('{% load portal_tags %}{% constant "t" %}[{{ links.home }}]{% endconstant %}')
    assert template.render(Context({})) == "[]"
    request = visitor()
    assert template.render(RequestContext(request, {"links": {"home": "/"}})) == "[/]"


def test_a_constant_block_needs_one_quoted_name():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load portal_tags %}{% constant name %}x{% endconstant %}")


def test_two_visitors_get_their_own_name_search_and_token(client):
    """The header around the kept parts: the person's name, the search typed, the CSRF token and the
    language buttons follow the request."""
    first, second = UserFactory(full_name="Nguyễn Thị Một"), UserFactory(full_name="Trần Văn Hai")
    client.force_login(first)
    page_one = client.get(reverse("procedures:list"), {"q": "khai sinh"}).content.decode()
    client.logout()
    client.force_login(second)
    page_two = client.get(reverse("procedures:list"), {"q": "kết hôn"}).content.decode()
    assert "Nguyễn Thị Một" in page_one and "Nguyễn Thị Một" not in page_two
    assert "Trần Văn Hai" in page_two
    assert 'value="khai sinh"' in page_one and 'value="kết hôn"' in page_two
    # Every rendering masks the token afresh: a token kept in a constant block would repeat.
    tokens_one, tokens_two = TOKEN.findall(page_one), TOKEN.findall(page_two)
    assert len(tokens_one) == len(tokens_two) == 2  # the language switch and logout forms
    assert not set(tokens_one) & set(tokens_two)
    english = client.post(reverse("set_language"), {"language": "en", "next": "/procedures/"}, follow=True)
    text = english.content.decode()
    assert 'lang="en"' in text and "Log out" in text
    assert 'value="en" class="btn btn-sm btn-light"' in text


@override_settings(PORTAL_NAME="Cổng thử nghiệm")
def test_a_changed_setting_shows_after_the_kept_parts_are_forgotten(client):
    forget_constants()
    assert "Cổng thử nghiệm" in client.get(reverse("portal:home")).content.decode()
