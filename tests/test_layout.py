"""Where things live in the integration: checks on its source, not behaviour.

Each names one rule of issue 16 ("One vendor, one place") that a change could
quietly break.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "custom_components" / "guest_wifi"
ISSUE_CALLS = {"async_create_issue", "async_delete_issue", "async_ignore_issue"}


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _imports(tree: ast.Module) -> set[str]:
    """Modules imported, relative ones written as `.api._http` or `.api:_normalize`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            found.update(f"{base}:{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_modules_are_read() -> None:
    """The checks below see the integration (an empty walk would pass them)."""
    assert {"issues.py", "services.py", "api/_normalize.py"} <= set(_modules())


def test_only_api_uses_its_private_modules() -> None:
    """Outside `api/`, the clients' package is used by its public names."""
    private = {
        (name, imported)
        for name, tree in _modules().items()
        if not name.startswith("api/")
        for imported in _imports(tree)
        if imported.startswith((".api._", ".api:_")) or "api._" in imported
    }
    assert private == set()


def test_repairs_are_made_in_issues_py_only() -> None:
    """Every repair issue is raised and cleared through issues.py."""
    elsewhere = {
        (name, node.attr)
        for name, tree in _modules().items()
        if name != "issues.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in ISSUE_CALLS
    }
    importers = {
        name
        for name, tree in _modules().items()
        if name != "issues.py"
        and any("issue_registry" in imported for imported in _imports(tree))
    }
    assert elsewhere == set()
    assert importers == set()


def test_both_action_modules_share_one_kit() -> None:
    """Query and user actions take their fields and lookups from the same place."""
    modules = _modules()
    for name in ("services.py", "user_actions.py"):
        imported = _imports(modules[name])
        assert ".action_fields" in imported, name
        assert ".actions" in imported, name
    assert ".services" not in _imports(modules["user_actions.py"])
