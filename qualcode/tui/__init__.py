"""tui layer; see docs/architecture.md. Importing this package does not import textual."""


def run_workbench(project_target: str, coder: str) -> None:
    """Open the coding workbench on a project as `coder` (who must already exist)."""
    from qualcode.tui.app import run_workbench as run

    run(project_target, coder)
