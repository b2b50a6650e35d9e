"""qualcode -> .qdpx -> qualcode keeps documents, codes, segments, coders, attributes, memos."""

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from qualcode.services.exchange.qdpx import export_qdpx, import_qdpx, init_from_qdpx
from qualcode.services.settings import read_setting
from qualcode.store.db import Project, init_project, open_project
from qualcode.store.models import (
    Case,
    CaseMember,
    Code,
    Coder,
    Document,
    DocumentAttribute,
    Event,
    Memo,
    Segment,
)
from tests.qdpx_helpers import ZH, build_project

CODE_FIELDS = (
    "key",
    "level",
    "name_en",
    "name_zh",
    "short_definition",
    "short_definition_zh",
    "definition",
    "definition_zh",
    "inclusion",
    "inclusion_zh",
    "exclusion",
    "exclusion_zh",
    "example_en",
    "example_zh",
    "color",
    "codable",
    "retired",
    "sort_order",
)


def state(project: Project) -> dict[str, Any]:
    """Everything the round trip must keep, keyed by names rather than row ids."""
    with project.read() as s:
        docs = {d.id: d for d in s.exec(select(Document))}
        coders = {c.id: c.name for c in s.exec(select(Coder))}
        codes = {c.id: c for c in s.exec(select(Code))}
        segs = {g.id: g for g in s.exec(select(Segment))}

        def target(m: Memo) -> Any:
            if m.target_type == "document":
                return docs[m.target_id].name
            if m.target_type == "code":
                return codes[m.target_id].key
            if m.target_type == "segment":
                g = segs[m.target_id]
                return (docs[g.document_id].name, coders[g.coder_id], codes[g.code_id].key, g.start, g.end)
            return None

        return {
            "documents": sorted((d.name, d.text, d.length, d.sha256) for d in docs.values()),
            "coders": sorted(coders.values()),
            "codes": sorted(
                (
                    c.key,
                    codes[c.parent_id].key if c.parent_id else None,
                    *(getattr(c, f) for f in CODE_FIELDS),
                )
                for c in codes.values()
            ),
            "segments": sorted(
                (
                    docs[g.document_id].name,
                    coders[g.coder_id],
                    codes[g.code_id].key,
                    g.start,
                    g.end,
                    docs[g.document_id].text[g.start : g.end],
                    g.memo,
                )
                for g in segs.values()
            ),
            "attributes": sorted(
                (docs[a.document_id].name, a.key, a.value, a.type) for a in s.exec(select(DocumentAttribute))
            ),
            "memos": sorted(
                (m.target_type, str(target(m)), coders.get(m.coder_id), m.title or "", m.text)
                for m in s.exec(select(Memo))
            ),
            "case_attribute": read_setting(s, "case_attribute"),
            "cases": sorted(
                (
                    c.name,
                    c.description or "",
                    sorted(
                        docs[m.document_id].name
                        for m in s.exec(select(CaseMember).where(CaseMember.case_id == c.id))
                    ),
                )
                for c in s.exec(select(Case))
            ),
        }


def test_round_trip_is_lossless_including_chinese(tmp_path: Path, project_target: str) -> None:
    original = build_project(tmp_path / "a")
    export_qdpx(original, tmp_path / "a.qdpx")
    copy = init_project(project_target)  # SQLite, and PostgreSQL when a server is given
    summary = import_qdpx(copy, tmp_path / "a.qdpx")
    before, after = state(original), state(copy)
    for key in before:
        assert after[key] == before[key], key
    assert any("我们和企业共建课程" == seg[5] for seg in after["segments"])
    assert summary["documents"] == 2 and summary["segments"] == 5 and summary["memos"] == 4
    assert summary["not_imported"] == []
    # and back out again: the second export describes the same project
    export_qdpx(copy, tmp_path / "b.qdpx")
    third = init_project(str(tmp_path / "c"))
    import_qdpx(third, tmp_path / "b.qdpx")
    assert state(third) == before
    copy.dispose()


def test_import_records_one_event_per_document_and_a_summary(tmp_path: Path) -> None:
    original = build_project(tmp_path / "a")
    export_qdpx(original, tmp_path / "a.qdpx")
    copy = init_project(str(tmp_path / "b"))
    import_qdpx(copy, tmp_path / "a.qdpx", actor="alice")
    with copy.read() as s:
        events = list(s.exec(select(Event)))
    assert sum(1 for e in events if e.entity == "document" and e.action == "import") == 2
    summary = [e for e in events if e.action == "import.qdpx"]
    assert len(summary) == 1 and summary[0].actor == "alice"
    assert len({e.group_id for e in events if e.action.startswith("import")}) == 1


def test_reimport_into_the_same_project_adds_nothing(tmp_path: Path) -> None:
    project = build_project(tmp_path / "a")
    export_qdpx(project, tmp_path / "a.qdpx")
    before = state(project)
    summary = import_qdpx(project, tmp_path / "a.qdpx")
    assert state(project) == before
    assert summary["documents"] == 0 and summary["documents_reused"] == 2
    assert summary["segments"] == 0 and summary["segments_already_present"] == 5
    assert summary["codes"] == 0 and summary["codes_matched"] == 4 and summary["memos"] == 0


def test_init_from_qdpx_creates_the_project(tmp_path: Path) -> None:
    original = build_project(tmp_path / "a")
    export_qdpx(original, tmp_path / "a.qdpx")
    summary = init_from_qdpx(str(tmp_path / "new"), tmp_path / "a.qdpx")
    assert summary["segments"] == 5
    assert state(open_project(str(tmp_path / "new"))) == state(original)


def test_failed_import_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qualcode.services.exchange import qdpx_import

    original = build_project(tmp_path / "a")
    export_qdpx(original, tmp_path / "a.qdpx")
    target = init_project(str(tmp_path / "b"))

    def boom(self: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(qdpx_import._Importer, "memos", boom)  # after documents and segments were added
    with pytest.raises(RuntimeError):
        import_qdpx(target, tmp_path / "a.qdpx")
    with target.read() as s:
        for model in (Document, Coder, Code, Segment, DocumentAttribute, Memo, Event):
            assert s.exec(select(model)).first() is None, model.__name__


def test_failed_init_from_qdpx_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qualcode.services.exchange import qdpx_import

    original = build_project(tmp_path / "a")
    export_qdpx(original, tmp_path / "a.qdpx")
    monkeypatch.setattr(qdpx_import._Importer, "memos", lambda self: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        init_from_qdpx(str(tmp_path / "new"), tmp_path / "a.qdpx")
    assert not (tmp_path / "new").exists()


def test_document_with_same_text_is_reused_and_name_clash_renamed(tmp_path: Path) -> None:
    from tests.qdpx_helpers import make_doc

    original = build_project(tmp_path / "a", case_attribute=False)
    export_qdpx(original, tmp_path / "a.qdpx")
    target = init_project(str(tmp_path / "b"))
    with target.write() as s:
        s.add(make_doc("interview-02", "a different text with the same name"))
        s.add(make_doc("my copy", ZH))
    summary = import_qdpx(target, tmp_path / "a.qdpx")
    assert summary["documents"] == 1 and summary["documents_reused"] == 1
    with target.read() as s:
        names = sorted(d.name for d in s.exec(select(Document)))
        assert names == ["interview-02", "interview-02 (2)", "my copy"]
        zh_doc = s.exec(select(Document).where(Document.name == "my copy")).one()
        assert len(s.exec(select(Segment).where(Segment.document_id == zh_doc.id)).all()) == 3
        assert read_setting(s, "case_attribute") is None


def test_two_sources_with_the_same_text_stay_two_documents(tmp_path: Path) -> None:
    from qualcode.store.models import Segment as Seg
    from tests.qdpx_helpers import make_doc

    original = init_project(str(tmp_path / "a"))
    with original.write() as s:
        a, b = make_doc("first", "same words"), make_doc("second", "same words")
        coder, code = Coder(name="c"), Code(key="K", name_en="k")
        s.add_all([a, b, coder, code])
        s.flush()
        s.add_all([Seg(document_id=d.id, coder_id=coder.id, code_id=code.id, start=0, end=4) for d in (a, b)])
    export_qdpx(original, tmp_path / "a.qdpx")
    copy = init_project(str(tmp_path / "b"))
    summary = import_qdpx(copy, tmp_path / "a.qdpx")
    assert summary["documents"] == 2 and summary["segments"] == 2
    assert state(copy) == state(original)


def test_foreign_codebook_gets_keys_levels_and_names(tmp_path: Path) -> None:
    import zipfile

    g = [f"{i:08d}-aaaa-bbbb-cccc-dddddddddddd" for i in range(5)]
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="nv" origin="NVivo 14"><CodeBook><Codes>'
        f'<Code guid="{g[0]}" name="Talent" isCodable="false" color="#00FF00">'
        f'<Description>About people\n\n[qualcode]\nsort_order: "x"\nlevel: "weird"</Description>'
        f'<Code guid="{g[1]}" name="人才培养" isCodable="true"/>'
        f'<Code guid="{g[2]}" name="Talent" isCodable="true"/></Code>'
        f'<Code guid="{g[3]}" name="Talent" isCodable="true" color="rgb(1,2,3)"/>'
        '</Codes></CodeBook></Project>'
    )
    with zipfile.ZipFile(tmp_path / "nv.qdpx", "w") as z:
        z.writestr("project.qde", qde)
    project = init_project(str(tmp_path / "p"))
    summary = import_qdpx(project, tmp_path / "nv.qdpx")
    assert summary["codes"] == 4
    with project.read() as s:
        codes = {c.guid: c for c in s.exec(select(Code))}
    top, zh, dup, other = (codes[x] for x in g[:4])
    assert (top.key, top.level, top.codable, top.color, top.definition) == (
        "TALENT",
        "dimension",
        False,
        "#00FF00",
        "About people",
    )
    assert (zh.level, zh.name_zh, zh.name_en, zh.parent_id) == ("code", "人才培养", "", top.id)
    assert zh.key == "CODE" and dup.key == "TALENT_2" and other.key == "TALENT_3" and other.color is None


def test_cli_init_from_qdpx(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from qualcode.cli import cli

    export_qdpx(build_project(tmp_path / "a"), tmp_path / "a.qdpx")
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "new"), "--from", str(tmp_path / "a.qdpx")])
    assert result.exit_code == 0, result.output
    assert state(open_project(str(tmp_path / "new"))) == state(open_project(str(tmp_path / "a")))


def test_colleagues_projects_merge_on_code_keys_and_texts(tmp_path: Path) -> None:
    """Two projects built from the same codebook and transcripts: importing one into the other
    attaches the colleague's segments to the same codes and documents."""
    mine = build_project(tmp_path / "mine")
    theirs = build_project(tmp_path / "theirs")
    with theirs.write() as s:
        extra = s.exec(select(Segment)).first()
        s.add(
            Segment(
                document_id=extra.document_id, coder_id=extra.coder_id, code_id=extra.code_id, start=0, end=1
            )
        )
    export_qdpx(theirs, tmp_path / "theirs.qdpx")
    summary = import_qdpx(mine, tmp_path / "theirs.qdpx")
    assert summary["codes"] == 0 and summary["codes_matched"] == 4
    assert summary["documents"] == 0 and summary["documents_reused"] == 2
    assert summary["segments"] == 1 and summary["segments_already_present"] == 5
    assert summary["memos"] == 0  # identical memos are not doubled
    with mine.read() as s:
        assert len(s.exec(select(Code)).all()) == 4
