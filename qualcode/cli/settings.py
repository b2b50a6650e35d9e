"""`qualcode settings show|set`: project settings such as the case attribute."""

import json

import click

from qualcode.cli._common import FORMAT_OPTION, PROJECT_ARG, echo_json, open_cli_project
from qualcode.core.errors import ValidationError
from qualcode.i18n import N_, _

UNITS = ("answer", "sentence")


@click.group()
def settings() -> None:
    """Show and change project settings."""


@settings.command("show")
@PROJECT_ARG
@FORMAT_OPTION
def show(project: str, fmt: str) -> None:
    """Print every setting with its value."""
    from qualcode.services.settings import all_settings

    values = all_settings(open_cli_project(project))
    if fmt == "json":
        echo_json(values)
        return
    for key in sorted(values):
        value = values[key]
        click.echo(
            f"{key:<16} {json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value}"
        )


@settings.command("set")
@PROJECT_ARG
@click.argument("key", type=click.Choice(["case_attribute", "unit", "language", "min_ci_units"]))
@click.argument("value")
@click.option(
    "--as", "actor", default=None, envvar="QUALCODE_CODER", help=N_("Who makes the change (for the log).")
)
def set_(project: str, key: str, value: str, actor: str | None) -> None:
    """Set KEY to VALUE.

    case_attribute: the document attribute (header key) naming each document's case, e.g.
    Consortium or City; Chinese equivalents such as 联合体 and 城市 are matched too. Several
    keys may be given separated by commas. Case membership is recomputed at once.

    unit: the agreement unit, answer (one respondent answer) or sentence.

    language: the interface language for everyone opening this project, zh_CN or en
    (--lang and QUALCODE_LANG still choose for one person).

    min_ci_units: how many pairable units must carry a code or dimension (coded by any coder)
    before alpha gets a bootstrap interval (default 10).

    Blind mode is changed with `qualcode blind`.
    """
    opened = open_cli_project(project)
    if key == "case_attribute":
        from qualcode.services.sources.importing import set_case_attribute

        keys = [k.strip() for k in value.split(",")]
        members = set_case_attribute(opened, keys if len(keys) > 1 else keys[0], actor=actor)
        click.echo(
            _("case attribute set to {value}: {members} documents belong to a case").format(
                value=value, members=members
            )
        )
        return
    if key == "min_ci_units":
        from qualcode.services.settings import set_setting

        if not value.isdigit() or int(value) < 1:
            raise ValidationError(
                _("min_ci_units must be a whole number of 1 or more, not {value!r}").format(value=value)
            )
        set_setting(opened, "min_ci_units", int(value), actor=actor)
        click.echo(_("min_ci_units set to {value}").format(value=value))
        return
    if key == "language":
        from qualcode.i18n import UnknownLanguageError, parse_language
        from qualcode.services.settings import set_setting

        try:
            language = parse_language(value)
        except UnknownLanguageError as exc:
            raise ValidationError(str(exc)) from exc
        set_setting(opened, "language", language, actor=actor)
        click.echo(_("language set to {language}").format(language=language))
        return
    if value not in UNITS:
        raise ValidationError(
            _("unit must be one of {UNITS}, not {value!r}").format(UNITS=', '.join(UNITS), value=value)
        )
    from qualcode.services.settings import set_setting

    set_setting(opened, "unit", value, actor=actor)
    click.echo(_("unit set to {value}").format(value=value))
