"""Wrapping a 300,000-character Chinese transcript for display, three ways, in one run:

  * baseline: Textual's own WrappedDocument.wrap;
  * plain: the transcript's fast wrapper without the Chinese line-breaking rules;
  * rules: the wrapper the transcript uses, with the rules (no line starts with closing
    punctuation or ends with opening punctuation).

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


def _text(chars: int) -> str:
    rng = random.Random(7)
    lines, size = [], 0
    while size < chars:
        line = "受访者：" + "".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 12)))
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

    def ours() -> None:
        wrapped = WrappedDocument(doc, 0)
        wrapped.__class__ = _WrappedTranscript
        wrapped.wrap(args.width, 4)

    rules = transcript_view._wrap_offsets
    baseline = _time(stock, args.repeat)
    transcript_view._wrap_offsets = _plain_wrap_offsets
    plain = _time(ours, args.repeat)
    transcript_view._wrap_offsets = rules
    with_rules = _time(ours, args.repeat)
    print(f"{args.chars} characters, {len(doc.lines)} lines, width {args.width}")
    print(f"baseline (Textual WrappedDocument): {baseline * 1000:.1f} ms")
    print(f"plain fast wrapper:                 {plain * 1000:.1f} ms  ({plain / baseline:.2f}x baseline)")
    print(
        f"with Chinese line-breaking rules:   {with_rules * 1000:.1f} ms  ({with_rules / baseline:.2f}x baseline)"
    )


if __name__ == "__main__":
    main()
