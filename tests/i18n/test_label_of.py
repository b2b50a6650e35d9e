"""One rule for showing a stored word (a JSON value such as a verdict or a role) to a person."""

from qualcode import i18n
from qualcode.core.participation import role_label
from qualcode.core.suggest import verdict_label
from qualcode.i18n import N_, label_of, pgettext_noop


def test_a_stored_word_is_shown_by_its_label_in_the_interface_language_else_as_stored() -> None:
    labels = {"suggest": pgettext_noop("suggester verdict", "suggest")}
    plain = {"union": N_("union")}
    with i18n.language(i18n.CHINESE):
        assert label_of(labels, "suggest", "suggester verdict") == "建议"
        assert label_of(plain, "union") != "union"
        assert label_of(labels, "not a verdict", "suggester verdict") == "not a verdict"
        assert verdict_label("suggest with caution") == "谨慎建议"
        assert role_label("lead") != "lead" and role_label("custodian") == "custodian"
    with i18n.language(i18n.ENGLISH):
        assert label_of(labels, "suggest", "suggester verdict") == "suggest"
        assert verdict_label("do not suggest") == "do not suggest"
