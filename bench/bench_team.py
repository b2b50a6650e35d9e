"""Team work throughput: several processes coding one project at once, and merging copies.

Baseline (same run): one process adding N segments alone. Measured: 4 processes adding N
each at once (wall time and the total rate as a ratio of the baseline rate), on one SQLite
file and, when QUALCODE_TEST_PG_URL names a server, on PostgreSQL; then merging a copy
holding 4*N segments into an empty target, as a ratio of the time coding them took.
Run: python bench/bench_team.py [--actions N]
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TEXT = "问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n" * 200
CODERS = [f"coder{i}" for i in range(4)]
WORKER = """
import sys
from qualcode.store.db import open_project
from qualcode.services.coding.segments import add_segment
project = open_project(sys.argv[1])
for i in range(int(sys.argv[3])):
    add_segment(project, coder=sys.argv[2], document="doc", code="TAL.CURR", start=i, end=i + 9)
"""


def make(target: str) -> None:
    from qualcode.services.coders import add_coder
    from qualcode.store.db import init_project
    from qualcode.store.models import Code, Document

    project = init_project(target)
    with project.write() as session:
        session.add(
            Document(
                name="doc", text=TEXT, length=len(TEXT), sha256=hashlib.sha256(TEXT.encode()).hexdigest()
            )
        )
        session.add(Code(key="TAL.CURR", name_en="Curriculum"))
    for name in CODERS:
        add_coder(project, name)
    project.dispose()


def run(target: str, coders: list[str], actions: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, target, name, str(actions)], env=env)
        for name in coders
    ]
    for proc in procs:
        assert proc.wait() == 0
    return time.perf_counter() - start


def pg_target(admin: str) -> tuple[str, object]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"qc_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(make_url(admin), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(admin).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=500)
    n = parser.parse_args().actions
    tmp = Path(tempfile.mkdtemp(prefix="qc-bench-team-"))
    try:
        stores = [("sqlite", lambda tag: (str(tmp / tag), lambda: None))]
        admin = os.environ.get("QUALCODE_TEST_PG_URL")
        if admin:
            stores.append(("postgresql", lambda tag: pg_target(admin)))
        for label, factory in stores:
            one, drop_one = factory("one")
            make(one)
            base = run(one, CODERS[:1], n)
            many, drop_many = factory("many")
            make(many)
            wall = run(many, CODERS, n)
            print(
                f"{label}: baseline 1 process x {n}: {base:.2f} s ({n / base:.0f} segments/s); "
                f"4 processes x {n}: {wall:.2f} s ({4 * n / wall:.0f} segments/s, "
                f"{(4 * n / wall) / (n / base):.2f}x the baseline rate)"
            )
            if label == "sqlite":
                from qualcode.services.team.merge import merge_projects
                from qualcode.store.db import open_project

                make(str(tmp / "target"))
                target = open_project(str(tmp / "target"))
                start = time.perf_counter()
                report = merge_projects(target, [many])
                took = time.perf_counter() - start
                added = report["sources"][0]["segments_added"]
                print(
                    f"merge of {added} segments: {took:.2f} s ({took / wall:.2f}x the time 4 processes took to "
                    f"code them)"
                )
                target.dispose()
            drop_one()
            drop_many()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
