"""Run one command of the bad-input corpus and judge it.

A case is refused cleanly when the command exits 2 with exactly one stderr line that starts
with `error:` (no traceback), and every table of the project's database is byte-identical
before and after (row count and a hash of the rows, per table). A case that is accepted must
exit 0 and print nothing a terminal would obey.
"""

import contextlib
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Characters that must never reach a terminal from stored text: C0 controls other than
# newline and tab, DEL, C1 controls, and text-direction controls.
HOSTILE = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {chr(0x7F)}
HOSTILE |= {chr(c) for c in range(0x80, 0xA0)}
HOSTILE |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass
class Outcome:
    args: list[str]
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"qualcode {' '.join(map(repr, self.args))} -> {self.code}\n{self.stdout[-800:]}\n{self.stderr[-800:]}"


def run(args: list[str], *, subprocess_run: bool = False, env: dict[str, str] | None = None) -> Outcome:
    """Run the CLI in-process (fast) or as a real subprocess, with the real entry point's error handling."""
    if subprocess_run:
        full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
        full_env.pop("QUALCODE_DB", None)
        done = subprocess.run(
            [sys.executable, "-m", "qualcode", *args],
            capture_output=True,
            text=True,
            env=full_env,
            timeout=120,
        )
        return Outcome(args, done.returncode, done.stdout, done.stderr)
    from qualcode.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Outcome(list(args), code, out.getvalue(), err.getvalue())


def fingerprint(project: Path) -> dict[str, tuple[int, str]]:
    """Row count and a SHA-256 over every row, per table of the project's SQLite database."""
    db = project / "qualcode.db"
    uri = f"file:{db}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        prints = {}
        for table in tables:
            digest = hashlib.sha256()
            count = 0
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
                count += 1
            prints[table] = (count, digest.hexdigest())
        return prints
    finally:
        conn.close()


def assert_one_line_error(outcome: Outcome, fragment: str | None = None) -> None:
    assert outcome.code == 2, outcome
    lines = outcome.stderr.strip().splitlines()
    # `import` takes many files and reports each refused one as `failed FILE: reason` (its documented
    # batch form, with a count on stdout); every other command says `error: reason`.
    prefix = ("error:", "failed ") if outcome.args[:1] == ["import"] else ("error:",)
    assert len(lines) == 1 and lines[0].startswith(prefix), outcome
    assert "Traceback" not in outcome.stderr, outcome
    assert not HOSTILE & set(lines[0]), outcome
    if fragment is not None:
        assert fragment.lower() in lines[0].lower(), outcome


def assert_refused(project: Path, args: list[str], fragment: str | None = None, **kwargs: object) -> Outcome:
    """The command is refused in one line and the project's tables are unchanged."""
    before = fingerprint(project)
    outcome = run(args, **kwargs)  # type: ignore[arg-type]
    assert_one_line_error(outcome, fragment)
    assert fingerprint(project) == before, "the project changed although the command was refused"
    return outcome


def assert_clean_output(outcome: Outcome) -> None:
    """Accepted, and nothing in the output is a control character a terminal would obey."""
    assert outcome.code == 0, outcome
    found = HOSTILE & set(outcome.stdout + outcome.stderr)
    assert not found, (
        f"raw control characters {sorted(map(hex, map(ord, found)))} in output of {outcome.args}"
    )
