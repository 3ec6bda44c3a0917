"""The public catalog API: anonymous, the catalog page's search and filters, keyset pages, the whole
published version of a procedure, and errors in the request's language."""

import pytest
from django.urls import reverse

from tests.factories import ProcedureFactory, make_version

pytestmark = pytest.mark.django_db


def test_anyone_lists_and_searches_published_procedures(client, version):
    draft = make_version(ProcedureFactory(code="9.000001", name="Khai sinh (bản nháp)"), status="draft")
    body = client.get("/api/v1/procedures/").json()
    assert [p["code"] for p in body["results"]] == ["1.001193"] and body["next"] is None
    found = client.get("/api/v1/procedures/", {"q": "khai sinh"}).json()["results"]  # no diacritics
    assert [p["code"] for p in found] == ["1.001193"] and draft.procedure.code not in str(found)
    line = found[0]
    assert line["name"] == "Đăng ký khai sinh" and line["url"].endswith("/api/v1/procedures/1.001193/")
    assert line["page"].endswith(reverse("procedures:detail", args=["1.001193"]))
    assert client.get("/api/v1/procedures/", {"q": "không có thủ tục này"}).json()["results"] == []


def test_a_procedures_detail_has_its_published_parts(client, version, agency):
    body = client.get("/api/v1/procedures/1.001193/").json()
    assert [c["name"] for c in body["components"]] == ["Tờ khai", "Giấy chứng sinh", "Giấy ủy quyền"]
    assert [f["key"] for f in body["fields"]] == ["ho_ten_tre", "ngay_sinh", "gioi_tinh", "cccd_me"]
    assert body["fields"][2]["choices"] == [{"value": "nam", "label": "Nam"}, {"value": "nu", "label": "Nữ"}]
    assert [a["code"] for a in body["agencies"]] == [agency.code]
    assert len(body["fees"]) == 1 and body["processing_time"]["unit"] == version.processing_time_unit
    missing = client.get("/api/v1/procedures/0.000000/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Không tìm thấy.", "code": "not_found"}


def test_pages_follow_the_keyset_to_the_end(client, version, agency):
    for n in range(5):
        make_version(ProcedureFactory(code=f"2.00000{n}", name=f"Thủ tục số {n}"), status="published")
    seen, url = [], "/api/v1/procedures/?page_size=2"
    while url:
        body = client.get(url).json()
        assert len(body["results"]) <= 2
        seen += [p["code"] for p in body["results"]]
        url = body["next"]
    assert len(seen) == 6 == len(set(seen))
    searched, url = [], "/api/v1/procedures/?q=thu+tuc&page_size=2"
    while url:
        body = client.get(url).json()
        searched += [p["code"] for p in body["results"]]
        url = body["next"]
    assert searched == [f"2.00000{n}" for n in range(5)]
    bad = client.get("/api/v1/procedures/", {"cursor": "not-a-cursor"})
    assert bad.status_code == 404 and bad.json()["code"] == "not_found"


def test_a_bad_filter_is_named_in_vietnamese_or_english(client, version):
    response = client.get("/api/v1/procedures/", {"level": "planet"})
    assert response.status_code == 400 and "planet" in response.json()["level"][0]
    assert "lựa chọn hợp lệ" in response.json()["level"][0]  # Vietnamese by default
    english = client.get("/api/v1/procedures/", {"level": "planet"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["level"][0].startswith("Select a valid choice")


def test_sectors_and_agencies_list_those_with_published_procedures(client, version, agency):
    assert client.get("/api/v1/sectors/").json() == [
        {"code": version.procedure.sector.code, "name": version.procedure.sector.name}
    ]
    assert [a["code"] for a in client.get("/api/v1/agencies/").json()] == [agency.code]


def test_an_address_no_endpoint_has_answers_in_json(client):
    for path in ("/api/v1/nothing/", "/api/v1/drafts/not-a-uuid/"):
        response = client.get(path)
        assert response.status_code == 404 and response.json() == {"detail": "Không tìm thấy.", "code": "not_found"}
    assert client.get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == "Not found."
