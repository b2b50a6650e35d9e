"""Typed access to what SQLModel sets up at run time: a model's Core table, a saved row's id.

SQLModel adds `__table__` to table classes without declaring it, and declares every primary key
`int | None` (it is None until the row is flushed). These two functions are the one typed way
to read either, instead of a type-checker exemption at each use.
"""

from typing import Protocol

from sqlalchemy import Table, inspect
from sqlmodel import SQLModel


class _Keyed(Protocol):
    id: int | None


def table_of(model: type[SQLModel]) -> Table:
    """The table a `table=True` model class is mapped to (for bulk statements that skip the ORM)."""
    table = inspect(model).local_table
    if not isinstance(table, Table):  # only a class mapped to a plain table gets here
        raise TypeError(f"{model.__name__} is not mapped to a table")
    return table


def id_of(row: _Keyed) -> int:
    """The primary key of a row read from the store or flushed to it."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it before using its id")
    return row.id
