"""Write translations/en.json from strings.json, resolving [%key:...%] references.

Core resolves these references when it builds; a custom integration ships the
result, so Home Assistant shows words, not keys.

With --check, also check every other language in translations/: it must have
exactly English's keys, and each string the same placeholders, because Home
Assistant falls back to English for a missing key and fails to format a
string whose placeholders it cannot fill.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys
from typing import Any

import homeassistant

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "guest_wifi"
REFERENCE = re.compile(r"\[%key:([a-z0-9_:]+)%\]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _lookup(tree: dict[str, Any], path: list[str]) -> str:
    node: Any = tree
    for part in path:
        node = node[part]
    if not isinstance(node, str):
        raise TypeError(f"{':'.join(path)} is not a string")
    return node


def resolve(strings: dict[str, Any]) -> dict[str, Any]:
    """The strings with every reference replaced by the text it names."""
    core = json.loads(
        (Path(homeassistant.__file__).parent / "strings.json").read_text("utf-8")
    )

    def text(value: str) -> str:
        def replace(match: re.Match[str]) -> str:
            path = match.group(1).split("::")
            if path[0] == "common":
                return text(_lookup(core["common"], path[1:]))
            if path[:2] == ["component", "guest_wifi"]:
                return text(_lookup(strings, path[2:]))
            raise KeyError(f"Cannot resolve {match.group(0)}")

        return REFERENCE.sub(replace, value)

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, str):
            return text(node)
        return node

    return walk(strings)


def render() -> str:
    """en.json as it must be on disk."""
    strings = json.loads((INTEGRATION / "strings.json").read_text("utf-8"))
    return json.dumps(resolve(strings), indent=2, ensure_ascii=False) + "\n"


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted key -> leaf value, so two languages compare key by key."""
    if not isinstance(node, dict):
        return {prefix: node}
    flat: dict[str, Any] = {}
    for key, value in node.items():
        flat.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
    return flat


def _placeholders(value: Any) -> set[str]:
    return set(PLACEHOLDER.findall(value)) if isinstance(value, str) else set()


def language_problems(translations: Path) -> list[str]:
    """What is wrong with the non-English files in translations, one line each.

    Each language must have exactly en.json's keys, only strings, and per
    string the same set of placeholders ({name}).
    """
    english = _flatten(json.loads((translations / "en.json").read_text("utf-8")))
    problems: list[str] = []
    for path in sorted(translations.glob("*.json")):
        if path.name == "en.json":
            continue
        try:
            language = _flatten(json.loads(path.read_text("utf-8")))
        except ValueError as err:
            problems.append(f"{path.name}: not valid JSON: {err}")
            continue
        problems.extend(
            f"{path.name}: missing key {key}" for key in english if key not in language
        )
        for key, value in language.items():
            if key not in english:
                problems.append(f"{path.name}: key {key} is not in en.json")
            elif not isinstance(value, str):
                problems.append(f"{path.name}: key {key} is not a string")
            elif (wanted := _placeholders(english[key])) != _placeholders(value):
                problems.append(
                    f"{path.name}: key {key} has placeholders "
                    f"{sorted(_placeholders(value))}, en.json has {sorted(wanted)}"
                )
    return problems


def main() -> int:
    """Write en.json, or with --check say whether it is up to date."""
    target = INTEGRATION / "translations" / "en.json"
    wanted = render()
    if "--check" in sys.argv:
        if target.read_text("utf-8") != wanted:
            print("translations/en.json is stale: run scripts/translations.py")
            return 1
        problems = language_problems(target.parent)
        for problem in problems:
            print(f"translations/{problem}")
        return 1 if problems else 0
    target.write_text(wanted, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
