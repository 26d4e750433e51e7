"""Write translations/en.json from strings.json, resolving [%key:...%] references.

Core resolves these references when it builds; a custom integration ships the
result, so Home Assistant shows words, not keys.
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


def main() -> int:
    """Write en.json, or with --check say whether it is up to date."""
    target = INTEGRATION / "translations" / "en.json"
    wanted = render()
    if "--check" in sys.argv:
        if target.read_text("utf-8") != wanted:
            print("translations/en.json is stale: run scripts/translations.py")
            return 1
        return 0
    target.write_text(wanted, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
