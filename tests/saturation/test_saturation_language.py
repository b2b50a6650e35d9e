"""The saturation JSON is the same bytes whatever the interface language (its sentences are
given in both languages under fixed keys)."""

from tests.saturation.test_saturation_cli import project, run  # noqa: F401 - the fixture


def test_saturation_json_is_byte_identical_in_both_languages(project: str) -> None:  # noqa: F811
    run("saturation", project, "--reserve", "i4", "--format", "json")
    english = run("--lang", "en", "saturation", project, "--format", "json")
    chinese = run("--lang", "zh_CN", "saturation", project, "--format", "json")
    assert english == chinese
    assert (
        "1 code appeared only in the reserve interviews (i4): TEC.RND; saturation was not reached." in english
    )
    assert (
        "有 1 个编码只出现在预留访谈（i4）中：TEC.RND；尚未达到理论饱和。" in english
    )  # both, in every language
