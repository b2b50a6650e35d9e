"""Primary keys of stored rows, typed as what they are once stored.

SQLModel types every `id` as `int | None` because a new object has none until it is flushed;
a row read from the store, or flushed, always has one. `saved_id` says so once, for mypy,
instead of a `# type: ignore` or an `assert` at each use.
"""


def saved_id(row_id: int | None) -> int:
    """The id of a row read from (or flushed to) the store; a programming error if it has none."""
    if row_id is None:
        raise ValueError("this row has no id: it was never flushed to the store")
    return row_id
