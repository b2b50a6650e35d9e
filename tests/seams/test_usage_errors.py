"""Every usage error of every command is one `error:` line on stderr and exit code 2."""

import click
import pytest

from qualcode.cli import COMMANDS, cli
from tests.foundation.test_cli import assert_user_error, qc, qc_process


def _commands() -> list[tuple[list[str], click.Command]]:
    """(path, command) for every command and subcommand, groups included."""
    ctx = click.Context(cli)
    found: list[tuple[list[str], click.Command]] = []

    def walk(path: list[str], command: click.Command) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                walk([*path, name], sub)

    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        walk([name], command)
    return found


COMMAND_PATHS = _commands()


def _ids() -> list[str]:
    return [" ".join(path) for path, _ in COMMAND_PATHS]


@pytest.mark.parametrize(("path", "command"), COMMAND_PATHS, ids=_ids())
def test_an_unknown_option_is_one_error_line(path: list[str], command: click.Command) -> None:
    result = qc(*path, "--no-such-option", check=False)
    assert_user_error(result, "--no-such-option")
    assert f"qualcode {' '.join(path)}" in result.stderr and "--help" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("path", "command"), COMMAND_PATHS, ids=_ids())
def test_a_missing_argument_or_subcommand_is_one_error_line(path: list[str], command: click.Command) -> None:
    if isinstance(command, click.Group):
        # (`autocode` runs `autocode run` by default, which then misses its options)
        assert_user_error(qc(*path, "no-such-command", check=False), "")
        return
    required = [p for p in command.params if p.required and p.envvar is None]
    if not required:
        pytest.skip("nothing required")
    assert_user_error(qc(*path, check=False), "Missing")


def test_a_bad_choice_is_one_error_line_in_a_real_process() -> None:
    result = qc_process("agree", "nowhere", "--unit", "bogus", check=False)
    assert_user_error(result, "'bogus' is not one of")


def test_a_bare_group_shows_its_help() -> None:
    result = qc("code", check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: qualcode code")
