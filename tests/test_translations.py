"""The translations check catches what a translator can get wrong.

scripts/translations.py --check runs in scripts/test and CI; here it is run on
copies of the shipped files, broken on purpose, so weakening it fails a test.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
import shutil
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "custom_components" / "guest_wifi" / "translations"
LANGUAGES = {"de", "es", "fr", "it", "nl", "pt-BR", "zh-Hans"}


@pytest.fixture(name="script")
def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "translations_script", ROOT / "scripts" / "translations.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(name="copy")
def _copy(tmp_path: Path) -> Path:
    shutil.copytree(SHIPPED, tmp_path / "translations")
    return tmp_path / "translations"


def _edit(path: Path, change: Any) -> None:
    tree = json.loads(path.read_text("utf-8"))
    change(tree)
    path.write_text(json.dumps(tree, ensure_ascii=False), "utf-8")


def test_every_language_is_shipped_and_complete(script: ModuleType) -> None:
    """The shipped languages are the issue's, and the check finds nothing."""
    assert {path.stem for path in SHIPPED.glob("*.json")} == LANGUAGES | {"en"}
    assert script.language_problems(SHIPPED) == []


def test_missing_key_is_named(script: ModuleType, copy: Path) -> None:
    def drop(tree: dict[str, Any]) -> None:
        del tree["config"]["error"]["host_required"]

    _edit(copy / "de.json", drop)
    assert script.language_problems(copy) == [
        "de.json: missing key config.error.host_required"
    ]


def test_extra_key_is_named(script: ModuleType, copy: Path) -> None:
    def add(tree: dict[str, Any]) -> None:
        tree["config"]["error"]["typo_key"] = "Hallo"

    _edit(copy / "fr.json", add)
    assert script.language_problems(copy) == [
        "fr.json: key config.error.typo_key is not in en.json"
    ]


def test_changed_placeholder_is_named(script: ModuleType, copy: Path) -> None:
    """A translated placeholder name cannot be filled by Home Assistant."""

    def rename(tree: dict[str, Any]) -> None:
        tree["entity"]["device_tracker"]["guest"]["name"] = "Gast {adresse}"

    _edit(copy / "nl.json", rename)
    assert script.language_problems(copy) == [
        (
            "nl.json: key entity.device_tracker.guest.name has placeholders "
            "['adresse'], en.json has ['mac']"
        )
    ]


def test_dropped_placeholder_and_bad_json_are_named(
    script: ModuleType, copy: Path
) -> None:
    def drop(tree: dict[str, Any]) -> None:
        tree["exceptions"]["update_failed"]["message"] = "没有数据"

    _edit(copy / "zh-Hans.json", drop)
    (copy / "it.json").write_text("{", "utf-8")
    problems = script.language_problems(copy)
    assert problems[0].startswith("it.json: not valid JSON")
    assert problems[1:] == [
        (
            "zh-Hans.json: key exceptions.update_failed.message has placeholders "
            "[], en.json has ['error']"
        )
    ]


def test_check_exits_1_on_a_problem(
    script: ModuleType, copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--check fails the build, not only prints."""
    shutil.copytree(copy, copy.parent / "guest_wifi" / "translations")
    shutil.copy(
        script.INTEGRATION / "strings.json", copy.parent / "guest_wifi" / "strings.json"
    )
    (copy.parent / "guest_wifi" / "translations" / "es.json").write_text("{}", "utf-8")
    monkeypatch.setattr(script, "INTEGRATION", copy.parent / "guest_wifi")
    monkeypatch.setattr("sys.argv", ["translations.py", "--check"])
    assert script.main() == 1
