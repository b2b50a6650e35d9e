"""REFI-QDA .qdc codebook exchange: schema-valid export, stable GUIDs, imports from other tools."""

from pathlib import Path

import pytest
import xmlschema

from qualcode.core.errors import QualcodeError, ValidationError
from qualcode.io.codebook_yaml import read_codebook
from qualcode.io.refi.qdc import NS, codebook_to_qdc, read_qdc
from qualcode.services.codebook.curation import list_codes, load_codebook, rename_code
from qualcode.services.exchange.codebook_files import export_qdc, import_qdc
from qualcode.store.db import Project, init_project

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "codebooks" / "industry-education-consortium.yaml"
XSD = Path(__file__).parent / "fixtures" / "refi" / "Codebook.xsd"
COMPARED = (
    "key",
    "parent",
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
    "guid",
)

# Shaped like the example in the REFI-QDA specification (Annex A.1), plus things we cannot keep.
FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="OtherTool 9">
<Codes>
<Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" name="Topics" isCodable="false">
  <Code guid="{D7AA29DA-519B-4946-9B90-253B6DB8FD0A}" name="Economy" isCodable="true" color="#ff0">
    <Description>Anything about jobs or taxes or business</Description>
  </Code>
  <Code guid="0dcef2f5-e55c-49da-8c33-9b0803c7aeb4" name="Health care" isCodable="true" color="red" weight="3">
    <Description>Health care issues</Description>
  </Code>
  <Code guid="0dcef2f5-e55c-49da-8c33-9b0803c7aeb4" name="Health care" isCodable="true"/>
</Code>
<Code guid="not-a-guid" name="人才培养" isCodable="true"/>
<Code guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520" name="2nd wave" isCodable="true"/>
</Codes>
<Sets><Set guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7521" name="S"><MemberCode guid="9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520"/></Set></Sets>
</CodeBook>
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = init_project(str(tmp_path / "p"))
    yield p
    p.dispose()


def test_export_is_schema_valid_and_round_trips() -> None:
    book = read_codebook(SHIPPED)
    data = codebook_to_qdc(book)
    xmlschema.XMLSchema(str(XSD)).validate(data.decode("utf-8"))
    assert f'xmlns="{NS}"'.encode() in data and "人才资源供给".encode() in data
    back = read_qdc(data, book.id)
    assert back.dropped == [] and back.generated_keys == 0
    for a, b in zip(book.nodes, back.book.nodes, strict=True):
        for name in COMPARED:
            left, right = getattr(a, name), getattr(b, name)
            if name == "guid":
                assert right  # derived from id+key when the codebook file has none
            elif isinstance(left, str):
                assert left.strip() == (right or "").strip(), (a.key, name)
            else:
                assert left == right, (a.key, name)


def test_guids_are_stable_across_exports_and_renames(project: Project, tmp_path: Path) -> None:
    load_codebook(project, SHIPPED)
    export_qdc(project, tmp_path / "a.qdc")
    rename_code(project, "TAL.PROG", new_key="TAL.PROGRAMME")
    export_qdc(project, tmp_path / "b.qdc")
    a, b = (read_qdc((tmp_path / n).read_bytes(), "x").book for n in ("a.qdc", "b.qdc"))
    assert [n.guid for n in a.nodes] == [n.guid for n in b.nodes]
    assert a.get("TAL.PROG").guid == b.get("TAL.PROGRAMME").guid
    xmlschema.XMLSchema(str(XSD)).validate((tmp_path / "b.qdc").read_text(encoding="utf-8"))


def test_round_trip_through_another_tool_keeps_keys(project: Project, tmp_path: Path) -> None:
    load_codebook(project, SHIPPED)
    export_qdc(project, tmp_path / "ours.qdc")
    text = (tmp_path / "ours.qdc").read_text(encoding="utf-8")
    # another tool keeps GUIDs and names but drops our labelled description lines
    stripped = __import__("re").sub(r"<Description>.*?</Description>", "", text, flags=__import__("re").S)
    (tmp_path / "theirs.qdc").write_text(stripped, encoding="utf-8")
    before = {c["key"]: c["guid"] for c in list_codes(project)}
    result = import_qdc(project, tmp_path / "theirs.qdc", actor="wang")
    after = {c["key"]: c["guid"] for c in list_codes(project)}
    assert after == before
    assert result["dropped"] == []


def test_import_from_another_tool_reports_what_was_dropped(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "other.qdc"
    path.write_text(FOREIGN, encoding="utf-8")
    result = import_qdc(project, path, actor="wang")
    codes = {c["key"]: c for c in list_codes(project)}
    assert list(codes) == [
        "TOPICS",
        "TOPICS.ECONOMY",
        "TOPICS.HEALTH_CARE",
        "TOPICS.HEALTH_CARE_2",
        "C5",
        "C2ND_WAVE",
    ]
    assert codes["TOPICS.ECONOMY"]["color"] == "#FFFF00"
    assert codes["TOPICS.ECONOMY"]["definition"] == "Anything about jobs or taxes or business"
    assert codes["C5"]["name_zh"] == "人才培养" and codes["C5"]["name_en"] == ""
    assert codes["TOPICS"]["codable"] is False and codes["TOPICS.ECONOMY"]["codable"] is True
    assert codes["TOPICS.ECONOMY"]["guid"] == "d7aa29da-519b-4946-9b90-253b6db8fd0a"
    dropped = "\n".join(result["dropped"])
    assert "1 code set(s)" in dropped
    assert "attribute 'weight'" in dropped
    assert "colour 'red' is not #RRGGBB" in dropped
    assert "duplicate GUID" in dropped
    assert "malformed GUID 'not-a-guid'" in dropped
    assert result["generated_keys"] == 6


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"<CodeBook", "not valid XML at line 1"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>',
            "DTD or XML entities",
        ),
        (b'<Codebook xmlns="urn:QDA-XML:codebook:1.0"/>', "the root element is <Codebook>"),
        (b'<CodeBook xmlns="urn:other"/>', "expected <CodeBook> in 'urn:QDA-XML:codebook:1.0'"),
        (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "no <Codes>"),
        (b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', "has no CodeBook"),
    ],
)
def test_bad_qdc_files(data: bytes, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        read_qdc(data, "x")


def test_project_file_codebook_is_accepted() -> None:
    data = (
        b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
        b'<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="A" isCodable="true"/></Codes></CodeBook></Project>'
    )
    assert [n.key for n in read_qdc(data, "x").book.nodes] == ["A"]


def test_import_refusals_change_nothing(project: Project, tmp_path: Path) -> None:
    load_codebook(project, SHIPPED)
    before = list_codes(project)
    with pytest.raises(QualcodeError, match="no such file"):
        import_qdc(project, tmp_path / "missing.qdc")
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(b"<CodeBook")
    with pytest.raises(ValidationError, match=r"bad.qdc: not valid XML"):
        import_qdc(project, bad)
    assert list_codes(project) == before


def test_export_needs_a_codebook(project: Project, tmp_path: Path) -> None:
    with pytest.raises(QualcodeError, match="no codebook yet"):
        export_qdc(project, tmp_path / "x.qdc")
    assert not (tmp_path / "x.qdc").exists()


def test_our_own_qdc_back_keeps_the_codebook_identity(project: Project, tmp_path: Path) -> None:
    from qualcode.services.codebook.curation import codebook_info, current_codebook

    load_codebook(project, SHIPPED)
    before, titles = codebook_info(project), current_codebook(project).title_zh
    export_qdc(project, tmp_path / "exported-copy.qdc")
    result = import_qdc(project, tmp_path / "exported-copy.qdc")
    after = codebook_info(project)
    assert result["id"] == "industry-education-consortium"
    # only the recorded source file changes: no code, no text, not even a YAML block's final newline
    assert result["changes"] == 1
    assert (after["id"], after["file_version"], after["sha256"]) == (
        before["id"],
        before["file_version"],
        before["sha256"],
    )
    assert current_codebook(project).title_zh == titles
