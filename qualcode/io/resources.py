"""Where the files the tool ships live: codebooks and the demo project sources.

They sit beside the package in a source checkout or editable install (the README's quick
start). The product never reads ../shared.
"""

from pathlib import Path

from qualcode.core.errors import QualcodeError
from qualcode.i18n import _

ROOT = Path(__file__).resolve().parent.parent.parent


def _existing(path: Path, what: str) -> Path:
    if not path.exists():
        raise QualcodeError(
            _(
                "{what} not found at {path}: install qualcode from its source folder (pip install -e .)"
            ).format(what=what, path=path)
        )
    return path


def codebooks_dir() -> Path:
    return _existing(ROOT / "codebooks", "the shipped codebooks")


def shipped_codebook(name: str = "industry-education-consortium") -> Path:
    path = codebooks_dir() / (name if name.endswith((".yaml", ".yml")) else f"{name}.yaml")
    return _existing(path, f"codebook {name!r}")


def demo_sources() -> Path:
    return _existing(ROOT / "projects" / "demo", "the demo project sources")
