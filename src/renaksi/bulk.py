"""Inserting many rows of plain values, without Django's per-value preparation.

``bulk_create`` of a 44,000-line import spent most of its time in ``get_db_prep_save`` and
``field_as_sql``, once for every value of every row, and only a small part in the database. Here
the rows arrive as tuples of values the driver takes as they are (ints, texts, booleans, None),
so only the few kinds that need the field's conversion (decimals, dates, JSON) get it, and the
columns a caller leaves out take the model's defaults, prepared once for all rows (``auto_now``
fields the time of the call). The SQL is plain ``INSERT`` with ``%s`` placeholders, which SQLite
and PostgreSQL both accept; ids come back through ``RETURNING`` as Django's own bulk insert does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.db.backends.base.operations import BaseDatabaseOperations

_CONVERTED = (models.DecimalField, models.DateField, models.TimeField, models.JSONField)


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        # As JSONField.get_db_prep_save: None is SQL NULL, anything else JSON. Where the backend
        # writes JSON as json.dumps(value, cls=encoder) does (SQLite), one encoder serves all rows.
        adapt, encoder = connection.ops.adapt_json_value, field.encoder
        if type(connection.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value:
            encode = (encoder or json.JSONEncoder)().encode
            return lambda value: None if value is None else encode(value)
        return lambda value: None if value is None else adapt(value, encoder)
    if isinstance(field, _CONVERTED):
        prepare = field.get_db_prep_save
        return lambda value: None if value is None else prepare(value, connection)
    return None


def _batch_size(width: int) -> int:
    """Rows per multi-row INSERT: as many as the database takes parameters (Django assumes
    SQLite's old limit of 999; the SQLite a connection runs says its own)."""
    limit = connection.features.max_query_params
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        import sqlite3

        getlimit = getattr(connection.connection, "getlimit", None)  # Python 3.11+
        if getlimit is not None:
            limit = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(limit or 65_535, 65_535) // width)


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    return_ids: bool = False,
) -> list[int]:
    """Insert ``rows`` (values in the order of ``columns``, attribute names such as ``plan_id``)
    into ``model``'s table inside the caller's transaction; with ``return_ids``, the new rows'
    primary keys in the order of ``rows``. Signals and ``save()`` are not run, as with
    ``bulk_create``."""
    if not rows:
        return []
    meta = model._meta
    fields = {field.attname: field for field in meta.concrete_fields}
    given = [fields[column] for column in columns]
    blank = model()
    defaults = [
        (field, field.get_db_prep_save(field.pre_save(blank, True), connection))
        for field in meta.concrete_fields
        if field.attname not in columns and not field.primary_key
    ]
    converters = [(i, convert) for i, field in enumerate(given) if (convert := _converter(field))]
    if converters:
        converted = []
        for row in rows:
            values = list(row)
            for i, convert in converters:
                values[i] = convert(values[i])
            converted.append(values)
        rows = converted
    fill = tuple(value for _field, value in defaults)
    if fill:
        rows = [(*row, *fill) for row in rows]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in (*given, *(field for field, _value in defaults)))
    width = len(given) + len(defaults)
    # Table and column names come from the model, quoted; every value is a parameter.
    head = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # nosec B608
    marks = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        if not return_ids:
            cursor.executemany(head + marks, rows)
            return []
        if not connection.features.can_return_rows_from_bulk_insert:
            ids = []
            for row in rows:
                cursor.execute(head + marks, row)
                ids.append(connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column))
            return ids
        returning, returning_params = connection.ops.return_insert_columns([meta.pk])
        size = _batch_size(width)
        ids = []
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            sql = f"{head}{', '.join([marks] * len(batch))} {returning}"
            cursor.execute(sql, [value for row in batch for value in row] + list(returning_params))
            ids.extend(row[0] for row in cursor.fetchall())
        return ids
