"""A fixed label in the interface language, shown again in the new one when the language changes."""

from typing import Any

from textual.widgets import Label

from qualcode.i18n import _


class TranslatedLabel(Label):
    """`message` is the English text (marked with N_ where it is written), translated when shown."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(_(message), **kwargs)
        self.message = message

    def relabel(self) -> None:
        self.update(_(self.message))
