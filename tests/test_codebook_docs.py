"""The example in docs/codebook.md must stay a valid codebook."""

import re
from pathlib import Path

from qualcode.io.codebook_yaml import parse_codebook

DOC = Path(__file__).resolve().parents[1] / "docs" / "codebook.md"


def test_documented_example_validates() -> None:
    block = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block is not None
    book = parse_codebook(block.group(1), "docs/codebook.md")
    assert book.get("CHL.CURR_LAG").parent == "ACT"
    assert book.get("ADM.OLD").retired
    assert [t.id for t in book.typology.types] == ["GOV_LED", "SCH_LED"]


def test_documented_example_round_trips() -> None:
    from qualcode.io.codebook_yaml_writer import dump_codebook

    block = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block is not None
    book = parse_codebook(block.group(1))
    again = parse_codebook(dump_codebook(book))
    assert again == book and again.sha256() == book.sha256()
