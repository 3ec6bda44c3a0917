"""Bulk dossiers for the web benchmark, set-based on PostgreSQL: one INSERT ... SELECT per table over a plan
of dossiers built from generate_series, never a loop of ORM saves.

The mix (per agency, growing in place: the k-th dossier of an agency is always the same dossier, so a
database generated at 100,000 grows to 1,000,000 by adding k = 10,000 ... 99,999 per commune):
- submitted over three years (day = k mod 1095 days before the anchor day, its number that day k div 1095,
  so codes `<agency>-<YYMMDD>-<NNNN>` are unique and the desk's own sequence is moved past them);
- about 95 % finished: returned (granted or refused after appraisal), not received, withdrawn (stopped), a few
  recent ones with their result waiting; the rest open over every open stage, most of them recent plus a
  few long-stuck ones;
- previous_stage as transition() records it (some checking/appraising rows back from a supplement), the
  agency's specialists as assignees from appraisal on, timestamps ordered as the services set them;
- Vietnamese applicant names from a pool of citizen accounts, search_text as filing.dossier_search_text
  builds it (normalize_search of code, name and CCCD);
- events along each dossier's path (at least 3 a dossier; their hash chains are left empty, so
  `verify_audit` does not pass on generated rows), one attachment row per required component (all pointing
  at one small shared file), supplement requests where the path had one, ratings for 30 % of the returned.

`worst case`: one agency whose 100,000 dossiers are all open, filed over the last 60 days."""

import json
import math
import os
import time
from pathlib import Path

from bench import paths

YEARS_DAYS = 1095
TZ = "Asia/Ho_Chi_Minh"
SHARED_FILE = "bench/shared-scan.pdf"
HEAVY_DOSSIERS = 200

# Family names weighted roughly as in Vietnam's population; middle and given names of both genders.
FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 3),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Quách", 1),
    ("Đinh", 1),
]
MIDDLE = [
    "Văn",
    "Thị",
    "Đức",
    "Minh",
    "Thu",
    "Hồng",
    "Quang",
    "Ngọc",
    "Thanh",
    "Xuân",
    "Hữu",
    "Kim",
    "Bảo",
    "Gia",
    "Mạnh",
    "Thùy",
]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngọc",
    "Nhung",
    "Phong",
    "Phúc",
    "Phương",
    "Quân",
    "Quyên",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thủy",
    "Tiến",
    "Trang",
    "Trung",
    "Tú",
    "Tuấn",
    "Uyên",
    "Vân",
    "Việt",
    "Vinh",
    "Yến",
    "Đạt",
    "Duyên",
    "Hòa",
    "Kiên",
    "Lộc",
    "Luân",
    "Oanh",
    "Thoa",
]
VILLAGES = [
    "Thôn Đồng Mực",
    "Thôn Lão Ngoại",
    "Thôn Liên Hòa",
    "Khu 3",
    "Khu 5",
    "Thôn Bãi Đa",
    "Thôn Đồi Bài",
    "Xóm Mới",
]

# Open stages with their share of the open dossiers (percent).
OPEN_MIX = [
    ("checking", 12),
    ("intake_supplement", 6),
    ("received", 8),
    ("appraising", 30),
    ("waiting_other_agency", 6),
    ("awaiting_approval", 10),
    ("processing_supplement", 6),
    ("awaiting_payment", 4),
    ("withdrawal_requested", 3),
    ("result_ready", 15),
]
ASSIGNED = (
    "appraising",
    "waiting_other_agency",
    "awaiting_approval",
    "processing_supplement",
    "awaiting_payment",
    "result_ready",
    "returned",
)


def _cases(column: str, mix: list[tuple[str, int]]) -> str:
    total, parts = 0, []
    for stage, share in mix:
        total += share
        parts.append(f"WHEN {column} < {total} THEN '{stage}'")
    return "CASE " + " ".join(parts) + f" ELSE '{mix[-1][0]}' END"


def _sql(cursor, sql: str, params=None):
    cursor.execute(sql, params)


def _state(cursor) -> dict:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_state (key text PRIMARY KEY, value jsonb NOT NULL)")
    cursor.execute("SELECT key, value FROM bench_state")
    return {key: json.loads(value) if isinstance(value, str) else value for key, value in cursor.fetchall()}


def _save_state(cursor, key: str, value) -> None:
    cursor.execute(
        "INSERT INTO bench_state VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )


def _names():
    from procedures.text import normalize_search

    family = [name for name, weight in FAMILY for _ in range(weight)]
    return {
        "family": family,
        "family_n": [normalize_search(n) for n in family],
        "middle": MIDDLE,
        "middle_n": [normalize_search(n) for n in MIDDLE],
        "given": GIVEN,
        "given_n": [normalize_search(n) for n in GIVEN],
        "villages": VILLAGES,
    }


def create_citizen_pool(cursor, size: int, heavy_id: int) -> None:
    """`size` citizen accounts (no usable password: they never log in here) and the table the plan joins to
    find an applicant's id and snapshot; index 0 is the citizen with 200 dossiers."""
    names = _names()
    _sql(
        cursor,
        """
        CREATE TABLE bench_citizen AS
        SELECT i, fam[1 + (i * 7) %% cardinality(fam)] || ' ' || mid[1 + (i * 13 / 7) %% cardinality(mid)]
                  || ' ' || giv[1 + (i * 31 / 3) %% cardinality(giv)] AS full_name,
               famn[1 + (i * 7) %% cardinality(fam)] || ' ' || midn[1 + (i * 13 / 7) %% cardinality(mid)]
                  || ' ' || givn[1 + (i * 31 / 3) %% cardinality(giv)] AS name_norm,
               '0179' || lpad(i::text, 8, '0') AS national_id, '097' || lpad(i::text, 7, '0') AS phone,
               vil[1 + i %% cardinality(vil)] || ', huyện Lạc Thủy, tỉnh Hòa Bình' AS address
        FROM generate_series(1, %(size)s) AS i,
             (SELECT %(family)s::text[] AS fam, %(family_n)s::text[] AS famn, %(middle)s::text[] AS mid,
                     %(middle_n)s::text[] AS midn, %(given)s::text[] AS giv, %(given_n)s::text[] AS givn,
                     %(villages)s::text[] AS vil) AS n
    """,
        {**names, "size": size},
    )
    _sql(
        cursor,
        """
            INSERT INTO portal_user (password, is_superuser, full_name, national_id, phone, address,
                preferred_language, is_active, is_staff, date_joined, notify_by_email, notify_by_sms, notify_in_app)
            SELECT '!bench', false, full_name, national_id, phone, address, 'vi', true, false,
                   now() - interval '4 years', true, true, true
            FROM bench_citizen ORDER BY i
    """,
    )
    _sql(cursor, "ALTER TABLE bench_citizen ADD COLUMN user_id bigint")
    _sql(cursor, "UPDATE bench_citizen c SET user_id = u.id FROM portal_user u WHERE u.national_id = c.national_id")
    _sql(
        cursor,
        """
        INSERT INTO bench_citizen (i, full_name, name_norm, national_id, phone, address, user_id)
        SELECT 0, u.full_name, %s, u.national_id, u.phone, u.address, u.id FROM portal_user u WHERE u.id = %s
    """,
        [_normalized_name(heavy_id), heavy_id],
    )
    _sql(cursor, "ALTER TABLE bench_citizen ADD PRIMARY KEY (i)")


def _normalized_name(user_id: int) -> str:
    from portal.models import User
    from procedures.text import normalize_search

    return normalize_search(User.objects.get(pk=user_id).full_name)


def _versions(agency_id: int) -> tuple[list, list, list]:
    """The published versions the agency offers, their processing time in calendar days (working days
    stretched by 7/5) and valid answers for each (the demo's generator)."""
    from dossiers.demo import sample_answers
    from procedures.models import ProcedureVersion

    versions = list(
        ProcedureVersion.objects.filter(status="published", procedure__agencies=agency_id)
        .prefetch_related("fields")
        .order_by("procedure__code")
    )
    days = []
    for v in versions:
        value, unit = float(v.processing_time_value), v.processing_time_unit
        days.append(
            {
                "working_days": math.ceil(value * 7 / 5),
                "working_hours": 1,
                "calendar_days": math.ceil(value),
                "months": 30 * math.ceil(value),
            }.get(unit, 0)
        )
    return [v.pk for v in versions], days, [json.dumps(sample_answers(v), ensure_ascii=False) for v in versions]


def _pad(ids: list[int], n: int = 16) -> list[int]:
    return [ids[i % len(ids)] for i in range(n)]


def _stage_status_case(column: str) -> str:
    from dossiers.constants import STAGE_STATUS

    return "CASE " + " ".join(f"WHEN {column} = '{s}' THEN '{st}'" for s, st in STAGE_STATUS.items()) + " END"


def _previous_case() -> str:
    parts = []
    for stage in paths.STAGES:
        for variant in paths.VARIANTS.get(stage, ["plain"]):
            for counter in (False, True):
                parts.append(
                    f"WHEN '{paths.path_name(stage, variant, counter)}' THEN "
                    f"'{paths.previous_stage(stage, variant, counter)}'"
                )
    return "CASE path " + " ".join(parts) + " END"


PLAN_SQL = """
CREATE UNLOGGED TABLE bench_plan AS
WITH base AS (
    SELECT a.idx, a.agency_id, a.code, a.desk_id, g.k,
           abs(hashint8extended(g.k * 64 + a.idx, 1)) AS h1, abs(hashint8extended(g.k * 64 + a.idx, 2)) AS h2,
           abs(hashint8extended(g.k * 64 + a.idx, 3)) AS h3, abs(hashint8extended(g.k * 64 + a.idx, 4)) AS h4,
           abs(hashint8extended(g.k * 64 + a.idx, 5)) AS h5, abs(hashint8extended(g.k * 64 + a.idx, 6)) AS h6,
           abs(hashint8extended(g.k * 64 + a.idx, 7)) AS h7, abs(hashint8extended(g.k * 64 + a.idx, 8)) AS h8
    FROM unnest(%(idx)s::int[], %(agency_ids)s::bigint[], %(codes)s::text[], %(desks)s::bigint[], %(k0)s::bigint[],
                %(counts)s::bigint[]) AS a(idx, agency_id, code, desk_id, k0, n)
    CROSS JOIN LATERAL generate_series(a.k0, a.k0 + a.n - 1) AS g(k)
), aged AS (
    SELECT b.*, (1 + k %% %(span)s)::int AS days_ago, k / %(span)s + 1 AS seq,
           %(all_open)s OR (1 + k %% %(span)s <= 60 AND h1 %% 1000 < 750) OR h1 %% 1000 < 9 AS is_open
    FROM base b
), staged AS (
    SELECT a.*,
           CASE WHEN is_open AND days_ago <= 2 AND h2 %% 100 < 60 THEN 'checking'
                WHEN is_open THEN {open_case}
                WHEN h2 %% 100 < 5 THEN 'not_received'
                WHEN h2 %% 100 < 10 THEN 'stopped'
                WHEN h2 %% 100 < 14 AND days_ago <= 120 THEN 'result_ready'
                ELSE 'returned' END AS stage
    FROM aged a
), shaped AS (
    SELECT s.*,
           CASE WHEN stage IN ('checking', 'intake_supplement', 'not_received') THEN 'online'
                WHEN h4 %% 100 < 70 THEN 'online' WHEN h4 %% 100 < 97 THEN 'in_person' ELSE 'post' END AS channel,
           CASE WHEN stage = 'checking' AND h3 %% 100 < 10 THEN 'resupplied'
                WHEN stage = 'appraising' AND h3 %% 100 < 12 THEN 'resupplied'
                WHEN stage = 'appraising' AND h3 %% 100 < 22 THEN 'replied'
                WHEN stage = 'appraising' AND h3 %% 100 < 30 THEN 'rework'
                WHEN stage = 'appraising' THEN 'plain'
                WHEN stage = 'withdrawal_requested' AND h3 %% 100 < 50 THEN 'from_appraising'
                WHEN stage IN ('withdrawal_requested', 'stopped') THEN 'from_received'
                WHEN stage IN ('result_ready', 'returned') AND h3 %% 100 < 6 THEN 'refused'
                WHEN stage IN ('result_ready', 'returned') THEN 'granted'
                ELSE 'plain' END AS variant,
           1 + floor(%(nversions)s * power((h5 %% 1000) / 1000.0, 2))::int AS vslot,
           CASE WHEN idx = %(heavy_idx)s AND k < %(heavy_limit)s AND k %% %(heavy_step)s = 0 THEN 0
                ELSE 1 + h6 %% %(pool)s END AS citizen
    FROM staged s
), timed AS (
    SELECT x.*, x.stage || ':' || x.variant || ':' || CASE WHEN x.channel = 'online' THEN 'online'
                                                          ELSE 'counter' END AS path,
           x.submitted_at - CASE WHEN x.channel = 'online' THEN (300 + x.h7 %% 7200) * interval '1 second'
                                 ELSE interval '0' END AS created_at,
           CASE WHEN x.stage IN ('checking', 'intake_supplement', 'not_received') THEN NULL
                WHEN x.channel = 'online' THEN x.submitted_at + (1800 + x.h7 %% 100000) * interval '1 second'
                ELSE x.submitted_at END AS received_at
    FROM (SELECT s.*, ((%(anchor)s::date - s.days_ago) + time '07:30' + (s.h5 %% 34200) * interval '1 second')
                        AT TIME ZONE '{tz}' AS submitted_at,
                 v.days AS pdays, v.version_id, v.answers
          FROM shaped s JOIN bench_versions v ON v.slot = s.vslot) x
), dated AS (
    SELECT t.*,
           CASE WHEN received_at IS NULL THEN NULL
                ELSE (((received_at AT TIME ZONE '{tz}')::date + pdays) + time '17:00') AT TIME ZONE '{tz}' END
               AS due_at,
           (((submitted_at AT TIME ZONE '{tz}')::date + 1) + time '17:00') AT TIME ZONE '{tz}' AS check_by
    FROM timed t
), finished AS (
    SELECT d.*,
           CASE WHEN stage IN ('result_ready', 'returned')
                    THEN received_at + (due_at - received_at) * (0.3 + (h8 %% 800) / 1000.0)
                WHEN stage = 'not_received' THEN submitted_at + (3600 + h8 %% 80000) * interval '1 second'
                WHEN stage = 'stopped' THEN received_at + (due_at - received_at) * 0.4 END AS finished_raw
    FROM dated d
)
SELECT nextval(pg_get_serial_sequence('dossiers_dossier', 'id')) AS id, f.idx, f.agency_id, f.code AS agency_code,
       f.desk_id, f.k, f.stage, f.variant, f.path, f.channel, f.citizen, f.h1, f.h2, f.h3, f.h4, f.h8,
       f.version_id, f.answers,
       f.code || '-' || to_char(%(anchor)s::date - f.days_ago, 'YYMMDD') || '-' || lpad(f.seq::text, 4, '0')
           AS dossier_code,
       least(f.created_at, now()) AS created_at, least(f.submitted_at, now()) AS submitted_at,
       CASE WHEN f.received_at IS NOT NULL THEN least(f.received_at, now()) END AS received_at, f.due_at, f.check_by,
       CASE WHEN f.finished_raw IS NOT NULL THEN least(f.finished_raw, now()) END AS finished_at,
       CASE WHEN f.stage = 'returned' THEN least(f.finished_raw + (600 + f.h4 %% 259200) * interval '1 second',
                                                  now()) END AS returned_at,
       least(CASE WHEN f.stage = 'checking' AND f.variant = 'resupplied' THEN f.submitted_at + interval '2 days'
                  WHEN f.stage = 'checking' THEN f.submitted_at
                  WHEN f.stage = 'intake_supplement' THEN f.submitted_at + interval '20 hours'
                  WHEN f.stage = 'received' THEN f.received_at
                  WHEN f.stage = 'returned' THEN f.finished_raw + (600 + f.h4 %% 259200) * interval '1 second'
                  WHEN f.finished_raw IS NOT NULL THEN f.finished_raw
                  ELSE f.received_at + (f.due_at - f.received_at) * (0.1 + (f.h8 %% 500) / 1000.0) END,
             now() - interval '1 minute') AS entered_at,
       CASE WHEN f.stage IN {assigned} OR (f.stage = 'withdrawal_requested' AND f.variant = 'from_appraising')
            THEN st.specialists[1 + f.h8 %% 16] END AS assignee_id,
       st.officers[1 + f.h3 %% 16] AS officer_id, st.leaders[1 + f.h3 %% 16] AS leader_id,
       st.specialists[1 + f.h8 %% 16] AS specialist_id
FROM finished f JOIN bench_staffing st ON st.idx = f.idx
"""

DOSSIER_SQL = """
INSERT INTO dossiers_dossier (id, public_id, code, lookup_key, version_id, applicant_id, applicant_snapshot,
    filer_id, filer_relation, agency_id, desk_id, channel, status, stage, previous_stage, stage_entered_at,
    assignee_id, outcome, appraisal_note, result_note, returned_via, answers, delivery, delivery_address,
    declaration_accepted, last_step, created_at, updated_at, submitted_at, received_at, clock_started_at, due_at,
    finished_at, returned_at, priority_at, search_text)
SELECT p.id, md5('bench-dossier-' || p.id)::uuid, p.dossier_code,
       translate(upper(substr(md5('bench-key-' || p.id), 1, 6)), '01', 'GH'), p.version_id, c.user_id,
       jsonb_build_object('full_name', c.full_name, 'national_id', c.national_id, 'phone', c.phone, 'email', '',
                          'address', c.address),
       CASE WHEN p.channel = 'online' THEN c.user_id ELSE p.officer_id END,
       'self', p.agency_id, p.desk_id, p.channel, {status_case}, p.stage, {previous_case}, p.entered_at,
       p.assignee_id,
       CASE WHEN p.stage IN ('result_ready', 'returned') AND p.variant = 'refused' THEN 'refused'
            WHEN p.stage IN ('result_ready', 'returned') THEN 'granted' ELSE '' END,
       CASE WHEN p.stage IN ('awaiting_approval', 'result_ready', 'returned', 'awaiting_payment')
            THEN 'Hồ sơ đầy đủ, hợp lệ.' ELSE '' END,
       CASE WHEN p.stage = 'not_received' THEN 'Thành phần hồ sơ không đúng quy định.'
            WHEN p.variant = 'refused' THEN 'Không đủ điều kiện theo quy định.' ELSE '' END,
       CASE WHEN p.stage = 'returned' THEN 'Trao tận tay tại Bộ phận Một cửa' ELSE '' END,
       p.answers,
       CASE WHEN p.h4 %% 10 < 7 THEN 'desk' WHEN p.h4 %% 10 < 9 THEN 'online' ELSE 'post' END,
       CASE WHEN p.h4 %% 10 = 9 THEN c.address ELSE '' END,
       true, 'check', p.created_at, coalesce(p.returned_at, p.finished_at, p.entered_at), p.submitted_at,
       p.received_at, p.received_at, p.due_at, p.finished_at, p.returned_at,
       coalesce(p.due_at, p.check_by),
       left(lower(p.dossier_code) || ' ' || c.name_norm || ' ' || c.national_id, 400)
FROM bench_plan p JOIN bench_citizen c ON c.i = p.citizen
"""

STEP_TIME = """(CASE s.{x} WHEN 'created' THEN p.created_at WHEN 'submitted' THEN p.submitted_at
                 WHEN 'received' THEN p.received_at WHEN 'entered' THEN p.entered_at
                 WHEN 'finished' THEN p.finished_at WHEN 'returned' THEN p.returned_at END)"""


def _step_time(a: str, b: str, frac: str) -> str:
    ta, tb = STEP_TIME.format(x=a), STEP_TIME.format(x=b)
    return f"least({ta} + ({tb} - {ta}) * s.{frac}, now())"


EVENT_SQL = """
INSERT INTO dossiers_dossierevent (dossier_id, actor_id, action, from_status, to_status, note, public, data,
    created_at, prev_hash, hash)
SELECT p.id, CASE s.actor WHEN 'owner' THEN coalesce(d.applicant_id, d.filer_id) WHEN 'officer' THEN p.officer_id
                          WHEN 'leader' THEN p.leader_id ELSE coalesce(p.assignee_id, p.specialist_id) END,
       s.action, s.from_status, s.to_status,
       CASE s.action WHEN 'refuse' THEN d.result_note WHEN 'request_supplement' THEN 'Bổ sung một lần đầy đủ.'
                     ELSE '' END,
       s.public, jsonb_build_object('from_stage', s.from_stage, 'to_stage', s.to_stage), {time}, '', ''
FROM bench_plan p JOIN dossiers_dossier d ON d.id = p.id JOIN bench_steps s ON s.path = p.path
"""

ATTACHMENT_SQL = """
INSERT INTO dossiers_attachment (public_id, file, original_name, size, sha256, content_type, extension, is_result,
    is_current, created_at, component_id, uploaded_by_id, dossier_id)
SELECT md5('bench-file-' || p.id || '-' || c.component_id)::uuid, %(file)s, 'ban-quet-' || c.component_id || '.pdf',
       %(size)s, %(sha)s, 'application/pdf', 'pdf', false, true, p.created_at + interval '1 minute', c.component_id,
       d.filer_id, p.id
FROM bench_plan p JOIN dossiers_dossier d ON d.id = p.id JOIN bench_components c ON c.version_id = p.version_id
"""

SUPPLEMENT_SQL = """
INSERT INTO dossiers_supplementrequest (items, note, return_status, created_at, responded_at, dossier_id,
    requested_by_id)
SELECT jsonb_build_array(jsonb_build_object('kind', 'component', 'ref', c.component_id, 'label', c.name,
                                           'reason', 'Bản quét bị mờ, không đọc được.')),
       'Bổ sung một lần đầy đủ.', s.from_stage, {time},
       CASE WHEN s.answered_a IS NOT NULL THEN {answered} END,
       p.id, CASE WHEN s.from_stage = 'checking' THEN p.officer_id ELSE coalesce(p.assignee_id, p.specialist_id) END
FROM bench_plan p JOIN bench_steps s ON s.path = p.path AND s.action = 'request_supplement'
JOIN LATERAL (SELECT component_id, name FROM bench_components bc WHERE bc.version_id = p.version_id
              ORDER BY component_id LIMIT 1) c ON true
"""

RATING_SQL = """
WITH rated AS (
    INSERT INTO dossiers_rating (timeliness, contacts, information_accuracy, staff_attitude, cost, overall, comment,
        created_at, dossier_id, rated_by_id)
    SELECT 3 + p.h1 %% 3, 3 + p.h2 %% 3, 4 + p.h3 %% 2, 3 + p.h4 %% 3, 4 + p.h8 %% 2,
           CASE WHEN p.h2 %% 10 < 8 THEN 'satisfied' WHEN p.h2 %% 10 < 9 THEN 'neutral' ELSE 'dissatisfied' END,
           CASE WHEN p.h3 %% 4 = 0 THEN 'Cán bộ hướng dẫn tận tình.' ELSE '' END,
           least(p.returned_at + interval '1 day', now()), p.id, d.applicant_id
    FROM bench_plan p JOIN dossiers_dossier d ON d.id = p.id
    WHERE p.stage = 'returned' AND p.h8 %% 100 < 30 AND d.applicant_id IS NOT NULL
    RETURNING dossier_id, rated_by_id, created_at)
INSERT INTO dossiers_dossierevent (dossier_id, actor_id, action, from_status, to_status, note, public, data,
    created_at, prev_hash, hash)
SELECT dossier_id, rated_by_id, 'rate', 'returned', 'returned', '', false,
       '{"from_stage": "returned", "to_stage": "returned"}'::jsonb, created_at, '', ''
FROM rated
"""


def _prepare_steps(cursor) -> None:
    cursor.execute("DROP TABLE IF EXISTS bench_steps")
    cursor.execute("""CREATE TEMP TABLE bench_steps (path text, ord int, action text, from_stage text, to_stage text,
        from_status text, to_status text, actor text, a text, b text, frac float8, public bool, answered_a text,
        answered_b text, answered_frac float8)""")
    cursor.executemany("INSERT INTO bench_steps VALUES (" + ", ".join(["%s"] * 15) + ")", paths.all_steps())  # noqa: S608


def _prepare_components(cursor, version_ids: list[int]) -> None:
    cursor.execute("DROP TABLE IF EXISTS bench_components")
    cursor.execute(
        """CREATE TEMP TABLE bench_components AS
        SELECT version_id, id AS component_id, name FROM procedures_dossiercomponent
        WHERE required AND version_id = ANY(%s)""",
        [version_ids],
    )


def shared_file(media_root: Path) -> tuple[str, int, str]:
    """The one small PDF every generated attachment row points at."""
    import hashlib

    from bench.fixtures import make_pdf

    content = make_pdf(48_000)
    target = media_root / SHARED_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return SHARED_FILE, len(content), hashlib.sha256(content).hexdigest()


def add_dossiers(
    *,
    agencies: list[dict],
    counts: list[int],
    bench_code: str,
    pool: int,
    media_root: Path,
    all_open: bool = False,
    span: int = YEARS_DAYS,
    log=print,
) -> dict:
    """Add counts[i] dossiers to agencies[i] (continuing each agency's k) and everything that hangs off
    them. Returns the seconds each table took."""
    from django.db import connection, transaction

    timings = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # The plan is one large expression: JIT would spend minutes compiling it for a few seconds of work.
        cursor.execute("SET LOCAL jit = off")
        # Foreign keys are checked by per-row triggers at commit (they are deferred): for millions of rows
        # built from existing ids that is most of the load time. As pg_restore does, the bulk runs in replica
        # mode; check constraints, NOT NULL and unique indexes still apply.
        cursor.execute("SET LOCAL session_replication_role = replica")
        state = _state(cursor)
        anchor = state["anchor"]
        k0 = [state.get(f"k:{a['agency_id']}", 0) for a in agencies]
        first_bench = state.get(f"k:{next((a['agency_id'] for a in agencies if a['code'] == bench_code), 0)}", 0)
        bench_count = next((n for a, n in zip(agencies, counts, strict=True) if a["code"] == bench_code), 0)
        heavy_step = max(1, (bench_count if first_bench == 0 else 0) // HEAVY_DOSSIERS)
        version_ids, days, answers = _versions(agencies[0]["agency_id"])
        params = {
            "idx": [a["idx"] for a in agencies],
            "agency_ids": [a["agency_id"] for a in agencies],
            "codes": [a["code"] for a in agencies],
            "desks": [a["desk_id"] for a in agencies],
            "k0": k0,
            "counts": counts,
            "span": span,
            "all_open": all_open,
            "anchor": anchor,
            "pool": pool,
            "nversions": len(version_ids),
            "heavy_idx": next((a["idx"] for a in agencies if a["code"] == bench_code), -1),
            "heavy_limit": heavy_step * HEAVY_DOSSIERS if first_bench == 0 else 0,
            "heavy_step": heavy_step,
        }
        _prepare_lookups(cursor, version_ids, days, answers)
        plan_sql = PLAN_SQL.format(
            open_case=_cases("h2 %% 100", OPEN_MIX), tz=TZ, assigned="(" + ", ".join(f"'{s}'" for s in ASSIGNED) + ")"
        )
        _timed(timings, "plan", log, cursor.execute, "DROP TABLE IF EXISTS bench_plan")
        if os.environ.get("BENCH_EXPLAIN_PLAN"):
            cursor.execute("EXPLAIN ANALYZE " + plan_sql.replace("CREATE UNLOGGED TABLE bench_plan AS", ""), params)
            log("\n".join(r[0] for r in cursor.fetchall()))
        _timed(timings, "plan", log, cursor.execute, plan_sql, params)
        cursor.execute("CREATE INDEX ON bench_plan (id)")
        cursor.execute("ANALYZE bench_plan")
        _prepare_steps(cursor)
        _prepare_components(cursor, version_ids)
        dossier_sql = DOSSIER_SQL.format(status_case=_stage_status_case("p.stage"), previous_case=_previous_case())
        # psycopg2 turns %% into % only when it has parameters to format.
        _timed(timings, "dossiers", log, cursor.execute, dossier_sql, NO_PARAMS)
        _timed(timings, "events", log, cursor.execute, EVENT_SQL.format(time=_step_time("a", "b", "frac")))
        name, size, sha = shared_file(media_root)
        _timed(timings, "attachments", log, cursor.execute, ATTACHMENT_SQL, {"file": name, "size": size, "sha": sha})
        _timed(
            timings,
            "supplements",
            log,
            cursor.execute,
            SUPPLEMENT_SQL.format(
                time=_step_time("a", "b", "frac"), answered=_step_time("answered_a", "answered_b", "answered_frac")
            ),
        )
        _timed(timings, "ratings", log, cursor.execute, RATING_SQL, NO_PARAMS)
        _timed(timings, "sequences", log, cursor.execute, SEQUENCE_SQL)
        for a, k, n in zip(agencies, k0, counts, strict=True):
            _save_state(cursor, f"k:{a['agency_id']}", k + n)
        cursor.execute("DROP TABLE bench_plan")
    return timings


# The desk's own numbering continues after the generated codes (real filings on those days get the next one).
SEQUENCE_SQL = f"""
INSERT INTO dossiers_dossiersequence (agency_id, day, last)
SELECT agency_id, (submitted_at AT TIME ZONE '{TZ}')::date, max(right(dossier_code, 4)::int)
FROM bench_plan GROUP BY 1, 2
ON CONFLICT (agency_id, day) DO UPDATE SET last = greatest(dossiers_dossiersequence.last, excluded.last)
"""  # noqa: S608 (a constant time zone only)


def fix_anchor(cursor) -> str:
    """Generated days end the day before the earliest dossier filed so far (the demo's, before any bench
    fixture), so their codes never meet the codes the demo or the desk's sequence gave out."""
    _state(cursor)
    cursor.execute(f"""SELECT least(current_date, min((submitted_at AT TIME ZONE '{TZ}')::date))::text
                       FROM dossiers_dossier WHERE submitted_at IS NOT NULL""")  # noqa: S608 (constant zone)
    anchor = cursor.fetchone()[0]
    _save_state(cursor, "anchor", anchor)
    return anchor


_STAFF: list[dict] = []
NO_PARAMS = {"unused": 0}


def set_staff(agencies: list[dict]) -> None:
    """Officers, specialists and leaders of every agency by its index (each list padded to 16)."""
    _STAFF[:] = sorted(agencies, key=lambda a: a["idx"])


def _prepare_lookups(cursor, version_ids, days, answers) -> None:
    """Small tables the plan joins to (arrays passed as parameters would be re-read for every row)."""
    cursor.execute("DROP TABLE IF EXISTS bench_versions")
    cursor.execute(
        "CREATE TEMP TABLE bench_versions (slot int PRIMARY KEY, version_id bigint, days int, answers jsonb)"
    )
    cursor.executemany(
        "INSERT INTO bench_versions VALUES (%s, %s, %s, %s)",
        [(i + 1, v, d, a) for i, (v, d, a) in enumerate(zip(version_ids, days, answers, strict=True))],
    )
    cursor.execute("DROP TABLE IF EXISTS bench_staffing")
    cursor.execute("""CREATE TEMP TABLE bench_staffing (idx int PRIMARY KEY, officers bigint[], specialists bigint[],
                      leaders bigint[])""")
    cursor.executemany(
        "INSERT INTO bench_staffing VALUES (%s, %s, %s, %s)",
        [(a["idx"], _pad(a["officers"]), _pad(a["specialists"]), _pad(a["leaders"])) for a in _STAFF],
    )


def _timed(timings, name, log, fn, *args):
    started = time.perf_counter()
    fn(*args)
    timings[name] = round(timings.get(name, 0) + time.perf_counter() - started, 2)
    if name != "plan":
        log(f"    {name}: {timings[name]:.1f} s")
