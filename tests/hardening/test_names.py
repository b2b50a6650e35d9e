"""The one name rule and the one display escape (qualcode/core/names.py)."""

import unicodedata

import pytest

from qualcode.core.names import NameProblem, clean_name, printable
from tests.hardening.corpus import HOSTILE_NAMES, NFC_NAME, NFD_NAME
from tests.hardening.harness import HOSTILE


@pytest.mark.parametrize("which", list(HOSTILE_NAMES))
def test_hostile_names_are_refused_with_the_character_named(which: str) -> None:
    with pytest.raises(NameProblem) as refused:
        clean_name(HOSTILE_NAMES[which])
    message = refused.value.message
    assert "U+" in message and "\n" not in message and not HOSTILE & set(message)


def test_names_are_stored_in_nfc() -> None:
    assert NFD_NAME != NFC_NAME
    assert clean_name(NFD_NAME) == clean_name(NFC_NAME) == unicodedata.normalize("NFC", NFC_NAME)


@pytest.mark.parametrize("name", ["张三", "Li Wei", "auto:question", "O'Brien", "[b]x[/b]", "Zoë"])
def test_ordinary_names_pass(name: str) -> None:
    assert clean_name(name) == name


@pytest.mark.parametrize("name", ["", "   ", " lead", "lead ", "x" * 201])
def test_empty_padded_and_long_names_are_refused(name: str) -> None:
    with pytest.raises(NameProblem):
        clean_name(name)


def test_printable_keeps_length_and_escapes_every_control() -> None:
    text = "".join(chr(c) for c in range(0x00, 0xA0)) + "\u202a\u202e\u2066\u2069\u2028 产教 emoji 👩‍🔬"
    shown = printable(text)
    assert len(shown) == len(text)  # offsets into the stored text stay valid on screen
    assert not HOSTILE & set(shown) and "\n" not in shown
    assert "产教" in shown and "👩‍🔬" in shown
    assert printable("\x1b[2J") == "␛[2J"


def test_printable_keeps_lines_and_tabs_when_asked() -> None:
    assert printable("a\n\tb\x07", keep_lines=True) == "a\n\tb␇"
    assert printable("a\nb") == "a␊b"


def test_printable_leaves_ordinary_text_alone() -> None:
    text = "问：贵市产教联合体如何配置人才资源？ Q: (a) [b] ‘quotes’ — done."
    assert printable(text) is text or printable(text) == text


def test_printable_translates_each_character_as_the_rule_says() -> None:
    """The fast translation (used for whole transcripts) equals replacing character by character."""
    import random

    from qualcode.core.names import _shown, printable

    rng = random.Random(3)
    pool = [chr(c) for c in [*range(0x300), 0x200E, 0x202E, 0x2066, 0x2028, 0x2029, 0x4E2D, 0x3000, 0x061C]]
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        for keep in (False, True):
            assert printable(text, keep_lines=keep) == "".join(_shown(c, keep) for c in text)
    assert printable("第一行\n\u202e第二行\t", keep_lines=True) == "第一行\n\ufffd第二行\t"
