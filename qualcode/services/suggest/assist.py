"""The optional `[assist]` libraries: imported only when a suggester is used."""

import importlib
from types import ModuleType

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _

INSTALL_HINT = "pip install 'qualcode[assist]'"


def require(module: str) -> ModuleType:
    """Import an optional library, or say in one sentence how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise QualcodeError(
            _("code suggestions need the optional package {split!r}; install it with: {INSTALL_HINT}").format(
                split=module.split('.')[0], INSTALL_HINT=INSTALL_HINT
            )
        ) from exc
