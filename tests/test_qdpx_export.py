"""REFI-QDA export: schema validity, an independent reader's view, stable GUIDs, the CLI."""

import re
import zipfile
from pathlib import Path

import pytest

from qualcode.services.exchange.qdpx import export_qdpx
from tests.qdpx_helpers import EN, ZH, build_project


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, dict]:
    project = build_project(tmp_path / "p")
    summary = export_qdpx(project, tmp_path / "out.qdpx")
    project.dispose()
    return tmp_path / "out.qdpx", summary


def test_archive_layout_and_source_files(exported: tuple[Path, dict]) -> None:
    path, summary = exported
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert names[0] == "project.qde"
        texts = [z.read(n) for n in names if n.startswith("sources/")]
    assert len(texts) == 2 and all(re.fullmatch(r"sources/[0-9a-f-]{36}\.txt", n) for n in names[1:])
    assert sorted(texts) == sorted([ZH.encode("utf-8"), EN.encode("utf-8")])  # UTF-8, no BOM, LF
    assert not any(t.startswith(b"\xef\xbb\xbf") or b"\r" in t for t in texts)
    assert summary["sources"] == 2 and summary["selections"] == 5 and summary["users"] == 2
    assert summary["notes"] == 4 and summary["codes"] == 4 and summary["cases"] == 1


def test_project_qde_validates_against_the_refi_schema(exported: tuple[Path, dict], shared_dir: Path) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(shared_dir / "refi" / "Project.xsd"))
    with zipfile.ZipFile(exported[0]) as z:
        xml = z.read("project.qde").decode("utf-8")
    schema.validate(xml)  # raises with the first violation
    assert schema.is_valid(xml)
    # A file with a child out of the XSD order must fail, so the test above can fail too.
    broken = xml.replace("<Users>", "<Users_>").replace("</Users>", "</Users_>")
    assert not schema.is_valid(broken)


def test_pyrefiqda_reads_the_same_counts_and_positions(exported: tuple[Path, dict], tmp_path: Path) -> None:
    from pyrefiqda import RefiProject

    parsed = RefiProject.load(exported[0], extract_dir=str(tmp_path / "x"))
    assert len(parsed.users.user) == 2
    assert {u.name for u in parsed.users.user} == {"alice", "王芳"}
    top = parsed.code_book.codes.code
    assert [c.name for c in top] == ["Talent resource supply", "Governance"]
    assert [c.name for c in top[0].code] == ["Curriculum co-development", "企业教师"]
    assert top[0].is_codable is False
    sources = {s.name: s for s in parsed.sources.text_source}
    assert set(sources) == {"访谈01 政府官员", "interview-02"}
    zh = sources["访谈01 政府官员"]
    text = RefiProject.resolve_source_path(zh.plain_text_path, tmp_path / "x").read_text(encoding="utf-8")
    assert text == ZH
    spans = sorted((s.start_position, s.end_position) for s in zh.plain_text_selection)
    assert spans == sorted(
        [
            (ZH.index("我们"), ZH.index("，企业")),
            (ZH.index("我们"), ZH.index("。\n问：技术")),
            (ZH.index("企业派"), ZH.index("授课") + 2),
        ]
    )
    assert [text[a:b] for a, b in spans] == [
        "我们和企业共建课程",
        "我们和企业共建课程，企业派工程师授课",
        "企业派工程师授课",
    ]
    users = {u.guid: u.name for u in parsed.users.user}
    coders = sorted(users[s.coding[0].creating_user] for s in zh.plain_text_selection)
    assert coders == ["alice", "王芳", "王芳"]
    assert len(parsed.notes.note) == 4 and len(parsed.cases.case) == 1
    assert {v.name: v.type_of_variable.value for v in parsed.variables.variable} == {
        "consortium": "Text",
        "role": "Text",
        "visited": "Boolean",
        "years": "Text",
    }  # "n/a" is no integer


def test_guids_are_stable_across_exports(tmp_path: Path) -> None:
    project = build_project(tmp_path / "p")
    export_qdpx(project, tmp_path / "a.qdpx")
    export_qdpx(project, tmp_path / "b.qdpx")
    with zipfile.ZipFile(tmp_path / "a.qdpx") as a, zipfile.ZipFile(tmp_path / "b.qdpx") as b:
        xa, xb = a.read("project.qde").decode(), b.read("project.qde").decode()
        assert a.namelist() == b.namelist()
    assert xa == xb  # an unchanged project exports to the same project.qde
    guids = re.findall(r'guid="([^"]+)"', xa)
    assert len(guids) == len(set(guids)), "every entity has its own GUID"
    other = build_project(tmp_path / "q")  # another project gets other GUIDs
    export_qdpx(other, tmp_path / "c.qdpx")
    with zipfile.ZipFile(tmp_path / "c.qdpx") as c:
        assert not set(guids) & set(re.findall(r'guid="([^"]+)"', c.read("project.qde").decode()))


def test_export_records_an_event(tmp_path: Path) -> None:
    from sqlmodel import select

    from qualcode.store.models import Event

    project = build_project(tmp_path / "p")
    export_qdpx(project, tmp_path / "a.qdpx")
    with project.read() as s:
        actions = [e.action for e in s.exec(select(Event))]
    assert "export.qdpx" in actions


def test_cli_export_writes_file_and_requires_a_format(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qualcode.cli import cli

    build_project(tmp_path / "p").dispose()
    runner = CliRunner()
    out = tmp_path / "cli.qdpx"
    result = runner.invoke(cli, ["export", str(tmp_path / "p"), "--qdpx", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "5 selections" in result.output
    result = runner.invoke(cli, ["export", str(tmp_path / "p")])
    assert result.exit_code == 2 and "--qdpx" in result.output


def test_export_to_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    from qualcode.core.errors import QualcodeError

    project = build_project(tmp_path / "p")
    (tmp_path / "dir.qdpx").mkdir()
    from sqlmodel import select

    from qualcode.store.models import Event, Setting

    with pytest.raises(QualcodeError, match="is a folder"):
        export_qdpx(project, tmp_path / "dir.qdpx")
    assert list((tmp_path / "dir.qdpx").iterdir()) == []
    with project.read() as s:  # not even the GUID namespace was saved
        assert s.exec(select(Event)).first() is None
        assert s.get(Setting, "refi_namespace") is None


def test_awkward_values_still_give_a_valid_file(tmp_path: Path, shared_dir: Path) -> None:
    """Values that do not fit their declared XSD type are exported as Text; XML-illegal characters are dropped."""
    import xmlschema

    from qualcode.store.db import init_project
    from qualcode.store.models import Code, Coder, DocumentAttribute, Memo
    from tests.qdpx_helpers import make_doc

    project = init_project(str(tmp_path / "p"))
    with project.write() as s:
        doc = make_doc("bad\x01name", "text")
        s.add_all([doc, Coder(name="x\x02"), Code(key="K", name_en="", name_zh="", color="red")])
        s.flush()
        for key, value, typ in [
            ("b", "True", "boolean"),
            ("d", "2024-13-45", "date"),
            ("f", "1e5", "float"),
            ("i", "٣", "integer"),
            ("ok", "2024-02-29", "date"),
            ("n", None, "integer"),
        ]:
            s.add(DocumentAttribute(document_id=doc.id, key=key, value=value, type=typ))
        s.add(Memo(target_type="document", target_id=doc.id, text="bell\x07 end", title="\x1f"))
    export_qdpx(project, tmp_path / "a.qdpx")
    schema = xmlschema.XMLSchema(str(shared_dir / "refi" / "Project.xsd"))
    with zipfile.ZipFile(tmp_path / "a.qdpx") as z:
        xml = z.read("project.qde").decode("utf-8")
    schema.validate(xml)
    assert 'name="ok" typeOfVariable="Date"' in xml and 'name="b" typeOfVariable="Text"' in xml


def test_derived_guids_are_uuid5() -> None:
    import uuid

    from qualcode.io.refi.model import derived_guid

    ns = str(uuid.uuid4())
    for ident in (1, "中文", "TAL.CURR", None):
        assert derived_guid(ns, "code", ident) == str(uuid.uuid5(uuid.UUID(ns), f"code:{ident}"))


def test_a_cycle_in_the_code_tree_does_not_hang_the_export(tmp_path: Path) -> None:
    from qualcode.store.db import init_project
    from qualcode.store.models import Code

    project = init_project(str(tmp_path / "p"))
    with project.write() as s:
        a, b = Code(key="A", name_en="a"), Code(key="B", name_en="b")
        s.add_all([a, b])
        s.flush()
        a.parent_id, b.parent_id = b.id, a.id
        s.add_all([a, b])
    summary = export_qdpx(project, tmp_path / "a.qdpx")
    with zipfile.ZipFile(tmp_path / "a.qdpx") as z:
        xml = z.read("project.qde").decode()
    assert summary["codes"] == 2 and xml.count("<Code ") == 2
