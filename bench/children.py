"""One measurement of a bench script in a process of its own, so that each peak RSS is its own.

A script runs itself as `SCRIPT --child MODE ...` (see `run_child`), measures, and prints one
JSON object as its last line; `peak_mb` is the process's peak resident memory so far.
"""

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(script: str, mode: str, *args: str) -> dict[str, Any]:
    """Run `script --child MODE ARGS...` from the repository root; its last output line, read as JSON."""
    result = subprocess.run(
        [sys.executable, script, "--child", mode, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode:
        raise SystemExit(f"{mode} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])
