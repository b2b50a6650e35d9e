"""Natural order for labels people number: Q1, Q2, Q10 rather than Q1, Q10, Q2."""

from collections.abc import Iterable, Mapping

from natsort import natsort_keygen, ns

# Case-insensitive, so that q3 sorts between Q2 and Q10.
natural_key = natsort_keygen(alg=ns.IGNORECASE)


def natural_sorted(labels: Iterable[str]) -> list[str]:
    return sorted(labels, key=natural_key)


def question_order(
    keys: Iterable[str | None], guide_order: Mapping[str, int] | None = None
) -> list[str | None]:
    """Question keys in the interview guide's order, then naturally; keys without a question last.

    The one ordering for every place questions are listed (sheets, retrieval, guide listings).
    """
    order = guide_order or {}

    def key(q: str | None) -> tuple[int, int, object]:
        if q is None or q == "(none)":
            return (2, 0, ())
        if q in order:
            return (0, order[q], natural_key(q))
        return (1, 0, natural_key(q))

    return sorted(keys, key=key)
