"""Issue 16 items 4 and 11: YAML tags and NUL characters in codebook and guide files are
refused with file:line:column on one line, and nothing in the file is run."""

from pathlib import Path

import pytest

from tests.hardening.input_support import assert_refused, project, run

__all__ = ["project"]

CODEBOOK = "codebook:\n  id: t\ncodes:\n  - key: A\n    name_en: {value}\n"


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!foo bar", "!foo"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ('!!python/object/apply:os.system ["touch {marker}"]', "!!python/object/apply:os.system"),
        ("!foo {{a: 1}}", "!foo"),
    ],
)
def test_a_tag_in_a_codebook_is_refused_with_its_position(capsys, project: Path, tmp_path: Path, value, tag):
    marker = tmp_path / "ran"
    book = tmp_path / "tagged.yaml"
    book.write_text(CODEBOOK.format(value=value.format(marker=marker)), encoding="utf-8")
    line = assert_refused(capsys, project, "codebook", "load", project, book, says=f"{book}:5:14: ")
    assert f"the YAML tag {tag} is not supported" in line
    code, _, err = run(capsys, "codebook", "validate", book)
    assert code == 2 and f"{book}:5:14: the YAML tag {tag}" in err and "unexpected" not in err
    assert not marker.exists()


def test_a_tagged_field_name_is_refused(capsys, project: Path, tmp_path: Path):
    book = tmp_path / "tagged.yaml"
    book.write_text("codebook:\n  id: t\ncodes:\n  - key: A\n    !foo name_en: x\n", encoding="utf-8")
    assert_refused(capsys, project, "codebook", "load", project, book, says=f"{book}:5:5: the YAML tag !foo")


def test_a_tag_in_a_guide_is_refused_with_its_position(capsys, project: Path, tmp_path: Path):
    guide = tmp_path / "guide.yaml"
    guide.write_text("questions:\n  - key: Q1\n    text_en: !!python/name:os.system\n", encoding="utf-8")
    assert_refused(
        capsys, project, "guide", "load", project, guide, says="guide.yaml:3:14: the YAML tag !!python/name"
    )


def test_a_nul_in_a_codebook_is_one_line_with_its_position(capsys, project: Path, tmp_path: Path):
    book = tmp_path / "nul.yaml"
    book.write_bytes(CODEBOOK.format(value="a\x00b").encode())
    assert_refused(
        capsys, project, "codebook", "load", project, book, says=f"{book}:5:15: the character U+0000"
    )
