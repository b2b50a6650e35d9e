import codecs
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qualcode.core.errors import NotFoundError, QualcodeError
from qualcode.services.sources.documents import list_documents, show_document
from qualcode.services.sources.importing import import_paths, set_case_attribute
from qualcode.store.models import Case, CaseMember, Document, DocumentAttribute, Event, Unit
from tests.importing.helpers import EN_TRANSCRIPT, ZH_TRANSCRIPT, write


def counts(project) -> dict[str, int]:
    with project.read() as session:
        return {
            model.__tablename__: session.exec(select(func.count()).select_from(model)).one()[0]
            for model in (Document, DocumentAttribute, Unit, Case, CaseMember, Event)
        }


def test_import_folder_in_every_encoding(project, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "zh-gb.txt", ZH_TRANSCRIPT, "gb18030")
    write(folder / "en.txt", EN_TRANSCRIPT)
    write(folder / "sub" / "zh-u16.md", ZH_TRANSCRIPT.replace("海滨市产教联合体", "江城联合体"), "utf-16")
    report = import_paths(project, [folder])
    assert report.failed == [] and report.skipped == []
    by_name = {row["document"]: row for row in report.imported}
    assert by_name["zh-gb"]["encoding"] == "gb18030"
    assert by_name["zh-u16"]["encoding"] == "utf-16-le"
    assert by_name["en"]["language"] == "en" and by_name["zh-gb"]["language"] == "zh"
    shown = show_document(project, "zh-gb")
    assert shown["text"] == ZH_TRANSCRIPT
    assert shown["attributes"]["城市"] == "海滨市"
    assert shown["units"][0] == {
        "seq": 1,
        "start": ZH_TRANSCRIPT.index("问题1"),
        "end": ZH_TRANSCRIPT.index("\n受访者"),
        "kind": "turn",
        "speaker": "访谈者",
        "speaker_role": "interviewer",
        "question_key": "Q1",
        "question_confidence": 1.0,
        "question_source": "marker",
        "t_start": None,
        "t_end": None,
    }
    listed = {d["name"]: d for d in list_documents(project)}
    assert listed["zh-gb"]["units"] == {"interviewer": 3, "respondent": 4}
    assert listed["zh-gb"]["case"] == "海滨市产教联合体"
    assert listed["en"]["case"] == "Haibin consortium"


def test_bom_crlf_copy_is_a_duplicate_of_the_lf_file(project, tmp_path: Path) -> None:
    lf = write(tmp_path / "a.txt", EN_TRANSCRIPT)
    crlf = tmp_path / "b.txt"
    crlf.write_bytes(codecs.BOM_UTF8 + EN_TRANSCRIPT.replace("\n", "\r\n").encode())
    report = import_paths(project, [lf, crlf])
    assert [r["document"] for r in report.imported] == ["a"]
    assert report.skipped == [{"file": str(crlf), "reason": "same text already imported", "existing": "a"}]


def test_same_name_new_text_is_a_new_version(project, tmp_path: Path) -> None:
    import_paths(project, [write(tmp_path / "one" / "int.txt", EN_TRANSCRIPT)])
    report = import_paths(
        project, [write(tmp_path / "two" / "int.txt", EN_TRANSCRIPT + "Interviewer: Q5?\n")]
    )
    report3 = import_paths(project, [write(tmp_path / "three" / "int.txt", EN_TRANSCRIPT + "More.\n")])
    assert report.imported[0]["document"] == "int (v2)"
    assert report3.imported[0]["document"] == "int (v3)"
    with project.read() as session:
        rows = dict(session.exec(select(Document.name, Document.version_of)).all())
        original = session.exec(select(Document.id).where(Document.name == "int")).one()[0]
    assert rows == {"int": None, "int (v2)": original, "int (v3)": original}
    assert show_document(project, "int")["text"] == EN_TRANSCRIPT  # never overwritten


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty.txt: the file is empty"),
        ("blob.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "blob.txt: looks like a binary file"),
        ("cut.docx", b"PK\x03\x04\x14\x00\x00\x00", "cut.docx: not a readable .docx file"),
        ("bad.csv", b"who,said\nR1,hello\n", "bad.csv: no document column; columns found: who, said"),
    ],
)
def test_bad_file_fails_alone_and_leaves_nothing(
    project, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    good = write(tmp_path / "good.txt", EN_TRANSCRIPT)
    bad = tmp_path / name
    bad.write_bytes(content)
    before = counts(project)
    report = import_paths(project, [bad, good])
    assert [r["document"] for r in report.imported] == ["good"]
    assert len(report.failed) == 1 and report.failed[0]["file"] == str(bad)
    assert report.failed[0]["error"].startswith(message)
    after = counts(project)
    assert after["documents"] == before["documents"] + 1
    assert after["events"] == before["events"] + 2  # the good document and its case


def test_too_large_file(project, tmp_path: Path) -> None:
    big = write(tmp_path / "big.txt", "Respondent: " + "x" * 1_100_000)
    report = import_paths(project, [big], max_mb=1)
    assert report.failed == [
        {"file": str(big), "error": "big.txt: 1.0 MB is over the 1 MB limit (raise it with --max-size)"}
    ]
    assert counts(project)["documents"] == 0


def test_failure_inside_the_transaction_rolls_back_the_whole_file(
    project, tmp_path: Path, monkeypatch
) -> None:
    import qualcode.services.sources.importing as importing

    def broken(*args, **kwargs):
        raise QualcodeError("case store broke")

    monkeypatch.setattr(importing, "_join_case", broken)
    report = import_paths(project, [write(tmp_path / "a.txt", EN_TRANSCRIPT)])
    assert report.failed == [{"file": str(tmp_path / "a.txt"), "error": "case store broke"}]
    assert counts(project) == {k: 0 for k in counts(project)}


def test_multi_document_survey_file_is_one_transaction(project, tmp_path: Path) -> None:
    survey = write(tmp_path / "s.csv", "respondent,question_key,answer\nR1,Q1,yes\nR2,Q1,no\nR3,Q1,\"\"\n")
    report = import_paths(project, [survey])
    assert [r["document"] for r in report.imported] == ["R1", "R2", "R3"]
    shown = show_document(project, "R2")
    assert [(u["speaker_role"], u["question_key"], u["question_source"]) for u in shown["units"]] == [
        ("interviewer", "Q1", "row"),
        ("respondent", "Q1", "row"),
    ]


def test_sidecar_attributes_and_case_setting(project, tmp_path: Path) -> None:
    en = write(tmp_path / "en.txt", EN_TRANSCRIPT)
    zh = write(tmp_path / "zh.txt", ZH_TRANSCRIPT)
    sidecar = write(
        tmp_path / "attrs.csv", "file,consortium,Role\nen.txt,Haibin ICC,expert\nzh,Haibin ICC,\n"
    )
    set_case_attribute(project, "consortium")
    report = import_paths(project, [en, zh], attributes_file=sidecar)
    assert {r["case"] for r in report.imported} == {"Haibin ICC"}
    assert show_document(project, "en")["attributes"]["Role"] == "expert"  # the sidecar wins over the header
    assert show_document(project, "zh")["attributes"]["consortium"] == "Haibin ICC"
    assert set_case_attribute(project, ["City", "城市"]) == 2
    assert {d["name"]: d["case"] for d in list_documents(project)} == {"en": "Haibin", "zh": "海滨市"}
    assert set_case_attribute(project, "city") == 2  # one key reads its Chinese equivalent too
    assert {d["name"]: d["case"] for d in list_documents(project)} == {"en": "Haibin", "zh": "海滨市"}


def test_sidecar_without_file_column_stops_before_importing(project, tmp_path: Path) -> None:
    sidecar = write(tmp_path / "attrs.csv", "who,city\na,b\n")
    with pytest.raises(QualcodeError, match=r"^attrs.csv: no file column .*columns found: who, city$"):
        import_paths(project, [write(tmp_path / "en.txt", EN_TRANSCRIPT)], attributes_file=sidecar)
    assert counts(project)["documents"] == 0


def test_missing_path_and_progress(project, tmp_path: Path) -> None:
    calls = []
    report = import_paths(
        project,
        [tmp_path / "nope", write(tmp_path / "a.txt", EN_TRANSCRIPT)],
        progress=lambda done, total, path: calls.append((done, total, path.name)),
    )
    assert report.failed == [
        {"file": str(tmp_path / "nope"), "error": f"{tmp_path / 'nope'}: no such file or folder"}
    ]
    assert calls == [(1, 1, "a.txt")]


def test_import_event_per_document(project, tmp_path: Path) -> None:
    import_paths(project, [write(tmp_path / "a.txt", EN_TRANSCRIPT)], actor="lead")
    with project.read() as session:
        event = session.exec(select(Event).where(Event.action == "import")).scalars().one()
    assert (event.actor, event.entity) == ("lead", "document")
    assert json.loads(event.after)["document"] == "a"


def test_show_unknown_document(project) -> None:
    with pytest.raises(NotFoundError, match="no document named 'ghost'"):
        show_document(project, "ghost")


def test_qdpx_paths_go_to_the_refi_importer(project, tmp_path: Path, monkeypatch) -> None:
    import sys
    import types

    path = tmp_path / "team.qdpx"
    path.write_bytes(b"PK")
    monkeypatch.setitem(sys.modules, "qualcode.services.exchange.qdpx", None)  # not installed
    report = import_paths(project, [path])
    assert report.failed == [
        {"file": str(path), "error": "team.qdpx: REFI-QDA (.qdpx) import is not available in this version"}
    ]
    fake = types.ModuleType("qualcode.services.exchange.qdpx")
    fake.import_qdpx = lambda proj, p, actor=None, rules=None, positions="auto", max_mb=None: {  # type: ignore[attr-defined]
        "documents": 3,
        "path": str(p),
    }
    monkeypatch.setitem(sys.modules, "qualcode.services.exchange.qdpx", fake)
    assert import_paths(project, [path]).imported == [
        {"file": str(path), "qdpx": {"documents": 3, "path": str(path)}}
    ]


def test_import_align_and_autocode_on_every_backend(project_target: str, tmp_path: Path) -> None:
    """The bulk paths (DBAPI executemany, RETURNING, savepoints) on SQLite and PostgreSQL."""
    from qualcode.services.coding.autocode import autocode, undo_autocode
    from qualcode.services.sources.guide import load_guide_file, review, set_unit_question
    from qualcode.store.db import init_project
    from tests.importing.helpers import GUIDE_YAML

    target = init_project(project_target)
    try:
        write(tmp_path / "in" / "zh.txt", ZH_TRANSCRIPT, "gb18030")
        write(tmp_path / "in" / "en.txt", EN_TRANSCRIPT)
        (tmp_path / "in" / "bad.txt").write_bytes(b"")
        report = import_paths(target, [tmp_path / "in"])
        assert sorted(r["document"] for r in report.imported) == ["en", "zh"] and len(report.failed) == 1
        assert import_paths(target, [tmp_path / "in" / "en.txt"]).skipped[0]["existing"] == "en"
        assert (
            import_paths(target, [write(tmp_path / "v2" / "en.txt", EN_TRANSCRIPT + "\n.")]).imported[0][
                "document"
            ]
            == "en (v2)"
        )
        load_guide_file(target, write(tmp_path / "g.yaml", GUIDE_YAML))
        set_unit_question(target, "en", 8, "Q4", actor="lead")
        assert {(r["document"], r["seq"]) for r in review(target)["flagged"]} == {
            ("en", 4),
            ("en (v2)", 4),
            ("en (v2)", 8),
        }
        with target.write() as session:
            from qualcode.store.models import Code

            session.add(Code(key="TAL", name_en="talent"))
        run = autocode(target, "pattern", mapping={"企业": "TAL"}, scope="sentence")
        assert run.counts == {"TAL": {"zh": 2}}
        assert undo_autocode(target, run.run_id) == 2
        assert show_document(target, "zh")["text"] == ZH_TRANSCRIPT
    finally:
        target.dispose()


def test_unexpected_error_in_one_file_keeps_the_batch(project, tmp_path: Path, monkeypatch) -> None:
    import qualcode.services.sources.importing as importing

    real = importing.read_path

    def flaky(path, options):
        if path.name == "odd.txt":
            raise RuntimeError("parser exploded")
        return real(path, options)

    monkeypatch.setattr(importing, "read_path", flaky)
    odd, good = write(tmp_path / "odd.txt", "x"), write(tmp_path / "good.txt", EN_TRANSCRIPT)
    report = import_paths(project, [odd, good])
    assert report.failed == [{"file": str(odd), "error": "odd.txt: RuntimeError: parser exploded"}]
    assert [r["document"] for r in report.imported] == ["good"]


def test_folder_without_importable_files_is_a_failure_not_silence(project, tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "notes.odt").write_bytes(b"PK\x03\x04")
    report = import_paths(project, [tmp_path / "notes"])
    assert report.imported == [] and len(report.failed) == 1
    assert report.failed[0]["error"].endswith(
        "notes: a folder with no .txt, .md, .docx, .pdf, .csv, .xlsx, .vtt, .srt files"
    )
    report = import_paths(project, [tmp_path / "notes"], pattern="*.docx")
    assert report.failed[0]["error"].endswith("notes: a folder with no files matching *.docx")
    assert counts(project)["documents"] == 0
