"""Helpers for the team-work tests: small projects with documents, codes and coders.

Documents and codes are inserted straight into the store so these tests do not depend
on the import and codebook services.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from qualcode.services.coders import add_coder
from qualcode.store.db import Project, init_project
from qualcode.store.models import Code, Document

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parent / "worker.py"

TEXTS = {
    "interview-01": "问：贵市产教联合体如何配置人才资源？\n答：我们与企业共建实训基地，共享教师。\n" * 20,
    "interview-02": "Q: How does the consortium share technology?\nA: Joint labs and patents with firms.\n"
    * 20,
    "interview-03": "问：行政资源如何支持？\n答：市政府牵头，设立专项资金和协调机制。\n" * 20,
}
CODES = ["TAL.CURR", "TAL.TEACH", "TEC.LAB", "ADM.FUND", "GOV.COORD"]


def add_documents(project: Project, texts: dict[str, str]) -> None:
    with project.write() as session:
        for name, body in texts.items():
            session.add(
                Document(
                    name=name,
                    text=body,
                    length=len(body),
                    sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
                )
            )


def add_codes(project: Project, keys: list[str], **fields: str) -> None:
    with project.write() as session:
        for key in keys:
            session.add(
                Code(
                    key=key,
                    name_en=fields.get("name_en", key.title()),
                    name_zh=fields.get("name_zh", ""),
                    definition=fields.get("definition", f"definition of {key}"),
                )
            )


def make_project(
    target: str,
    coders: dict[str, str] | None = None,
    texts: dict[str, str] | None = None,
    codes: list[str] | None = None,
) -> Project:
    project = init_project(target)
    add_documents(project, TEXTS if texts is None else texts)
    add_codes(project, CODES if codes is None else codes)
    for name, role in (coders or {"alice": "coder", "bob": "coder", "lead": "lead"}).items():
        add_coder(project, name, role)
    return project


def run_worker(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(WORKER), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env=worker_env(),
    )


def worker_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess (as a user would)."""
    return subprocess.run(
        [sys.executable, "-m", "qualcode", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**worker_env(), **(env or {})},
        timeout=120,
    )
