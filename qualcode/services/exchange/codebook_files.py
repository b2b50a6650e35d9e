"""Codebook files in and out of a project: YAML export, REFI-QDA .qdc export/import, diffs."""

import re
import uuid
from pathlib import Path

from sqlmodel import Session, col, select

from qualcode import __version__
from qualcode.core.codebook import TEXT_FIELDS, Codebook
from qualcode.core.codebook_diff import Difference, diff_codebooks
from qualcode.core.errors import QualcodeError, ValidationError
from qualcode.i18n import _
from qualcode.io.input_files import refuse_special_file
from qualcode.services.codebook.curation import apply_codebook, codebook_info, current_codebook
from qualcode.services.codebook.sync import read_book
from qualcode.services.exchange.rows import CodebookFileWritten, QdcImported
from qualcode.services.outputs import check_output_path, output_file
from qualcode.store.db import Project
from qualcode.store.models import Code


def _nonempty(project: Project) -> Codebook:
    book = current_codebook(project)
    if not book.nodes:
        raise QualcodeError(
            _("the project has no codebook yet: load one with `qualcode codebook load PROJECT FILE`")
        )
    return book


def export_yaml(project: Project, path: str | Path, *, force: bool = False) -> CodebookFileWritten:
    """Write the project's codebook as YAML (an existing file is replaced only with `force`)."""
    from qualcode.io.codebook_yaml_writer import dump_codebook

    check_output_path(project, path, force=force)
    book = _nonempty(project)
    info = codebook_info(project)
    header = (
        f"Exported by qualcode {__version__} from {project.display}\n"
        f"codebook {info['id']}, project version {info['version']}, sha256 {info['sha256']}"
    )
    with output_file(project, path, force=force) as temporary:
        temporary.write_bytes(dump_codebook(book, header).encode("utf-8"))
    return {**info, "path": str(path)}


def ensure_guids(project: Project) -> None:
    """Give every code a stored GUID so that REFI-QDA identities stay the same across exports."""

    def _work(session: Session) -> None:
        for row in session.exec(select(Code).where(col(Code.guid).is_(None))).all():
            row.guid = str(uuid.uuid4())
            session.add(row)

    project.transact(_work)


def export_qdc(project: Project, path: str | Path, *, force: bool = False) -> CodebookFileWritten:
    """Write the project's codebook as a REFI-QDA .qdc (an existing file is replaced only with `force`)."""
    from qualcode.io.refi.qdc import codebook_to_qdc

    check_output_path(project, path, force=force)
    _nonempty(project)
    ensure_guids(project)
    book = current_codebook(project)
    info = codebook_info(project)
    # REFI-QDA has no field for provenance; `origin` is free text, so it carries version and hash.
    origin = (
        f"qualcode {__version__}; codebook {info['id']} version {info['version']}; sha256 {info['sha256']}"
    )
    with output_file(project, path, force=force) as temporary:
        temporary.write_bytes(codebook_to_qdc(book, origin=origin))
    return {**info, "path": str(path)}


def import_qdc(
    project: Project, path: str | Path, actor: str | None = None, retire_missing: bool = False
) -> QdcImported:
    """Replace the project's codebook by a .qdc from another tool; returns what was dropped."""
    from qualcode.io.refi.qdc import read_qdc

    source = Path(path)
    refuse_special_file(source)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise QualcodeError(_("{source}: no such file").format(source=source)) from None
    except IsADirectoryError:
        raise QualcodeError(_("{source} is a folder, not a .qdc file").format(source=source)) from None
    try:
        imported = read_qdc(data, book_id=source.stem)
    except ValidationError as exc:
        raise ValidationError(_("{source}: {exc}").format(source=source, exc=exc)) from None
    book = imported.book
    dropped = list(imported.dropped)
    with project.read() as session:
        old = read_book(session)
    _reuse_keys(old, book)
    # Our own export names its codebook in `origin` (see export_qdc): coming back, it keeps
    # that identity and, when it is the project's codebook, its titles, rather than the file name.
    _keep_whitespace(old, book)
    ours = re.match(r"Imported from qualcode [^;]*; codebook (\S+) version", book.title_en or "")
    if ours and ours.group(1) != "None":
        book.id = ours.group(1)
        if book.id == old.id:
            book.version, book.title_en, book.title_zh = old.version, old.title_en, old.title_zh
            book.description, book.languages = old.description, old.languages
    if old.typology is not None:
        book.typology = old.typology
        problems = book.typology.problems(set(book.by_key()))
        if problems:
            book.typology = None
            dropped.append(
                _("the project's typology {id!r}, which no longer fits the codes ({problem})").format(
                    id=old.typology.id, problem=problems[0].message
                )
            )
    result = apply_codebook(
        project,
        book,
        actor=actor,
        retire_missing=retire_missing,
        source=str(source),
        action="codebook.import",
    )
    return {**result, "dropped": dropped, "generated_keys": imported.generated_keys}


_TEXT_FIELDS = ("name_en", "name_zh", *TEXT_FIELDS)


def _keep_whitespace(old: Codebook, book: Codebook) -> None:
    """A .qdc carries texts stripped (labelled lines): a text that differs only in leading or
    trailing whitespace (a YAML block's final newline) is not a change."""
    before = {n.key: n for n in old.nodes}
    for node in book.nodes:
        known = before.get(node.key)
        for name in _TEXT_FIELDS if known is not None else ():
            kept = getattr(known, name)
            if kept is not None and kept.strip() == (getattr(node, name) or "").strip():
                setattr(node, name, kept)


def _reuse_keys(old: Codebook, book: Codebook) -> None:
    """Codes whose GUID the project already knows keep their existing key (a round trip via another tool)."""
    by_guid = {n.guid.lower(): n.key for n in old.nodes if n.guid}
    taken = set(book.by_key())
    renames: dict[str, str] = {}
    for node in book.nodes:
        known = by_guid.get((node.guid or "").lower())
        if known and known != node.key and known not in taken:
            renames[node.key] = known
            taken.add(known)
    for node in book.nodes:
        node.key = renames.get(node.key, node.key)
        if node.parent in renames:
            node.parent = renames[node.parent]


def diff_project_file(project: Project, path: str | Path) -> list[Difference]:
    """What would change if the codebook file at `path` replaced the project's codebook. Refused when the file
    is not a valid codebook."""
    from qualcode.io.codebook_yaml import read_codebook

    return diff_codebooks(current_codebook(project), read_codebook(path))


def diff_files(old: str | Path, new: str | Path) -> list[Difference]:
    """The differences between two codebook files, old to new. Refused when either is not a valid codebook."""
    from qualcode.io.codebook_yaml import read_codebook

    return diff_codebooks(read_codebook(old), read_codebook(new))
