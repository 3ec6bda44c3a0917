"""{% filter_field %}: a filter form's field drawn without crispy's templates, with the value kept,
every value escaped, and the error tied to its control."""

from django import forms
from django.template import Context, Template


class Filters(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=[("a", "Một"), ('"><b>', "<i>Hai</i>")], required=False)
    start = forms.DateField(label="Từ ngày", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label="Tìm", required=False)


def draw(form, name):
    return Template("{% load portal_tags %}{% filter_field field %}").render(Context({"field": form[name]}))


def test_the_choice_made_is_selected_and_every_value_is_escaped():
    html = draw(Filters({"kind": '"><b>'}), "kind")
    assert '<option value="&quot;&gt;&lt;b&gt;" selected>&lt;i&gt;Hai&lt;/i&gt;</option>' in html
    assert '<option value="a">Một</option>' in html and "<b>" not in html and "<i>" not in html
    assert '<label for="id_kind" class="form-label">Loại</label>' in html


def test_a_bad_date_keeps_what_was_typed_and_says_why():
    form = Filters({"start": "31/02/2026", "q": '<script>"x"'})
    assert not form.is_valid()
    html = draw(form, "start")
    assert 'type="date"' in html and 'value="31/02/2026"' in html and "is-invalid" in html
    assert 'aria-describedby="id_start-error"' in html and 'id="id_start-error"' in html
    assert 'value="&lt;script&gt;&quot;x&quot;"' in draw(form, "q")


def test_an_unbound_date_shows_its_initial_value_as_iso():
    import datetime as dt

    form = Filters(initial={"start": dt.date(2026, 1, 31)})
    assert 'value="2026-01-31"' in draw(form, "start")
