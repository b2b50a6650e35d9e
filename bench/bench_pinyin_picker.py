"""Benchmark: ranking a 200-code codebook as a coder types, with pinyin matching against without.

    python bench/bench_pinyin_picker.py [N_CODES]

Every keystroke of the code picker ranks the whole codebook (`core.code_search.rank`). Runs the
same keystrokes, `r`, `rc`, `rcg`, `rcgy`, `rencai`, `rencaig`, `zzz` (no match), over N codes
(default 200) with Chinese names, twice in one process:
  baseline  matching by characters only (script_match.score with pinyin turned off)
  pinyin    the shipped rule (characters, then full/initial pinyin)
both after one warm-up keystroke (the pinyin of each name is read once and cached; that first
reading, which loads pypinyin's dictionaries, is reported separately). Prints the median time of
one keystroke and the ratio. Target (issue 13 item 3, "keep the code picker fast on a 200-code
codebook"): a keystroke under 1/60 s of CPU (one frame) for 200 codes on the 2-core machine; the
ratio to the baseline is recorded so that a regression of the matcher shows.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHARS = "人才供应培养政府企业学校合作教师学生实习就业技能标准课程评价基地产业联盟资源"
QUERIES = ("r", "rc", "rcg", "rcgy", "rencai", "rencaig", "zzz")


def codes(n: int) -> list[dict[str, object]]:
    k = len(CHARS)
    return [
        {
            "key": f"C{i:03d}",
            "name_en": f"Code number {i}",
            "name_zh": CHARS[i % k] + CHARS[(i * 7) % k] + CHARS[(i * 11) % k] + CHARS[(i * 13) % k],
            "codable": True,
        }
        for i in range(n)
    ]


def per_keystroke(entries: list[dict[str, object]], rounds: int = 15) -> float:
    from qualcode.core.code_search import rank

    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        for query in QUERIES:
            rank(entries, query)
        times.append((time.process_time() - t0) / len(QUERIES))
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    entries = codes(n)
    from qualcode.core import code_search, script_match

    t0 = time.process_time()
    for entry in entries:
        script_match.syllables(str(entry["name_zh"]))
    first = time.process_time() - t0
    with mock.patch.object(script_match, "_query_pinyin", lambda query: None):
        code_search.rank(entries, "r")
        baseline = per_keystroke(entries)
    code_search.rank(entries, "r")
    pinyin = per_keystroke(entries)
    print(f"load average {os.getloadavg()[0]:.1f}; {n} codes; CPU per keystroke (median)")
    print(f"first reading of every name's pinyin: {first:.3f} s (once per process)")
    print(f"baseline (characters only): {baseline * 1000:.2f} ms")
    print(f"pinyin (shipped rule):      {pinyin * 1000:.2f} ms  ({pinyin / baseline:.2f}x baseline)")


if __name__ == "__main__":
    main()
