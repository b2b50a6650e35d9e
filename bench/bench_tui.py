"""Workbench speed on a 300,000-character Chinese transcript with 5,000 coded segments.

    python bench/bench_tui.py [--chars 300000] [--segments 5000] [--repeat 15]

Measures, in one run and on the same text:
  * first frame: app start to the first rendered screen, for a plain read-only TextArea
    (baseline), the TranscriptView with all 5,000 spans painted, and the whole workbench;
  * applying a code through Pilot, from key press to updated view (service commit, reload of
    segments, highlight map, panes), against pressing a key bound to nothing (Pilot's own cost);
  * memory: Python heap peak (tracemalloc) while the workbench is open, and the process max RSS.
Targets: first frame < 0.5 s, applying a code < 50 ms over the Pilot baseline.
"""

import argparse
import asyncio
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SENTENCES = [
    "联合体是市政府一手推起来的。",
    "市里先出方案，再去动员企业和学校加入！",
    "一开始企业的积极性并不高。",
    "我们建了共享的公共实训基地，老师每年要去企业实践一个月。",
    "Companies joined later, after the subsidy.",
    "理事会每年开两次全体会，重大事项由理事会审议？",
    "课程方面，我们要求每个新专业都要有企业参与制定课程标准。",
]
CODEBOOK = """\
codebook:
  id: bench
  version: "1"
codes:
  - key: TAL
    name_en: Talent
    name_zh: 人才
    children:
""" + "".join(
    f"      - key: TAL.C{i}\n        name_en: Code {i}\n        name_zh: 代码{i}\n        color: \"#{(i * 2654435761) % 0xFFFFFF:06X}\"\n"
    for i in range(1, 21)
)


def make_text(chars: int, rng: random.Random) -> tuple[str, list[tuple[int, int, str, str]]]:
    parts: list[str] = []
    turns: list[tuple[int, int, str, str]] = []
    pos, q = 0, 0
    while pos < chars:
        interviewer = len(turns) % 2 == 0
        q += interviewer
        label = "访谈者：" if interviewer else "受访者："
        body = "".join(rng.choice(SENTENCES) for _ in range(1 if interviewer else rng.randint(3, 12)))
        line = label + body
        turns.append((pos, pos + len(line), "interviewer" if interviewer else "respondent", f"Q{q}"))
        parts.append(line)
        pos += len(line) + 1
    return "\n".join(parts), turns


def build(folder: Path, chars: int, segments: int) -> tuple[str, int]:
    from sqlalchemy import insert

    from qualcode.services.codebook.curation import load_codebook
    from qualcode.services.coders import add_coder
    from qualcode.store.db import init_project
    from qualcode.store.models import Code, Coder, Document, Segment, Unit

    rng = random.Random(7)
    text, turns = make_text(chars, rng)
    project = init_project(str(folder))
    add_coder(project, "alice")
    (folder.parent / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    load_codebook(project, folder.parent / "codebook.yaml")
    with project.write() as session:
        doc = Document(name="long-zh", text=text, length=len(text), sha256="bench", language="zh")
        session.add(doc)
        session.flush()
        coder_id = session.exec(Coder.__table__.select().where(Coder.name == "alice")).first()[0]  # type: ignore[attr-defined]
        code_ids = [row[0] for row in session.exec(Code.__table__.select().where(Code.codable == True))]  # type: ignore[attr-defined]  # noqa: E712
        session.execute(
            insert(Unit),
            [
                {
                    "document_id": doc.id,
                    "seq": i,
                    "speaker": "访谈者" if r == "interviewer" else "受访者",
                    "speaker_role": r,
                    "question_key": q,
                    "start": s,
                    "end": e,
                    "kind": "turn",
                }
                for i, (s, e, r, q) in enumerate(turns)
            ],
        )
        rows, seen = [], set()
        while len(rows) < segments:
            start = rng.randrange(0, len(text) - 200)
            key = (start, start + rng.randint(5, 150), rng.choice(code_ids))
            if key not in seen:
                seen.add(key)
                rows.append(
                    {
                        "document_id": doc.id,
                        "coder_id": coder_id,
                        "code_id": key[2],
                        "start": key[0],
                        "end": key[1],
                    }
                )
        session.execute(insert(Segment), rows)
    project.dispose()
    return text, len(turns)


FIRST_PAINT: list[float] = []


def _spy_first_paint() -> None:
    """Record when a transcript (TextArea) line is first rendered: the first frame the coder sees."""
    from textual.widgets import TextArea

    original = TextArea.render_line

    def render_line(self: Any, y: int) -> Any:
        if not FIRST_PAINT:
            FIRST_PAINT.append(time.perf_counter())
        return original(self, y)

    TextArea.render_line = render_line  # type: ignore[method-assign]


async def first_frame(make_app: Any, size: tuple[int, int] = (160, 45)) -> tuple[float, float]:
    """(time to the first painted transcript line, time until the app is idle with every pane filled)."""
    FIRST_PAINT.clear()
    start = time.perf_counter()
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        idle = time.perf_counter() - start
    return FIRST_PAINT[0] - start, idle


def plain_app(text: str) -> Any:
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    class Plain(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(text, read_only=True, soft_wrap=True, show_line_numbers=True)

    return Plain()


def view_app(text: str, turns: list[Any], spans: list[dict[str, Any]]) -> Any:
    from textual.app import App, ComposeResult

    from qualcode.tui.widgets.transcript_view import TranscriptView

    class View(App[None]):
        def compose(self) -> ComposeResult:
            yield TranscriptView(blink=False)

        def on_mount(self) -> None:
            view = self.query_one(TranscriptView)
            view.show_document(text, turns)
            view.set_segments(spans)

    return View()


async def apply_code_timings(folder: Path, text: str, repeat: int, trace: bool = False) -> dict[str, Any]:
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.widgets.transcript_view import TranscriptView

    app = QualcodeApp(str(folder), "alice", cursor_blink=False)
    app.notify = lambda *a, **k: None  # type: ignore[method-assign]  # toasts are not part of the view update
    noop, code, rebuild, code_cpu, noop_cpu = [], [], [], [], []
    if trace:
        tracemalloc.start()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        view = screen.query_one(TranscriptView)
        rng = random.Random(4 if trace else 3)
        for _ in range(repeat):
            start = rng.randrange(0, len(text) - 100)
            view.select_offsets(start, start + 40)
            await pilot.pause()
            t, c = time.perf_counter(), time.process_time()
            await pilot.press("f19")  # bound to nothing: the cost of Pilot's press itself
            noop.append(time.perf_counter() - t)
            noop_cpu.append(time.process_time() - c)
            before = len(screen.segments)
            t, c = time.perf_counter(), time.process_time()
            await pilot.press("1")
            code.append(time.perf_counter() - t)
            code_cpu.append(time.process_time() - c)
            assert len(screen.segments) == before + 1, "the code was not applied"
            t = time.perf_counter()
            view._build_highlight_map()
            view.paint_all()  # drawing computes rows lazily; this is the cost of all of them
            rebuild.append(time.perf_counter() - t)
        _, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    tracemalloc.stop()
    app.project.dispose()
    return {
        "noop": noop,
        "code": code,
        "rebuild": rebuild,
        "noop_cpu": noop_cpu,
        "code_cpu": code_cpu,
        "peak": peak,
        "segments": len(screen.segments),
    }


def med(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--segments", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--no-freeze", action="store_true", help="skip gc.freeze(), which `qualcode tui` does"
    )
    args = parser.parse_args()
    # Import everything first so the timings measure work, not module loading.
    import textual.widgets  # noqa: F401

    from qualcode.services.coding import workbench
    from qualcode.store.db import open_project
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.widgets.transcript_view import Turn

    folder = Path(tempfile.mkdtemp()) / "project"
    text, n_turns = build(folder, args.chars, args.segments)
    if not args.no_freeze:
        from qualcode.tui.app import settle_imports

        settle_imports()  # as run_workbench does once the imports are done
    project = open_project(str(folder))
    data = workbench.open_document(project, "long-zh")
    spans = workbench.document_segments(project, "long-zh", viewer="alice")
    project.dispose()
    turns = [
        Turn(u["start"], u["end"], u["speaker"], u["speaker_role"], u["question_key"]) for u in data["units"]
    ]
    print(
        f"transcript: {len(text):,} characters, {text.count(chr(10)) + 1:,} lines, {n_turns:,} turns, "
        f"{len(spans):,} segments"
    )

    async def frames() -> dict[str, list[tuple[float, float]]]:
        out: dict[str, list[tuple[float, float]]] = {"plain": [], "view": [], "workbench": []}
        await first_frame(lambda: plain_app(text))  # warm-up
        for _ in range(5):
            out["plain"].append(await first_frame(lambda: plain_app(text)))
            out["view"].append(await first_frame(lambda: view_app(text, turns, spans)))
            out["workbench"].append(
                await first_frame(lambda: QualcodeApp(str(folder), "alice", cursor_blink=False))
            )
        return out

    _spy_first_paint()
    f = asyncio.run(frames())
    first = {k: med([a for a, _ in v]) for k, v in f.items()}
    idle = {k: med([b for _, b in v]) for k, v in f.items()}
    base = first["plain"]
    print("\nfirst frame = first transcript line painted (median of 5; then: idle with every pane filled)")
    print(f"  baseline: plain read-only TextArea, same text      {base:.3f} s   (idle {idle['plain']:.3f} s)")
    print(
        f"  TranscriptView with {len(spans):,} spans painted         {first['view']:.3f} s   "
        f"({first['view'] / base:.2f}x baseline; idle {idle['view']:.3f} s)"
    )
    print(
        f"  whole workbench (documents, codebook, panes)       {first['workbench']:.3f} s   "
        f"({first['workbench'] / base:.2f}x baseline; idle {idle['workbench']:.3f} s)"
    )

    r = asyncio.run(apply_code_timings(folder, text, args.repeat))
    noop, code = med(r["noop"]), med(r["code"])
    print(f"\napplying a code through Pilot (median of {args.repeat}, {r['segments']:,} segments at the end)")
    print(f"  baseline: Pilot press of an unbound key            {noop * 1000:.1f} ms")
    print(
        f"  press 1 -> committed, view and panes reloaded      {code * 1000:.1f} ms  "
        f"(+{(code - noop) * 1000:.1f} ms over baseline, {code / noop:.2f}x)"
    )
    print(
        f"  CPU time of this process: unbound key {med(r['noop_cpu']) * 1000:.1f} ms, press 1 "
        f"{med(r['code_cpu']) * 1000:.1f} ms (+{(med(r['code_cpu']) - med(r['noop_cpu'])) * 1000:.1f} ms)"
    )
    print(f"  highlights of every row (opening computes only drawn rows) {med(r['rebuild']) * 1000:.1f} ms")
    print(f"\nload average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    peak = asyncio.run(apply_code_timings(folder, text, 2, trace=True))["peak"]  # tracemalloc slows Python
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nmemory: Python heap peak while the workbench ran {peak / 2**20:.1f} MiB; process max RSS {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
