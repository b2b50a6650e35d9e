"""Each coder's agreement with the others, code by code: whose coding to trust on a code when
there is no consensus yet (the coding-evidence table quotes that coder).

Counted as `qualcode agree` counts (answer units, the participation rule, done documents), from
the same pairwise tables the report's Cohen's kappa uses, as Krippendorff's alpha of each pair.
"""

from qualcode.core.agreement.alpha import alpha_from_coincidences
from qualcode.core.agreement.batched import pair_tables
from qualcode.core.errors import QualcodeError
from qualcode.core.evidence import pair_alphas
from qualcode.services.agreement.data import done_per_unit, load_frame, load_units, presence, require_done
from qualcode.store.db import Project


def coder_alphas_per_code(project: Project, viewer: str | None = None) -> dict[str, dict[str, float | None]]:
    """For each code key, each compared coder's mean pairwise alpha with the others on that code
    (None where undefined). Empty when agreement cannot be computed (fewer than two coders,
    nothing marked done, or blind mode hides the others' work from `viewer`)."""
    try:
        with project.read() as session:
            frame = load_frame(session, viewer=viewer)
            if len(frame.coders) < 2:
                return {}
            require_done(frame)
            units = load_units(session, frame, "answer")
    except QualcodeError:
        return {}
    tables_by_pair = pair_tables(presence(frame, units), done_per_unit(frame, units))
    result: dict[str, dict[str, float | None]] = {}
    for k, code in enumerate(frame.codes):
        pairs: dict[tuple[str, str], float | None] = {}
        for (i, j), tables in tables_by_pair.items():
            table = tables[k]
            pairs[(frame.coders[i], frame.coders[j])] = alpha_from_coincidences(
                table + table.T, "nominal"
            ).value
        result[code.key] = pair_alphas(pairs)
    return result
