"""Published reliability data, typed in from the cited sources (used by the agreement tests)."""

import numpy as np

N = None

# Krippendorff (2011) "Computing Krippendorff's alpha-reliability", 4 observers x 12 units, missing.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]

# Krippendorff's 3 coders x 15 units example (Wikipedia; krippendorff package docstring).
WIKI_3X15 = [
    [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
    [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
    [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
]

# Fleiss (1971) Table 1: 30 patients x 6 psychiatrists; 1 depression, 2 personality disorder,
# 3 schizophrenia, 4 neurosis, 5 other (as in R irr's `diagnoses`).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]

# Wikipedia "Fleiss' kappa" worked example: 10 subjects x 5 categories, 14 raters each (counts).
WIKI_FLEISS_COUNTS = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ],
    dtype=float,
)

# irrCAC distrib.6raters (Gwet 2014, from Fleiss 1971): 15 patients, counts over 5 categories.
IRRCAC_DISTRIB_6RATERS = np.array(
    [
        [0, 0, 0, 6, 0],
        [0, 3, 0, 0, 3],
        [0, 1, 4, 0, 1],
        [0, 0, 0, 0, 6],
        [0, 3, 0, 3, 0],
        [2, 0, 4, 0, 0],
        [0, 0, 4, 0, 2],
        [2, 0, 3, 1, 0],
        [2, 0, 0, 4, 0],
        [0, 0, 0, 0, 6],
        [1, 0, 0, 5, 0],
        [1, 1, 0, 4, 0],
        [0, 3, 3, 0, 0],
        [1, 0, 0, 5, 0],
        [0, 2, 0, 3, 1],
    ],
    dtype=float,
)

# irrCAC cont3x3abstractors (Gwet 2014): 100 women, abstractor 1 rows x abstractor 2 columns
# (Ectopic, AIU, NIU).
IRRCAC_CONT3X3 = np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]], dtype=float)

# SAS PROC FREQ kappa example (statsmodels' reference printout).
SAS_TABLE = np.array([[0, 4, 1], [0, 8, 0], [0, 1, 5]], dtype=float)

# R irr `anxiety`: 20 subjects x 3 raters.
ANXIETY = np.array(
    [
        [3, 3, 2],
        [3, 6, 1],
        [3, 4, 4],
        [4, 6, 4],
        [5, 2, 3],
        [5, 4, 2],
        [2, 2, 1],
        [3, 4, 6],
        [5, 3, 1],
        [2, 3, 1],
        [2, 2, 1],
        [6, 3, 2],
        [1, 3, 3],
        [5, 3, 3],
        [2, 2, 1],
        [2, 2, 1],
        [1, 1, 3],
        [2, 3, 3],
        [4, 3, 2],
        [3, 4, 2],
    ]
)

# Krippendorff (2019) Figure 12.11 as transcribed by quallmer (1-based inclusive offsets), L = 60.
FIG_12_11 = {
    "alex": [(1, 7, "1"), (8, 13, "2"), (31, 32, "5"), (33, 37, "6"), (38, 44, "6"), (45, 60, "7")],
    "paul": [(1, 7, "1"), (8, 13, "3"), (14, 21, "5"), (33, 44, "6")],
    "suzan": [(1, 7, "1"), (8, 13, "4"), (14, 21, "5"), (33, 37, "6"), (38, 41, "6"), (42, 44, "6")],
}


def fig_12_11_half_open() -> dict[str, list[tuple[int, int, str]]]:
    return {c: [(s - 1, e, v) for s, e, v in spans] for c, spans in FIG_12_11.items()}


def expand_table(table: np.ndarray) -> list[list[int]]:
    """A 2-coder contingency table as a 2 x n reliability matrix (row i = coder a's category)."""
    a, b = [], []
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            a += [i] * int(table[i, j])
            b += [j] * int(table[i, j])
    return [a, b]


def expand_counts(counts: np.ndarray) -> list[list[int | None]]:
    """A units x categories count table as a raters x units matrix (raters are interchangeable)."""
    n_raters = int(counts.sum(axis=1).max())
    rows: list[list[int | None]] = [[] for _ in range(n_raters)]
    for unit in counts:
        vals = [k for k, c in enumerate(unit) for _ in range(int(c))]
        vals += [None] * (n_raters - len(vals))
        for r in range(n_raters):
            rows[r].append(vals[r])
    return rows
