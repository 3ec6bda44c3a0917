import pytest
from django.db import connection
from django.urls import reverse

from dossiers import queues
from dossiers.models import Dossier
from tests.conftest import unavailable
from tests.dossiers.test_concurrency import clone_ready_draft

pytestmark = pytest.mark.django_db


def make_filed(ready_draft, citizen, n):
    from dossiers.services import filing

    drafts = [ready_draft, *clone_ready_draft(ready_draft, n - 1)]
    return [filing.dossier_submit(dossier=d, actor=citizen, declaration=True) for d in drafts]


@pytest.mark.parametrize("size", [5, 40])
def test_queue_page_runs_at_most_12_queries_whatever_the_page_size(client, ready_draft, citizen, staff, size,
                                                                    django_assert_max_num_queries, monkeypatch):
    from dossiers.views import desk as desk_views

    make_filed(ready_draft, citizen, 45)
    monkeypatch.setattr(desk_views, "PAGE_SIZE", size)
    client.force_login(staff.desk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dossiers:desk_queue") + "?tab=check&q=nguyen")
    assert len(response.context["rows"]) == size


def test_keyset_pages_cover_every_dossier_once(client, ready_draft, citizen, staff, monkeypatch):
    from dossiers.views import desk as desk_views

    filed = make_filed(ready_draft, citizen, 12)
    monkeypatch.setattr(desk_views, "PAGE_SIZE", 5)
    client.force_login(staff.desk)
    seen, url = [], reverse("dossiers:desk_queue") + "?tab=all"
    for _ in range(5):
        response = client.get(url)
        seen += [d.code for d, _u in response.context["rows"]]
        if not response.context["next_cursor"]:
            break
        url = reverse("dossiers:desk_queue") + f"?tab=all&after={response.context['next_cursor']}"
    assert sorted(seen) == sorted(d.code for d in filed) and len(seen) == len(set(seen))


def test_search_ignores_diacritics_and_finds_by_cccd(client, filed, staff):
    client.force_login(staff.desk)
    for q in ("nguyen van bo", "NGUYỄN VĂN BỐ", "017095001111", filed.code):
        rows = client.get(reverse("dossiers:desk_queue"), {"tab": "all", "q": q}).context["rows"]
        assert [d.code for d, _u in rows] == [filed.code], q
    assert client.get(reverse("dossiers:desk_queue"), {"tab": "all", "q": "khong co"}).context["rows"] == []


def test_counts_and_urgency(client, filed, staff):
    from django.utils import timezone

    Dossier.objects.filter(pk=filed.pk).update(priority_at=timezone.now() - timezone.timedelta(hours=1))
    client.force_login(staff.desk)
    response = client.get(reverse("dossiers:desk_queue"))
    assert {t.key: n for t, n in response.context["tab_items"]}["check"] == 1
    assert response.context["rows"][0][1] == "overdue"
    assert client.get(reverse("dossiers:desk_queue"), {"due": "overdue"}).context["rows"][0][0] == filed


def test_queue_query_uses_the_queue_index_on_postgresql(ready_draft, citizen, staff):
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL (set DATABASE_URL)")
    make_filed(ready_draft, citizen, 30)
    memberships = queues.staff_memberships(staff.desk)
    tab = next(t for t in queues.TABS if t.key == "check")
    rows = queues.queue(user=staff.desk, memberships=memberships, tab=tab, filters=queues.Filters())
    sql, params = rows[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dossier_queue_idx" in plan, plan
