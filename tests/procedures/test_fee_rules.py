"""The catalog's fee rules: a per-unit fee names a number field of its version, exemptions are 1-100 %,
both change only on drafts, a new draft copies them, and catalog admins edit them in the admin."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.constants import Role
from procedures.constants import PaymentStage, VersionStatus
from procedures.exceptions import VersionStateError
from procedures.models import FeeExemption, FeeItem, FormField
from procedures.services import procedure_version_clone, procedure_version_publish, procedure_version_replace_parts
from tests.factories import MembershipFactory, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    version = make_version(status=VersionStatus.DRAFT, fees=0, fields=1)  # truong_0: a text field
    FormField.objects.create(version=version, order=5, key="copies", label_vi="Số bản", field_type="number")
    return version


def fee_errors(fee):
    with pytest.raises(ValidationError) as info:
        fee.full_clean()
    return info.value.message_dict


def test_a_per_unit_fee_names_a_number_field_of_its_own_version(draft):
    FeeItem(version=draft, name="Phí", amount=8000, quantity_field="copies").full_clean()
    FeeItem(version=draft, name="Phí", amount=8000).full_clean()  # blank: a fixed fee
    wrong_type = fee_errors(FeeItem(version=draft, name="Phí", amount=8000, quantity_field="truong_0"))
    assert wrong_type["quantity_field"] == [
        "Trường “truong_0” không phải kiểu Số: phí tính theo đơn vị cần một trường kiểu Số."
    ]
    unknown = fee_errors(FeeItem(version=draft, name="Phí", amount=8000, quantity_field="so_trang"))
    assert "không có trường mã “so_trang”" in unknown["quantity_field"][0]
    other = make_version(status=VersionStatus.DRAFT, fees=0, fields=0)
    assert "quantity_field" in fee_errors(FeeItem(version=other, name="Phí", amount=1, quantity_field="copies"))


def test_an_exemption_is_1_to_100_percent_with_who_and_why(draft):
    fee = FeeItem.objects.create(version=draft, name="Phí", amount=8000)
    FeeExemption(fee=fee, category="Hộ nghèo", percent=100, reason="Điều 11").full_clean()
    for percent in (0, 101):
        with pytest.raises(ValidationError) as info:
            FeeExemption(fee=fee, category="Hộ nghèo", percent=percent, reason="Điều 11").full_clean()
        assert "percent" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        FeeExemption(fee=fee, category="", percent=50, reason="").full_clean()
    assert {"category", "reason"} <= set(info.value.message_dict)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        FeeExemption.objects.create(fee=fee, category="Hộ nghèo", percent=101, reason="Điều 11")


def test_a_published_versions_exemptions_cannot_change(draft):
    fee = FeeItem.objects.create(version=draft, name="Phí", amount=8000)
    exemption = FeeExemption.objects.create(fee=fee, category="Hộ nghèo", percent=100, reason="Điều 11")
    draft.status = VersionStatus.PUBLISHED
    draft.save(update_fields=["status"])
    exemption.percent = 50
    with pytest.raises(ValidationError, match="Phiên bản đã công bố không được sửa"):
        exemption.save()
    with pytest.raises(ValidationError):
        exemption.delete()
    with pytest.raises(ValidationError):
        FeeExemption.objects.create(fee=fee, category="Trẻ em", percent=100, reason="Luật Trẻ em")
    assert FeeExemption.objects.get().percent == 100


def test_a_new_draft_copies_each_fees_exemptions_and_quantity_field(draft):
    per_copy = FeeItem.objects.create(version=draft, order=0, name="Phí bản sao", amount=8000, quantity_field="copies")
    fixed = FeeItem.objects.create(version=draft, order=1, name="Lệ phí", amount=20000)
    FeeExemption.objects.create(fee=fixed, category="Sinh viên", percent=50, reason="TT 244")
    FeeExemption.objects.create(fee=fixed, category="Hộ nghèo", percent=100, reason="Điều 11")
    FeeExemption.objects.create(fee=per_copy, category="Trẻ em", percent=100, reason="Luật Trẻ em")
    draft.payment_stage = PaymentStage.ON_SUBMISSION
    draft.save()
    procedure_version_publish(version=draft)

    copy = procedure_version_clone(version=draft)
    fees = list(copy.fees.order_by("order"))
    assert [(f.name, f.quantity_field) for f in fees] == [("Phí bản sao", "copies"), ("Lệ phí", "")]
    assert {f.pk for f in fees}.isdisjoint({per_copy.pk, fixed.pk})
    assert [(e.category, e.percent, e.reason) for e in fees[1].exemptions.all()] == [
        ("Sinh viên", 50, "TT 244"),
        ("Hộ nghèo", 100, "Điều 11"),
    ]
    assert [e.category for e in fees[0].exemptions.all()] == ["Trẻ em"]
    assert fixed.exemptions.count() == 2 and FeeExemption.objects.count() == 6  # the published ones stay
    assert copy.payment_stage == PaymentStage.ON_SUBMISSION
    assert FeeExemption.history.filter(fee_id=fees[1].pk).count() == 2  # kept in the catalog's history


def test_publishing_refuses_a_fee_whose_number_field_was_removed_or_retyped(draft):
    FeeItem.objects.create(version=draft, name="Phí bản sao", amount=8000, quantity_field="copies")
    FormField.objects.filter(version=draft, key="copies").update(field_type="text")
    with pytest.raises(VersionStateError, match="Phí bản sao: Trường “copies” không phải kiểu Số"):
        procedure_version_publish(version=draft)
    FormField.objects.filter(version=draft, key="copies").delete()
    with pytest.raises(VersionStateError, match="không có trường mã “copies”"):
        procedure_version_publish(version=draft)


def test_replacing_parts_saves_fields_before_the_fees_that_name_them_and_the_exemptions(draft):
    fee = FeeItem(name="Phí", amount=5000, quantity_field="so_trang")
    procedure_version_replace_parts(
        version=draft,
        parts={
            "fees": [fee],
            "fields": [FormField(key="so_trang", label_vi="Số trang", field_type="number")],
        },
        exemptions=[[FeeExemption(category="Hộ nghèo", percent=100, reason="Điều 11")]],
    )
    assert list(draft.fees.values_list("quantity_field", flat=True)) == ["so_trang"]
    assert list(FeeExemption.objects.filter(fee=fee).values_list("category", flat=True)) == ["Hộ nghèo"]


# --- the admin --------------------------------------------------------------------------------------


def change_form_data(response) -> dict:
    """What the admin change page posts back unchanged: the version's form and every inline's rows."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue  # none uploaded: the stored file stays
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


@pytest.fixture
def catalog_admin(client):
    client.force_login(MembershipFactory(role=Role.CATALOG_ADMIN).user)
    return client


def test_the_admin_adds_a_number_field_and_a_fee_counted_by_it_in_one_save(catalog_admin):
    version = make_version(status=VersionStatus.DRAFT, fees=0, fields=1)
    url = reverse("admin:procedures_procedureversion_change", args=[version.pk])
    data = change_form_data(catalog_admin.get(url))
    data.update(
        {
            "fields-1-order": "1",
            "fields-1-key": "so_ban",
            "fields-1-label_vi": "Số bản sao",
            "fields-1-field_type": "number",
            "fields-1-required": "on",
            "fields-TOTAL_FORMS": "2",
            "fees-0-order": "0",
            "fees-0-name": "Phí bản sao",
            "fees-0-amount": "8000",
            "fees-0-quantity_field": "so_ban",
            "fees-TOTAL_FORMS": "1",
            "payment_stage": PaymentStage.ON_SUBMISSION,
        }
    )
    response = catalog_admin.post(url, data)
    assert response.status_code == 302, [
        (i.formset.prefix, i.formset.errors, i.formset.non_form_errors())
        for i in response.context["inline_admin_formsets"]
    ] + [response.context["adminform"].form.errors]
    version.refresh_from_db()
    assert version.payment_stage == PaymentStage.ON_SUBMISSION
    assert list(version.fees.values_list("quantity_field", flat=True)) == ["so_ban"]

    data = change_form_data(catalog_admin.get(url))
    data["fields-0-field_type"] = "number"  # truong_0 becomes a number, so_ban is deleted: the fee refers to it
    data["fields-1-DELETE"] = "on"
    response = catalog_admin.post(url, data)
    assert response.status_code == 200
    assert "không có trường mã “so_ban”" in response.content.decode()
    assert version.fields.filter(key="so_ban").exists()  # nothing saved


def test_the_admin_refuses_a_fee_counted_by_a_text_field(catalog_admin):
    version = make_version(status=VersionStatus.DRAFT, fees=1, fields=1)
    url = reverse("admin:procedures_procedureversion_change", args=[version.pk])
    data = change_form_data(catalog_admin.get(url))
    data["fees-0-quantity_field"] = "truong_0"
    response = catalog_admin.post(url, data)
    assert response.status_code == 200
    assert "Trường “truong_0” không phải kiểu Số" in response.content.decode()
    assert version.fees.get().quantity_field == ""


def test_catalog_admins_edit_exemptions_on_a_draft_fees_page_only(catalog_admin):
    version = make_version(status=VersionStatus.DRAFT, fees=1)
    fee = version.fees.get()
    version_page = catalog_admin.get(reverse("admin:procedures_procedureversion_change", args=[version.pk]))
    fee_url = reverse("admin:procedures_feeitem_change", args=[fee.pk])
    assert fee_url in version_page.content.decode()  # the fee row links to its exemptions
    data = change_form_data(catalog_admin.get(fee_url))
    data.update(
        {
            "exemptions-0-category": "Hộ nghèo",
            "exemptions-0-percent": "100",
            "exemptions-0-reason": "Khoản 1 Điều 11 Luật Hộ tịch",
            "exemptions-1-category": "Sinh viên",
            "exemptions-1-percent": "150",
            "exemptions-1-reason": "TT 244",
            "exemptions-TOTAL_FORMS": "2",
        }
    )
    refused = catalog_admin.post(fee_url, data)
    assert refused.status_code == 200 and not fee.exemptions.exists()
    assert refused.context["inline_admin_formsets"][0].formset.errors[1] == {
        "percent": ["Tỷ lệ miễn, giảm là một số nguyên từ 1 đến 100."]
    }
    data["exemptions-1-percent"] = "50"
    response = catalog_admin.post(fee_url, data)
    assert response["Location"] == reverse("admin:procedures_procedureversion_change", args=[version.pk])
    assert list(fee.exemptions.values_list("category", "percent")) == [("Hộ nghèo", 100), ("Sinh viên", 50)]

    version.status = VersionStatus.PUBLISHED
    version.save(update_fields=["status"])
    page = catalog_admin.get(fee_url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert not any(inline.has_add_permission for inline in page.context["inline_admin_formsets"])
    data = change_form_data(page)
    data.update({"exemptions-TOTAL_FORMS": "3", "exemptions-2-category": "Trẻ em", "exemptions-2-reason": "Luật"})
    assert catalog_admin.post(fee_url, data).status_code == 403
    assert fee.exemptions.count() == 2


def test_other_staff_cannot_open_a_fees_page(client):
    fee = make_version(status=VersionStatus.DRAFT, fees=1).fees.get()
    client.force_login(MembershipFactory(role=Role.DESK_OFFICER).user)
    assert client.get(reverse("admin:procedures_feeitem_change", args=[fee.pk]), follow=True).status_code == 403
