"""The release's version: manifest.json, CHANGELOG.md and a tag must agree.

Without arguments: check the changelog and print the version. `--tag v1.2.3`
also checks a release tag; `--notes` prints the version's changelog entry
(the release workflow's notes).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
import re
import sys

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "custom_components" / "guest_wifi" / "manifest.json"
CHANGELOG = ROOT / "CHANGELOG.md"
# Semantic Versioning 2.0.0's own pattern (core part and pre-release).
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
)
RELEASE_HEADING = re.compile(r"^## \[([^\]]+)\] - (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def manifest_version() -> str:
    """The version HACS and Home Assistant read."""
    return str(json.loads(MANIFEST.read_text(encoding="utf-8"))["version"])


def changelog_latest() -> str:
    """The newest released version in the changelog (not Unreleased)."""
    found = RELEASE_HEADING.search(CHANGELOG.read_text(encoding="utf-8"))
    if found is None:
        raise SystemExit("CHANGELOG.md has no released version")
    return found.group(1)


def notes(version: str) -> str:
    """The changelog entry of one version, without its heading."""
    text = CHANGELOG.read_text(encoding="utf-8")
    headings = list(RELEASE_HEADING.finditer(text))
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        if heading.group(1) == version:
            end = following.start() if following else text.find("\n[", heading.end())
            return text[heading.end() : end if end >= 0 else None].strip() + "\n"
    raise SystemExit(f"CHANGELOG.md has no entry for {version}")


def problems(tag: str | None = None) -> list[str]:
    """What disagrees; nothing when the release is consistent."""
    version = manifest_version()
    found = []
    if not SEMVER.fullmatch(version):
        found.append(f"manifest version {version!r} is not semantic versioning")
    if (latest := changelog_latest()) != version:
        found.append(f"manifest says {version}, CHANGELOG.md's latest is {latest}")
    if tag is not None and tag != f"v{version}":
        found.append(f"tag {tag} is not v{version} (manifest.json)")
    return found


def main() -> None:
    """Check, print the version, exit 1 on a disagreement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", help="the release tag, e.g. v1.2.3")
    parser.add_argument(
        "--notes", action="store_true", help="print the version's changelog entry"
    )
    args = parser.parse_args()
    if found := problems(args.tag):
        print("\n".join(found), file=sys.stderr)
        sys.exit(1)
    print(
        notes(manifest_version()) if args.notes else manifest_version(),
        end="" if args.notes else "\n",
    )


if __name__ == "__main__":
    main()
