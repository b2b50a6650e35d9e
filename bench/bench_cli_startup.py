"""Cold start of `qualcode --help` against named baselines, measured in the same run.

Baselines: a bare interpreter (`python -c pass`) and `python -c "import sqlmodel"`, the import
`--help` must avoid. Target: `qualcode --help` under 0.25 s wall time.
Run: python bench/bench_cli_startup.py [--runs N]
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    py = sys.executable
    bare = wall([py, "-c", "pass"], runs)
    sqlmodel = wall([py, "-c", "import sqlmodel"], runs)
    helpcmd = wall([py, "-m", "qualcode", "--help"], runs)
    print(f"median of {runs} runs")
    print(f"python -c pass          {bare:.3f} s")
    print(f"python -c import sqlmodel {sqlmodel:.3f} s")
    print(
        f"qualcode --help         {helpcmd:.3f} s  (target < 0.250 s: {'met' if helpcmd < 0.25 else 'MISSED'})"
    )
    print(f"ratio help / bare       {helpcmd / bare:.1f}x")
    print(f"ratio help / sqlmodel   {helpcmd / sqlmodel:.2f}x")


if __name__ == "__main__":
    main()
