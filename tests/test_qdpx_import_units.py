"""Documents that arrive in a .qdpx get speaker units, question links and a language, like a .txt import."""

from pathlib import Path

from sqlmodel import select

from qualcode.services.exchange.qdpx import export_qdpx, import_qdpx, init_from_qdpx
from qualcode.services.sources.guide import load_guide_file
from qualcode.store.db import Project, init_project, open_project
from qualcode.store.models import Document, Unit
from tests.qdpx_helpers import EN, ZH, build_project

GUIDE = """\
questions:
  - key: Q1
    text_en: What about governance?
    text_zh: 联合体如何支持人才培养？
  - key: Q2
    text_en: Challenges?
    text_zh: 技术方面呢？
"""


def units_of(project: Project) -> dict[str, list[tuple[str | None, str | None, str | None, str]]]:
    with project.read() as s:
        docs = {d.id: d for d in s.exec(select(Document))}
        out: dict[str, list[tuple[str | None, str | None, str | None, str]]] = {
            d.name: [] for d in docs.values()
        }
        for u in s.exec(select(Unit).order_by(Unit.document_id, Unit.seq)):
            doc = docs[u.document_id]
            out[doc.name].append((u.speaker, u.speaker_role, u.question_key, doc.text[u.start : u.end]))
        return out


def languages(project: Project) -> dict[str, str | None]:
    with project.read() as s:
        return {d.name: d.language for d in s.exec(select(Document))}


def test_imported_documents_get_turns_language_and_question_links(tmp_path: Path) -> None:
    export_qdpx(build_project(tmp_path / "a"), tmp_path / "a.qdpx")
    copy = init_project(str(tmp_path / "b"))
    (tmp_path / "guide.yaml").write_text(GUIDE, encoding="utf-8")
    load_guide_file(copy, tmp_path / "guide.yaml")
    import_qdpx(copy, tmp_path / "a.qdpx")
    assert languages(copy) == {"访谈01 政府官员": "zh", "interview-02": "en"}
    zh = units_of(copy)["访谈01 政府官员"]
    assert [(s, r) for s, r, _, _ in zh] == [("问", "interviewer"), ("答", "respondent")] * 2
    assert zh[1][3] == "我们和企业共建课程，企业派工程师授课。"
    assert [k for _, _, k, _ in zh] == ["Q1", "Q1", "Q2", "Q2"]
    en = units_of(copy)["interview-02"]
    assert en[1] == ("A", "respondent", "Q1", "The council meets twice a year.")
    assert len(en) == 4 and EN.endswith(en[3][3]) and ZH.endswith(zh[3][3])


def test_init_from_qdpx_gets_units_too(tmp_path: Path) -> None:
    export_qdpx(build_project(tmp_path / "a"), tmp_path / "a.qdpx")
    init_from_qdpx(str(tmp_path / "new"), tmp_path / "a.qdpx")
    project = open_project(str(tmp_path / "new"))
    assert [len(v) for v in units_of(project).values()] == [4, 4]
    assert set(languages(project).values()) == {"zh", "en"}


def test_reused_documents_keep_their_units(tmp_path: Path) -> None:
    project = build_project(tmp_path / "a")
    export_qdpx(project, tmp_path / "a.qdpx")
    import_qdpx(project, tmp_path / "a.qdpx")  # documents reused: no units added to them
    assert units_of(project) == {"访谈01 政府官员": [], "interview-02": []}


def test_lead_role_survives_the_round_trip_but_never_promotes_an_existing_coder(tmp_path: Path) -> None:
    from qualcode.store.models import Coder

    export_qdpx(build_project(tmp_path / "a"), tmp_path / "a.qdpx")  # alice is the lead
    copy = init_project(str(tmp_path / "b"))
    import_qdpx(copy, tmp_path / "a.qdpx")
    with copy.read() as s:
        assert {c.name: c.role for c in s.exec(select(Coder))} == {"alice": "lead", "王芳": "coder"}
    other = init_project(str(tmp_path / "c"))
    with other.write() as s:
        s.add(Coder(name="alice", role="coder"))
    import_qdpx(other, tmp_path / "a.qdpx")
    with other.read() as s:
        assert {c.name: c.role for c in s.exec(select(Coder))} == {"alice": "coder", "王芳": "coder"}


def test_a_typology_that_cannot_travel_is_listed_as_not_exported(tmp_path: Path) -> None:
    from qualcode.services.codebook.curation import load_codebook

    root = Path(__file__).resolve().parents[1]
    project = build_project(tmp_path / "a")
    summary = export_qdpx(project, tmp_path / "a.qdpx")
    assert not any("typology" in item for item in summary["not_exported"])
    plain = init_project(str(tmp_path / "b"))
    load_codebook(plain, root / "codebooks" / "industry-education-consortium.yaml")
    summary = export_qdpx(plain, tmp_path / "b.qdpx")
    assert any(item.startswith("the codebook's typology") for item in summary["not_exported"])


def test_import_speaker_roles_apply_to_qdpx_documents(tmp_path: Path) -> None:
    import zipfile

    from qualcode.services.sources.importing import import_paths

    guid = "11111111-2222-3333-4444-555555555555"
    text = "王老师：问题1，请介绍一下。\n张主任：好的。\n王老师：问题2呢？\n张主任：也好。"
    with zipfile.ZipFile(tmp_path / "t.qdpx", "w") as z:
        z.writestr(
            "project.qde",
            '<Project xmlns="urn:QDA-XML:project:1.0" name="t"><Sources>'
            f'<TextSource guid="{guid}" name="访谈" plainTextPath="internal://{guid}.txt"/></Sources></Project>',
        )
        z.writestr(f"sources/{guid}.txt", text)
    project = init_project(str(tmp_path / "p"))
    report = import_paths(project, [tmp_path / "t.qdpx"], speaker_roles={"王老师": "interviewer"})
    assert report.failed == [] and report.imported[0]["qdpx"]["units"] == 4
    assert [(s, r, k) for s, r, k, _ in units_of(project)["访谈"]] == [
        ("王老师", "interviewer", "Q1"),
        ("张主任", "respondent", "Q1"),
        ("王老师", "interviewer", "Q2"),
        ("张主任", "respondent", "Q2"),
    ]


def test_the_export_records_the_codebook_version_and_hash(tmp_path: Path) -> None:
    from qualcode.io.refi import codemeta as qdpx_codemeta
    from qualcode.io.refi.read import read_qdpx
    from qualcode.services.codebook.curation import codebook_info, load_codebook

    project = init_project(str(tmp_path / "p"))
    load_codebook(
        project, Path(__file__).resolve().parents[1] / "codebooks" / "industry-education-consortium.yaml"
    )
    summary = export_qdpx(project, tmp_path / "p.qdpx")
    info = codebook_info(project)
    expected = {"id": info["id"], "version": info["version"], "sha256": info["sha256"]}
    assert summary["codebook"] == expected
    meta = qdpx_codemeta.split(read_qdpx(tmp_path / "p.qdpx").description)[1]
    assert meta["codebook"] == expected


def test_two_users_with_one_name_stay_two_coders(tmp_path: Path) -> None:
    import zipfile

    from qualcode.store.models import Coder, Segment

    u1, u2, src, code = (
        "11111111-0000-0000-0000-000000000001",
        "22222222-0000-0000-0000-000000000002",
        "33333333-0000-0000-0000-000000000003",
        "44444444-0000-0000-0000-000000000004",
    )
    sel = "".join(
        f'<PlainTextSelection guid="5555555{i}-0000-0000-0000-000000000005" startPosition="0" endPosition="5">'
        f'<Coding guid="6666666{i}-0000-0000-0000-000000000006" creatingUser="{user}"><CodeRef targetGUID="{code}"/>'
        '</Coding></PlainTextSelection>'
        for i, user in enumerate((u1, u2))
    )
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="NVivo 14">'
        f'<Users><User guid="{u1}" name="Anna"/><User guid="{u2}" name="Anna"/></Users>'
        f'<CodeBook><Codes><Code guid="{code}" name="Talent" isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="{src}" name="d" plainTextPath="internal://{src}.txt">{sel}</TextSource>'
        '</Sources></Project>'
    )
    with zipfile.ZipFile(tmp_path / "t.qdpx", "w") as z:
        z.writestr("project.qde", qde)
        z.writestr(f"sources/{src}.txt", "Hello world")
    project = init_project(str(tmp_path / "p"))
    summary = import_qdpx(project, tmp_path / "t.qdpx")
    assert summary["coders"] == 2 and summary["segments"] == 2
    with project.read() as s:
        assert sorted(c.name for c in s.exec(select(Coder))) == ["Anna", "Anna (22222222)"]
        assert len(s.exec(select(Segment)).all()) == 2
