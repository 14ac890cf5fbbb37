"""Queries whose SQL is the same on every request but for its values, compiled once.

A visitor's page asks the same five questions every time (the link by its token, the
sets it shows, a page of photos...). The database answers each in well under 0.25 ms;
Django takes 0.5-0.9 ms of Python to build and compile each QuerySet to SQL first, so
on the hottest pages the ORM's compiling was a fifth of the work. A `PreparedQuery`
builds its QuerySet once per thread and *shape* (what changes the SQL's text: how many
ids an `IN` holds), with `Param` (or `ParamList`) where the values go, keeps the SQL
and the compiler's reading of the columns, and each call binds the values, runs the
SQL through the connection (so it is counted, logged and wrapped like any query) and
turns the rows into what the QuerySet would have given: model instances (with their
`select_related` objects and annotations), or tuples for `values_list`.

(django-prepared-queries did this once; it has not been kept up since Django 2.)

    link_by_token = PreparedQuery(
        lambda: ShareLink.objects.filter(token=Param("token"))[:1]
    )
    link_by_token.objects(token="abc")

A window that changes per call (LIMIT and OFFSET, which Django writes into the SQL as
numbers) is passed as `window=(offset, limit)` to a query built without one.
"""

import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Expression, Field, Model, QuerySet
from django.db.models.query import get_related_populators


class Param(Expression):
    """Where a call's value goes: `filter(token=Param("token"))`. `field` prepares the
    value for the database as a lookup on it would (a UUID is text in SQLite); without
    one the value goes as it is. (`index`: the value is the `index`th of a list, see
    `ParamList`.)"""

    def __init__(self, name: str, field: Field | None = None, index: int | None = None):
        super().__init__(output_field=field)
        self.name, self.prepare_with, self.index = name, field, index

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def bind(self, values: Mapping[str, Any], connection) -> Any:
        value = values[self.name]
        if self.index is not None:
            value = value[self.index]
        if self.prepare_with is None:
            return value
        return self.prepare_with.get_db_prep_value(value, connection, prepared=False)

    def __repr__(self) -> str:
        return f"Param({self.name!r})"


class ParamList(Expression):
    """The `length` values of a list, for an `IN` of that many (the length is part of
    the SQL, so of the query's shape): `filter(id__in=ParamList("ids", field, 3))`.
    (A list of `Param`s would not do: `IN` prepares each item of a list as a value of
    its field, and a `Param` is not a UUID.)"""

    def __init__(self, name: str, field: Field | None = None, length: int = 1):
        if length < 1:
            raise ValueError("IN () is no SQL: leave the filter out for no values.")
        super().__init__(output_field=field)
        self.name, self.params = (
            name,
            [Param(name, field, index) for index in range(length)],
        )

    def as_sql(self, compiler, connection):
        return "(" + ", ".join(["%s"] * len(self.params)) + ")", list(self.params)

    def __repr__(self) -> str:
        return f"ParamList({self.name!r}, length={len(self.params)})"


class _Compiled:
    """One QuerySet's SQL and how to read its rows, for one thread's connection."""

    def __init__(self, queryset: QuerySet, alias: str, windowed: bool):
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if windowed:
            sql += " LIMIT %s OFFSET %s"
        self.sql, self.params = sql, tuple(params)
        self.compiler = compiler
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(fields)
        info = compiler.klass_info
        if info is None:  # values_list: no model to make
            return
        self.model: type[Model] = info["model"]
        first, last = info["select_fields"][0], info["select_fields"][-1] + 1
        self.model_columns = slice(first, last)
        self.init_list = [
            column[0].target.attname for column in compiler.select[first:last]
        ]
        self.related = get_related_populators(info, compiler.select, alias)
        self.annotations = dict(compiler.annotation_col_map or {})

    def rows(self, connection, values: Mapping, window) -> list:
        params = [
            param.bind(values, connection) if isinstance(param, Param) else param
            for param in self.params
        ]
        if window is not None:
            offset, limit = window
            params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return rows


class PreparedQuery:
    """`build(*shape)` makes the QuerySet, with `Param`s for the values; it is called
    once per thread, database and shape. Then `objects(...)` or `rows(...)` run it."""

    def __init__(self, build: Callable[..., QuerySet], *, windowed: bool = False):
        self._build = build
        self._windowed = windowed
        self._local = threading.local()

    def _compiled(self, alias: str, shape: tuple[Hashable, ...]) -> _Compiled:
        kept = self._local.__dict__.setdefault("compiled", {})
        key = (alias, shape)
        compiled = kept.get(key)
        if compiled is None:
            compiled = kept[key] = _Compiled(self._build(*shape), alias, self._windowed)
        return compiled

    def rows(
        self,
        *shape: Hashable,
        using: str = DEFAULT_DB_ALIAS,
        window: Sequence[int] | None = None,
        **values,
    ) -> list[tuple]:
        """The rows of a `values_list` QuerySet, as tuples."""
        compiled = self._compiled(using, shape)
        return [tuple(row) for row in compiled.rows(connections[using], values, window)]

    def objects(
        self,
        *shape: Hashable,
        using: str = DEFAULT_DB_ALIAS,
        window: Sequence[int] | None = None,
        **values,
    ) -> list[Model]:
        """The model instances the QuerySet would give, with their related objects
        (`select_related`) and annotations."""
        compiled = self._compiled(using, shape)
        found = []
        for row in compiled.rows(connections[using], values, window):
            obj = compiled.model.from_db(
                using, compiled.init_list, row[compiled.model_columns]
            )
            for populator in compiled.related:
                populator.populate(row, obj)
            for name, column in compiled.annotations.items():
                setattr(obj, name, row[column])
            found.append(obj)
        return found
