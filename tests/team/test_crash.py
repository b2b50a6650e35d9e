"""Crash safety: a coding process killed with SIGKILL never loses an acknowledged action."""

import random
import signal
import sqlite3
import subprocess
import sys

from qualcode.store.db import open_project
from tests.team.support import REPO, WORKER, make_project, worker_env
from tests.team.worker import expected_state, make_script, stored_state

ACTIONS = 1000
SEED = 20261126


def _run_until(target: str, start_at: int, kill_after: int | None) -> int:
    """Run the script from `start_at`; SIGKILL once `kill_after` is acknowledged. Returns last ack."""
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), "script", target, str(SEED), str(ACTIONS), str(start_at)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=worker_env(),
    )
    acked = start_at
    assert proc.stdout is not None
    for line in proc.stdout:
        acked = int(line.split()[1])
        if kill_after is not None and acked >= kill_after:
            proc.send_signal(signal.SIGKILL)  # lands mid-way through the next action
            break
    proc.wait(timeout=60)
    if kill_after is None or acked < kill_after:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    return acked


def test_sigkill_never_loses_an_acknowledged_action(tmp_path) -> None:
    target = str(tmp_path / "project")
    make_project(target).dispose()
    script = make_script(SEED, ACTIONS)
    kill_points = sorted(random.Random(SEED).sample(range(10, ACTIONS - 10), 5))
    applied = 0
    for kill_after in [*kill_points, None]:
        acked = _run_until(target, applied, kill_after)
        project = open_project(target)
        try:
            state = stored_state(project)
        finally:
            project.dispose()
        # Everything acknowledged is there; at most the one action in flight also committed.
        if state == expected_state(script[:acked]):
            applied = acked
        else:
            assert acked < ACTIONS and state == expected_state(script[: acked + 1]), (
                f"lost work after ack {acked}"
            )
            applied = acked + 1
        conn = sqlite3.connect(tmp_path / "project" / "qualcode.db")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    assert applied == ACTIONS
    assert len(state) == len(expected_state(script))
