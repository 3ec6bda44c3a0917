import pytest
from django.urls import reverse

from procedures.constants import VersionStatus
from procedures.selectors import procedure_list_published
from procedures.services import procedure_version_clone
from tests.factories import AgencyFactory, ProcedureFactory, SectorFactory, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    civil = SectorFactory(code="HT", name="Hộ tịch")
    other = SectorFactory(code="CT", name="Chứng thực")
    birth = make_version(ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", sector=civil))
    late_birth = make_version(ProcedureFactory(code="1.004884", name="Đăng ký lại khai sinh", sector=civil))
    make_version(
        ProcedureFactory(code="2.000815", name="Chứng thực bản sao từ bản chính", sector=other),
        description="Cấp bản sao có chứng thực cho giấy khai sinh và giấy tờ khác",
    )
    make_version(
        ProcedureFactory(code="1.000656", name="Đăng ký khai tử", sector=civil),
        online_level="partial",
        partial_reason="Nộp bản chính giấy báo tử",
    )
    return {"birth": birth, "late_birth": late_birth}


@pytest.mark.parametrize("q", ["dang ky khai sinh", "Đăng ký khai sinh", "DANG KY KHAI SINH", "đăng KÝ khai SINH"])
def test_search_ignores_diacritics_and_case(catalog, q):
    codes = [v.procedure.code for v in procedure_list_published(q=q)]
    assert codes[0] == "1.001193"  # the exact name phrase ranks first
    assert set(codes) == {"1.001193", "1.004884"}


def test_search_covers_code_sector_and_description_and_ranks_names_first(catalog):
    assert [v.procedure.code for v in procedure_list_published(q="1.001193")] == ["1.001193"]
    assert {v.procedure.code for v in procedure_list_published(q="chung thuc")} == {"2.000815"}
    codes = [v.procedure.code for v in procedure_list_published(q="khai sinh")]
    # The copy certification mentions "khai sinh" only in its description: it comes last.
    assert codes[-1] == "2.000815" and len(codes) == 3


def test_filters(catalog):
    assert {v.procedure.code for v in procedure_list_published(sector="CT")} == {"2.000815"}
    assert {v.procedure.code for v in procedure_list_published(online_level="partial")} == {"1.000656"}
    agency = AgencyFactory(code="X1")
    catalog["birth"].procedure.agencies.add(agency)
    assert {v.procedure.code for v in procedure_list_published(agency="X1")} == {"1.001193"}


def test_drafts_and_retired_versions_are_not_listed(catalog):
    hidden = make_version(ProcedureFactory(name="Thủ tục nháp khai sinh"), status=VersionStatus.DRAFT)
    codes = {v.procedure.code for v in procedure_list_published(q="khai sinh")}
    assert hidden.procedure.code not in codes


def test_list_page_shows_count_and_paginates(client, catalog):
    for _ in range(25):
        make_version()
    response = client.get(reverse("procedures:list"))
    assert response.status_code == 200
    assert "Tìm thấy 29 thủ tục" in response.content.decode()
    assert len(response.context["page"].object_list) == 20
    page2 = client.get(reverse("procedures:list") + "?page=2")
    assert len(page2.context["page"].object_list) == 9
    assert client.get(reverse("procedures:list") + "?page=999").status_code == 200  # last page, no error


def test_list_page_query_count_is_fixed(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("procedures:list") + "?q=khai+sinh")
    for _ in range(30):
        make_version()
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("procedures:list"))


def test_detail_page_shows_what_a_citizen_needs(client, catalog):
    agency = AgencyFactory(code="H15.50.05.01", name="UBND Thị trấn Chi Nê")
    catalog["birth"].procedure.agencies.add(agency)
    response = client.get(reverse("procedures:detail", args=["1.001193"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in html and "5 ngày làm việc" in html
    assert "Giấy tờ 1" in html and "10.000" in html  # component and fee
    assert "UBND Thị trấn Chi Nê" in html
    assert 'href="/dossiers/new/1.001193/"' in html


def test_detail_query_count_is_fixed(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("procedures:detail", args=["1.001193"]))
    big = make_version(components=25, fields=30, fees=6)
    for n in range(8):
        big.procedure.agencies.add(AgencyFactory(code=f"Q{n}"))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("procedures:detail", args=[big.procedure.code]))


def test_detail_shows_the_published_version_while_a_draft_is_edited(client, catalog):
    draft = procedure_version_clone(version=catalog["birth"])
    draft.description = "Nội dung nháp chưa công bố"
    draft.save()
    html = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()
    assert "Nội dung nháp chưa công bố" not in html


def test_unknown_or_unpublished_procedure_is_404(client):
    assert client.get(reverse("procedures:detail", args=["0.000000"])).status_code == 404
    draft = make_version(status=VersionStatus.DRAFT)
    assert client.get(reverse("procedures:detail", args=[draft.procedure.code])).status_code == 404


def test_preview_is_for_staff_only(client, catalog):
    from portal.constants import Role
    from tests.factories import MembershipFactory, UserFactory

    url = reverse("procedures:preview", args=[catalog["birth"].pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(is_staff=True))  # the flag alone opens nothing
    assert client.get(url).status_code == 403
    client.force_login(MembershipFactory(role=Role.CATALOG_ADMIN).user)
    response = client.get(url)
    assert response.status_code == 200 and "Trường 0" in response.content.decode()
    response = client.post(url, {})
    assert "Vui lòng nhập thông tin này." in response.content.decode()


def test_detail_shows_a_newly_published_version_at_once(client, catalog):
    from procedures.services import procedure_version_publish, procedure_version_update_draft

    url = reverse("procedures:detail", args=["1.001193"])
    assert "5 ngày làm việc" in client.get(url).content.decode()  # the first version is now kept
    draft = procedure_version_clone(version=catalog["birth"])
    procedure_version_update_draft(version=draft, processing_time_value=3)
    procedure_version_publish(version=draft)
    html = client.get(url).content.decode()
    assert "3 ngày làm việc" in html and "5 ngày làm việc" not in html


def fee_bearing(payment_stage, **content):
    from procedures.models import FeeExemption, FeeItem, FormField

    version = make_version(status=VersionStatus.DRAFT, fees=0, payment_stage=payment_stage, **content)
    FormField.objects.create(
        version=version, order=9, key="copies", label_vi="Số bản sao đề nghị cấp", field_type="number"
    )
    per_copy = FeeItem.objects.create(version=version, name="Phí cấp bản sao", amount=8000, quantity_field="copies")
    fixed = FeeItem.objects.create(version=version, order=1, name="Lệ phí", amount=15000, note="Theo Nghị quyết")
    FeeExemption.objects.create(fee=fixed, category="Hộ nghèo", percent=100, reason="Khoản 1 Điều 11 Luật Hộ tịch")
    FeeExemption.objects.create(fee=fixed, category="Sinh viên", percent=50, reason="Thông tư số 244/2016/TT-BTC")
    version.status = VersionStatus.PUBLISHED
    version.save(update_fields=["status"])
    return version, per_copy


def test_detail_shows_each_fee_per_unit_its_exemptions_and_when_to_pay(client):
    version, _ = fee_bearing("on_submission")
    html = client.get(reverse("procedures:detail", args=[version.procedure.code])).content.decode()
    assert "8.000 đồng × Số bản sao đề nghị cấp" in html
    assert "15.000 đồng" in html and "Theo Nghị quyết" in html
    assert "Miễn 100 % cho: Hộ nghèo (Khoản 1 Điều 11 Luật Hộ tịch)" in html
    assert "Giảm 50 % cho: Sinh viên (Thông tư số 244/2016/TT-BTC)" in html
    assert "Nộp phí khi nộp hồ sơ trực tuyến" in html

    later, _ = fee_bearing("after_appraisal")
    html = client.get(reverse("procedures:detail", args=[later.procedure.code])).content.decode()
    assert "Nộp phí sau khi cơ quan thẩm định hồ sơ" in html and "Nộp phí khi nộp hồ sơ" not in html


def test_a_version_that_charges_nothing_says_nothing_about_paying(client):
    from procedures.models import FeeItem

    version = make_version(status=VersionStatus.DRAFT, fees=0, payment_stage="on_submission")
    FeeItem.objects.create(version=version, name="Lệ phí đăng ký khai sinh đúng hạn", amount=0)
    version.status = VersionStatus.PUBLISHED
    version.save(update_fields=["status"])
    html = client.get(reverse("procedures:detail", args=[version.procedure.code])).content.decode()
    assert "Lệ phí đăng ký khai sinh đúng hạn</strong>: miễn" in html
    assert 'id="payment-stage"' not in html and "Nộp phí" not in html


def test_the_api_gives_the_fee_details_and_when_to_pay(client):
    version, per_copy = fee_bearing("on_submission")
    body = client.get(f"/api/v1/procedures/{version.procedure.code}/").json()
    assert body["payment_stage"] == "on_submission"
    assert body["fees"][0] == {
        "name": "Phí cấp bản sao",
        "amount": 8000,
        "quantity_field": "copies",
        "note": "",
        "exemptions": [],
    }
    assert [(e["category"], e["percent"], e["reason"]) for e in body["fees"][1]["exemptions"]] == [
        ("Hộ nghèo", 100, "Khoản 1 Điều 11 Luật Hộ tịch"),
        ("Sinh viên", 50, "Thông tư số 244/2016/TT-BTC"),
    ]
    assert all(isinstance(e["id"], int) for e in body["fees"][1]["exemptions"])
