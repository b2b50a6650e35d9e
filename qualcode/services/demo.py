"""Building the demo project from its text sources in projects/demo.

The repository copy is only read. The built project is a normal project: the codings are
applied through the same services a coder uses, so the event log is complete.
"""

from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _
from qualcode.io.demo_sources import locate_quote, read_demo_sources
from qualcode.io.resources import demo_sources, shipped_codebook
from qualcode.store.db import Project
from qualcode.store.mapped import id_of


class DemoSummary(TypedDict):
    """What the demo project holds, for the `qualcode demo` message."""

    path: str
    documents: int
    coders: list[str]
    roles: dict[str, str]  # coder -> coder | lead
    segments: int


def default_demo_path() -> Path:
    """A fresh, time-stamped folder for the demo project in the user's data directory."""
    from platformdirs import user_data_dir

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(user_data_dir("qualcode")) / f"demo-{stamp}"


def build_demo(target: Path | None = None, sources: Path | None = None) -> tuple[Project, DemoSummary]:
    """Create a fresh project holding the demo transcripts, codebook, guide and codings."""
    from qualcode.services.codebook.curation import load_codebook
    from qualcode.services.coders import ensure_coder
    from qualcode.services.coding.segments import add_segment_in
    from qualcode.services.events import new_group_id
    from qualcode.services.lookup import find_code, find_document
    from qualcode.services.project import create_project
    from qualcode.services.settings import write_setting
    from qualcode.services.sources.guide import load_guide_file
    from qualcode.services.sources.importing import import_paths, set_case_attribute
    from qualcode.store.models import DocumentStatus, utcnow

    demo = read_demo_sources(sources or demo_sources())
    target = target or default_demo_path()
    if target.exists() and any(target.iterdir()):
        raise QualcodeError(
            _("{target} already exists and is not empty: choose another --path").format(target=target)
        )
    project = create_project(str(target), name=demo.name)
    load_codebook(project, shipped_codebook(demo.codebook), actor="demo")
    if demo.guide is not None:
        load_guide_file(project, demo.guide, actor="demo")
    if demo.settings.get("case_attribute"):
        set_case_attribute(project, demo.settings["case_attribute"], actor="demo")
    report = import_paths(project, [demo.transcripts], pattern="*.txt", actor="demo")
    if report.failed:
        raise QualcodeError(_("demo import failed: {error}").format(error=report.failed[0]['error']))

    segments = 0
    for sheet in demo.coders:

        def code_sheet(session: Any, sheet: Any = sheet) -> int:
            coder = ensure_coder(session, sheet.coder, sheet.role, actor="demo")
            group = new_group_id()
            added = 0
            for seg in sheet.segments:
                doc = find_document(session, seg.document)
                start, end = locate_quote(doc.text, seg.quote, seg.occurrence)
                add_segment_in(
                    session, coder, doc, find_code(session, seg.code), start, end, seg.memo, group_id=group
                )
                added += 1
            for name in sheet.done:
                doc = find_document(session, name)
                status = session.get(DocumentStatus, (doc.id, coder.id)) or DocumentStatus(
                    document_id=id_of(doc), coder_id=id_of(coder)
                )
                status.status, status.updated_at = "done", utcnow()
                session.add(status)
            return added

        segments += project.transact(code_sheet)

    def _settings(session: Any) -> None:
        for key, value in demo.settings.items():
            if key != "case_attribute":
                write_setting(session, key, value)

    project.transact(_settings)
    return project, {
        "path": str(target),
        "documents": len(report.imported),
        "coders": [s.coder for s in demo.coders],
        "roles": {s.coder: s.role for s in demo.coders},
        "segments": segments,
    }
