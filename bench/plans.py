"""Plan checks: the SQL a page runs, captured by running the view in this process (Django's test
client, the same production settings and database as the served portal, the same session cookie), then
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of each SELECT. A page fails when a plan shows work that grows
with the history rather than with the page:
- a Sort (or Incremental Sort) whose input has more than SORT_ROWS rows (a page is 25 rows);
- a Seq Scan or Bitmap Heap Scan on dossiers or their events returning or removing more than SCAN_ROWS rows;
- an Index Scan on those tables whose filter removes more than SCAN_ROWS rows (walking an index in order
  but throwing most rows away is the same growth in disguise).
Counting the rows of a partial index (an Index Only Scan that returns many rows) is not flagged."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# A sort of up to this many rows is what a page is about (one open stage of an agency, one citizen's
# dossiers, the matches of a search), well under a millisecond; what must never happen is a sort of an
# agency's history (100,000 rows at a million dossiers), which this catches.
SORT_ROWS = 1000
SCAN_ROWS = 1000
WATCHED = {"dossiers_dossier", "dossiers_dossierevent"}
SCAN_NODES = {"Seq Scan", "Bitmap Heap Scan", "Parallel Seq Scan"}
INDEX_NODES = {"Index Scan", "Index Only Scan"}


def capture(path: str, cookie: str | None) -> tuple[int, list[str], int]:
    """The page's status and SQL on a first request (every query it can run, the reference lists a
    process builds once a minute included), and how many queries a second request runs."""
    client = Client(headers={"X-Forwarded-Proto": "https"})
    if cookie:
        name, _, value = cookie.partition("=")
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    with CaptureQueriesContext(connection) as warm:
        client.get(path)
    return response.status_code, [q["sql"] for q in queries.captured_queries], len(warm.captured_queries)


def _rows(node: dict) -> float:
    return node.get("Actual Rows", 0) * node.get("Actual Loops", 1)


def _walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def flags_of(plan: dict) -> list[str]:
    found = []
    for node in _walk(plan):
        kind, relation = node.get("Node Type", ""), node.get("Relation Name", "")
        removed = (node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)) * node.get(
            "Actual Loops", 1
        )
        if kind in ("Sort", "Incremental Sort"):
            source = max((_rows(child) for child in node.get("Plans", [])), default=0)
            if source > SORT_ROWS:
                found.append(f"{kind} of {source:,.0f} rows (key {', '.join(node.get('Sort Key', []))})")
        elif relation in WATCHED and kind in SCAN_NODES and max(_rows(node), removed) > SCAN_ROWS:
            found.append(f"{kind} on {relation}: {_rows(node):,.0f} rows returned, {removed:,.0f} removed")
        elif relation in WATCHED and kind in INDEX_NODES and removed > SCAN_ROWS:
            found.append(f"{kind} on {relation} using {node.get('Index Name')}: {removed:,.0f} rows removed by filter")
    return found


def explain(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        result = cursor.fetchone()[0]
    if isinstance(result, str):
        import json

        result = json.loads(result)
    return result[0]


def check_page(path: str, cookie: str | None) -> dict:
    status, queries, steady = capture(path, cookie)
    explained, flagged = [], []
    for sql in queries:
        head = sql.lstrip().upper()
        # EXECUTE: a look-up prepared on the connection (portal/prepared.py), explained as it is run.
        if not head.startswith(("SELECT", "WITH", "EXECUTE")) or "FOR UPDATE" in head:
            continue
        plan = explain(sql)
        flags = flags_of(plan["Plan"])
        item = {
            "sql": sql if len(sql) <= 2000 else sql[:2000] + " ...",
            "ms": round(plan["Execution Time"], 2),
            "rows": plan["Plan"].get("Actual Rows", 0),
            "flags": flags,
            "shared_read_blocks": plan["Plan"].get("Shared Read Blocks", 0),
            "shared_hit_blocks": plan["Plan"].get("Shared Hit Blocks", 0),
        }
        explained.append(item)
        if flags:
            flagged.append(item)
    top = max(explained, key=lambda q: q["ms"], default=None)
    return {
        "status": status,
        "queries": steady,
        "queries_first_request": len(queries),
        "selects_explained": len(explained),
        "ok": not flagged and status == 200,
        "flagged": flagged,
        "top": top,
        "total_ms": round(sum(q["ms"] for q in explained), 2),
    }
