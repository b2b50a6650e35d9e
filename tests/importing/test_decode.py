import codecs

import pytest

from qualcode.core.errors import QualcodeError
from qualcode.io.decode import decode_bytes, decode_file
from tests.importing.helpers import EN_TRANSCRIPT, ZH_TRANSCRIPT


def test_gb18030_file_is_not_utf8_and_decodes_by_detection() -> None:
    data = ZH_TRANSCRIPT.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    decoded = decode_bytes(data, "zh.txt")
    assert decoded.encoding == "gb18030"
    assert decoded.text == ZH_TRANSCRIPT


def test_short_gbk_text_is_not_taken_for_korean() -> None:
    decoded = decode_bytes("访谈者：你好".encode("gbk"), "short.txt")
    assert (decoded.text, decoded.encoding) == ("访谈者：你好", "gb18030")


def test_big5_traditional_chinese() -> None:
    text = "訪談者：請簡單介紹您的工作。\n受訪者：我負責聯合體秘書處的日常工作。\n"
    decoded = decode_bytes(text.encode("big5"), "tw.txt")
    assert decoded.text == text
    assert decoded.encoding.startswith("big5")


def test_utf8_bom_crlf_equals_lf_version() -> None:
    lf = decode_bytes(EN_TRANSCRIPT.encode("utf-8"), "lf.txt")
    bom_crlf = decode_bytes(codecs.BOM_UTF8 + EN_TRANSCRIPT.replace("\n", "\r\n").encode("utf-8"), "crlf.txt")
    assert bom_crlf.text == lf.text == EN_TRANSCRIPT
    assert bom_crlf.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    "bom, codec, name",
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_utf16_with_bom(bom: bytes, codec: str, name: str) -> None:
    decoded = decode_bytes(bom + ZH_TRANSCRIPT.replace("\n", "\r\n").encode(codec), "u16.txt")
    assert (decoded.text, decoded.encoding) == (ZH_TRANSCRIPT, name)


def test_old_mac_cr_and_nfd_become_lf_and_nfc() -> None:
    decoded = decode_bytes("Cafe\u0301\rline two\r".encode("utf-8"), "mac.txt")
    assert decoded.text == "Caf\u00e9\nline two\n"


def test_explicit_encoding_and_its_errors() -> None:
    data = ZH_TRANSCRIPT.encode("gb18030")
    assert decode_bytes(data, "zh.txt", encoding="gb18030").text == ZH_TRANSCRIPT
    with pytest.raises(QualcodeError, match=r"zh.txt: not valid utf-8"):
        decode_bytes(data, "zh.txt", encoding="utf-8")
    with pytest.raises(QualcodeError, match=r"unknown encoding 'klingon'"):
        decode_bytes(data, "zh.txt", encoding="klingon")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b"  \r\n\t\n", "the file is empty"),
        (b"PK\x03\x04\x00\x00binary\x00\x01", "binary file"),
        (bytes(range(1, 32)) * 40, "binary file"),
    ],
)
def test_bad_bytes(data: bytes, message: str) -> None:
    with pytest.raises(QualcodeError, match=message) as info:
        decode_bytes(data, "bad.txt")
    assert str(info.value).startswith("bad.txt: ")


def test_size_limit(tmp_path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (1024 * 1024 + 1))
    with pytest.raises(
        QualcodeError, match=r"big.txt: 1.0 MB is over the 1 MB limit \(raise it with --max-size\)"
    ):
        decode_file(path, max_mb=1)
    assert decode_file(path, max_mb=2).text.startswith("aaa")


def test_undecidable_bytes_name_the_file_and_suggest_encoding() -> None:
    import random

    rng = random.Random(1)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(500))
    with pytest.raises(QualcodeError, match=r"^r.txt: cannot tell the text encoding.*--encoding"):
        decode_bytes(data, "r.txt")


@pytest.mark.parametrize(
    "text",
    [
        "Les étudiants ont été très intéressés par la coopération école-entreprise. Été après été, ça marche.",
        "Café crème, naïve résumé, déjà vu — façade.",
    ],
)
def test_western_european_single_byte_text(text: str) -> None:
    decoded = decode_bytes(text.encode("cp1252"), "fr.txt")
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


@pytest.mark.parametrize("bad", [b"\xe9", b"\xa0", b"\x92"])
def test_a_damaged_utf8_file_says_where_not_which_codec_to_guess(bad: bytes) -> None:
    data = ZH_TRANSCRIPT.encode("utf-8")
    second_line = data.index(b"\n") + 1
    damaged = data[:second_line] + bad + data[second_line:]
    with pytest.raises(
        QualcodeError,
        match=rf"^zh.txt: UTF-8 except byte {second_line} \(line 2\); the file may be "
        r"damaged: fix that line, or pass --encoding if it is not UTF-8$",
    ):
        decode_bytes(damaged, "zh.txt")
