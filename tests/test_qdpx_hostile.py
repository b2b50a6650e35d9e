"""Hostile .qdpx archives are refused whole, with a clear message, and change nothing."""

import os
import zipfile
from pathlib import Path

import pytest
from sqlmodel import select

from qualcode.core.errors import QualcodeError
from qualcode.io.refi.read import read_qdpx
from qualcode.io.safe_zip import UnsafeArchiveError, ZipLimits
from qualcode.services.exchange.qdpx import import_qdpx, init_from_qdpx
from qualcode.store.db import init_project
from qualcode.store.models import Code, Coder, Document, Event, Segment

GUID = "11111111-2222-3333-4444-555555555555"
QDE = (
    f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="t">'
    f'<Sources><TextSource guid="{GUID}" name="d" plainTextPath="internal://{GUID}.txt"/></Sources></Project>'
)


def archive(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    return path


def assert_refused(tmp_path: Path, path: Path, message: str) -> None:
    project = init_project(str(tmp_path / "p"))
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(QualcodeError, match=message):
        import_qdpx(project, path)
    with project.read() as s:
        for model in (Document, Coder, Code, Segment, Event):
            assert s.exec(select(model)).first() is None, model.__name__
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written beside the project
    with pytest.raises(QualcodeError, match=message):
        init_from_qdpx(str(tmp_path / "fresh"), path)
    assert not (tmp_path / "fresh").exists()


def test_zip_slip_is_refused(tmp_path: Path) -> None:
    path = archive(tmp_path / "a.qdpx", [("project.qde", QDE.encode()), ("sources/../../evil.txt", b"x")])
    assert_refused(tmp_path, path, r"points outside the archive")
    assert not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.parametrize("name", ["/etc/evil.txt", "C:/evil.txt", "\\\\server\\evil.txt"])
def test_absolute_paths_are_refused(tmp_path: Path, name: str) -> None:
    path = archive(tmp_path / "a.qdpx", [("project.qde", QDE.encode()), (name, b"x")])
    assert_refused(tmp_path, path, r"absolute path")


def test_symlinks_are_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo(f"sources/{GUID}.txt")
    link.external_attr = 0o120777 << 16
    link.create_system = 3
    path = archive(tmp_path / "a.qdpx", [("project.qde", QDE.encode()), (link, b"/etc/passwd")])
    assert_refused(tmp_path, path, r"symbolic link")


def test_zip_bomb_by_ratio_is_refused(tmp_path: Path) -> None:
    bomb = b"\0" * (4 << 20)  # 4 MiB of zeros deflate about 1000-fold
    path = archive(tmp_path / "a.qdpx", [("project.qde", QDE.encode()), (f"sources/{GUID}.txt", bomb)])
    assert os.path.getsize(path) < 100_000
    assert_refused(tmp_path, path, r"expands \d+-fold")


def test_zip_bomb_by_total_size_is_refused(tmp_path: Path) -> None:
    guids = [f"{i:08d}-2222-3333-4444-555555555555" for i in range(4)]
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>'
        + "".join(f'<TextSource guid="{g}" plainTextPath="internal://{g}.txt"/>' for g in guids)
        + "</Sources></Project>"
    )
    text = os.urandom(150_000).hex().encode()  # 300 kB that deflate only about 2-fold
    path = archive(
        tmp_path / "a.qdpx", [("project.qde", qde.encode())] + [(f"sources/{g}.txt", text) for g in guids]
    )
    with pytest.raises(UnsafeArchiveError, match="inflates to more than"):
        read_qdpx(path, limits=ZipLimits(max_total_bytes=1_000_000))
    assert (
        len(read_qdpx(path, limits=ZipLimits(max_total_bytes=2_000_000)).sources) == 4
    )  # the limit is the cause


def test_members_never_read_do_not_count(tmp_path: Path) -> None:
    """A project with large embedded media is not a bomb: only what is read is limited."""
    media = os.urandom(1_500_000)
    path = archive(
        tmp_path / "a.qdpx",
        [("project.qde", QDE.encode()), (f"sources/{GUID}.txt", b"hello"), ("sources/video.mp4", media)],
    )
    project = read_qdpx(path, limits=ZipLimits(max_total_bytes=1_000_000))
    assert project.sources[0].text == "hello"


def test_encrypted_source_is_refused(tmp_path: Path) -> None:
    path = archive(tmp_path / "a.qdpx", [("project.qde", QDE.encode()), (f"sources/{GUID}.txt", b"hello")])
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag bit in both the local header and the central directory entry
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (pos := data.find(signature, start)) != -1:
            data[pos + offset] |= 0x1
            start = pos + 4
    path.write_bytes(bytes(data))
    assert_refused(tmp_path, path, r"is encrypted")


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    path = archive(
        tmp_path / "a.qdpx", [("project.qde", QDE.encode())] + [(f"sources/{i}", b"") for i in range(30)]
    )
    with pytest.raises(UnsafeArchiveError, match="more than the limit of 20"):
        read_qdpx(path, limits=ZipLimits(max_entries=20))


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "lol">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
        + ']><Project xmlns="urn:QDA-XML:project:1.0" name="&j;"/>'
    )
    path = archive(tmp_path / "a.qdpx", [("project.qde", lol.encode())])
    assert_refused(tmp_path, path, r"declares a DTD or entities")


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>'
    )
    path = archive(tmp_path / "a.qdpx", [("project.qde", xxe.encode())])
    assert_refused(tmp_path, path, r"declares a DTD or entities")


def test_missing_project_qde(tmp_path: Path) -> None:
    path = archive(tmp_path / "a.qdpx", [(f"sources/{GUID}.txt", b"hello")])
    assert_refused(tmp_path, path, r"a.qdpx is not a REFI-QDA project: it holds no project.qde")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "a.qdpx"
    path.write_text("<Project/>")
    assert_refused(tmp_path, path, r"a.qdpx is not a zip archive")


def test_malformed_xml(tmp_path: Path) -> None:
    path = archive(tmp_path / "a.qdpx", [("project.qde", b"<Project name='x'><Users></Project>")])
    assert_refused(tmp_path, path, r"project.qde is not well-formed XML")


def test_missing_source_file_is_reported_not_fatal(tmp_path: Path) -> None:
    path = archive(tmp_path / "a.qdpx", [("project.qde", QDE.encode())])
    project = read_qdpx(path)
    assert project.sources == [] and any("missing from the archive" in x for x in project.not_imported)


def test_unsupported_parts_are_listed(tmp_path: Path) -> None:
    g = [f"{i:08d}-2222-3333-4444-555555555555" for i in range(6)]
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="x">'
        f'<Sources><PDFSource guid="{g[0]}" path="internal://{g[0]}.pdf"/>'
        f'<AudioSource guid="{g[1]}"/><PictureSource guid="{g[2]}"/><VideoSource guid="{g[5]}"/></Sources>'
        f'<Links><Link guid="{g[3]}"/></Links><Sets><Set guid="{g[4]}" name="s"/></Sets></Project>'
    )
    project = read_qdpx(archive(tmp_path / "a.qdpx", [("project.qde", qde.encode())]))
    assert project.not_imported == [
        "1 PDF source (only text sources are imported)",
        "1 audio source (only text sources are imported)",
        "1 picture source (only text sources are imported)",
        "1 video source (only text sources are imported)",
        "1 link (not supported)",
        "1 set (not supported)",
    ]
