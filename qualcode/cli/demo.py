"""`qualcode demo`: build a fresh demo project and open it in the workbench."""

from pathlib import Path

import click


@click.command()
@click.option(
    "--path",
    "path",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the new demo project (default: a new folder in your data directory).",
)
@click.option("--no-tui", is_flag=True, help="Only build the project; do not open the workbench.")
@click.option("--coder", default="wang", show_default=True, help="Open the workbench as this coder.")
def demo(path: Path | None, no_tui: bool, coder: str) -> None:
    """Build the demo project (8 interviews, 3 coders) from projects/demo and open it."""
    from qualcode.services.demo import build_demo

    project, summary = build_demo(path)
    click.echo(
        f"demo project ready at {summary['path']}: {summary['documents']} documents, "
        f"{summary['segments']} segments by {', '.join(summary['coders'])}"
    )
    if not no_tui:
        from qualcode.tui import run_workbench

        project.dispose()
        run_workbench(summary["path"], coder)
