import pytest
from django.db import connection
from django.urls import reverse

from dossiers import queues
from dossiers.models import Dossier
from portal.constants import Role
from tests.dossiers.test_concurrency import clone_ready_draft
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def make_filed(ready_draft, citizen, n):
    from dossiers.services import filing

    drafts = [ready_draft, *clone_ready_draft(ready_draft, n - 1)]
    return [filing.dossier_submit(dossier=d, actor=citizen, declaration=True) for d in drafts]


@pytest.mark.parametrize("size", [5, 40])
def test_queue_page_runs_at_most_12_queries_whatever_the_page_size(
    client, ready_draft, citizen, staff, size, django_assert_max_num_queries, monkeypatch
):
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
        seen += [d.code for d, *_rest in response.context["rows"]]
        if not response.context["next_cursor"]:
            break
        url = reverse("dossiers:desk_queue") + f"?tab=all&after={response.context['next_cursor']}"
    assert sorted(seen) == sorted(d.code for d in filed) and len(seen) == len(set(seen))


def test_search_ignores_diacritics_and_finds_by_cccd(client, filed, staff):
    client.force_login(staff.desk)
    for q in ("nguyen van bo", "NGUYỄN VĂN BỐ", "017095001111", filed.code):
        rows = client.get(reverse("dossiers:desk_queue"), {"tab": "all", "q": q}).context["rows"]
        assert [d.code for d, *_rest in rows] == [filed.code], q
    assert client.get(reverse("dossiers:desk_queue"), {"tab": "all", "q": "khong co"}).context["rows"] == []


def test_counts_and_urgency(client, filed, staff):
    from django.utils import timezone

    Dossier.objects.filter(pk=filed.pk).update(priority_at=timezone.now() - timezone.timedelta(hours=1))
    client.force_login(staff.desk)
    response = client.get(reverse("dossiers:desk_queue"))
    assert {t.key: n for t, n in response.context["tab_items"]}["check"] == 1
    assert response.context["rows"][0][1] == "overdue"
    assert client.get(reverse("dossiers:desk_queue"), {"due": "overdue"}).context["rows"][0][0].code == filed.code


def test_a_row_shows_its_link_urgency_and_an_escaped_applicant_name(client, filed, staff):
    from django.utils import timezone

    snapshot = {**filed.applicant_snapshot, "full_name": '<script>alert("x")</script> Lò Thị Mai'}
    Dossier.objects.filter(pk=filed.pk).update(
        applicant_snapshot=snapshot, priority_at=timezone.now() - timezone.timedelta(hours=1)
    )
    client.force_login(staff.desk)
    html = client.get(reverse("dossiers:desk_queue"), {"tab": "check"}).content.decode()
    row = html[html.index('<tr class="table-danger">') :]
    row = row[: row.index("</tr>")]
    assert f'href="{reverse("dossiers:desk_dossier", args=[filed.code])}"' in row
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Lò Thị Mai" in row and "<script>" not in row
    assert "Quá hạn" in row and f">{Dossier.objects.get(pk=filed.pk).get_stage_display()}<" in row


def test_each_tab_page_is_a_union_of_index_ordered_page_sized_scans(ready_draft, citizen, staff):
    """Every (agency, stage) branch is limited to a page in index order, so a page reads about
    branches x page rows, never the agency's history. The plans themselves are checked at bench
    scale by `make bench` (bench/), where the planner sees real row counts."""
    from django.test.utils import CaptureQueriesContext

    make_filed(ready_draft, citizen, 3)
    memberships = queues.staff_memberships(staff.desk)
    for tab in queues.tabs_for(memberships):
        with CaptureQueriesContext(connection) as queries:
            queues.queue_page(user=staff.desk, memberships=memberships, tab=tab, filters=queues.Filters(), size=25)
        # One statement: the page's ids and their rows (dossiers.queues._branches).
        assert len(queries.captured_queries) == 1, [q["sql"][:80] for q in queries.captured_queries]
        page_sql = queries.captured_queries[0]["sql"]
        assert "part0" in page_sql and "page.id" in page_sql and "procedures_procedure" in page_sql
        branches = 1 if tab.index_where is not None else len(tab.stages)
        direction = "DESC" if tab.newest_first else "ASC"
        assert page_sql.count("UNION ALL") == branches - 1, (tab.key, page_sql)
        assert page_sql.count("LIMIT 26") == branches + 1, (tab.key, page_sql)
        assert page_sql.count(f"ORDER BY 1 {direction}, 2 {direction}") == branches + 1, (tab.key, page_sql)
        assert page_sql.count('"agency_id" = ') == branches, (tab.key, page_sql)


def test_a_status_filter_on_a_long_tab_reads_only_the_stages_of_that_status(ready_draft, citizen, staff):
    from django.test.utils import CaptureQueriesContext

    make_filed(ready_draft, citizen, 2)
    memberships = queues.staff_memberships(staff.desk)
    history = next(t for t in queues.TABS if t.key == "all")
    with CaptureQueriesContext(connection) as queries:
        items, _cursor = queues.queue_page(
            user=staff.desk, memberships=memberships, tab=history, filters=queues.Filters(status="supplement_requested")
        )
    page_sql = next(q["sql"] for q in queries.captured_queries if "part0" in q["sql"])
    assert items == [] and page_sql.count("UNION ALL") == 1, page_sql  # intake and appraisal supplements
    items, _cursor = queues.queue_page(
        user=staff.desk, memberships=memberships, tab=history, filters=queues.Filters(status="new")
    )
    assert len(items) == 2


def test_counts_come_from_the_counters_not_from_the_dossiers(
    client, ready_draft, citizen, staff, django_assert_max_num_queries
):
    from django.test.utils import CaptureQueriesContext

    make_filed(ready_draft, citizen, 3)
    client.force_login(staff.desk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dossiers:desk_queue"))
    counts = {t.key: n for t, n in response.context["tab_items"]}
    assert counts["check"] == 3 and counts["all"] == 3
    aggregates = [
        q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper() or "SUM(" in q["sql"].upper()
    ]
    assert aggregates and all("dossiers_dossier" not in sql for sql in aggregates), aggregates


def test_tab_counts_follow_each_move(ready_draft, citizen, staff):
    from dossiers.services import citizen as citizen_services
    from dossiers.services import desk
    from tests.dossiers.conftest import run_to

    one, two, three = make_filed(ready_draft, citizen, 3)
    run_to(one, "appraising", staff)
    run_to(two, "returned", staff)
    appraising = run_to(three, "appraising", staff)
    desk.dossier_request_supplement(
        dossier=appraising,
        actor=staff.specialist,
        items=[{"kind": "field", "ref": "ho_ten_tre", "reason": "Sai chính tả"}],
    )
    back = citizen_services.dossier_submit_supplement(dossier=appraising, actor=citizen)
    assert back.stage == "appraising" and back.previous_stage == "processing_supplement"

    def counts(user):
        memberships = queues.staff_memberships(user)
        return queues.tab_counts(user=user, memberships=memberships, tabs=queues.tabs_for(memberships))

    assert counts(staff.specialist)["to_appraise"] == 2
    assert counts(staff.specialist)["supplemented"] == 1 and counts(staff.desk)["supplemented"] == 1
    assert counts(staff.leader)["to_assign"] == 0 and counts(staff.leader)["all"] == 3
    other = MembershipFactory(agency=one.agency, role=Role.SPECIALIST).user
    assert counts(other)["to_appraise"] == 0


def test_recount_repairs_a_drifted_counter(filed):
    from dossiers.models import QueueCounter
    from dossiers.services.counters import recount_queue_counters

    assert recount_queue_counters() == 0
    QueueCounter.objects.filter(stage="checking").update(n=7)
    QueueCounter.objects.create(agency=filed.agency, stage="returned", n=2)
    assert recount_queue_counters() == 2
    assert list(QueueCounter.objects.values_list("stage", "n")) == [("checking", 1)]


def test_a_desk_officer_of_the_only_desk_sees_the_whole_agency_and_of_one_of_two_only_that_desk(agency):
    from portal.models import Desk
    from tests.factories import DeskFactory, UserFactory

    officer = UserFactory()
    only_desk = Desk.objects.get(agency=agency)
    MembershipFactory(user=officer, agency=agency, role=Role.DESK_OFFICER, desk=only_desk)
    assert queues.scopes_of(queues.staff_memberships(officer)) == [queues.Scope(agency.pk)]
    DeskFactory(agency=agency, code="MC-H99.01-2")
    officer = type(officer).objects.get(pk=officer.pk)  # memberships are read once per request
    assert queues.scopes_of(queues.staff_memberships(officer)) == [queues.Scope(agency.pk, (only_desk.pk,))]


def test_a_desk_officers_counts_are_her_desks_and_the_ones_tied_to_no_desk(agency):
    """Scope.counter_cells: an officer of one of two desks counts her desk's cells and desk 0 (dossiers
    tied to no desk), never the other desk's; an officer of the whole agency counts them all."""
    from dossiers.models import QueueCounter
    from portal.models import Desk
    from tests.factories import DeskFactory, UserFactory

    mine, other = Desk.objects.get(agency=agency), DeskFactory(agency=agency, code="MC-H99.01-2")
    for desk_id, n in ((mine.pk, 2), (other.pk, 5), (0, 1)):
        QueueCounter.objects.create(agency=agency, desk_id=desk_id, stage="checking", n=n)
    tied, whole = UserFactory(), UserFactory()
    MembershipFactory(user=tied, agency=agency, role=Role.DESK_OFFICER, desk=mine)
    MembershipFactory(user=whole, agency=agency, role=Role.DESK_OFFICER)

    def check_count(user):
        memberships = queues.staff_memberships(user)
        return queues.tab_counts(user=user, memberships=memberships, tabs=queues.tabs_for(memberships))["check"]

    counted = check_count(tied), check_count(whole)
    QueueCounter.objects.all().delete()  # cells made by hand: no dossier stands behind them
    assert counted == (3, 8)


def test_a_search_reads_the_newest_rows_first_and_pages_the_same_as_the_trigram_index(
    client, ready_draft, citizen, staff, monkeypatch
):
    """A common word fills the page from windows of the newest rows in the history index's order (one
    query, no sort of every match); a rare one falls back to the trigram index, unless the windows
    reach the scope's end. Either way the pages are the same as without the windows, each match once."""
    from django.test.utils import CaptureQueriesContext

    from dossiers.views import desk as desk_views

    filed = make_filed(ready_draft, citizen, 14)
    # Newest first by priority: the oldest dossier is the only "hiem"; every third is a "khanh".
    for n, dossier in enumerate(sorted(filed, key=lambda d: (d.priority_at, d.pk))):
        name = "hiem co" if n == 0 else "khanh" if n % 3 else "binh"
        mark = "axb" if name == "binh" else "a_b"
        Dossier.objects.filter(pk=dossier.pk).update(search_text=f"{dossier.code.lower()} {name} {mark}")
    monkeypatch.setattr(desk_views, "PAGE_SIZE", 2)
    client.force_login(staff.desk)

    def walk(q):
        seen, url, queries = [], reverse("dossiers:desk_queue") + f"?tab=all&q={q}", []
        while url:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            queries.append([x["sql"] for x in captured.captured_queries if "search_text" in x["sql"]])
            seen += [d.code for d, *_rest in response.context["rows"]]
            cursor = response.context["next_cursor"]
            url = reverse("dossiers:desk_queue") + f"?tab=all&q={q}&after={cursor}" if cursor else ""
        return seen, queries

    def where(sql):
        return sql.split(' FROM "dossiers_dossier"', 1)[1]

    monkeypatch.setattr(queues, "SEARCH_WINDOW", 0)  # the trigram index alone
    expected = {q: walk(q)[0] for q in ("khanh", "hiem", "a_b", "axb")}
    assert len(expected["khanh"]) == 9 and len(set(expected["khanh"])) == 9
    assert len(expected["hiem"]) == 1 and len(expected["a_b"]) == 10 and len(expected["axb"]) == 4

    monkeypatch.setattr(queues, "SEARCH_WINDOW", 6)
    monkeypatch.setattr(queues, "SEARCH_WINDOWS", 2)
    khanh, queries = walk("khanh")
    assert khanh == expected["khanh"]
    assert [len(q) for q in queries[:2]] == [1, 1]  # a full page from the first window: one query
    # A window marks its rows (the LIKE in its select list) and filters none by the words.
    assert '"hit"' in queries[0][0] and "LIKE" not in where(queries[0][0]) and "LIMIT 6" in queries[0][0]
    hiem, queries = walk("hiem")
    assert hiem == expected["hiem"] and [len(q) for q in queries] == [3]  # two windows, then the index
    assert "LIKE" in where(queries[0][-1])
    monkeypatch.setattr(queues, "SEARCH_WINDOWS", 3)
    hiem, queries = walk("hiem")
    assert hiem == expected["hiem"] and [len(q) for q in queries] == [3]  # 6 + 6 + 2 rows: the scope's end
    assert not any("LIKE" in where(sql) for sql in queries[0])
    assert walk("a_b")[0] == expected["a_b"] and walk("axb")[0] == expected["axb"]  # "_" is no wildcard


def test_a_queue_without_filters_builds_no_filter_form_and_one_with_them_does(client, filed, staff, monkeypatch):
    from dossiers.filters import QueueFilter

    client.force_login(staff.desk)
    built = []
    original = QueueFilter.for_page.__func__
    monkeypatch.setattr(QueueFilter, "for_page", classmethod(lambda cls, q: built.append(q) or original(cls, q)))
    rows = client.get(reverse("dossiers:desk_queue"), {"tab": "all", "after": "", "q": " "}).context["rows"]
    assert [d.code for d, *_rest in rows] == [filed.code] and built == []
    assert client.get(reverse("dossiers:desk_queue"), {"tab": "all", "q": "khong co"}).context["rows"] == []
    assert client.get(reverse("dossiers:desk_queue"), {"tab": "all", "channel": "bogus"}).context["rows"] != []
    assert len(built) == 2
    assert QueueFilter.form_class() is QueueFilter.form_class()  # built once per process


def test_a_branch_compiled_once_is_bound_to_each_requests_values(ready_draft, citizen, staff, monkeypatch):
    """A tab's branch is compiled once per shape with stand-ins, then bound: another agency, channel,
    due date and cursor each get their own rows, and asking a shape again compiles nothing."""
    from django.utils import timezone

    from dossiers.services.counters import recount_queue_counters
    from tests.factories import AgencyFactory, UserFactory

    filed = make_filed(ready_draft, citizen, 8)
    now = timezone.now()
    for i, dossier in enumerate(filed):  # due in order: 0 and 1 overdue, the rest later
        Dossier.objects.filter(pk=dossier.pk).update(priority_at=now + timezone.timedelta(hours=i - 2))
    other = AgencyFactory()
    Dossier.objects.filter(pk__in=[d.pk for d in filed[5:]]).update(agency=other, desk=None)
    Dossier.objects.filter(pk__in=[filed[1].pk, filed[6].pk]).update(channel="post")
    recount_queue_counters()  # the counters follow the moves made by hand above
    officer = UserFactory()
    MembershipFactory(user=officer, agency=other, role=Role.DESK_OFFICER)
    tab = next(t for t in queues.TABS if t.key == "check")
    compiled = []
    real = queues._compile_branch
    monkeypatch.setattr(queues, "_compile_branch", lambda *args: compiled.append(args) or real(*args))
    monkeypatch.setattr(queues, "_COMPILED", {})

    def codes(user, after="", **filters):
        memberships = queues.staff_memberships(type(user).objects.get(pk=user.pk))
        rows, cursor = queues.queue_page(
            user=user, memberships=memberships, tab=tab, filters=queues.Filters(**filters), after=after, size=2, now=now
        )
        return [row.code for row in rows], cursor

    def code(*indexes):
        return [filed[i].code for i in indexes]

    first, cursor = codes(staff.desk)
    assert first == code(0, 1) and codes(staff.desk, after=cursor)[0] == code(2, 3)
    assert codes(officer) == (code(5, 6), codes(officer)[1]) and codes(officer, after=codes(officer)[1])[0] == code(7)
    assert codes(staff.desk, channel="post")[0] == code(1) and codes(officer, channel="post")[0] == code(6)
    assert codes(staff.desk, due="overdue")[0] == code(0, 1) and codes(officer, due="overdue")[0] == []
    assert codes(staff.desk, channel="online", due="overdue")[0] == code(0)
    # Shapes asked: first page, next page, channel, overdue, channel and overdue: five compilations.
    assert len(compiled) == 5


def test_a_desk_officers_scope_needs_no_query_beyond_her_memberships(agency, django_assert_num_queries):
    """The agency's number of desks comes with the memberships: a desk officer of one of two desks
    is held to it, of the only desk sees the agency, with no further query; a membership naming
    another agency's desk does not make her desk the agency's only one."""
    from portal.models import Desk
    from tests.factories import AgencyFactory, DeskFactory, UserFactory

    first = Desk.objects.get(agency=agency)
    second = DeskFactory(agency=agency, code="MC-H99.01-2")
    officer, stray = UserFactory(), UserFactory()
    MembershipFactory(user=officer, agency=agency, role=Role.DESK_OFFICER, desk=first)
    elsewhere = DeskFactory(agency=AgencyFactory(code="H99.77"), code="MC-H99.77")
    MembershipFactory(user=stray, agency=agency, role=Role.DESK_OFFICER, desk=elsewhere)

    def scopes(user):
        memberships = queues.staff_memberships(type(user).objects.get(pk=user.pk))
        with django_assert_num_queries(0):
            return queues.scopes_of(memberships)

    assert scopes(officer) == [queues.Scope(agency.pk, (first.pk,))]
    second.delete()
    assert scopes(officer) == [queues.Scope(agency.pk)]
    assert scopes(stray) == [queues.Scope(agency.pk, (elsewhere.pk,))]
