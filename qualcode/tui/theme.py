"""Colours of the workbench, chosen from the xterm 256-colour palette so they survive 256-colour terminals.

Code colours come from the codebook; text on them is black or white, whichever reads better.
"""

from rich.color import Color, ColorParseError
from rich.style import Style
from textual.theme import Theme

FALLBACK_CODE_COLOR = "#5f87af"
OVERLAP_STYLE = Style(color="#ffffff", bgcolor="#875f87", bold=True, underline=True)
DISAGREE_STYLE = Style(color="#ffffff", bgcolor="#af0000", bold=True, underline=True)
SEARCH_STYLE = Style(color="#000000", bgcolor="#ffff5f", bold=True)
SPEAKER_STYLE = Style(color="#5fafd7", bold=True)
GUTTER_INTERVIEWER = Style(color="#808080")
GUTTER_RESPONDENT = Style(color="#ffaf5f", bold=True)

QUALCODE_THEME = Theme(
    name="qualcode-256",
    primary="#5f87af",
    secondary="#87afaf",
    accent="#ffaf5f",
    warning="#ffaf00",
    error="#d70000",
    success="#5faf5f",
    foreground="#d0d0d0",
    background="#1c1c1c",
    surface="#262626",
    panel="#303030",
    dark=True,
)


def code_style(color: str | None) -> Style:
    """Background in the code's colour with legible text on it."""
    try:
        parsed = Color.parse(color or FALLBACK_CODE_COLOR)
    except ColorParseError:
        parsed = Color.parse(FALLBACK_CODE_COLOR)
    r, g, b = parsed.get_truecolor()
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return Style(bgcolor=parsed, color="#000000" if luminance > 140 else "#ffffff")


# Machine suggestions: quiet (dim, dotted underline, no background), never mistaken for coding.
SUGGESTED_STYLE = Style(dim=True, italic=True, underline=True)


def swatch(color: str | None) -> str:
    """Rich markup for a small colour sample."""
    try:
        Color.parse(color or FALLBACK_CODE_COLOR)
        return f"[{color or FALLBACK_CODE_COLOR}]■[/]"
    except ColorParseError:
        return "■"
