"""Wrapping a 300,000-character Chinese transcript for display, four ways, in one run:

  * baseline: Textual's own WrappedDocument.wrap;
  * plain: the transcript's fast wrapper without the Chinese line-breaking rules;
  * rules: the wrapper the transcript uses, with the rules (no line starts with closing
    punctuation or ends with opening punctuation);
  * wide: the same with East Asian ambiguous characters measured two cells wide
    (QUALCODE_AMBIGUOUS_WIDTH=2), on the same text with “quotes” and …… added.

    python bench/bench_wrap.py [--chars 300000] [--width 80] [--repeat 7]

Reports the median of each and the ratios to the baseline (issue 13: the rules must not cost
the first frame its speed).
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.document._document import Document  # noqa: E402
from textual.document._wrapped_document import WrappedDocument  # noqa: E402

from bench.bench_tui import SENTENCES  # noqa: E402
from qualcode.tui.widgets import transcript_view  # noqa: E402
from qualcode.tui.widgets.transcript_view import _plain_wrap_offsets, _WrappedTranscript  # noqa: E402

QUOTED = ["他说“先试点再推广”。", "就是……怎么说呢——看企业。"]


def _text(chars: int, extra: list[str] | None = None) -> str:
    rng = random.Random(7)
    lines, size = [], 0
    pool = SENTENCES + (extra or [])
    while size < chars:
        line = "受访者：" + "".join(rng.choice(pool) for _ in range(rng.randint(2, 12)))
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines)[:chars]


def _time(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--width", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    doc = Document(_text(args.chars))

    def stock() -> None:
        WrappedDocument(doc, args.width)

    quoted = Document(_text(args.chars, QUOTED))

    def ours(document: Document = doc, ambiguous: int = 1) -> None:
        wrapped = WrappedDocument(document, 0)
        wrapped.__class__ = _WrappedTranscript
        wrapped.ambiguous = ambiguous  # type: ignore[attr-defined]
        wrapped.wrap(args.width, 4)

    rules = transcript_view._wrap_offsets
    baseline = _time(stock, args.repeat)
    transcript_view._wrap_offsets = _plain_wrap_offsets
    plain = _time(ours, args.repeat)
    transcript_view._wrap_offsets = rules
    with_rules = _time(ours, args.repeat)
    quoted_narrow = _time(lambda: ours(quoted, 1), args.repeat)
    quoted_wide = _time(lambda: ours(quoted, 2), args.repeat)
    print(f"{args.chars} characters, {len(doc.lines)} lines, width {args.width}")
    print(f"baseline (Textual WrappedDocument): {baseline * 1000:.1f} ms")
    print(f"plain fast wrapper:                 {plain * 1000:.1f} ms  ({plain / baseline:.2f}x baseline)")
    print(
        f"with Chinese line-breaking rules:   {with_rules * 1000:.1f} ms  ({with_rules / baseline:.2f}x baseline)"
    )
    print(
        f"quoted text, ambiguous 1 cell:      {quoted_narrow * 1000:.1f} ms  "
        f"({quoted_narrow / baseline:.2f}x baseline)"
    )
    print(
        f"quoted text, ambiguous 2 cells:     {quoted_wide * 1000:.1f} ms  "
        f"({quoted_wide / baseline:.2f}x baseline, {quoted_wide / quoted_narrow:.2f}x at 1 cell)"
    )


if __name__ == "__main__":
    main()
