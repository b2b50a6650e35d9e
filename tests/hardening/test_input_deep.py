"""Issue 16 item 3: deep code trees are refused at load with one line, never half-accepted;
the deepest tree that loads is exported and read back by every format."""

import zipfile
from pathlib import Path

import pytest

from qualcode.core.codebook import MAX_DEPTH, Codebook, CodeNode
from tests.hardening.input_support import assert_refused, project, run, tables

__all__ = ["project"]


def chain_yaml(levels: int) -> str:
    """A flat `codes:` list whose `parent:` links form one chain `levels` long."""
    lines = ["codebook:\n  id: deep\n  version: '1'\n  title_en: Deep\ncodes:\n"]
    for i in range(levels):
        parent = f"    parent: K{i - 1}\n" if i else ""
        lines.append(f"  - key: K{i}\n    name_en: Code {i}\n{parent}")
    return "".join(lines)


def nested_yaml(levels: int) -> str:
    """The same chain written with nested `children:` lists."""
    out = ["codebook:\n  id: deep\ncodes:\n"]
    for i in range(levels):
        pad = "    " * i
        out.append(f"{pad}  - key: K{i}\n{pad}    name_en: Code {i}\n")
        if i < levels - 1:
            out.append(f"{pad}    children:\n")
    return "".join(out)


def _codes_xml(levels: int) -> str:
    opening = "".join(
        f'<Code guid="{i:08d}-0000-4000-8000-000000000000" name="c{i}" isCodable="true">'
        for i in range(levels)
    )
    return opening + "</Code>" * levels


def deep_qdc(path: Path, levels: int) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="t">'
        f"<Codes>{_codes_xml(levels)}</Codes></CodeBook>",
        encoding="utf-8",
    )
    return path


def deep_qdpx(path: Path, levels: int) -> Path:
    xml = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="d" origin="t">'
        f"<CodeBook><Codes>{_codes_xml(levels)}</Codes></CodeBook></Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
    return path


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 3000])
def test_a_long_parent_chain_is_refused_by_validate_and_load(capsys, project: Path, tmp_path: Path, levels):
    book = tmp_path / "chain.yaml"
    book.write_text(chain_yaml(levels), encoding="utf-8")
    says = f"nested {levels} levels deep; a codebook may have at most {MAX_DEPTH} levels"
    code, _, err = run(capsys, "codebook", "validate", book)  # validate lists every problem, one a line
    assert code == 2 and says in err and "unexpected" not in err
    assert_refused(capsys, project, "codebook", "load", project, book, says=says)
    assert_refused(capsys, project, "init", tmp_path / "other", "--codebook", book, says=says)
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 3000])
def test_deeply_nested_children_are_refused(capsys, project: Path, tmp_path: Path, levels):
    book = tmp_path / "nested.yaml"
    book.write_text(nested_yaml(levels), encoding="utf-8")
    assert_refused(capsys, project, "codebook", "load", project, book, says="nested")


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5000])
def test_deep_qdc_is_refused(capsys, project: Path, tmp_path: Path, levels):
    qdc = deep_qdc(tmp_path / "deep.qdc", levels)
    assert_refused(
        capsys, project, "codebook", "import-qdc", project, qdc, says=f"at most {MAX_DEPTH} levels"
    )


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 5000])
def test_deep_qdpx_is_refused(capsys, project: Path, tmp_path: Path, levels):
    archive = deep_qdpx(tmp_path / "deep.qdpx", levels)
    assert_refused(capsys, project, "import", project, archive, says=f"at most {MAX_DEPTH} levels")


def test_an_edit_cannot_make_the_tree_too_deep(capsys, project: Path, tmp_path: Path):
    book = tmp_path / "chain.yaml"
    book.write_text(chain_yaml(MAX_DEPTH), encoding="utf-8")
    assert run(capsys, "codebook", "load", project, book)[0] == 0
    parent = f"K{MAX_DEPTH - 1}"
    assert_refused(
        capsys, project, "codebook", "add", project, "DEEPER", "--parent", parent, "--en", "x", says="levels"
    )


def test_the_deepest_accepted_tree_round_trips_through_every_exporter(capsys, project: Path, tmp_path: Path):
    source = tmp_path / "chain.yaml"
    source.write_text(chain_yaml(MAX_DEPTH), encoding="utf-8")
    assert run(capsys, "codebook", "load", project, source)[0] == 0
    yaml_out, qdc_out, qdpx_out = tmp_path / "out.yaml", tmp_path / "out.qdc", tmp_path / "out.qdpx"
    code, _, err = run(capsys, "codebook", "export", project, "--yaml", yaml_out, "--qdc", qdc_out)
    assert code == 0, err
    code, _, err = run(capsys, "export", project, "--qdpx", qdpx_out)
    assert code == 0, err
    shown = run(capsys, "codebook", "show", project, "--format", "json")[1]
    for number, (command, path) in enumerate(
        [("load", yaml_out), ("import-qdc", qdc_out), ("import", qdpx_out)]
    ):
        fresh = tmp_path / f"again{number}"
        assert run(capsys, "init", fresh)[0] == 0
        args = ("import", fresh, path) if command == "import" else ("codebook", command, fresh, path)
        code, _, err = run(capsys, *args)
        assert code == 0, err
        again = run(capsys, "codebook", "show", fresh, "--format", "json")[1]
        assert again.count('"parent"') == shown.count('"parent"') == MAX_DEPTH
        assert tables(fresh)["codes"][0] == MAX_DEPTH


def test_walk_needs_no_recursion():
    nodes = [CodeNode(key=f"K{i}", parent=f"K{i - 1}" if i else None, name_en="x") for i in range(20_000)]
    book = Codebook(id="deep", nodes=list(reversed(nodes)))
    walked = list(book.walk())
    assert [node.key for _, node in walked] == [node.key for node in nodes]
    assert walked[-1][0] == 19_999
    assert len(book.sha256()) == 64
    assert any("levels" in problem.message for problem in book.validate())
