"""The version users see agrees with the changelog, and is semantic."""

from __future__ import annotations

import json
from pathlib import Path
import re
import subprocess
import sys

ROOT = Path(__file__).parent.parent
SCRIPT = ROOT / "scripts" / "release.py"


def _release(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script, our arguments
        [sys.executable, str(cwd / "scripts" / "release.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_manifest_matches_changelog() -> None:
    manifest = json.loads(
        (ROOT / "custom_components/guest_wifi/manifest.json").read_text()
    )
    changelog = (ROOT / "CHANGELOG.md").read_text()
    latest = re.search(r"^## \[(\d[^\]]*)\] - ", changelog, re.MULTILINE)
    assert latest is not None
    assert manifest["version"] == latest.group(1)
    result = _release()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == manifest["version"]


def test_release_tag_must_match(tmp_path: Path) -> None:
    version = _release().stdout.strip()
    assert _release("--tag", f"v{version}").returncode == 0
    wrong = _release("--tag", "v99.0.0")
    assert wrong.returncode == 1
    assert f"tag v99.0.0 is not v{version}" in wrong.stderr


def test_disagreement_is_found(tmp_path: Path) -> None:
    """A copy of the repository whose manifest was bumped alone fails."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "release.py").write_text(SCRIPT.read_text())
    component = tmp_path / "custom_components" / "guest_wifi"
    component.mkdir(parents=True)
    (component / "manifest.json").write_text(json.dumps({"version": "1.0"}))
    (tmp_path / "CHANGELOG.md").write_text(
        "# Changelog\n\n## [Unreleased]\n\n## [0.9.0] - 2026-12-01\n"
    )
    result = _release(cwd=tmp_path)
    assert result.returncode == 1
    assert "'1.0' is not semantic versioning" in result.stderr
    assert "manifest says 1.0, CHANGELOG.md's latest is 0.9.0" in result.stderr


def test_release_notes_are_the_versions_entry() -> None:
    version = _release().stdout.strip()
    result = _release("--tag", f"v{version}", "--notes")
    assert result.returncode == 0, result.stderr
    assert "### " in result.stdout
    assert "## [" not in result.stdout  # only this version's entry
    assert result.stdout in (ROOT / "CHANGELOG.md").read_text()
