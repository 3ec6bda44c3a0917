"""Querysets that every page runs (the session's user, their second-factor device, their memberships)
compiled to SQL once per process and then run with each request's values.

Compiling a queryset (joins, the select list, converters) cost more than running it: 0.5-1 ms of
Python for a sub-millisecond query, on every page. A `Prepared` keeps the compiled statement and
the compiler that knows its columns, binds the values in place of stand-ins, and builds the model
instances (with their select_related objects and Django's own converters) the way a queryset does.

On PostgreSQL the statement is also prepared on each database connection (PREPARE, then EXECUTE with
the values): planning the staff page's dossier with its five joins took 0.5 ms where running it took
0.1 ms, on every page. Each is a look-up by a key, whose plan does not depend on the value. Behind a
pooler that shares server connections between clients per transaction, set PORTAL_DB_PREPARE=false.
"""

import itertools
import re

from django.conf import settings
from django.db import DatabaseError, ProgrammingError, connections
from django.db.models.query import get_related_populators

_names = itertools.count(1)
_PLACEHOLDER = re.compile(r"%[s%]")


class Prepared:
    """`make(stand_in)` returns the queryset; call the Prepared with the real value, which is bound
    wherever the compiled statement has the stand-in (by default a negative integer no key takes;
    `stand_in` gives a string one for a string column), so the queryset may only compare columns to
    it."""

    STAND_IN = -1001

    def __init__(self, make, stand_in=STAND_IN):
        self.make, self.stand_in = make, stand_in
        self._compiled: dict[str, tuple] = {}
        self.name = f"portal_prepared_{next(_names)}"
        self._unpreparable = False

    def _compile(self, alias: str):
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiler = self.make(self.stand_in).using(alias).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            slots = [type(p) is type(self.stand_in) and p == self.stand_in for p in params]
            if not any(slots):
                raise ValueError("the value must appear in the compiled query")
            # Django's converters of the selected columns (a datetime's time zone, a UUID), found once.
            converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
            # Two threads compiling at once store equal results: no lock needed.
            compiled = self._compiled[alias] = (compiler, sql, params, slots, converters)
        return compiled

    def _fetch(self, value, using: str):
        compiler, sql, params, slots, converters = self._compile(using)
        bound = [value if slot else param for param, slot in zip(params, slots, strict=True)]
        connection = connections[using]
        with connection.cursor() as cursor:
            if self._prepared_on(connection, sql):
                cursor.execute(f"EXECUTE {self.name} ({', '.join(['%s'] * len(bound))})", bound)
            else:
                cursor.execute(sql, bound)
            rows = cursor.fetchall()
        return compiler, compiler.apply_converters(map(list, rows), converters) if converters else rows

    def _prepared_on(self, connection, sql: str) -> bool:
        """Whether the statement is prepared on this connection, preparing it when it can: outside a
        transaction (a PREPARE that failed inside one would abort it), once per server connection."""
        if connection.vendor != "postgresql" or self._unpreparable or not settings.PORTAL_DB_PREPARE:
            return False
        connection.ensure_connection()
        raw = connection.connection
        known = getattr(connection, "_portal_prepared", None)
        if known is None or known[0] is not raw:  # a new server connection has none of them
            known = connection._portal_prepared = (raw, set())
        if self.name in known[1]:
            return True
        if connection.in_atomic_block:
            return False
        numbered = itertools.count(1)
        text = _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(numbered)}", sql)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"PREPARE {self.name} AS {text}")
        except ProgrammingError:
            self._unpreparable = True  # a statement PostgreSQL cannot prepare: the plain one still works
            return False
        except DatabaseError:
            return False  # the connection failed: the next one tries again
        known[1].add(self.name)
        return True

    def __call__(self, value, using: str = "default") -> list:
        compiler, rows = self._fetch(value, using)
        return list(_instances(compiler, rows, using))

    def values(self, value, using: str = "default") -> list[tuple]:
        """The rows of a values_list() queryset, as it gives them (converted, as tuples)."""
        _compiler, rows = self._fetch(value, using)
        return [tuple(row) for row in rows]


def _instances(compiler, rows, alias):
    """ModelIterable's loop over rows already fetched and converted (annotations set as attributes;
    no known related objects)."""
    select, klass_info, annotations = compiler.select, compiler.klass_info, compiler.annotation_col_map.items()
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, alias)
    for row in rows:
        obj = model.from_db(alias, names, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        yield obj


def prefetched(instance, name: str, objects: list) -> None:
    """Give `instance.<name>.all()` these objects, as prefetch_related stores them (the related
    manager's queryset with its results, in the instance's prefetch cache), each pointing back to
    the instance; for a reverse foreign key read by a Prepared."""
    manager = getattr(instance, name)
    field = manager.field
    for obj in objects:
        field.set_cached_value(obj, instance)
    queryset = manager.get_queryset()
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[field.remote_field.cache_name] = queryset
