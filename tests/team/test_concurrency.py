"""Several processes coding one project at once: on one SQLite file and on PostgreSQL."""

import subprocess
import sys

from sqlalchemy import text

from qualcode.store.db import open_project
from tests.team.support import REPO, WORKER, make_project, worker_env

PROCESSES = 4
ACTIONS = 500
CODERS = {f"coder{i}": "coder" for i in range(PROCESSES)}


def test_four_processes_code_at_once_without_loss_or_error(project_target: str) -> None:
    make_project(project_target, coders=CODERS).dispose()
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "spans", project_target, name, str(ACTIONS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=worker_env(),
        )
        for name in CODERS
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0 and out.strip() == "done", err[-2000:]
        assert "locked" not in err
    project = open_project(project_target)
    try:
        with project.engine.connect() as conn:
            total = conn.execute(text("SELECT count(*) FROM segments")).scalar_one()
            distinct = conn.execute(
                text(
                    'SELECT count(*) FROM (SELECT DISTINCT document_id, coder_id, code_id, start, "end" FROM segments) d'
                )
            ).scalar_one()
            per_coder = dict(
                conn.execute(
                    text(
                        "SELECT c.name, count(*) FROM segments s JOIN coders c ON c.id = s.coder_id GROUP BY c.name"
                    )
                ).all()
            )
            events = conn.execute(
                text("SELECT count(*) FROM events WHERE action = 'segment.add'")
            ).scalar_one()
    finally:
        project.dispose()
    assert total == distinct == PROCESSES * ACTIONS
    assert per_coder == {name: ACTIONS for name in CODERS}
    assert events == PROCESSES * ACTIONS


def test_same_coder_in_two_processes_on_one_document(project_target: str) -> None:
    """The first segment of a document marks it in progress; two processes racing must both succeed."""
    target = project_target
    make_project(target, coders={"solo": "coder"}).dispose()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                (
                    "import sys\nfrom qualcode.store.db import open_project\nfrom qualcode.services.coding.segments import add_segment\n"
                    f"p = open_project({target!r})\n"
                    f"for i in range(60): add_segment(p, coder='solo', document='interview-0' + str(i % 3 + 1), "
                    f"code='TEC.LAB', start={k} * 100 + i, end={k} * 100 + i + 3)\n"
                ),
            ],
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=worker_env(),
        )
        for k in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err[-2000:]
    project = open_project(target)
    with project.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM segments")).scalar_one() == 120
        assert conn.execute(text("SELECT count(*) FROM document_status")).scalar_one() == 3
    project.dispose()
