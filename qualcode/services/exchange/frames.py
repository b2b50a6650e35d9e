"""pandas DataFrames of a project's coded data, for people who script their analysis.

    from qualcode.store.db import open_project
    from qualcode.services.exchange.frames import segments_frame, case_code_matrix
    project = open_project("my-project")
    segments = segments_frame(project)
    matrix = case_code_matrix(project, consensus=True)

The tables are the same as the workbook's sheets. Also the long-table CSV export.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _
from qualcode.services.analysis.data import load_analysis_data, select_source, source_segments
from qualcode.services.exchange.rows import SegmentsCsv
from qualcode.services.exchange.tables import (
    Table,
    case_code_table,
    code_frequency_table,
    codebook_table,
    cooccurrence_table,
    default_unit,
    documents_table,
    question_code_table,
    segment_rows,
)
from qualcode.services.outputs import check_output_path, output_file
from qualcode.store.db import Project

if TYPE_CHECKING:
    import pandas as pd


def _frame(table: Table, index: str | None = None) -> "pd.DataFrame":
    import pandas as pd

    frame = pd.DataFrame(table.rows, columns=table.header)
    return frame.set_index(index) if index else frame


def segments_frame(
    project: Project, case_attribute: str | None = None, *, viewer: str | None = None
) -> "pd.DataFrame":
    """One row per coded segment of every coder (only the viewer's own in blind mode)."""
    data = load_analysis_data(project, viewer)
    return _frame(segment_rows(data, default_unit(data, case_attribute)))


def documents_frame(
    project: Project, case_attribute: str | None = None, *, viewer: str | None = None
) -> "pd.DataFrame":
    """The Documents sheet as a pandas DataFrame: each document with its case, role, size and attributes."""
    data = load_analysis_data(project, viewer)
    return _frame(documents_table(data, default_unit(data, case_attribute)))


def codebook_frame(project: Project, *, viewer: str | None = None) -> "pd.DataFrame":
    """The Codebook sheet as a pandas DataFrame."""
    return _frame(codebook_table(load_analysis_data(project, viewer)))


def code_frequencies(
    project: Project, case_attribute: str | None = None, *, viewer: str | None = None
) -> "pd.DataFrame":
    """Segments per code, by coder and respondent role, as a pandas DataFrame indexed by code."""
    data = load_analysis_data(project, viewer)
    return _frame(code_frequency_table(data, default_unit(data, case_attribute)), "code")


def _source_segments(
    data: Any, coder: str | None, consensus: bool, combine: str | None, case_attribute: str | None = None
) -> list[Any]:
    source, ids = select_source(data, coder, consensus, combine)
    return source_segments(data, default_unit(data, case_attribute).case_of, source, ids)


def case_code_matrix(
    project: Project,
    *,
    coder: str | None = None,
    consensus: bool = False,
    combine: str | None = None,
    case_attribute: str | None = None,
    presence: bool = False,
    viewer: str | None = None,
) -> "pd.DataFrame":
    """Cases x codes: segment counts, or 0/1 presence. Union/majority count every coder's segments."""
    data = load_analysis_data(project, viewer)
    return _frame(
        case_code_table(
            data,
            default_unit(data, case_attribute),
            _source_segments(data, coder, consensus, combine, case_attribute),
            presence,
        ),
        "case",
    )


def question_code_matrix(
    project: Project,
    *,
    coder: str | None = None,
    consensus: bool = False,
    combine: str | None = None,
    viewer: str | None = None,
) -> "pd.DataFrame":
    """Segments per interview question and code, from the chosen coding source, as a DataFrame. Refused for an
    unknown coder or combination."""
    data = load_analysis_data(project, viewer)
    return _frame(question_code_table(data, _source_segments(data, coder, consensus, combine)), "question")


def cooccurrence_matrix(
    project: Project,
    *,
    coder: str | None = None,
    consensus: bool = False,
    combine: str | None = None,
    viewer: str | None = None,
) -> "pd.DataFrame":
    """How often codes overlap in the chosen coding source, as a code-by-code DataFrame. Refused for an
    unknown coder or combination."""
    data = load_analysis_data(project, viewer)
    return _frame(cooccurrence_table(data, _source_segments(data, coder, consensus, combine)), "code")


def export_segments_csv(
    project: Project,
    path: str | Path,
    case_attribute: str | None = None,
    *,
    viewer: str | None = None,
    force: bool = False,
) -> Path:
    """The long segment table as CSV, UTF-8 with a BOM so that Excel shows Chinese correctly;
    in blind mode only `viewer`'s own segments."""
    return Path(write_segments_csv(project, path, case_attribute, viewer=viewer, force=force)["file"])


def write_segments_csv(
    project: Project,
    path: str | Path,
    case_attribute: str | None = None,
    *,
    viewer: str | None = None,
    force: bool = False,
) -> SegmentsCsv:
    """As export_segments_csv, returning {file, bytes, segments}; an existing file is replaced
    only with `force` (services/outputs.py)."""
    from qualcode.io.table_files import write_table_file

    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt"):
        raise QualcodeError(_("{path}: the CSV file must end in .csv").format(path=path))
    check_output_path(project, path, force=force)
    data = load_analysis_data(project, viewer)
    table = segment_rows(data, default_unit(data, case_attribute))
    with output_file(project, path, force=force) as temporary:
        write_table_file(temporary, "csv", table.header, table.rows)
        size = temporary.stat().st_size
    return {"file": str(path), "bytes": size, "segments": len(table.rows)}


def typology_frames(project: Project, **options: Any) -> dict[str, "pd.DataFrame"]:
    """The typology as DataFrames: 'profiles' and 'assignments' (one row per case), 'anchors'.

    Options are those of services.typology.compute_typology (coder, consensus, combine, ...).
    """
    import pandas as pd

    from qualcode.services.analysis.typology import compute_typology

    data = compute_typology(project, **options).to_dict()
    profiles = pd.DataFrame([{"case": c["case"], **c["profile"]} for c in data["cases"]]).set_index("case")
    assignments = pd.DataFrame(
        [
            {
                "case": c["case"],
                "type": c["type"],
                "basis": c["basis"],
                "margin": c["margin"],
                **{f"score.{k}": v for k, v in c["scores"].items()},
                **{f"rule.{k}": v for k, v in c["rule_results"].items()},
                "flags": "; ".join(c["flags"]),
                "cluster": c["cluster"],
            }
            for c in data["cases"]
        ]
    ).set_index("case")
    return {"profiles": profiles, "assignments": assignments, "anchors": pd.DataFrame(data["anchors"])}
