"""Every binding has an id and a description; the user's keymap.toml remaps keys by id, and a
file with a problem is reported (naming its line) and not applied (issue 15, item 5)."""

from pathlib import Path
from typing import Any

import pytest

from qualcode.services.user_config import CONFIG_ENV
from qualcode.tui.app import all_bindings as known_bindings
from qualcode.tui.keymap import EXAMPLE, check_keymap, load_keymap
from qualcode.tui.screens.code_picker import CodePicker
from qualcode.tui.screens.workbench import WorkbenchScreen
from qualcode.tui.widgets.key_bar import KeyBar
from tests.tui.conftest import ZH_TEXT
from tests.tui.helpers import bench, run_app, view


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    monkeypatch.setenv(CONFIG_ENV, str(folder))
    return folder


def test_every_binding_has_a_unique_id_a_description_and_a_tooltip() -> None:
    seen: dict[str, str] = {}
    for owner, bindings in known_bindings().items():
        for binding in bindings:
            assert binding.id and binding.description and binding.tooltip, (owner.__name__, binding)
            assert seen.setdefault(binding.id, owner.__name__) == owner.__name__, binding.id
    assert "workbench.pick_code" in seen and "app.search" in seen


def test_every_binding_text_is_in_the_catalogue_and_translated() -> None:
    """Descriptions and tooltips are marked with N_() (so extracted) and have a Chinese text."""
    from qualcode import i18n

    for bindings in known_bindings().values():
        for binding in bindings:
            for text in (binding.description, binding.tooltip):
                assert i18n.translate_in(i18n.CHINESE, text) != text, text


def test_the_shipped_keys_and_the_help_example_are_a_good_keymap() -> None:
    assert check_keymap("", known_bindings()) == ({}, None)
    keys, problem = check_keymap(EXAMPLE, known_bindings())
    assert problem is None and keys == {"workbench.pick_code": "a", "app.search": "ctrl+f"}
    # the dotted form of TOML means the same
    assert check_keymap('[workbench]\npick_code = "a"\n', known_bindings())[0] == {"workbench.pick_code": "a"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"app.search" = "ctrl+f"\n"workbench.no_such" = "z"\n',
            "line 2: unknown binding id workbench.no_such",
        ),
        ('"app.search" = "ctrl+f"\n"app.search" = "f6"\n', "line 2"),  # TOML refuses a repeated id
        ('"workbench.pick_code" = "t"\n', "line 1: the key t is given to both"),  # t selects the turn
        ('"app.search" = 3\n', "line 1: app.search: give the keys as text"),
        ('"app.search = "f6"\n', "not TOML"),
    ],
)
def test_a_keymap_with_a_problem_is_refused_naming_the_line(
    text: str, expected: str, config_dir: Path
) -> None:
    (config_dir / "keymap.toml").write_text(text, encoding="utf-8")
    keymap = load_keymap(known_bindings)
    assert keymap.keys == {} and keymap.problem is not None and expected in keymap.problem, keymap.problem


def _select_some_text(app: Any) -> None:
    start = ZH_TEXT.index("市里先出方案")
    view(app).select_offsets(start, start + 6)


def test_a_keymap_rebinds_apply_code(project_dir: Path, config_dir: Path) -> None:
    (config_dir / "keymap.toml").write_text('"workbench.pick_code" = "ctrl+o"\n', encoding="utf-8")

    async def body(app: Any, pilot: Any) -> None:
        assert app.user_keymap == {"workbench.pick_code": "ctrl+o"}
        bench(app).open_document("zh-gov")
        _select_some_text(app)
        await pilot.press("c")  # the old key does nothing now
        await pilot.pause()
        assert isinstance(app.screen, WorkbenchScreen)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        await pilot.press("escape")
        await pilot.pause()
        assert "^o Code" in str(app.screen.query_one(KeyBar).render())

    run_app(project_dir, "alice", body)


def test_a_broken_keymap_is_reported_and_ignored(project_dir: Path, config_dir: Path) -> None:
    (config_dir / "keymap.toml").write_text(
        '# my keys\n"workbench.pick_code" = "ctrl+o"\n"workbench.apply" = "z"\n', encoding="utf-8"
    )

    async def body(app: Any, pilot: Any) -> None:
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("keymap.toml" in m and "line 3" in m and "workbench.apply" in m for m in errors), errors
        assert app.user_keymap == {}
        bench(app).open_document("zh-gov")
        _select_some_text(app)
        await pilot.press("c")  # the shipped key still works: nothing of the file was applied
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)

    run_app(project_dir, "alice", body)


def test_the_help_screen_shows_ids_current_keys_and_the_keymap_file(
    project_dir: Path, config_dir: Path
) -> None:
    (config_dir / "keymap.toml").write_text('"workbench.undo" = "ctrl+u"\n', encoding="utf-8")

    async def body(app: Any, pilot: Any) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one("#help-table")
        rows = {table.get_row_at(i)[1]: table.get_row_at(i)[0] for i in range(table.row_count)}
        assert rows["workbench.undo"] == "ctrl+u" and rows["workbench.pick_code"] == "c"
        note = str(app.screen.query_one("#help-keymap").render())
        assert str(config_dir / "keymap.toml") in note and '"workbench.pick_code" = "a"' in note

    run_app(project_dir, "alice", body)


def test_binding_descriptions_follow_the_interface_language(project_dir: Path) -> None:
    from qualcode import i18n

    async def body(app: Any, pilot: Any) -> None:
        bar = app.screen.query_one(KeyBar)
        assert "Undo" in str(bar.render())
        i18n.set_language(i18n.CHINESE)
        await pilot.pause()
        text = str(bar.render())
        assert "撤销" in text and "Undo" not in text, text

    run_app(project_dir, "alice", body)


def test_the_keymap_knows_every_screen_and_widget_that_has_bindings() -> None:
    """A new screen's keys are remappable only if all_bindings() lists it."""
    import importlib
    import inspect
    import pkgutil

    from textual.dom import DOMNode

    import qualcode.tui.screens
    import qualcode.tui.widgets

    listed = set(known_bindings())
    for package in (qualcode.tui.screens, qualcode.tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and issubclass(cls, DOMNode) and "BINDINGS" in vars(cls):
                    assert cls in listed, cls
