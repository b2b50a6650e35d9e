"""Issue 16 items 6 and 11: a .qdpx whose GUIDs repeat is refused with the GUID named, and a
selection that selects nothing is reported as empty, not as "outside the text"."""

import json
import zipfile
from pathlib import Path

import pytest

from tests.hardening.input_support import assert_refused, project, run

__all__ = ["project"]

G = [f"{i:08d}-aaaa-4bbb-8ccc-dddddddddddd" for i in range(10)]
TEXT = "Respondent: we train technicians with the firms in the park."


def qdpx(path: Path, *, users: str = "", codes: str = "", sources: str = "", cases: str = "") -> Path:
    users = users or f'<User guid="{G[0]}" name="lin"/>'
    codes = codes or f'<Code guid="{G[1]}" name="Training" isCodable="true"/>'
    sources = sources or source(G[2], "doc", selection(G[3], 12, 20))
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="test">'
        f"<Users>{users}</Users><CodeBook><Codes>{codes}</Codes></CodeBook>"
        f"<Cases>{cases}</Cases><Sources>{sources}</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
    return path


def selection(guid: str, start: int, end: int, coding: str = G[4]) -> str:
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}" creatingUser="{G[0]}">'
        f'<Coding guid="{coding}" creatingUser="{G[0]}"><CodeRef targetGUID="{G[1]}"/></Coding>'
        "</PlainTextSelection>"
    )


def source(guid: str, name: str, selections: str) -> str:
    return (
        f'<TextSource guid="{guid}" name="{name}"><PlainTextContent>{TEXT}</PlainTextContent>'
        f"{selections}</TextSource>"
    )


def test_the_sound_archive_imports(capsys, project: Path, tmp_path: Path):
    code, _, err = run(capsys, "import", project, qdpx(tmp_path / "ok.qdpx"))
    assert code == 0, err


@pytest.mark.parametrize(
    "parts",
    [
        {"codes": f'<Code guid="{G[1]}" name="Training"/><Code guid="{G[1]}" name="Research"/>'},
        {"codes": f'<Code guid="{G[1]}" name="Training"><Code guid="{G[1]}" name="Inner"/></Code>'},
        {"users": f'<User guid="{G[0]}" name="lin"/><User guid="{G[0]}" name="chen"/>'},
        {"sources": source(G[2], "doc", selection(G[3], 0, 5)) + source(G[2], "doc2", "")},
        {"sources": source(G[2], "doc", selection(G[3], 0, 5) + selection(G[3], 6, 9, coding=G[5]))},
        {"sources": source(G[2], "doc", selection(G[3], 0, 5) + selection(G[6], 6, 9))},
        {"codes": f'<Code guid="{G[1]}" name="Training"/><Code guid="{G[0].upper()}" name="Same as user"/>'},
    ],
    ids=["codes", "nested-code", "users", "sources", "selections", "codings", "across-kinds-any-case"],
)
def test_a_repeated_guid_refuses_the_archive(capsys, project: Path, tmp_path: Path, parts):
    archive = qdpx(tmp_path / "dup.qdpx", **parts)
    line = assert_refused(capsys, project, "import", project, archive, says="belongs to two objects")
    assert any(guid in line.lower() for guid in G)
    fresh = tmp_path / "fresh"
    code, _, err = run(capsys, "init", fresh, "--from", archive)
    assert code == 2 and err.count("error:") == 1 and "belongs to two objects" in err
    assert not fresh.exists()


def test_an_empty_selection_is_reported_as_empty(capsys, project: Path, tmp_path: Path):
    archive = qdpx(tmp_path / "empty.qdpx", sources=source(G[2], "doc", selection(G[3], 7, 7)))
    code, out, err = run(capsys, "import", project, archive, "--format", "json")
    assert code == 0, err
    lost = json.loads(out)["imported"][0]["qdpx"]["not_imported"]
    assert any(
        f"selection {G[3]} in 'doc': positions 7-7 select no text (an empty selection)" in x for x in lost
    )
    assert not any("outside the text" in x for x in lost)


def test_a_reversed_selection_is_reported_as_reversed(capsys, project: Path, tmp_path: Path):
    archive = qdpx(tmp_path / "rev.qdpx", sources=source(G[2], "doc", selection(G[3], 9, 4)))
    code, out, _ = run(capsys, "import", project, archive, "--format", "json")
    lost = json.loads(out)["imported"][0]["qdpx"]["not_imported"]
    assert any("positions 9-4 end before they start" in x for x in lost)
