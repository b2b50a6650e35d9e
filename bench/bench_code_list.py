"""Benchmark: `qualcode code list --format csv` against `qualcode export --csv` on the same project.

    python bench/bench_code_list.py [N_SEGMENTS] [N_DOCS]

Builds a project with N segments (default 100,000) over N_DOCS documents (default 1,000) with
bench_xlsx.build, then runs each command in its own child process (so each peak RSS is its
own), stdout of `code list` going to /dev/null:
  baseline  qualcode export PROJECT --csv FILE   (the segment table through the export path)
  list      qualcode code list PROJECT --format csv
Prints seconds, the ratio to the baseline and peak RSS. Target (issue 12 item 10): code list no
slower than 1.5 x export --csv, and peak RSS no more than export's.
"""

import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from children import peak_mb, run_child  # bench/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def child(mode: str, folder: str, out: str) -> None:
    from qualcode.cli import main

    args = (
        ["export", folder, "--csv", out]
        if mode == "baseline"
        else ["code", "list", folder, "--format", "csv"]
    )
    t0 = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        with contextlib.suppress(SystemExit):
            main(args)
    elapsed = time.perf_counter() - t0
    print(json.dumps({"mode": mode, "seconds": elapsed, "peak_mb": peak_mb()}))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    from bench_xlsx import build

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    n_docs = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    print(f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench-project"
        t0 = time.perf_counter()
        build(folder, n, n_docs)
        print(
            f"built a project with {n} segments over {n_docs} documents in {time.perf_counter() - t0:.1f} s"
        )
        results = {}
        for mode in ("baseline", "list"):
            results[mode] = run_child(__file__, mode, str(folder), str(Path(tmp) / "segments.csv"))
        base = results["baseline"]
        for mode, r in results.items():
            print(
                f"{mode:9s} {r['seconds']:7.2f} s  {r['seconds'] / base['seconds']:5.2f} x baseline  "
                f"peak RSS {r['peak_mb']:6.0f} MB"
            )
        listed = results["list"]
        ok = listed["seconds"] <= 1.5 * base["seconds"] and listed["peak_mb"] <= base["peak_mb"]
        print(f"target (code list <= 1.5 x export --csv, peak RSS <= export's): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
