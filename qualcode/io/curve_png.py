"""The saturation curve as a PNG for a report (matplotlib, drawn off-screen).

Chinese labels need a font with Chinese glyphs; where the machine has none, the figure keeps
only numbers and markers and `render_curves` says so, so that the report puts the labels in the
caption instead of drawing empty boxes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

# Fonts with Chinese glyphs found on Windows, macOS and Linux desktops, in order of preference.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "SimHei",
    "SimSun",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


@dataclass(frozen=True)
class Figure:
    png: bytes
    labelled: bool  # False: axis titles and legend were left out (no font for the text)


def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def render_curves(
    series: Sequence[tuple[str, Sequence[int]]],
    x_label: str,
    y_label: str,
    *,
    dpi: int = 200,
) -> Figure:
    """Cumulative counts per interview position, one line per source (label, values)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    texts = [x_label, y_label, *(label for label, _ in series)]
    needs_cjk = any(not text.isascii() for text in texts)
    font = cjk_font() if needs_cjk else None
    labelled = not needs_cjk or font is not None
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    with plt.rc_context({"font.family": families}):
        figure, axes = plt.subplots(figsize=(6.0, 3.4))
        for i, (label, values) in enumerate(series):
            positions = list(range(1, len(values) + 1))
            axes.plot(
                positions,
                list(values),
                marker=MARKERS[i % len(MARKERS)],
                markersize=4,
                linewidth=1.2,
                color="black",
                alpha=1.0 - 0.12 * (i % 5),
                label=label if labelled else None,
            )
        axes.set_xlim(left=0.5)
        axes.set_ylim(bottom=0)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        if labelled:
            axes.set_xlabel(x_label)
            axes.set_ylabel(y_label)
            if series:
                axes.legend(frameon=False, fontsize=8)
        figure.tight_layout()
        buffer = BytesIO()
        # No timestamp in the file, so that the same data always gives the same bytes.
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        plt.close(figure)
    return Figure(buffer.getvalue(), labelled)
